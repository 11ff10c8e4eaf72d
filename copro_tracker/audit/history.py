"""Readable history from the audit chain: timelines with field diffs, filters, and "as at" views.

Reads only; the chain itself is never changed here. Personal values are looked up from the erasable
`audit_value` table; an erased value reads "(removed at the person's request)".
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import codes, csv_export, labels
from ..codes import N_
from ..extensions import db
from ..formatting import format_date, format_datetime
from ..models import AuditEvent, AuditValue, User
from .capture import entity_name

ERASED = "(removed at the person's request)"

ENTITY_LABELS = {
    "initiative": N_("initiative"),
    "membership": N_("membership"),
    "stage": N_("stage"),
    "stage_sign_off": N_("stage sign-off"),
    "stage_reopening": N_("stage reopening"),
    "activity": N_("activity"),
    "attendance": N_("attendance record"),
    "decision": N_("decision"),
    "decision_position": N_("position on a decision"),
    "recommendation": N_("recommendation"),
    "evidence": N_("evidence file"),
    "user": N_("person"),
    "account_token": N_("invitation or reset link"),
    "organisation": N_("organisation"),
    "audit_checkpoint": N_("audit checkpoint"),
    "assessment": N_("assessment"),
    "output": N_("output"),
    "data_request": N_("request about personal data"),
    "reciprocity_entry": N_("payment or expense claim"),
    "rate_card": N_("rates card"),
}

ACTION_PHRASES = {
    "initiative.created": "started the initiative",
    "initiative.closed": "closed the initiative (all stages complete)",
    "initiative.reopened": "reopened the initiative",
    "membership.joined": "added a member",
    "membership.left": "recorded that a member left",
    "membership.role_changed": "gave a member a new role",
    "membership.role_ended": "ended a member's previous role",
    "stage.signed_off": "signed off a stage",
    "stage.dissent_recorded": "recorded disagreement with a stage sign-off",
    "stage.completed": "completed a stage (both sides signed off)",
    "stage.opened": "opened the next stage",
    "stage.reopened": "reopened a stage",
    "auth.login": "signed in",
    "auth.logout": "signed out",
    "auth.login_failed": "failed to sign in",
    "auth.login_blocked": "was blocked from signing in (account locked)",
    "user.invited": "invited someone",
    "user.joined": "accepted an invitation and joined",
    "user.deactivated": "deactivated a person",
    "user.reactivated": "reactivated a person",
    "user.role_changed": "changed a person's role",
    "audit.exported": "exported audit history",
    "audit.checkpoint_made": "signed a checkpoint of the audit trail",
    "audit.verified": "checked the audit trail",
    "audit.bundle_exported": "exported audit evidence for inspection",
    "audit.values_erased": "erased personal details from the audit trail",
    "assessment.recorded": "recorded an assessment of a criterion",
    "assessment.cosigned": "co-signed an assessment of a criterion",
    "assessment.disagreed": "recorded disagreement with an assessment of a criterion",
    "recommendation.reviewed": "recorded the review of a recommendation",
    "membership.dates_changed": "recorded when a member joined or left",
    "stage.dates_changed": "recorded when a stage started or finished",
    "needs.viewed": "looked at people's communication needs or adjustments",
    "person.data_exported": "downloaded a copy of their own data",
    "person.named_use_withdrawn": "withdrew consent to being named in reports",
    "person.named_use_given": "agreed to being named in reports again",
    "person.anonymised": "anonymised a person at their request",
    "person.erased": "erased a person's details at their request",
    "data_request.correction_asked": "asked for a correction to their data",
    "data_request.erasure_asked": "asked for their details to be erased",
    "data_request.answered": "answered a request about personal data",
    "rate_card.added": "set new rates for involvement",
    "payment.offered": "made an offer of payment",
    "payment.offer_changed": "changed an offer of payment",
    "payment.chosen": "recorded how a person chose to be paid",
    "payment.declined": "recorded a choice of no payment, thank you",
    "payment.claimed": "claimed expenses",
    "payment.approved": "approved a payment",
    "payment.paid": "marked a payment as paid",
    "payment.withdrawn": "withdrew an offer or claim",
    "payment.receipt_downloaded": "downloaded a receipt",
    "payment.exported": "exported payments for finance",
    "payment.own_downloaded": "downloaded their own payments",
    "activity.withdrawn": "withdrew an activity recorded by mistake",
    "decision.withdrawn": "withdrew a decision recorded by mistake",
    "recommendation.withdrawn": "withdrew a recommendation recorded by mistake",
    "evidence.withdrawn": "withdrew a file added by mistake (its contents were deleted)",
}

FIELD_LABELS = {
    "what": "what was decided",
    "occurred_on": "date",
    "left_on": "date they left",
    "joined_on": "date they joined",
    "ladder_rating": "ladder rating",
    "display_name": "name",
    "statutory_functions": "duties it serves",
    "welsh_effects": "effects on the Welsh language considered",
    "welsh_effects_note": "note on the effects on the Welsh language",
    "asked_about_welsh_effects": "asked about effects on the Welsh language",
    "raised_on": "date it was said",
    "reviewed_on": "date the review was held",
    "review_outcome": "what the review found",
    "reviewed_by_id": "who held the review",
    "opened_on": "date the stage started",
    "closed_on": "date the stage finished",
    "material_formats": "material given in",
    "interpretation": "interpretation or translation",
    "languages": "languages it was held in",
    "nhs_partnered": "NHS partner",
    "withdrawal_reason": "why it was withdrawn",
    "withdrawn_at": "when it was withdrawn",
    "withdrawn_by_id": "who withdrew it",
}
# Fields that say when something happened, as opposed to when it was recorded (the event's own time):
# work can be recorded long after it happened, and the history shows both.
HAPPENED_FIELDS = ("occurred_on", "raised_on", "joined_on", "left_on", "reviewed_on", "opened_on", "closed_on")


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str
    # Text someone typed is quoted when a sentence repeats it; codes, dates and yes/no are not.
    typed: bool = False

    def words(self, value: str) -> str:
        return f"“{value}”" if self.typed and value not in (PRIVATE, ERASED) else value


@dataclass
class Entry:
    seq: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: int | None
    sentence: str
    changes: list[Change] = field(default_factory=list)
    # "date they joined 3 February 2025": when the recorded thing happened, if the record says.
    happened: str = ""


# Events that record someone reading or taking away records (downloads, exports, share-link opens), not
# a change to them. History pages show changes by default and these behind the "Show" filter.
DISCLOSURE_ACTIONS = frozenset(
    {
        "report.generated",
        "share_link.used",
        "audit.bundle_exported",
        "audit.exported",
        "needs.viewed",
        "person.data_exported",
    }
)
# Need to know: fields holding a person's communication needs or adjustments (special category data). History
# pages say that they changed, never what they hold; the person sees their own on "Your data".
NEEDS_FIELDS = frozenset(
    {"adjustments_requested", "adjustments_provided", "communication_needs", "communication_needs_other"}
)
PRIVATE = "(private: shown only to the person, co-leads and staff)"
# Payments are private to the person paid and to those who run the initiative's payments (permissions
# `payment.history`): other members' history pages say a payment changed, not what it holds.
PAYMENT_ENTITIES = frozenset({"reciprocity_entry"})
PRIVATE_PAYMENT = "(private: shown only to the person paid, co-leads and staff)"
SHOW_CHOICES = ("changes", "disclosures", "all")


@dataclass(frozen=True)
class Filters:
    show: str = "all"  # one of SHOW_CHOICES
    actor_id: int | None = None
    since: date | None = None
    until: date | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: int | None = None


def _query(organisation_id: int, initiative_id: int | None, filters: Filters) -> sa.Select:
    stmt = sa.select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
    if initiative_id is not None:
        stmt = stmt.where(AuditEvent.initiative_id == initiative_id)
    if filters.actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == filters.actor_id)
    if filters.since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= datetime.combine(filters.since, time.min))
    if filters.until is not None:
        stmt = stmt.where(AuditEvent.occurred_at < datetime.combine(filters.until + timedelta(days=1), time.min))
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.entity_type:
        stmt = stmt.where(AuditEvent.entity_type == filters.entity_type)
    if filters.entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == filters.entity_id)
    if filters.show == "changes":
        stmt = stmt.where(AuditEvent.action.not_in(sorted(DISCLOSURE_ACTIONS)))
    elif filters.show == "disclosures":
        stmt = stmt.where(AuditEvent.action.in_(sorted(DISCLOSURE_ACTIONS)))
    return stmt


def events(
    organisation_id: int, initiative_id: int | None, filters: Filters, limit: int = 500, offset: int = 0
) -> list[AuditEvent]:
    stmt = _query(organisation_id, initiative_id, filters).order_by(AuditEvent.seq.desc()).limit(limit).offset(offset)
    return list(db.session.scalars(stmt))


def count(organisation_id: int, initiative_id: int | None, filters: Filters) -> int:
    stmt = _query(organisation_id, initiative_id, filters).with_only_columns(sa.func.count()).order_by(None)
    return db.session.scalar(stmt) or 0


def action_names(organisation_id: int, initiative_id: int | None) -> list[str]:
    stmt = sa.select(AuditEvent.action).where(AuditEvent.organisation_id == organisation_id).distinct()
    if initiative_id is not None:
        stmt = stmt.where(AuditEvent.initiative_id == initiative_id)
    return sorted(db.session.scalars(stmt))


def actors(organisation_id: int, initiative_id: int | None) -> list[User]:
    ids = sa.select(AuditEvent.actor_id).where(AuditEvent.organisation_id == organisation_id)
    if initiative_id is not None:
        ids = ids.where(AuditEvent.initiative_id == initiative_id)
    stmt = sa.select(User).where(User.id.in_(ids.distinct())).order_by(User.display_name)
    return list(db.session.scalars(stmt))


def _refs(payloads: Iterable[dict]) -> set[str]:
    found: set[str] = set()
    for payload in payloads:
        for change in payload.get("changes", {}).values():
            for side in ("before", "after"):
                value = change.get(side)
                if isinstance(value, dict) and "ref" in value:
                    found.add(value["ref"])
    return found


def _resolve_values(organisation_id: int, refs: set[str]) -> dict[str, str]:
    if not refs:
        return {}
    rows = db.session.execute(
        sa.select(AuditValue.ref, AuditValue.value).where(
            AuditValue.organisation_id == organisation_id, AuditValue.ref.in_(refs)
        )
    )
    return {ref: (value if value is not None else ERASED) for ref, value in rows}


@functools.cache
def _code_columns() -> dict[tuple[str, str], type[StrEnum]]:
    """(audited record, field) -> the code list the model stores there, read from the models' column types,
    so the history words a code exactly as the rest of the tracker does (codes.py, the one vocabulary)."""
    found: dict[tuple[str, str], type[StrEnum]] = {}
    for mapper in db.Model.registry.mappers:
        for column in mapper.columns:
            kind = getattr(column.type, "enum_class", None)
            if kind is not None and kind in codes.LABELS:
                found[(entity_name(mapper.class_), column.key)] = kind
    return found


def _code_label(kind: type[StrEnum], value: str) -> str | None:
    try:
        return _(codes.LABELS[kind][kind(value)])
    except (KeyError, ValueError):
        return None


def _any_code_label(value: str) -> str | None:
    """A value from a list field (duties, formats, languages): its label if every code list holding that code
    words it the same way; otherwise None, and the value is shown as it was stored."""
    found = {text for kind, table in codes.LABELS.items() for code, text in table.items() if code == value}
    return _(found.pop()) if len(found) == 1 else None


def _readable(entity: str, name: str, value: Any) -> tuple[str, bool]:
    """A stored value as people read it, and whether it is text someone typed (quoted in a sentence)."""
    if value is None:
        return _("blank"), False
    if isinstance(value, bool):
        return (_("yes") if value else _("no")), False
    kind = _code_columns().get((entity, name))
    if isinstance(value, str) and kind is not None and (text := _code_label(kind, value)) is not None:
        return text, False
    if isinstance(value, list):
        return ", ".join(_any_code_label(str(item)) or str(item) for item in value) or _("none"), False
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return format_date(date.fromisoformat(value)), False
    if isinstance(value, str) and _ISO_TIME.match(value):
        try:
            return format_datetime(datetime.fromisoformat(value)), False
        except ValueError:
            pass
    return str(value), isinstance(value, str)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _show(value: Any, values: dict[str, str], entity: str = "", name: str = "") -> tuple[str, bool]:
    if isinstance(value, dict) and "ref" in value:
        return values.get(value["ref"], ERASED), True
    return _readable(entity, name, value)


def _field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_id", "").replace("_", " "))


def _sentence(actor: str, action: str, entity: str, changes: list[Change]) -> str:
    thing = ENTITY_LABELS.get(entity, entity.replace("_", " "))
    if action in ACTION_PHRASES:
        return f"{actor} {ACTION_PHRASES[action]}"
    verb = action.rsplit(".", 1)[-1]
    if verb == "updated" and len(changes) == 1:
        change = changes[0]
        return _(
            "%(actor)s changed the %(thing)s %(field)s from %(before)s to %(after)s",
            actor=actor,
            thing=thing,
            field=change.label,
            before=change.words(change.before),
            after=change.words(change.after),
        )
    if verb == "updated":
        return f"{actor} changed the {thing}"
    if verb == "created":
        return f"{actor} recorded a new {thing}"
    if verb == "deleted":
        return f"{actor} deleted a {thing}"
    return f"{actor}: {action.replace('.', ' ').replace('_', ' ')} ({thing})"


def _private(
    name: str, value: Any, values: dict[str, str], show_needs: bool, entity: str = "", show_payments: bool = True
) -> tuple[str, bool]:
    if name in NEEDS_FIELDS and not show_needs:
        return PRIVATE, False
    if entity in PAYMENT_ENTITIES and not show_payments:
        return PRIVATE_PAYMENT, False
    return _show(value, values, entity, name)


def _change(
    entity: str, name: str, change: dict, values: dict[str, str], show_needs: bool, show_payments: bool = True
) -> Change:
    before, typed_before = _private(name, change.get("before"), values, show_needs, entity, show_payments)
    after, typed_after = _private(name, change.get("after"), values, show_needs, entity, show_payments)
    return Change(name, _field_label(name), before, after, typed_before or typed_after)


def describe(
    organisation_id: int, rows: list[AuditEvent], *, show_needs: bool = False, show_payments: bool = True
) -> list[Entry]:
    """Turn events into readable entries with two further queries (people, values), whatever their number.

    Needs and adjustments read PRIVATE unless `show_needs` (a person's own data); what payments hold reads
    PRIVATE_PAYMENT when not `show_payments`."""
    payloads = [json.loads(row.payload) for row in rows]
    values = _resolve_values(organisation_id, _refs(payloads))
    actor_ids = {row.actor_id for row in rows if row.actor_id}
    people = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(actor_ids)))} if actor_ids else {}
    entries = []
    for row, payload in zip(rows, payloads, strict=True):
        person = people.get(row.actor_id)
        actor = f"{person.display_name} ({labels.label(labels.ROLE, person.role).lower()})" if person else "The system"
        changes = [
            _change(row.entity_type, name, change, values, show_needs, show_payments)
            for name, change in sorted(payload.get("changes", {}).items())
            if "changed" not in change
        ]
        entries.append(
            Entry(
                seq=row.seq,
                at=row.occurred_at,
                actor=actor,
                action=row.action,
                entity_type=row.entity_type,
                entity_id=row.entity_id,
                sentence=_sentence(actor, row.action, row.entity_type, changes),
                changes=changes,
                happened=_happened(payload.get("changes", {})),
            )
        )
    return entries


def _happened(changes: dict) -> str:
    parts = []
    for name in HAPPENED_FIELDS:
        after = changes.get(name, {}).get("after") if isinstance(changes.get(name), dict) else None
        if isinstance(after, str):
            try:
                day = date.fromisoformat(after[:10])
            except ValueError:
                continue
            parts.append(f"{_field_label(name)} {format_date(day)}")
    return "; ".join(parts)


def as_at(organisation_id: int, entity_type: str, entity_id: int, when: date) -> dict[str, str] | None:
    """The record's fields as they stood at the end of `when`, replayed from its events (None: not yet made)."""
    stmt = _query(organisation_id, None, Filters(entity_type=entity_type, entity_id=entity_id, until=when)).order_by(
        AuditEvent.seq
    )
    rows = list(db.session.scalars(stmt))
    if not rows:
        return None
    payloads = [json.loads(row.payload) for row in rows]
    values = _resolve_values(organisation_id, _refs(payloads))
    state: dict[str, str] = {}
    deleted = False
    for row, payload in zip(rows, payloads, strict=True):
        deleted = row.action.endswith(".deleted")
        for name, change in payload.get("changes", {}).items():
            if "changed" in change:
                continue
            state[_field_label(name)] = _private(name, change.get("after"), values, False, row.entity_type)[0]
    return None if deleted else dict(sorted(state.items()))


def to_csv(entries: list[Entry]) -> str:
    buffer = io.StringIO()
    writer = csv_export.writer(buffer)
    writer.writerow(
        ["seq", "time_utc", "who", "action", "record", "record_id", "summary", "happened", "field", "before", "after"]
    )
    for entry in entries:
        base = [
            entry.seq,
            entry.at.isoformat(),
            entry.actor,
            entry.action,
            entry.entity_type,
            entry.entity_id,
            entry.sentence,
            entry.happened,
        ]
        if not entry.changes:
            writer.writerow([*base, "", "", ""])
        for change in entry.changes:
            writer.writerow([*base, change.label, change.before, change.after])
    return buffer.getvalue()


@dataclass(frozen=True)
class NeedsDisclosure:
    seq: int
    at: datetime
    viewer: str
    people: list[str]
    guests: int
    where: str
    initiative_id: int | None


WHERE_LABELS = {
    "activity_adjustments": "the adjustments page of an activity",
    "attendance_form": "the attendance form of an activity",
    "member_needs": "a person's page",
    "report": "an evidence report",
}


def disclosures_of_needs(organisation_id: int, rows: list[AuditEvent]) -> list[NeedsDisclosure]:
    """`needs.viewed` events as who looked, at whose needs, and where: one query for the people, whatever the rows."""
    payloads = [json.loads(row.payload) for row in rows]
    ids = {row.actor_id for row in rows if row.actor_id}
    for payload in payloads:
        ids.update(p for p in payload.get("details", {}).get("people", []) if isinstance(p, int))
    names = (
        dict(
            db.session.execute(
                sa.select(User.id, User.display_name).where(User.organisation_id == organisation_id, User.id.in_(ids))
            ).all()
        )
        if ids
        else {}
    )
    out = []
    for row, payload in zip(rows, payloads, strict=True):
        details = payload.get("details", {})
        out.append(
            NeedsDisclosure(
                seq=row.seq,
                at=row.occurred_at,
                viewer=names.get(row.actor_id, "The system"),
                people=[names.get(p, f"person {p}") for p in details.get("people", [])],
                guests=int(details.get("guests", 0) or 0),
                where=WHERE_LABELS.get(details.get("where", ""), details.get("where", "")),
                initiative_id=row.initiative_id,
            )
        )
    return out
