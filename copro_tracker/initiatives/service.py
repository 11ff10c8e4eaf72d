"""Writes for initiatives, membership tenure, stage sign-off and reopening. Each function commits once."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..audit import capture
from ..codes import N_, STAGE_ORDER, Level, MemberRole, SignOffDecision, StageKind, StageStatus
from ..domain.gates import Gate, refusal
from ..extensions import db
from ..formatting import format_date
from ..models import Initiative, Membership, SignOff, Stage, StageReopening, User
from ..permissions import membership_of
from ..services import ServiceError, check_version, commit_or_conflict
from ..tenancy import get_scoped
from . import queries

INITIATIVE_CONFLICT = "Someone else changed this initiative while you were editing it"


def today() -> date:
    return date.today()


def create(
    actor: User,
    *,
    title: str,
    summary: str,
    service_area: str,
    statutory_functions: list[str],
    level: str,
    co_lead: bool = True,
    nhs_partnered: bool = False,
) -> Initiative:
    capture.set_actor(db.session, actor.id)
    initiative = Initiative(
        organisation_id=actor.organisation_id,
        title=title.strip(),
        summary=summary.strip(),
        service_area=service_area.strip(),
        statutory_functions=sorted(set(statutory_functions)),
        level=Level(level),
        nhs_partnered=nhs_partnered,
        current_stage=StageKind.DESIGN,
        created_by_id=actor.id,
    )
    db.session.add(initiative)
    for position, kind in enumerate(STAGE_ORDER, start=1):
        is_first = kind == StageKind.DESIGN
        initiative.stages.append(
            Stage(
                organisation_id=actor.organisation_id,
                kind=kind,
                position=position,
                status=StageStatus.IN_PROGRESS if is_first else StageStatus.NOT_STARTED,
                opened_on=today() if is_first else None,
            )
        )
    initiative.memberships.append(
        Membership(
            organisation_id=actor.organisation_id,
            user_id=actor.id,
            role=MemberRole.CO_LEAD if co_lead else MemberRole.MEMBER,
            side=queries.side_of(actor),
            joined_on=today(),
            added_by_id=actor.id,
        )
    )
    capture.name_action(initiative, "initiative.created")
    db.session.commit()
    return initiative


def update(
    actor: User,
    initiative: Initiative,
    *,
    expected_version: int,
    title: str,
    summary: str,
    service_area: str,
    statutory_functions: list[str],
    level: str,
    nhs_partnered: bool | None = None,
) -> Initiative:
    capture.set_actor(db.session, actor.id)
    check_version(initiative, expected_version, INITIATIVE_CONFLICT)
    initiative.title = title.strip()
    initiative.summary = summary.strip()
    initiative.service_area = service_area.strip()
    initiative.statutory_functions = sorted(set(statutory_functions))
    initiative.level = Level(level)
    if nhs_partnered is not None:
        initiative.nhs_partnered = nhs_partnered
    capture.name_action(initiative, "initiative.updated")
    commit_or_conflict(INITIATIVE_CONFLICT)
    return initiative


def _not_future(day: date, message: str, field: str) -> None:
    if day > today():
        raise ServiceError(message, field)


def add_member(
    actor: User, initiative: Initiative, person: User, role: str, joined_on: date | None = None
) -> Membership:
    capture.set_actor(db.session, actor.id)
    if person.organisation_id != initiative.organisation_id or not person.active:
        raise ServiceError(N_("Choose a person from your organisation"), "user_id")
    joined_on = joined_on or today()
    _not_future(joined_on, N_("The date they joined must be today or in the past"), "joined_on")
    if membership_of(person, initiative) is not None:
        raise ServiceError(N_("%(name)s is already a member of this initiative"), "user_id", name=person.display_name)
    membership = Membership(
        organisation_id=initiative.organisation_id,
        user_id=person.id,
        role=MemberRole(role),
        side=queries.side_of(person),
        joined_on=joined_on,
        added_by_id=actor.id,
    )
    initiative.memberships.append(membership)
    capture.name_action(membership, "membership.joined")
    db.session.commit()
    _refresh_all(initiative, actor)
    return membership


def change_member_role(actor: User, initiative: Initiative, membership: Membership, role: str) -> Membership:
    """A new role is a new tenure: the old one ends today, so history says who held what when."""
    capture.set_actor(db.session, actor.id)
    if membership.left_on is not None:
        raise ServiceError(N_("This person has already left the initiative"))
    new_role = MemberRole(role)
    if membership.role == new_role:
        return membership
    membership.left_on = today()
    capture.name_action(membership, "membership.role_ended")
    successor = Membership(
        organisation_id=initiative.organisation_id,
        user_id=membership.user_id,
        role=new_role,
        side=membership.side,
        joined_on=today(),
        added_by_id=actor.id,
    )
    initiative.memberships.append(successor)
    capture.name_action(successor, "membership.role_changed")
    db.session.commit()
    _refresh_all(initiative, actor)
    return successor


def remove_member(actor: User, initiative: Initiative, membership: Membership) -> None:
    capture.set_actor(db.session, actor.id)
    if membership.left_on is not None:
        return
    membership.left_on = today()
    capture.name_action(membership, "membership.left")
    db.session.commit()
    _refresh_all(initiative, actor)


def set_tenure(
    actor: User, initiative: Initiative, membership: Membership, joined_on: date | None, left_on: date | None
) -> Membership:
    """Correct or backfill when someone held a role: councils start using the tracker part-way through."""
    capture.set_actor(db.session, actor.id)
    if joined_on is None:
        raise ServiceError(N_("Enter the date they joined"), "joined_on")
    _not_future(joined_on, N_("The date they joined must be today or in the past"), "joined_on")
    if left_on is not None:
        _not_future(left_on, N_("The date they left must be today or in the past"), "left_on")
        if left_on < joined_on:
            raise ServiceError(N_("The date they left cannot be before the date they joined"), "left_on")
    others = [m for m in initiative.memberships if m.user_id == membership.user_id and m.id != membership.id]
    for other in others:
        other_end = other.left_on or date.max
        if joined_on <= other_end and other.joined_on <= (left_on or date.max):
            raise ServiceError(
                N_("These dates overlap another role %(name)s has here, from %(date)s to %(end)s")
                if other.left_on
                else N_("These dates overlap another role %(name)s has here, from %(date)s"),
                "joined_on",
                name=membership.user.display_name,
                date=format_date(other.joined_on),
                end=format_date(other.left_on),
            )
    membership.joined_on = joined_on
    membership.left_on = left_on
    capture.name_action(membership, "membership.dates_changed")
    db.session.commit()
    _refresh_all(initiative, actor)
    return membership


def set_stage_dates(actor: User, stage: Stage, opened_on: date | None, closed_on: date | None) -> Stage:
    """Record when a stage really started and finished, for work done before the tracker was used."""
    capture.set_actor(db.session, actor.id)
    if stage.status == StageStatus.NOT_STARTED:
        raise ServiceError(N_("This stage has not started yet"), "opened_on")
    if opened_on is None:
        raise ServiceError(N_("Enter the date the stage started"), "opened_on")
    _not_future(opened_on, N_("The date the stage started must be today or in the past"), "opened_on")
    if stage.status != StageStatus.COMPLETE and closed_on is not None:
        raise ServiceError(N_("Only a stage that has been signed off can have a finish date"), "closed_on")
    if stage.status == StageStatus.COMPLETE and closed_on is None:
        raise ServiceError(N_("Enter the date the stage finished"), "closed_on")
    if closed_on is not None:
        _not_future(closed_on, N_("The date the stage finished must be today or in the past"), "closed_on")
        if closed_on < opened_on:
            raise ServiceError(N_("The date the stage finished cannot be before the date it started"), "closed_on")
    stage.opened_on = opened_on
    stage.closed_on = closed_on
    capture.name_action(stage, "stage.dates_changed")
    db.session.commit()
    return stage


def attach_invitation(token, user: User) -> None:
    """Invitation hook: a person invited into an initiative joins it when they accept."""
    if token.initiative_id is None:
        return
    initiative = queries.get_initiative(token.initiative_id, token.organisation_id)
    if initiative is None or initiative.closed_on is not None or membership_of(user, initiative):
        return
    membership = Membership(
        organisation_id=initiative.organisation_id,
        user_id=user.id,
        role=MemberRole(token.initiative_role or MemberRole.MEMBER.value),
        side=queries.side_of(user),
        joined_on=today(),
        added_by_id=token.created_by_id,
    )
    initiative.memberships.append(membership)
    capture.set_actor(db.session, user.id)
    capture.name_action(membership, "membership.joined", invitation_id=token.id)
    db.session.commit()
    # A new co-lead can be the last thing a gate was waiting for.
    _refresh_all(initiative, user)


def sign_off(actor: User, stage: Stage, decision: str, comment: str) -> SignOff:
    capture.set_actor(db.session, actor.id)
    initiative = stage.initiative
    membership = membership_of(actor, initiative)
    if membership is None:
        raise ServiceError(N_("Only members of the initiative can sign off a stage"))
    if not stage.is_open:
        raise ServiceError(N_("This stage is not open for sign-off"))
    choice = SignOffDecision(decision)
    if choice == SignOffDecision.DISSENT and not comment.strip():
        raise ServiceError(N_("Explain why you disagree, so others can understand and respond"), "comment")
    if choice == SignOffDecision.APPROVE and stage.status != StageStatus.AWAITING_SIGNOFF:
        # Name what the gate is actually waiting for, so people know what to do next.
        refused = refusal(_gate(stage))
        if refused is None:
            raise ServiceError(N_("This stage is not ready to be approved"), "decision")
        raise ServiceError(refused, "decision")
    existing = [s for s in stage.sign_offs if s.user_id == actor.id and s.round == stage.round]
    changed_at = stage.activities_changed_at
    still_current = existing and (changed_at is None or existing[-1].created_at >= changed_at)
    if still_current and existing[-1].decision == choice and existing[-1].comment == comment.strip():
        return existing[-1]
    record = SignOff(
        organisation_id=stage.organisation_id,
        user_id=actor.id,
        side=membership.side,
        decision=choice,
        comment=comment.strip(),
        round=stage.round,
    )
    stage.sign_offs.append(record)
    capture.name_action(
        record,
        "stage.signed_off" if choice == SignOffDecision.APPROVE else "stage.dissent_recorded",
        stage=stage.kind.value,
    )
    db.session.flush()
    refresh_stage(stage)
    db.session.commit()
    return record


def reopen(actor: User, stage: Stage, reason: str) -> None:
    capture.set_actor(db.session, actor.id)
    if stage.status != StageStatus.COMPLETE:
        raise ServiceError(N_("Only a completed stage can be reopened"))
    if not reason.strip():
        raise ServiceError(N_("Give a reason for reopening this stage"), "reason")
    initiative = stage.initiative
    stage.status = StageStatus.IN_PROGRESS
    stage.closed_on = None
    stage.round += 1
    stage.reopenings.append(
        StageReopening(organisation_id=stage.organisation_id, user_id=actor.id, reason=reason.strip())
    )
    capture.name_action(stage, "stage.reopened", stage=stage.kind.value)
    initiative.current_stage = stage.kind
    if initiative.closed_on is not None:
        initiative.closed_on = None
        capture.name_action(initiative, "initiative.reopened")
    db.session.flush()
    refresh_stage(stage)
    db.session.commit()


def refresh_stage(stage: Stage) -> None:
    """Recompute a stage's status from its gate; close it and open the next when the gate is met.

    Called inside the caller's transaction, after a write that could change the gate.
    """
    if stage.status in (StageStatus.NOT_STARTED, StageStatus.COMPLETE):
        return
    initiative = stage.initiative
    gate = _gate(stage)
    if gate.met:
        stage.status = StageStatus.COMPLETE
        stage.closed_on = today()
        capture.name_action(stage, "stage.completed", stage=stage.kind.value)
        _open_next(initiative)
    else:
        new_status = StageStatus.AWAITING_SIGNOFF if gate.ready_for_sign_off else StageStatus.IN_PROGRESS
        if stage.status != new_status:
            stage.status = new_status


def _gate(stage: Stage) -> Gate:
    initiative = stage.initiative
    attendance = queries.stage_attendance_facts(initiative, stage)
    return queries.gate_for(stage, queries.member_facts(initiative), attendance)


def _open_next(initiative: Initiative) -> None:
    for stage in initiative.stages:
        if stage.status != StageStatus.COMPLETE:
            if stage.status == StageStatus.NOT_STARTED:
                stage.status = StageStatus.IN_PROGRESS
                stage.opened_on = today()
                capture.name_action(stage, "stage.opened", stage=stage.kind.value)
            initiative.current_stage = stage.kind
            return
    initiative.current_stage = None
    initiative.closed_on = today()
    capture.name_action(initiative, "initiative.closed")


def _refresh_all(initiative: Initiative, actor: User) -> None:
    capture.set_actor(db.session, actor.id)
    for stage in initiative.stages:
        refresh_stage(stage)
    # Always commit: it ends the actor set above (a skipped commit left it to misattribute the session's
    # next write) and keeps any change an autoflush already sent.
    db.session.commit()


def candidates_to_add(initiative: Initiative) -> list[User]:
    current = {m.user_id for m in initiative.memberships if m.left_on is None}
    people = db.session.scalars(
        sa.select(User)
        .where(User.organisation_id == initiative.organisation_id, User.active.is_(True))
        .order_by(User.display_name)
    )
    return [p for p in people if p.id not in current]


def get_membership(initiative: Initiative, membership_id: int) -> Membership | None:
    membership = get_scoped(Membership, membership_id, initiative.organisation_id)
    return membership if membership and membership.initiative_id == initiative.id else None
