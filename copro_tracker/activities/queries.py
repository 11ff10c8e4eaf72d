"""Loading activities, decisions, recommendations and evidence for pages in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from ..codes import Side
from ..domain.follow_through import review_overdue
from ..domain.people import side_in_initiative
from ..extensions import db
from ..models import (
    Activity,
    Attendance,
    Decision,
    DecisionPosition,
    Evidence,
    Initiative,
    Membership,
    Recommendation,
    Stage,
)
from ..tenancy import scoped

# A spread this wide between two people's ratings is shown as "Different views".
# TLAP asks partners to rate independently so disagreement with officers shows: one rung is a difference.
DIFFERENT_VIEWS_SPREAD = 1


def get_initiative(initiative_id: int, organisation_id: int) -> Initiative | None:
    """The initiative with its stages (joined: there are three) and its members (for permissions and
    sides): two queries."""
    stmt = scoped(Initiative, organisation_id, Initiative.id == initiative_id).options(
        joinedload(Initiative.stages),
        selectinload(Initiative.memberships).joinedload(Membership.user),
    )
    return db.session.execute(stmt).unique().scalar_one_or_none()


def get_activity(initiative: Initiative, activity_id: int) -> Activity | None:
    stmt = scoped(
        Activity,
        initiative.organisation_id,
        Activity.id == activity_id,
        Activity.initiative_id == initiative.id,
        Activity.withdrawn_at.is_(None),
    ).options(
        joinedload(Activity.recorded_by),
        joinedload(Activity.on_behalf_of),
        selectinload(Activity.attendances).joinedload(Attendance.user),
        selectinload(Activity.decisions).selectinload(Decision.positions).joinedload(DecisionPosition.user),
    )
    return db.session.scalar(stmt)


def get_decision(initiative: Initiative, decision_id: int) -> Decision | None:
    stmt = (
        scoped(Decision, initiative.organisation_id, Decision.id == decision_id, Decision.withdrawn_at.is_(None))
        .join(Activity, Decision.activity_id == Activity.id)
        .where(Activity.initiative_id == initiative.id, Activity.withdrawn_at.is_(None))
        .options(
            selectinload(Decision.positions),
            joinedload(Decision.activity).selectinload(Activity.attendances).joinedload(Attendance.user),
        )
    )
    return db.session.scalar(stmt)


def evidence_for(initiative: Initiative, *criteria: sa.ColumnElement) -> list[Evidence]:
    stmt = (
        scoped(
            Evidence,
            initiative.organisation_id,
            Evidence.initiative_id == initiative.id,
            Evidence.withdrawn_at.is_(None),
            *criteria,
        )
        .options(joinedload(Evidence.uploaded_by))
        .order_by(Evidence.uploaded_at, Evidence.id)
    )
    return list(db.session.scalars(stmt))


def get_evidence(initiative: Initiative, evidence_id: int) -> Evidence | None:
    stmt = scoped(
        Evidence,
        initiative.organisation_id,
        Evidence.id == evidence_id,
        Evidence.initiative_id == initiative.id,
        Evidence.withdrawn_at.is_(None),
    )
    return db.session.scalar(stmt)


def activity_choices(initiative: Initiative) -> list[Activity]:
    stmt = scoped(
        Activity, initiative.organisation_id, Activity.initiative_id == initiative.id, Activity.withdrawn_at.is_(None)
    ).order_by(Activity.occurred_on, Activity.id)
    return list(db.session.scalars(stmt))


def recommendations_for(initiative: Initiative) -> list[Recommendation]:
    stmt = (
        scoped(
            Recommendation,
            initiative.organisation_id,
            Recommendation.initiative_id == initiative.id,
            Recommendation.withdrawn_at.is_(None),
        )
        .options(joinedload(Recommendation.made_by), joinedload(Recommendation.responded_by))
        .order_by(Recommendation.created_at, Recommendation.id)
    )
    return list(db.session.scalars(stmt))


def get_recommendation(initiative: Initiative, recommendation_id: int) -> Recommendation | None:
    stmt = scoped(
        Recommendation,
        initiative.organisation_id,
        Recommendation.id == recommendation_id,
        Recommendation.initiative_id == initiative.id,
        Recommendation.withdrawn_at.is_(None),
    )
    return db.session.scalar(stmt)


def is_overdue(recommendation: Recommendation, today: date) -> bool:
    return review_overdue(recommendation.review_on, recommendation.reviewed_on, today)


def overdue_reviews_clause(today: date) -> sa.ColumnElement[bool]:
    """``domain.follow_through.review_overdue`` as a WHERE clause, for lists built in SQL (the dashboard)."""
    return sa.and_(
        Recommendation.review_on.is_not(None),
        Recommendation.review_on < today,
        sa.or_(Recommendation.reviewed_on.is_(None), Recommendation.reviewed_on > today),
    )


def open_stages(initiative: Initiative) -> list[Stage]:
    """Stages an activity can be recorded in: the current stage and any stage still open."""
    return [s for s in initiative.stages if s.is_open or s.kind == initiative.current_stage]


def side_of_attendance(initiative: Initiative, attendance: Attendance) -> Side:
    sides = [m.side for m in initiative.memberships if m.user_id == attendance.user_id]
    role = attendance.user.role if attendance.user is not None else None
    return side_in_initiative(sides, role, attendance.guest_is_citizen)


@dataclass
class Ratings:
    commissioners: list[Attendance]
    partners: list[Attendance]

    @property
    def values(self) -> list[int]:
        return [a.ladder_rating for a in self.commissioners + self.partners if a.ladder_rating]

    @property
    def spread(self) -> int:
        return max(self.values) - min(self.values) if self.values else 0

    @property
    def different_views(self) -> bool:
        """The two sides' ratings differ (both sides have rated, and not everyone chose the same rung)."""
        return bool(self.commissioners and self.partners) and self.spread >= DIFFERENT_VIEWS_SPREAD


def ratings(initiative: Initiative, activity: Activity) -> Ratings:
    rated = [a for a in activity.attendances if a.user_id is not None and a.ladder_rating]
    return Ratings(
        commissioners=[a for a in rated if side_of_attendance(initiative, a) == Side.COMMISSIONER],
        partners=[a for a in rated if side_of_attendance(initiative, a) == Side.CITIZEN_PARTNER],
    )
