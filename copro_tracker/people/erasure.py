"""Erasure (UK GDPR Art 17), done by an admin on the person's request, or with `flask people erase`.

Erasure anonymises the person rather than deleting their rows: the organisation's records of what
happened (activities, decisions, payments) are kept for as long as the retention rules say, but nothing in
them identifies the person any more. Their name, email, needs, adjustments, rating notes and equality answers go, the
values the audit trail kept of them are erased from `audit_value` (the hashed chain is untouched, so
`flask audit verify` still passes), and a tombstone event records that an erasure happened, when, by whom
and under which request, without the erased data.

The person's own notifications are deleted, not anonymised: they are the service's messages to that
account, not records of what happened (they are not audited, and no retention rule keeps them), their only
reader can no longer sign in, and each one, read with its initiative and record titles, would still say what
was asked of the erased account. They go with the account, like its password and sign-in details.

Checked first: the right is not absolute. `erasure_blockers` asks every registered check; each returns a
sentence saying why the person cannot be erased now, or None. Legal hold and retention rules plug in here
with `register_erasure_check` (e.g. "an initiative they took part in is under legal hold until ...").
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable

import sqlalchemy as sa

from ..audit import capture
from ..audit import service as audit_service
from ..codes import DataRequestKind, DataRequestStatus, OrgRole
from ..domain.messages import Message
from ..equality import service as equality_service
from ..extensions import db
from ..models import AccountToken, Attendance, AuditEvent, DataRequest, Notification, User, utcnow
from ..services import ServiceError, in_reader_language

# A reason in the reader's language: the admin's page shows it in theirs; `flask people erase` has no request, and
# says it in English. Checks registered elsewhere (retention/checks.py) word theirs with it too.
_ = in_reader_language

ErasureCheck = Callable[[User], "str | None"]
_CHECKS: list[ErasureCheck] = []


def register_erasure_check(check: ErasureCheck) -> ErasureCheck:
    """Add a check (usable as a decorator): given the person, a reason they cannot be erased now, or None."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def _last_admin(person: User) -> str | None:
    if person.role != OrgRole.ADMIN or not person.active:
        return None
    others = db.session.scalar(
        sa.select(sa.func.count()).where(
            User.organisation_id == person.organisation_id,
            User.role == OrgRole.ADMIN,
            User.active.is_(True),
            User.id != person.id,
        )
    )
    return None if others else _("They are the organisation's only admin: make someone else an admin first.")


register_erasure_check(_last_admin)


def erasure_blockers(person: User, actor: User | None) -> list[str]:
    """Why `person` cannot be erased by `actor` now (empty: they can), in the reader's language."""
    if person.erased_at is not None:
        return [_("Their details have already been erased.")]
    reasons = []
    if actor is not None and actor.id == person.id:
        reasons.append(_("You cannot erase your own details: another admin must do it."))
    reasons += [reason for check in _CHECKS if (reason := check(person))]
    return reasons


def former_name(person: User) -> str:
    """What is stored as an erased person's name: the English label, as before (pages show User.shown_name,
    which renders the same message in the reader's language)."""
    return Message.of("person.former_member", id=person.id).render()


def refs_of(organisation_id: int, entities: Iterable[tuple[str, Iterable[int]]]) -> set[str]:
    """References to erasable values in every event about these records (one query per kind of record)."""
    refs: set[str] = set()
    for entity_type, ids in entities:
        ids = sorted(set(ids))
        if not ids:
            continue
        payloads = db.session.scalars(
            sa.select(AuditEvent.payload).where(
                AuditEvent.organisation_id == organisation_id,
                AuditEvent.entity_type == entity_type,
                AuditEvent.entity_id.in_(ids),
            )
        )
        for payload in payloads:
            for change in json.loads(payload).get("changes", {}).values():
                for side in ("before", "after"):
                    value = change.get(side) if isinstance(change, dict) else None
                    if isinstance(value, dict) and isinstance(value.get("ref"), str):
                        refs.add(value["ref"])
    return refs


def erase(person: User, actor: User | None, request: DataRequest | None = None, *, note: str = "") -> int:
    """Anonymise `person` and erase their audit values; returns how many values were erased.

    Two commits: the anonymising changes are themselves audited (their "before" values become erasable
    values), so those are erased in the second, with the tombstone. Running it again after a failure between
    the two finishes the job."""
    blockers = erasure_blockers(person, actor)
    if blockers:
        raise ServiceError(" ".join(blockers))
    capture.set_actor(db.session, actor.id if actor else None)
    old_email = person.email
    person.display_name = former_name(person)
    person.email = f"erased-{person.id}@erased.invalid"
    person.password_hash = "!erased-" + secrets.token_hex(8)  # no "$": never matches any password
    person.communication_needs = []
    person.communication_needs_other = ""
    person.needs_recorded = False
    person.preferred_language = None
    person.active = False
    person.session_version += 1
    person.locked_until = None
    now = utcnow()
    person.named_use_withdrawn_at = person.named_use_withdrawn_at or now
    person.erased_at = now
    capture.name_action(person, "person.anonymised")
    attendances = list(db.session.scalars(sa.select(Attendance).where(Attendance.user_id == person.id)))
    for row in attendances:
        row.adjustments_requested = []
        row.adjustments_provided = []
        row.rating_note = ""
    tokens = list(
        db.session.scalars(
            sa.select(AccountToken).where(
                AccountToken.organisation_id == person.organisation_id,
                sa.or_(AccountToken.user_id == person.id, AccountToken.email == old_email),
            )
        )
    )
    for token in tokens:
        token.email = person.email
        token.display_name = ""
    equality_service.erase_answers(person)
    requests = list(db.session.scalars(sa.select(DataRequest).where(DataRequest.user_id == person.id)))
    for item in requests:
        item.details = ""
    db.session.execute(sa.delete(Notification).where(Notification.user_id == person.id))
    db.session.commit()

    capture.set_actor(db.session, actor.id if actor else None)
    refs = refs_of(
        person.organisation_id,
        [
            ("user", [person.id]),
            ("attendance", [a.id for a in attendances]),
            ("account_token", [t.id for t in tokens]),
            ("data_request", [r.id for r in requests]),
        ],
    )
    erased = audit_service.erase_values(person.organisation, refs, commit=False)
    if request is not None and request.status == DataRequestStatus.OPEN:
        request.status = DataRequestStatus.DONE
        request.handled_by_id = actor.id if actor else None
        request.handled_at = now
        request.outcome = note.strip()
    capture.record(
        db.session,
        "person.erased",
        person.organisation_id,
        "user",
        person.id,
        request=request.id if request is not None else None,
        values=erased,
    )
    db.session.commit()
    return erased


def is_open_erasure(request: DataRequest) -> bool:
    """A request to be erased still waiting for an answer: the rule open_erasure_request asks the database."""
    return request.kind == DataRequestKind.ERASURE and request.status == DataRequestStatus.OPEN


def open_erasure_request(person: User) -> DataRequest | None:
    return db.session.scalar(
        sa.select(DataRequest).where(
            DataRequest.user_id == person.id,
            DataRequest.kind == DataRequestKind.ERASURE,
            DataRequest.status == DataRequestStatus.OPEN,
        )
    )
