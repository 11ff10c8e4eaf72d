"""Writes for a person's rights over their own data: corrections and erasure requests, consent to being
named, and an admin's answer to a request. Each takes the acting user and commits once."""

from __future__ import annotations

from ..audit import capture
from ..codes import N_, DataRequestKind, DataRequestStatus
from ..extensions import db
from ..models import DataRequest, User, utcnow
from ..services import ServiceError, check_version, commit_or_conflict

MAX_DETAILS = 5000


def ask(person: User, kind: str, details: str) -> DataRequest:
    """Record a person's request about their data, shown to the organisation's admins."""
    try:
        wanted = DataRequestKind(kind)
    except ValueError as error:
        raise ServiceError(N_("Choose what you are asking for"), "kind") from error
    text = (details or "").strip()
    if wanted == DataRequestKind.CORRECTION and not text:
        raise ServiceError(N_("Say what is wrong and what it should say"), "details")
    if len(text) > MAX_DETAILS:
        raise ServiceError(N_("Your request must be 5,000 characters or fewer"), "details")
    if person.erased_at is not None:
        raise ServiceError(N_("Your details have already been erased"))
    request = DataRequest(organisation_id=person.organisation_id, user_id=person.id, kind=wanted, details=text)
    db.session.add(request)
    db.session.flush()
    capture.name_action(request, f"data_request.{wanted.value}_asked")
    db.session.commit()
    return request


def set_named_use(person: User, allowed: bool) -> User:
    """Withdraw (or give again) consent to being named in reports; reports made afterwards honour it at once."""
    if allowed and person.named_use_withdrawn_at is not None:
        person.named_use_withdrawn_at = None
        capture.name_action(person, "person.named_use_given")
    elif not allowed and person.named_use_withdrawn_at is None:
        person.named_use_withdrawn_at = utcnow()
        capture.name_action(person, "person.named_use_withdrawn")
    db.session.commit()
    return person


def answer(actor: User, request: DataRequest, *, done: bool, outcome: str, expected_version: int | None) -> DataRequest:
    """An admin closes a correction request (done, or not done with the reason), or refuses an erasure."""
    check_version(request, expected_version)
    if request.status != DataRequestStatus.OPEN:
        raise ServiceError(N_("This request has already been answered"))
    text = (outcome or "").strip()
    if not text:
        raise ServiceError(N_("Say what was done, or why not, so the person knows"), "outcome")
    if done and request.kind == DataRequestKind.ERASURE:
        raise ServiceError(N_("Use “Erase their details” to carry out an erasure"), "outcome")
    request.status = DataRequestStatus.DONE if done else DataRequestStatus.REFUSED
    request.outcome = text
    request.handled_by_id = actor.id
    request.handled_at = utcnow()
    capture.name_action(request, "data_request.answered")
    commit_or_conflict()
    return request
