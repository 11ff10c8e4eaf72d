"""Factories for initiatives, shared by web, security and unit tests."""

from __future__ import annotations

from datetime import date

from copro_tracker.codes import ActivityKind, MemberRole, StageKind
from copro_tracker.extensions import db
from copro_tracker.initiatives import service
from copro_tracker.models import Activity, Attendance, Stage, User


def make_initiative(lead: User, partner_co_lead: User | None = None, title: str = "Redesigning day opportunities"):
    initiative = service.create(
        lead,
        title=title,
        summary="People with learning disabilities and the council redesign day services together.",
        service_area="Day opportunities",
        statutory_functions=["prevention", "market_shaping"],
        level="collective",
    )
    if partner_co_lead is not None:
        service.add_member(lead, initiative, partner_co_lead, MemberRole.CO_LEAD.value)
    return initiative


def stage_of(initiative, kind: StageKind = StageKind.DESIGN) -> Stage:
    return next(s for s in initiative.stages if s.kind == kind)


def add_activity(
    initiative, recorder: User, attendees: list[User], kind: StageKind = StageKind.DESIGN, contributed: bool = True
) -> Activity:
    """Set-up helper: writes rows directly (the activities service has its own tests)."""
    stage = stage_of(initiative, kind)
    activity = Activity(
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        stage_id=stage.id,
        kind=ActivityKind.WORKSHOP,
        occurred_on=date(2026, 10, 1),
        title="Co-design workshop",
        recorded_by_id=recorder.id,
    )
    for person in attendees:
        activity.attendances.append(
            Attendance(organisation_id=initiative.organisation_id, user_id=person.id, contributed=contributed)
        )
    db.session.add(activity)
    db.session.flush()
    service.refresh_stage(stage)
    db.session.commit()
    return activity
