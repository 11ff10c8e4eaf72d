"""Readable history from the audit chain: timelines with field diffs, filters, and "as at" views.

Reads only; the chain itself is never changed here. Personal values are looked up from the erasable
`audit_value` table; an erased value reads "(removed at the person's request)".
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import codes, csv_export, labels
from ..codes import N_
from ..domain.messages import CATALOGUE, Cap, Message, Phrase, Translator, identity, language_of, sort_key
from ..extensions import db
from ..formatting import format_date, format_datetime
from ..models import AuditEvent, AuditValue, User
from .capture import entity_name

ERASED = N_("(removed at the person's request)")

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
    "share_link": N_("share link"),
    "equality_answers": N_("answers to the equality questions"),
    "seldom_heard_group": N_("seldom-heard group"),
    "equality_reference": N_("equality reference figures"),
    "retention_rule": N_("retention period"),
    "legal_hold": N_("legal hold"),
    "disposal": N_("disposal record"),
}

# Actions with a sentence of their own ("history.<action>" in domain/messages.py); any other action is worded
# from its last part (created, updated, deleted) and the record's word.
ACTION_SENTENCES = frozenset(
    key.removeprefix("history.") for key in CATALOGUE if key.startswith("history.") and key.count(".") == 2
)

# Every audited field, as people read it (translated where shown: templates, describe, as_at).
FIELD_LABELS = {
    "record_type": N_("kind of record"),
    "months": N_("months kept after closing"),
    "placed_by_id": N_("placed by"),
    "placed_at": N_("when it was placed"),
    "lifted_by_id": N_("lifted by"),
    "lifted_at": N_("when it was lifted"),
    "lift_reason": N_("why it was lifted"),
    "count": N_("how many"),
    "disposed_at": N_("when they were disposed of"),
    "records": N_("records disposed of"),
    "values_erased_at": N_("when their audit values were erased"),
    "email_notifications": N_("emails each time something waits for them"),
    "weekly_digest": N_("weekly summary email"),
    "updated_by_id": N_("changed by"),
    "action_taken": N_("what was done"),
    "age_band": N_("age"),
    "as_of": N_("date the figures describe"),
    "carer": N_("unpaid carer"),
    "disability": N_("disability"),
    "ethnicity": N_("ethnic group"),
    "figures": N_("figures"),
    "gender_same_as_birth": N_("gender identity the same as sex registered at birth"),
    "name_cy": N_("name in Welsh"),
    "question": N_("question"),
    "religion": N_("religion or belief"),
    "retired_at": N_("when people stopped being asked"),
    "seldom_heard": N_("seldom-heard groups"),
    "sex": N_("sex"),
    "sexual_orientation": N_("sexual orientation"),
    "source": N_("source"),
    "updated_at": N_("when it was last changed"),
    "active": N_("active"),
    "activities_changed_at": N_("when activities last changed"),
    "activity_id": N_("activity"),
    "added_by_id": N_("added by"),
    "adjustments_provided": N_("adjustments provided"),
    "adjustments_requested": N_("adjustments asked for"),
    "amount_pence": N_("amount"),
    "approved_at": N_("when it was approved"),
    "approved_by_id": N_("approved by"),
    "asked_about_welsh_effects": N_("asked about effects on the Welsh language"),
    "assessed_at": N_("when it was assessed"),
    "assessed_by_id": N_("assessed by"),
    "benefits_advice": N_("benefits advice"),
    "benefits_advice_url": N_("benefits advice web address"),
    "changed_by_partner_input": N_("changed because of citizen partners"),
    "claimed_at": N_("when it was claimed"),
    "claimed_by_id": N_("claimed by"),
    "closed_on": N_("date the stage finished"),
    "co_author_ids": N_("co-authors"),
    "comment": N_("comment"),
    "communication_needs": N_("communication needs"),
    "communication_needs_other": N_("other communication needs"),
    "confirmation_note": N_("confirmation note"),
    "confirmed_at": N_("when it was confirmed"),
    "consent": N_("consent"),
    "content_type": N_("file type"),
    "contributed": N_("contributed"),
    "cosigned_at": N_("when it was co-signed"),
    "cosigned_by_id": N_("co-signed by"),
    "created_at": N_("when it was created"),
    "created_by_id": N_("created by"),
    "criterion_id": N_("criterion"),
    "current_stage": N_("current stage"),
    "decision": N_("decision"),
    "decision_id": N_("decision"),
    "description": N_("description"),
    "details": N_("details"),
    "disagreed_at": N_("when they disagreed"),
    "disagreed_by_id": N_("who disagreed"),
    "disagreement_reason": N_("why they disagreed"),
    "display_name": N_("name"),
    "document_version": N_("document version"),
    "effective_from": N_("in force from"),
    "email": N_("email address"),
    "erased_at": N_("when it was erased"),
    "evidence_id": N_("evidence file"),
    "expenses_rules": N_("expenses rules"),
    "expires_at": N_("expires"),
    "filename": N_("file name"),
    "formats": N_("formats"),
    "framework_id": N_("framework"),
    "framework_version": N_("framework version"),
    "guest_is_citizen": N_("guest is a citizen partner"),
    "guest_name": N_("guest's name"),
    "handled_at": N_("when it was dealt with"),
    "handled_by_id": N_("dealt with by"),
    "hours": N_("hours"),
    "how_changed": N_("how it changed"),
    "initiative_id": N_("initiative"),
    "initiative_role": N_("role in the initiative"),
    "interpretation": N_("interpretation or translation"),
    "joined_on": N_("date they joined"),
    "kind": N_("kind"),
    "ladder_rating": N_("ladder rating"),
    "languages": N_("languages it was held in"),
    "left_on": N_("date they left"),
    "level": N_("level"),
    "links": N_("links"),
    "locked_until": N_("locked until"),
    "made_by_id": N_("made by"),
    "material_formats": N_("material given in"),
    "name": N_("name"),
    "named_use_withdrawn_at": N_("when consent to being named was withdrawn"),
    "narrative": N_("narrative"),
    "nation": N_("nation"),
    "needs_recorded": N_("needs recorded"),
    "nhs_partnered": N_("NHS partner"),
    "note": N_("note"),
    "notes": N_("notes"),
    "occurred_on": N_("date"),
    "offered_at": N_("when it was offered"),
    "offered_by_id": N_("offered by"),
    "on_behalf_of_id": N_("recorded on behalf of"),
    "opened_on": N_("date the stage started"),
    "options_considered": N_("options considered"),
    "outcome": N_("outcome"),
    "paid_on": N_("date paid"),
    "paid_reference": N_("payment reference"),
    "params": N_("settings"),
    "partner_kind": N_("kind of partner"),
    "position": N_("position"),
    "preferred_language": N_("preferred language"),
    "published_on": N_("date published"),
    "published_url": N_("published web address"),
    "purpose": N_("purpose"),
    "raised_on": N_("date it was said"),
    "rate_basis": N_("how the rate is counted"),
    "rate_card_id": N_("rates card"),
    "rated_at": N_("when it was rated"),
    "rates": N_("rates"),
    "rating_note": N_("note on the rating"),
    "reason": N_("reason"),
    "receipt_content_type": N_("receipt file type"),
    "receipt_filename": N_("receipt file name"),
    "receipt_sha256": N_("receipt fingerprint (SHA-256)"),
    "receipt_size": N_("receipt size"),
    "receipt_storage_key": N_("where the receipt is stored"),
    "recorded_by_id": N_("recorded by"),
    "responded_at": N_("when it was answered"),
    "responded_by_id": N_("answered by"),
    "response": N_("response"),
    "response_reason": N_("why"),
    "review_on": N_("review date"),
    "review_outcome": N_("what the review found"),
    "reviewed_by_id": N_("who held the review"),
    "reviewed_on": N_("date the review was held"),
    "revoked_at": N_("when it was cancelled"),
    "revoked_by_id": N_("cancelled by"),
    "role": N_("role"),
    "round": N_("round"),
    "service_area": N_("service area"),
    "session_version": N_("sign-in session"),
    "sha256": N_("fingerprint (SHA-256)"),
    "side": N_("side"),
    "size": N_("size"),
    "slug": N_("web address name"),
    "stage_id": N_("stage"),
    "status": N_("status"),
    "statutory_functions": N_("duties it serves"),
    "storage_key": N_("where it is stored"),
    "summary": N_("summary"),
    "text": N_("text"),
    "title": N_("title"),
    "unit_pence": N_("amount per unit"),
    "units": N_("units"),
    "uploaded_at": N_("when it was uploaded"),
    "uploaded_by_id": N_("uploaded by"),
    "used_at": N_("when it was used"),
    "user_id": N_("person"),
    "welsh_effects": N_("effects on the Welsh language considered"),
    "welsh_effects_note": N_("note on the effects on the Welsh language"),
    "what": N_("what was decided"),
    "withdrawal_reason": N_("why it was withdrawn"),
    "withdrawn_at": N_("when it was withdrawn"),
    "withdrawn_by_id": N_("who withdrew it"),
    "withdrawn_reason": N_("why it was withdrawn"),
    "year_threshold_pence": N_("yearly limit"),
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
        return f"“{value}”" if self.typed and value not in (_(PRIVATE), _(ERASED)) else value


@dataclass
class Entry:
    seq: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: int | None
    # What happened, as a message rendered in the reader's language where it is shown (the `message` filter).
    message: Message | Cap
    changes: list[Change] = field(default_factory=list)
    # "date they joined 3 February 2025": when the recorded thing happened, if the record says.
    happened: str = ""
    # Who did it, as a message (the CSV gives it in the reader's language; `actor` is the English).
    actor_words: Message | None = None

    @property
    def sentence(self) -> str:
        return self.text()

    def text(self, translate: Translator = identity) -> str:
        return self.message.render(translate)


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
PRIVATE = N_("(private: shown only to the person, co-leads and staff)")
# Payments are private to the person paid and to those who run the initiative's payments (permissions
# `payment.history`): other members' history pages say a payment changed, not what it holds.
PAYMENT_ENTITIES = frozenset({"reciprocity_entry"})
PRIVATE_PAYMENT = N_("(private: shown only to the person paid, co-leads and staff)")
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


def action_label(action: str) -> Cap:
    """An event code as people read it ("Someone signed in"): the event's own history sentence with "someone" as
    the actor, so the codes are listed once (the sentences in domain/messages.py) and a filter option reads like
    the entries it finds. A generic code ("activity.created") takes its record's word from the code's first part,
    which is the record's name (capture.py names these `<record>.<verb>`)."""
    return sentence(Message.of("history.someone"), action, action.split(".", 1)[0], [])


def action_choices(
    organisation_id: int, initiative_id: int | None, translate: Translator = identity
) -> list[tuple[str, str]]:
    """(code, label) for each event code in this history, sorted by the label in the reader's language."""
    labelled = [(code, action_label(code).render(translate)) for code in action_names(organisation_id, initiative_id)]
    language = language_of(translate)
    return sorted(labelled, key=lambda pair: (sort_key(pair[1], language), pair[0]))


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
    return {ref: (value if value is not None else ERASED) for ref, value in rows}  # ERASED is read as a marker


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
        if value["ref"] not in values or values[value["ref"]] == ERASED:
            return _(ERASED), False
        return values[value["ref"]], True
    return _readable(entity, name, value)


def _field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_id", "").replace("_", " "))


def actor_words(name: str | None, role: str | None) -> Message:
    """Who did it: "Asha Patel (commissioner)", or "the system" when nobody signed in did."""
    if name is None:
        return Message.of("history.system")
    return Message.of("history.actor", name=name, role=Phrase(codes.ORG_ROLE_LABELS.get(role, str(role)), lower=True))


def sentence(actor: Message, action: str, entity: str, changes: list[Change]) -> Cap:
    """The event as one sentence (pure: a message with parameters, translated where it is shown).

    A sentence starts with a capital, whatever its first parameter (the actor "the system" in English)."""
    thing: object = Phrase(ENTITY_LABELS[entity]) if entity in ENTITY_LABELS else entity.replace("_", " ")
    if action in ACTION_SENTENCES:
        return Cap(Message.of(f"history.{action}", actor=actor))
    verb = action.rsplit(".", 1)[-1]
    if verb == "updated" and len(changes) == 1:
        change = changes[0]
        return Cap(
            Message.of(
                "history.updated_one",
                actor=actor,
                thing=thing,
                field=Phrase(change.label),
                before=change.words(change.before),
                after=change.words(change.after),
            )
        )
    if verb in ("updated", "created", "deleted"):
        return Cap(Message.of(f"history.{verb}", actor=actor, thing=thing))
    return Cap(Message.of("history.other", actor=actor, action=action.replace(".", " ").replace("_", " "), thing=thing))


def _private(
    name: str, value: Any, values: dict[str, str], show_needs: bool, entity: str = "", show_payments: bool = True
) -> tuple[str, bool]:
    if name in NEEDS_FIELDS and not show_needs:
        return _(PRIVATE), False
    if entity in PAYMENT_ENTITIES and not show_payments:
        return _(PRIVATE_PAYMENT), False
    return _show(value, values, entity, name)


def _change(
    entity: str, name: str, change: dict, values: dict[str, str], show_needs: bool, show_payments: bool = True
) -> Change:
    before, typed_before = _private(name, change.get("before"), values, show_needs, entity, show_payments)
    after, typed_after = _private(name, change.get("after"), values, show_needs, entity, show_payments)
    return Change(name, _field_label(name), before, after, typed_before or typed_after)


def describe(
    organisation_id: int,
    rows: list[AuditEvent],
    *,
    show_needs: bool = False,
    show_payments: bool = True,
    needs_shown_in: Container[int] = (),
    actors: Mapping[int, User] | None = None,
) -> list[Entry]:
    """Turn events into readable entries with two further queries (people, values), whatever their number.

    Needs and adjustments read PRIVATE unless `show_needs` (a person's own data), or unless the event's seq is
    in `needs_shown_in` (the events about a person's own records, among others, described in one go); what
    payments hold reads PRIVATE_PAYMENT when not `show_payments`. A caller that read the actors with the events
    passes them as `actors` (every actor of `rows`, by id), saving the query for them."""
    payloads = [json.loads(row.payload) for row in rows]
    values = _resolve_values(organisation_id, _refs(payloads))
    actor_ids = {row.actor_id for row in rows if row.actor_id}
    if actors is not None:
        people = dict(actors)
    elif actor_ids:
        people = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(actor_ids)))}
    else:
        people = {}
    entries = []
    for row, payload in zip(rows, payloads, strict=True):
        person = people.get(row.actor_id)
        actor = actor_words(person.shown_name, person.role) if person else actor_words(None, None)
        changes = [
            _change(row.entity_type, name, change, values, show_needs or row.seq in needs_shown_in, show_payments)
            for name, change in sorted(payload.get("changes", {}).items())
            if "changed" not in change
        ]
        entries.append(
            Entry(
                seq=row.seq,
                at=row.occurred_at,
                actor=actor.render(),
                action=row.action,
                entity_type=row.entity_type,
                entity_id=row.entity_id,
                message=sentence(actor, row.action, row.entity_type, changes),
                actor_words=actor,
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
            parts.append(f"{_(_field_label(name))} {format_date(day)}")
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
            state[_(_field_label(name))] = _private(name, change.get("after"), values, False, row.entity_type)[0]
    return None if deleted else dict(sorted(state.items()))


def to_csv(entries: list[Entry], translate: Translator = identity) -> str:
    buffer = io.StringIO()
    writer = csv_export.writer(buffer)
    writer.writerow(
        ["seq", "time_utc", "who", "action", "record", "record_id", "summary", "happened", "field", "before", "after"]
    )
    for entry in entries:
        base = [
            entry.seq,
            entry.at.isoformat(),
            entry.actor_words.render(translate) if entry.actor_words is not None else entry.actor,
            entry.action,
            entry.entity_type,
            entry.entity_id,
            entry.text(translate),
            entry.happened,
        ]
        if not entry.changes:
            writer.writerow([*base, "", "", ""])
        for change in entry.changes:
            writer.writerow([*base, translate(change.label), change.before, change.after])
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
    "activity_adjustments": N_("the adjustments page of an activity"),
    "attendance_form": N_("the attendance form of an activity"),
    "member_needs": N_("a person's page"),
    "report": N_("an evidence report"),
}


def disclosures_of_needs(organisation_id: int, rows: list[AuditEvent]) -> list[NeedsDisclosure]:
    """`needs.viewed` events as who looked, at whose needs, and where: one query for the people, whatever the rows."""
    payloads = [json.loads(row.payload) for row in rows]
    ids = {row.actor_id for row in rows if row.actor_id}
    for payload in payloads:
        ids.update(p for p in payload.get("details", {}).get("people", []) if isinstance(p, int))
    names = (
        {
            row.id: labels.former_member(row.id) if row.erased_at else row.display_name
            for row in db.session.execute(
                sa.select(User.id, User.display_name, User.erased_at).where(
                    User.organisation_id == organisation_id, User.id.in_(ids)
                )
            )
        }
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
                viewer=names.get(row.actor_id) or _("The system"),
                people=[names.get(p) or _("person %(id)s", id=p) for p in details.get("people", [])],
                guests=int(details.get("guests", 0) or 0),
                where=_(WHERE_LABELS[details["where"]])
                if details.get("where") in WHERE_LABELS
                else details.get("where", ""),
                initiative_id=row.initiative_id,
            )
        )
    return out
