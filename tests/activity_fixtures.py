"""Factories for the activities tests: an initiative with both co-leads, activities, attendance and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from conftest import make_user

from copro_tracker.codes import ActivityKind, OrgRole, Position
from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import Activity, Attendance, AuditEvent, Decision, DecisionPosition, Initiative, User


@dataclass
class Team:
    initiative: Initiative
    commissioner: User
    partner: User
    observer: User
    nonmember: User


def make_team(org, commissioner: User, partner: User) -> Team:
    initiative = initiatives.create(
        commissioner,
        title="Redesigning day opportunities",
        summary="With people with learning disabilities",
        service_area="Day opportunities",
        statutory_functions=["prevention"],
        level="collective",
    )
    initiatives.add_member(commissioner, initiative, partner, "co_lead")
    observer = make_user(org, OrgRole.CITIZEN_PARTNER, name="Olive Observer")
    initiatives.add_member(commissioner, initiative, observer, "observer")
    nonmember = make_user(org, OrgRole.CITIZEN_PARTNER, name="Nora Nonmember")
    return Team(db.session.get(Initiative, initiative.id), commissioner, partner, observer, nonmember)


@pytest.fixture(name="team")
def team_fixture(org, commissioner, partner) -> Team:
    partner.communication_needs = ["easy_read", "extra_time"]
    db.session.commit()
    return make_team(org, commissioner, partner)


def make_activity(
    team: Team,
    *,
    people: list[User] | None = None,
    contributed: bool = True,
    title: str = "Workshop at the day centre",
    on_behalf_of: User | None = None,
    stage=None,
) -> Activity:
    initiative = db.session.get(Initiative, team.initiative.id)
    stage = stage or initiative.stages[0]
    activity = Activity(
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        stage_id=stage.id,
        kind=ActivityKind.WORKSHOP,
        occurred_on=date(2025, 3, 27),
        title=title,
        notes="We talked about what a good day looks like.",
        recorded_by_id=team.commissioner.id,
        on_behalf_of_id=on_behalf_of.id if on_behalf_of else None,
    )
    db.session.add(activity)
    db.session.flush()
    for person in people if people is not None else [team.commissioner, team.partner]:
        db.session.add(
            Attendance(
                organisation_id=initiative.organisation_id,
                activity_id=activity.id,
                user_id=person.id,
                contributed=contributed,
                adjustments_requested=list(person.communication_needs or []),
                adjustments_provided=[],
            )
        )
    db.session.commit()
    return activity


def make_decision(activity: Activity, positions: dict[User, Position] | None = None) -> Decision:
    decision = Decision(
        organisation_id=activity.organisation_id,
        activity_id=activity.id,
        what="Open on Saturdays",
        recorded_by_id=activity.recorded_by_id,
    )
    db.session.add(decision)
    db.session.flush()
    for person, position in (positions or {}).items():
        db.session.add(
            DecisionPosition(
                organisation_id=activity.organisation_id, decision_id=decision.id, user_id=person.id, position=position
            )
        )
    db.session.commit()
    return decision


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.organisation_id, AuditEvent.seq)))


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


class QueryCounter:
    """Counts SQL statements sent by the app (a before_cursor_execute listener on db.engine)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __enter__(self) -> QueryCounter:
        sa.event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc) -> None:
        sa.event.remove(db.engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "PRAGMA")):
            self.statements.append(statement)

    @property
    def n(self) -> int:
        return len(self.statements)
