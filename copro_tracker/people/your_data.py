"""What is held about a person (UK GDPR Art 15), gathered for their "Your data" page and downloads.

One query per kind of record, whatever the person's history (the page's cost does not grow with it).
Other people appear only as they do on the pages the person can already see (names of initiatives and
activities); another person's needs never appear, even in audit events the person made.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l

from .. import codes, csv_export, labels
from ..audit import history
from ..extensions import db
from ..models import (
    Activity,
    Attendance,
    AuditEvent,
    DataRequest,
    Decision,
    DecisionPosition,
    EqualityAnswers,
    Evidence,
    Initiative,
    Membership,
    ReciprocityEntry,
    Recommendation,
    SeldomHeardGroup,
    User,
)
from .disclosure import NEEDS_VIEWED
from .erasure import is_open_erasure

# The page lists the newest audit events; the downloads carry every one.
PAGE_EVENTS = 25


@dataclass(frozen=True)
class Held:
    key: str
    title: Any
    columns: tuple[tuple[str, Any], ...]
    rows: list[dict[str, Any]]


def _code(value: Any) -> str:
    if value is None:
        return ""
    try:
        return gettext(codes.label(value))  # in the person's language, like the rest of the page
    except KeyError:
        return str(getattr(value, "value", value))


def _needs(values: Sequence[str]) -> str:
    return ", ".join(
        gettext(codes.COMMUNICATION_NEED_LABELS[v]) if v in codes.COMMUNICATION_NEED_LABELS else v for v in values or []
    )


def _profile(person: User) -> Held:
    rows = [
        {"item": _l("Name"), "value": person.display_name},
        {"item": _l("Email address"), "value": person.email},
        {"item": _l("Role"), "value": _code(person.role)},
        {"item": _l("How you are involved"), "value": _code(person.partner_kind)},
        {
            "item": _l("Preferred language"),
            "value": _code(codes.Language(person.preferred_language))
            if person.preferred_language
            else _l("Not asked yet"),
        },
        {"item": _l("Account created"), "value": person.created_at},
        {"item": _l("Last signed in"), "value": person.last_login_at},
        {
            "item": _l("Named in reports"),
            "value": _l("No: you withdrew consent on %(day)s", day=f"{person.named_use_withdrawn_at:%d %B %Y}")
            if person.named_use_withdrawn_at
            else _l("Yes"),
        },
        {
            "item": _l("Communication needs"),
            "value": _needs(person.communication_needs) if person.needs_recorded else _l("Not recorded yet"),
        },
        {"item": _l("Other needs, in your words"), "value": person.communication_needs_other},
    ]
    return Held(
        "profile",
        _l("Your profile and communication needs"),
        (("item", _l("What")), ("value", _l("What we hold"))),
        rows,
    )


def _equality(person: User) -> Held:
    """The person's own equality answers: nobody else is ever shown them, but they are the person's data."""
    answers = db.session.scalar(sa.select(EqualityAnswers).where(EqualityAnswers.user_id == person.id))
    rows = []
    if answers is not None:
        for question in codes.EQUALITY_CODES:
            value = getattr(answers, question.value)
            rows.append({"item": _code(question), "value": _code(value) if value is not None else _l("Not answered")})
        rows.append({"item": _code(codes.EqualityQuestion.SELDOM_HEARD), "value": _groups(answers.seldom_heard)})
        rows.append({"item": _l("Last changed"), "value": answers.updated_at})
    return Held(
        "equality",
        _l("Your answers to the equality questions"),
        (("item", _l("Question")), ("value", _l("Your answer"))),
        rows,
    )


def _groups(ticked: Sequence[str] | None) -> Any:
    if not ticked:
        return _l("Not answered")
    if ticked[0] == codes.SELDOM_HEARD_NONE:
        return _l("None of these")
    if ticked[0] == codes.PREFER_NOT_TO_SAY:
        return _l("Prefer not to say")
    ids = [int(code) for code in ticked if code.isdigit()]
    names = db.session.scalars(
        sa.select(SeldomHeardGroup.name).where(SeldomHeardGroup.id.in_(ids)).order_by(SeldomHeardGroup.name)
    )
    return ", ".join(names)


def _memberships(person: User) -> Held:
    rows = db.session.execute(
        sa.select(Membership, Initiative.title)
        .join(Initiative, Initiative.id == Membership.initiative_id)
        .where(Membership.user_id == person.id)
        .order_by(Membership.joined_on, Membership.id)
    ).all()
    return Held(
        "memberships",
        _l("Initiatives you are or were part of"),
        (
            ("initiative", _l("Initiative")),
            ("role", _l(_l("Role"))),
            ("side", _l("Side")),
            ("joined", _l("Joined")),
            ("left", _l("Left")),
        ),
        [
            {
                "initiative": title,
                "role": _code(m.role),
                "side": _code(m.side),
                "joined": m.joined_on,
                "left": m.left_on,
            }
            for m, title in rows
        ],
    )


def _activities(person: User) -> tuple[Held, Held, Held, list[int]]:
    """The activities the person took part in, their ratings, and those they recorded or that were recorded
    for them: one query over every activity that touches them, their attendance joined where there is one."""
    rows = db.session.execute(
        sa.select(Attendance, Activity, Initiative.title)
        .select_from(Activity)
        .join(Initiative, Initiative.id == Activity.initiative_id)
        .outerjoin(Attendance, sa.and_(Attendance.activity_id == Activity.id, Attendance.user_id == person.id))
        .where(
            # Everything of theirs is in their own organisation: that bounds what the OR below reads.
            Activity.organisation_id == person.organisation_id,
            sa.or_(
                Attendance.id.is_not(None),
                Activity.recorded_by_id == person.id,
                Activity.on_behalf_of_id == person.id,
            ),
        )
        .order_by(Activity.occurred_on, Activity.id)
    ).all()
    attended = [(a, activity, initiative) for a, activity, initiative in rows if a is not None]
    activities = Held(
        "activities",
        _l("Activities you took part in"),
        (
            ("initiative", _l("Initiative")),
            ("activity", _l("Activity")),
            ("date", _l("Date")),
            ("contributed", _l("Contributed")),
            ("asked_for", _l("Adjustments you asked for")),
            ("provided", _l("Adjustments provided")),
        ),
        [
            {
                "initiative": initiative,
                "activity": activity.title,
                "date": activity.occurred_on,
                "contributed": _l("Yes") if a.contributed else _l("No"),
                "asked_for": _needs(a.adjustments_requested),
                "provided": _needs(a.adjustments_provided),
            }
            for a, activity, initiative in attended
        ],
    )
    ratings = Held(
        "ratings",
        _l("How co-produced activities felt to you (your ratings)"),
        (
            ("activity", _l("Activity")),
            ("rating", _l("Your rating")),
            ("note", _l("Your note")),
            ("rated", _l("Rated on")),
        ),
        [
            {"activity": activity.title, "rating": a.ladder_rating, "note": a.rating_note, "rated": a.rated_at}
            for a, activity, _initiative in attended
            if a.ladder_rating
        ],
    )
    recorded = Held(
        "recorded",
        _l("Activities you recorded, or that were recorded for you"),
        (("activity", _l("Activity")), ("date", _l("Date")), ("how", _l("How")), ("confirmed", _l("You confirmed it"))),
        [
            {
                "activity": activity.title,
                "date": activity.occurred_on,
                "how": _l("Recorded for you") if activity.on_behalf_of_id == person.id else _l("You recorded it"),
                "confirmed": activity.confirmed_at if activity.on_behalf_of_id == person.id else "",
            }
            for _a, activity, _initiative in rows
            if person.id in (activity.recorded_by_id, activity.on_behalf_of_id)
        ],
    )
    return activities, ratings, recorded, [a.id for a, _activity, _initiative in attended]


def _positions(person: User) -> Held:
    rows = db.session.execute(
        sa.select(DecisionPosition.position, Decision.what, Activity.title)
        .join(Decision, Decision.id == DecisionPosition.decision_id)
        .join(Activity, Activity.id == Decision.activity_id)
        .where(DecisionPosition.user_id == person.id)
        .order_by(Decision.id)
    ).all()
    return Held(
        "positions",
        _l("Where you stood on decisions"),
        (("activity", _l("Activity")), ("decision", _l("Decision")), ("position", _l("Your position"))),
        [{"activity": title, "decision": what, "position": _code(position)} for position, what, title in rows],
    )


def _recommendations(person: User) -> Held:
    rows = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.made_by_id == person.id).order_by(Recommendation.id)
    ).all()
    return Held(
        "recommendations",
        _l("Recommendations you made"),
        (("said", _l("Date")), ("text", _l("What you said")), ("response", _l("Response"))),
        [
            {
                "said": r.raised_on,
                "text": r.text,
                "response": _code(r.response) if r.response else _l("Not answered yet"),
            }
            for r in rows
        ],
    )


def _payments(person: User) -> Held:
    rows = db.session.execute(
        sa.select(ReciprocityEntry, Initiative.title)
        .join(Initiative, Initiative.id == ReciprocityEntry.initiative_id)
        .where(ReciprocityEntry.user_id == person.id)
        .order_by(ReciprocityEntry.occurred_on, ReciprocityEntry.id)
    ).all()
    return Held(
        "payments",
        _l("Payments and other recognition"),
        (
            ("initiative", _l("Initiative")),
            ("date", _l("Date")),
            ("kind", _l("What")),
            ("status", _l("Status")),
            ("amount", _l("Amount (£)")),
            ("hours", _l("Hours")),
            ("note", _l("Note")),
        ),
        [
            {
                "initiative": title,
                "date": e.occurred_on,
                "kind": _code(e.kind),
                "status": _code(e.status),
                "amount": f"{e.amount_pence / 100:.2f}",
                "hours": e.hours,
                "note": e.note,
            }
            for e, title in rows
        ],
    )


def _files(person: User) -> Held:
    rows = db.session.execute(
        sa.select(Evidence, Initiative.title)
        .join(Initiative, Initiative.id == Evidence.initiative_id)
        .where(Evidence.uploaded_by_id == person.id)
        .order_by(Evidence.uploaded_at, Evidence.id)
    ).all()
    return Held(
        "files",
        _l("Files you uploaded"),
        (
            ("initiative", _l("Initiative")),
            ("file", _l("File")),
            ("uploaded", _l("Uploaded")),
            ("size", _l("Size (bytes)")),
            ("consent", _l("How it may be used in reports")),
        ),
        [
            {
                "initiative": title,
                "file": e.filename,
                "uploaded": e.uploaded_at,
                "size": e.size,
                "consent": _code(e.consent),
            }
            for e, title in rows
        ],
    )


def _requests(person: User) -> tuple[Held, bool]:
    """The person's requests, and whether one of them asks for erasure and is still open."""
    rows = db.session.scalars(
        sa.select(DataRequest).where(DataRequest.user_id == person.id).order_by(DataRequest.id)
    ).all()
    erasure_asked = any(is_open_erasure(r) for r in rows)
    return Held(
        "requests",
        _l("Your requests about your data"),
        (
            ("asked", _l("Asked on")),
            ("kind", _l("Request")),
            ("details", _l("What you asked")),
            ("status", _l("Status")),
            ("outcome", _l("Answer")),
        ),
        [
            {
                "asked": r.created_at,
                "kind": _code(r.kind),
                "details": r.details,
                "status": _code(r.status),
                "outcome": r.outcome,
            }
            for r in rows
        ],
    ), erasure_asked


def _notifications(person: User) -> Held:
    """What the service told the person (every kind it keeps a row of, the weekly summaries too), as their
    list says it, with whether they read it and whether it was emailed to them."""
    # Imported here: notifications reach this module through waiting.py -> activities -> people, so a
    # module-level import would be circular for whoever imports waiting.py first.
    from ..notifications import messages as notification_messages
    from ..notifications import service as notifications

    lines = notifications.lines(person, kinds=tuple(codes.NotificationKind))
    return Held(
        "notifications",
        _l("Notifications we sent you"),
        (
            ("what", _l("What it said")),
            ("kind", _l("Kind")),
            ("when", _l("When (UTC)")),
            ("read", _l("Read")),
            ("emailed", _l("Emailed")),
        ),
        [
            {
                "what": notification_messages.headline(line),
                "kind": _code(line.notification.kind),
                "when": line.notification.created_at,
                "read": line.notification.read_at or _l("Not read"),
                "emailed": line.notification.emailed_at or _l("Not emailed"),
            }
            for line in lines
        ],
    )


def _about(person: User) -> sa.ColumnElement[bool]:
    """Audit events about the person: theirs, on their account, on their attendance or payments."""
    own = sa.select(Attendance.id).where(Attendance.user_id == person.id)
    paid = sa.select(ReciprocityEntry.id).where(ReciprocityEntry.user_id == person.id)
    return sa.and_(
        AuditEvent.organisation_id == person.organisation_id,
        sa.or_(
            AuditEvent.actor_id == person.id,
            sa.and_(AuditEvent.entity_type == "user", AuditEvent.entity_id == person.id),
            sa.and_(AuditEvent.entity_type == "attendance", AuditEvent.entity_id.in_(own)),
            sa.and_(AuditEvent.entity_type == "reciprocity_entry", AuditEvent.entity_id.in_(paid)),
        ),
    )


def _events(person: User, attendance_ids: Sequence[int], limit: int | None) -> tuple[Held, int]:
    # How many there are in all (a window count) and who did each come with the rows, not in further queries.
    stmt = (
        sa.select(AuditEvent, User, sa.func.count().over().label("total"))
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(_about(person))
        .order_by(AuditEvent.seq.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    found = db.session.execute(stmt).all()
    rows = [row for row, _actor, _total in found]
    actors = {actor.id: actor for _row, actor, _total in found if actor is not None}
    total = found[0].total if found else 0
    # Their own records' needs read in full; anyone else's (an event they made as a co-lead) stay private.
    own_ids = set(attendance_ids)
    own_seqs = {
        r.seq
        for r in rows
        if (r.entity_type == "user" and r.entity_id == person.id)
        or (r.entity_type == "attendance" and r.entity_id in own_ids)
    }
    entries = history.describe(person.organisation_id, rows, needs_shown_in=own_seqs, actors=actors)
    return (
        Held(
            "audit",
            _l("What the audit trail records about you"),
            (("seq", _l("Event")), ("at", _l("When (UTC)")), ("what", _l("What happened")), ("changes", _l("Changes"))),
            [
                {
                    "seq": e.seq,
                    "at": e.at,
                    "what": labels.message(e.message),
                    "changes": "; ".join(f"{gettext(c.label)}: {c.before} → {c.after}" for c in e.changes),
                }
                for e in entries
            ],
        ),
        total,
    )


def _looks(person: User) -> Held:
    """Who looked at this person's needs (needs.viewed events naming them), newest first."""
    rows = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.occurred_at, AuditEvent.payload, User.display_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.organisation_id == person.organisation_id, AuditEvent.action == NEEDS_VIEWED)
        .order_by(AuditEvent.seq.desc())
    ).all()
    out = []
    for _seq, at, payload, viewer in rows:
        details = json.loads(payload).get("details", {})
        where = details.get("where")
        if person.id in details.get("people", []):
            out.append(
                {
                    "at": at,
                    "who": viewer or _l("The system"),
                    "where": gettext(history.WHERE_LABELS[where]) if where in history.WHERE_LABELS else "",
                }
            )
    return Held(
        "needs_viewed",
        _l("Who looked at your communication needs or adjustments"),
        (("at", _l("When (UTC)")), ("who", _l("Who")), ("where", _l("Where"))),
        out,
    )


@dataclass(frozen=True)
class YourData:
    person_id: int
    sections: list[Held]
    events_total: int
    # An erasure request of theirs is waiting for an answer (the page says so instead of offering to ask).
    erasure_asked: bool = False

    def section(self, key: str) -> Held:
        return next(s for s in self.sections if s.key == key)


def gather(person: User, *, all_events: bool = False) -> YourData:
    activities, ratings, recorded, attendance_ids = _activities(person)
    requests, erasure_asked = _requests(person)
    audit, total = _events(person, attendance_ids, None if all_events else PAGE_EVENTS)
    sections = [
        _profile(person),
        _equality(person),
        _memberships(person),
        activities,
        ratings,
        recorded,
        _positions(person),
        _recommendations(person),
        _payments(person),
        _files(person),
        requests,
        _notifications(person),
        _looks(person),
        audit,
    ]
    return YourData(person.id, sections, total, erasure_asked)


def _plain(value: Any) -> Any:
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_json(data: YourData, generated_at: datetime) -> str:
    body = {
        "format": "copro-your-data/1",
        "generated_at": _plain(generated_at),
        "sections": {
            s.key: {"title": str(s.title), "rows": [{k: _plain(v) for k, v in row.items()} for row in s.rows]}
            for s in data.sections
        },
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


def to_csv(data: YourData) -> str:
    """One CSV in long form (section, row, field, value): opens in any spreadsheet, every section together."""
    buffer = io.StringIO()
    writer = csv_export.writer(buffer)
    writer.writerow(["section", "row", "field", "value"])
    for section in data.sections:
        labels = dict(section.columns)
        for number, row in enumerate(section.rows, start=1):
            for key, value in row.items():
                writer.writerow([str(section.title), number, str(labels.get(key, key)), _plain(value)])
    return buffer.getvalue()
