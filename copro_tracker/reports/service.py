"""Producing reports (with a signed checkpoint and an audit event each time) and managing share links.

Every report produced, in any format, through the app or a share link, appends ``report.generated``
(kind, format, SHA-256 of what was sent, the period, the checkpoint it shows). Every
report shows the newest checkpoint that covers every audit event it relies on (a download makes one if
needed). The JSON bundle proves those events against that checkpoint and carries a report statement, signed
with the checkpoint key, that ties the report data's hash to it (audit/verify.py); the download's own
report.generated event comes after the checkpoint and is covered by the next one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale, get_translations
from flask_babel import gettext as _

from ..audit import capture, ledger
from ..audit import service as audit_service
from ..codes import N_, Nation, ReportLanguage
from ..codes import ReportKind as StoredKind
from ..criteria import stored
from ..domain.messages import Message
from ..extensions import db
from ..models import Activity, Attendance, Initiative, Organisation, ShareLink, User, utcnow
from ..services import ServiceError
from ..web.govuk import date_subject, read_date
from . import build, data, render_csv, render_json
from .words import ENGLISH, LANGUAGES, Words

FORMATS = ("html", "pdf", "csv", "json")
MIMETYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "application/zip",
    "json": "application/json",
}
EXTENSIONS = {"pdf": "pdf", "csv": "csv.zip", "json": "json", "html": "html"}
SHARE_DEFAULT_DAYS = 30
SHARE_MAX_DAYS = 90
# The languages a report can be produced in: English, Welsh, or both (each section in both languages).
BILINGUAL = ReportLanguage.BILINGUAL.value
LANGUAGE_CHOICES = tuple(choice.value for choice in ReportLanguage)


def languages_of(choice: str, nation: str) -> tuple[str, ...]:
    """The languages a report is written in, the main one first. Bilingual puts Welsh first for an organisation
    in Wales (Welsh Language Standards: Welsh no less favourably), English first elsewhere."""
    if choice == BILINGUAL:
        return ("cy", "en") if nation == Nation.WALES.value else ("en", "cy")
    return (choice,) if choice in LANGUAGES else ("en",)


def default_share_language(nation: str) -> str:
    """What a share link's report is written in unless chosen: both languages for an organisation in Wales,
    whose public documents are bilingual; English elsewhere."""
    return BILINGUAL if nation == Nation.WALES.value else "en"


def words_for(language: str) -> Words:
    """The translators for writing a report in `language`, from the app's catalogue (whatever the page's)."""
    if language == "en":
        return ENGLISH
    with force_locale(language):
        translations = get_translations()
    return Words(language, translations.gettext, translations.ngettext)


@dataclass(frozen=True)
class ReportSpec:
    kind: build.ReportKind
    period: build.Period
    initiative_id: int | None = None
    statement_id: str | None = None
    anonymise_partners: bool = False
    # "en", "cy" or "bilingual" (LANGUAGE_CHOICES).
    language: str = "en"
    # Each person's adjustments named in the attendance table: staff only, on the page only, never anonymised,
    # and a recorded disclosure (views). Not a parameter of downloads or share links, which give totals.
    show_needs: bool = False
    # Equality monitoring as suppressed counts: set by the views for staff only (permission `equality.report`);
    # never part of a share link.
    equality: bool = False

    def params(self) -> dict[str, str]:
        out = {
            "as_of": self.period.as_of.isoformat(),
            "date_from": self.period.date_from.isoformat() if self.period.date_from else "",
            "date_to": self.period.date_to.isoformat() if self.period.date_to else "",
            "anonymise_partners": "yes" if self.anonymise_partners else "",
            "language": self.language,
        }
        if self.statement_id:
            out["statement_id"] = self.statement_id
        if self.equality:
            out["equality"] = "yes"  # so a PDF made in the background has the section too
        return out

    def query(self) -> dict[str, str]:
        """The page's query string for these parameters (as_of left out when it is today)."""
        out = {k: v for k, v in self.params().items() if v and k not in ("statement_id", "equality")}
        if self.period.as_of == date.today():
            out.pop("as_of", None)
        return out


@dataclass(frozen=True)
class Download:
    body: bytes
    mimetype: str
    filename: str
    sha256: str


# Each report date as its "invalid" message names it: the other date messages reuse its subject, the words before
# "must" (govuk.date_subject), so that Welsh can start every one of them "Rhaid i'r dyddiad ...".
INVALID_DATE = {
    "as_of": N_("The 'as at' date must be a real date"),
    "date_from": N_("The start date must be a real date"),
    "date_to": N_("The end date must be a real date"),
}


def parse_spec(
    kind: build.ReportKind,
    args: Any,
    *,
    initiative_id: int | None = None,
    statement_id: str | None = None,
    default_language: str = "en",
) -> tuple[ReportSpec | None, dict[str, str]]:
    """Read as_of, date_from, date_to, anonymise_partners and language from request arguments; errors by field,
    in the reader's language (the request's). With no language chosen the report is in `default_language`."""
    errors: dict[str, str] = {}
    today = date.today()

    def subject(name: str) -> str:
        return date_subject(_(INVALID_DATE[name]))

    def day(name: str) -> date | None:
        # The page's GOV.UK date inputs send name-day, name-month and name-year; links (downloads, share links)
        # carry the ISO date as name.
        parts = [args.get(f"{name}-{part}") for part in ("day", "month", "year")]
        if any(part is not None for part in parts):
            parts = [(part or "").strip() for part in parts]
            if not any(parts):
                return None
            try:
                return read_date(parts, subject(name))
            except ValueError as error:
                errors[name] = str(error)
                return None
        raw = (args.get(name) or "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors[name] = _("%(subject)s must be a real date, like 2026-03-31", subject=subject(name))
            return None

    as_of = day("as_of") or today
    date_from = day("date_from")
    date_to = day("date_to")
    if as_of > today:
        errors["as_of"] = _("%(subject)s must be today or in the past", subject=subject("as_of"))
    if date_from and date_to and date_from > date_to:
        errors["date_to"] = _("The end date must be the same as or after the start date")
    if date_from and date_from > as_of:
        errors["date_from"] = _("The start date must be on or before the 'as at' date")
    if errors:
        return None, errors
    anonymise = (args.get("anonymise_partners") or "") in ("yes", "on", "1", "true")
    show_needs = (args.get("named_needs") or "") == "yes" and not anonymise
    period = build.Period(as_of=as_of, date_from=date_from, date_to=date_to)
    language = args.get("language") or ""
    if language not in LANGUAGE_CHOICES:
        language = default_language if default_language in LANGUAGE_CHOICES else "en"
    return ReportSpec(kind, period, initiative_id, statement_id, anonymise, language, show_needs), {}


def _ids(organisation: Organisation, spec: ReportSpec) -> list[int]:
    if spec.kind == build.ReportKind.INITIATIVE:
        return [spec.initiative_id] if spec.initiative_id is not None else []
    return data.initiative_ids_as_at(organisation, spec.period.as_of)


def _build(spec: ReportSpec, inputs: build.ReportInputs, words: Words) -> build.Report:
    if spec.kind == build.ReportKind.INITIATIVE:
        return build.build_initiative_report(inputs, words)
    if spec.kind == build.ReportKind.PORTFOLIO:
        return build.build_portfolio_report(inputs, words)
    return build.build_quality_statement_report(inputs, spec.statement_id or "", words)


def statement_exists(organisation: Organisation, statement_id: str) -> bool:
    framework = data.library().cqc_for(organisation.nation.value)
    return framework is not None and framework.cqc is not None and framework.cqc.statement(statement_id) is not None


def prepare(organisation: Organisation, spec: ReportSpec, *, read_only: bool = False) -> build.Report:
    """The report in its main language (see `prepare_all`)."""
    return prepare_all(organisation, spec, read_only=read_only)[0]


def prepare_all(organisation: Organisation, spec: ReportSpec, *, read_only: bool = False) -> tuple[build.Report, ...]:
    """Load, make or reuse a covering checkpoint, and build the report in each of its languages, the main
    one first (one for English or Welsh, two for bilingual: the records are loaded once).

    `read_only` (the report viewed as a page) writes nothing: it shows the latest checkpoint if that
    covers what the report cites, else none. Downloads make one when needed.
    """
    period = spec.period
    # The portfolio as at today over no date range reads stored figures (reports/stored_summary.py), not facts.
    stored_figures = spec.kind == build.ReportKind.PORTFOLIO and period.as_of == stored.today() and not period.ranged
    details = data.initiatives_as_at(organisation, period.as_of) if stored_figures else None
    ids = [d.id for d in details] if details is not None else _ids(organisation, spec)
    audit, needed = data.audit_state(organisation.id, ids, data.end_of(period.as_of))
    if read_only:
        latest = audit_service.latest_checkpoint(organisation)
        checkpoint = latest if latest is not None and latest.tree_size >= needed else None
    else:
        checkpoint = audit_service.covering_checkpoint(organisation, needed)
    if details is not None:
        inputs = data.load_portfolio_inputs(
            organisation,
            details,
            period,
            audit=audit,
            checkpoint=checkpoint,
            anonymise_partners=spec.anonymise_partners,
            equality=spec.equality,
        )
    else:
        inputs = data.load_inputs(
            organisation,
            ids,
            period,
            checkpoint=checkpoint,
            anonymise_partners=spec.anonymise_partners,
            show_needs=spec.show_needs,
            equality=spec.equality,
            audit=audit,
        )
    return tuple(
        _build(spec, inputs, words_for(language)) for language in languages_of(spec.language, organisation.nation.value)
    )


def file_name(report: build.Report, fmt: str) -> str:
    stem = {
        build.ReportKind.INITIATIVE: f"initiative-{report.initiative_ids[0] if report.initiative_ids else 0}-report",
        build.ReportKind.PORTFOLIO: "portfolio-report",
        build.ReportKind.QUALITY_STATEMENT: f"quality-statement-{dict(report.params).get('statement_id', '')}-report",
    }[report.kind]
    return f"{stem.lower()}-as-at-{report.period.as_of.isoformat()}.{EXTENSIONS[fmt]}"


def disclosure(organisation: Organisation, report: build.Report, fmt: str, sha256: str) -> dict[str, Any]:
    """What `report.generated` records about a report sent out: non-personal details only (plain JSON, so a
    PDF made in the background can keep it until its download)."""
    params = dict(report.params)
    details: dict[str, Any] = {
        "kind": report.kind.value,
        "format": fmt,
        "sha256": sha256,
        "as_of": params.get("as_of", ""),
        "date_from": params.get("date_from", ""),
        "date_to": params.get("date_to", ""),
        "anonymise_partners": params.get("anonymise_partners") == "yes",
        "checkpoint_tree_size": report.checkpoint.tree_size if report.checkpoint else 0,
    }
    if "statement_id" in params:
        details["statement_id"] = params["statement_id"]
    if report.kind == build.ReportKind.INITIATIVE:
        entity, entity_id, initiative_id = "initiative", report.initiative_ids[0], report.initiative_ids[0]
    else:
        entity, entity_id, initiative_id = "organisation", organisation.id, None
    return {"entity": entity, "entity_id": entity_id, "initiative_id": initiative_id, "details": details}


def record_disclosure(
    organisation_id: int, recorded: dict[str, Any], *, share_link: ShareLink | None = None, commit: bool = True
) -> None:
    """Append report.generated (and share_link.used when it came through a link) from `disclosure(...)`."""
    details = dict(recorded["details"])
    if share_link is not None:
        details["share_link_id"] = share_link.id
        capture.record(
            db.session,
            "share_link.used",
            organisation_id,
            "share_link",
            share_link.id,
            actor_id=None,
            use_current_actor=False,
            initiative_id=share_link.initiative_id,
            format=details["format"],
        )
    capture.record(
        db.session,
        "report.generated",
        organisation_id,
        recorded["entity"],
        recorded["entity_id"],
        initiative_id=recorded["initiative_id"],
        actor_id=None,
        use_current_actor=share_link is None,
        **details,
    )
    if commit:
        db.session.commit()


def record_generated(
    organisation: Organisation,
    report: build.Report,
    fmt: str,
    sha256: str,
    *,
    share_link: ShareLink | None = None,
    commit: bool = True,
) -> None:
    """Append report.generated (and share_link.used when it came through a link). Non-personal details only."""
    record_disclosure(
        organisation.id, disclosure(organisation, report, fmt, sha256), share_link=share_link, commit=commit
    )


def download(
    organisation: Organisation, spec: ReportSpec, fmt: str, *, share_link: ShareLink | None = None
) -> Download:
    """Produce the CSV zip or JSON bundle, audit it, and return the bytes to send (PDFs: rendering.py)."""
    if fmt not in ("csv", "json"):
        raise ServiceError(f"unknown format {fmt!r}")
    reports = prepare_all(organisation, spec)
    report = reports[0]
    if fmt == "csv":
        languages = languages_of(spec.language, organisation.nation.value)
        body = render_csv.render_csv_zip(reports, [words_for(language) for language in languages])
    else:
        return _json_bundle(organisation, spec, report, share_link)
    digest = hashlib.sha256(body).hexdigest()
    record_generated(organisation, report, fmt, digest, share_link=share_link)
    return Download(body, MIMETYPES[fmt], file_name(report, fmt), digest)


def _json_bundle(
    organisation: Organisation, spec: ReportSpec, report: build.Report, share_link: ShareLink | None
) -> Download:
    payload = render_json.report_data(report)
    digest = render_json.data_sha256(payload)
    checkpoint = report.checkpoint
    if checkpoint is None:  # prepare_all gives every download a checkpoint covering what it cites
        raise ServiceError("the report has no checkpoint to prove its events against")
    # The checkpoint the report shows covers every event it cites (prepare_all reused or made it), so the
    # bundle proves them against it; the report statement the bundle carries signs the data's hash with that
    # checkpoint. The download's own report.generated event comes after it and is covered by the next one.
    cited = data.cited_events(organisation.id, list(report.initiative_ids), spec.period.as_of, checkpoint.tree_size)
    files = {f.bundle_name: f.sha256 for f in report.files}
    bundle = audit_service.report_bundle(
        organisation,
        cited,
        ledger.Checkpoint(checkpoint.organisation, checkpoint.tree_size, checkpoint.root_hash, checkpoint.issued_at),
        checkpoint.signature,
        checkpoint.key_id,
        digest,
        files or None,
    )
    if report.anonymised:
        # The cited events' payloads carry internal ids (actors, people, records) and storage keys; an
        # anonymised bundle keeps only their inclusion proofs, and the signed report statement that ties the
        # data to the checkpoint. `python -m copro_tracker.audit.verify` still checks it offline.
        bundle = {**bundle, "events": []}
    # One disclosure event per download: report.generated says what audit.bundle_exported would (the
    # checkpoint, the report's hash) and how many events the bundle proves.
    recorded = disclosure(organisation, report, "json", digest)
    recorded["details"]["proven_events"] = len(cited)
    record_disclosure(organisation.id, recorded, share_link=share_link)
    body = render_json.bundle_bytes(bundle, payload)
    return Download(body, MIMETYPES["json"], file_name(report, "json"), digest)


# ---------------------------------------------------------------------------------------------------
# Share links


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_share_link(user: User, spec: ReportSpec, expiry_days: int) -> tuple[ShareLink, str]:
    """A new link and its secret token (shown once, in the URL; only its hash is stored)."""
    if not 1 <= expiry_days <= SHARE_MAX_DAYS:
        raise ServiceError(Message.of("share_link.days", count=SHARE_MAX_DAYS))
    token = secrets.token_urlsafe(32)
    now = utcnow()
    link = ShareLink(
        organisation_id=user.organisation_id,
        kind=StoredKind(spec.kind.value),
        initiative_id=spec.initiative_id,
        params=spec.params(),
        token_hash=token_hash(token),
        created_by_id=user.id,
        created_at=now,
        expires_at=now + timedelta(days=expiry_days),
    )
    db.session.add(link)
    capture.name_action(link, "share_link.created", kind=spec.kind.value, expiry_days=expiry_days)
    db.session.commit()
    return link, token


def revoke_share_link(user: User, link: ShareLink) -> None:
    if link.revoked_at is not None:
        return
    link.revoked_at = utcnow()
    link.revoked_by_id = user.id
    capture.name_action(link, "share_link.revoked")
    db.session.commit()


def share_links(organisation_id: int) -> list[ShareLink]:
    return list(
        db.session.scalars(
            sa.select(ShareLink)
            .where(ShareLink.organisation_id == organisation_id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
            .limit(200)
        )
    )


def find_share_link(token: str) -> ShareLink | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(sa.select(ShareLink).where(ShareLink.token_hash == token_hash(token)))


def link_problem(link: ShareLink | None, now: datetime | None = None) -> str | None:
    """None when the link works; otherwise "unknown", "revoked" or "expired"."""
    if link is None:
        return "unknown"
    if link.revoked_at is not None:
        return "revoked"
    if (now or utcnow()) >= link.expires_at:
        return "expired"
    return None


def spec_for_link(link: ShareLink) -> ReportSpec:
    """The report a link stands for. A link made "as at today" keeps showing the records as at that day."""
    params = link.params or {}

    def day(name: str) -> date | None:
        value = params.get(name) or ""
        return date.fromisoformat(value) if value else None

    period = build.Period(
        as_of=day("as_of") or link.created_at.date(), date_from=day("date_from"), date_to=day("date_to")
    )
    language = params.get("language") or ""
    if language not in LANGUAGE_CHOICES:
        # A link made before reports had a language: as a new link would be for its organisation.
        organisation = db.session.get(Organisation, link.organisation_id) if link.organisation_id else None
        language = default_share_language(organisation.nation.value) if organisation is not None else "en"
    return ReportSpec(
        build.ReportKind(link.kind.value),
        period,
        link.initiative_id,
        params.get("statement_id") or None,
        params.get("anonymise_partners") == "yes",
        language,
    )


def link_initiative(link: ShareLink) -> Initiative | None:
    return db.session.get(Initiative, link.initiative_id) if link.initiative_id else None


def attendee_ids(organisation: Organisation, initiative_ids: list[int]) -> list[int]:
    """Everyone who attended the initiatives' activities (whose adjustments a named report can show)."""
    if not initiative_ids:
        return []
    return sorted(
        db.session.scalars(
            sa.select(Attendance.user_id)
            .join(Activity, Activity.id == Attendance.activity_id)
            .where(
                Activity.organisation_id == organisation.id,
                Activity.initiative_id.in_(initiative_ids),
                Activity.withdrawn_at.is_(None),
                Attendance.user_id.is_not(None),
            )
            .distinct()
        )
    )
