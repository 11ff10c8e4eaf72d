"""What each person sees first: built from what exists, never placeholders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from ..auth.service import pending_invitations
from ..codes import MemberRole, OrgRole, StageStatus
from ..extensions import db
from ..initiatives.gates import AttendanceFact, Gate, MemberFact, SignOffFact, evaluate_gate
from ..models import AccountToken, Activity, Attendance, Initiative, Membership, Recommendation, Stage, User
from ..permissions import STAFF, can, membership_of
from ..tenancy import scoped


@dataclass
class InitiativeRow:
    initiative: Initiative
    stage: Stage | None
    gate: Gate | None


@dataclass
class Waiting:
    """What is waiting for this person. Each list is built in one query, whatever its size."""

    sign_offs: list[tuple[Initiative, Stage]] = field(default_factory=list)
    confirmations: list[Activity] = field(default_factory=list)
    overdue_reviews: list[Recommendation] = field(default_factory=list)
    ratings: list[Activity] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.sign_offs) + len(self.confirmations) + len(self.overdue_reviews) + len(self.ratings)


@dataclass
class DashboardSummary:
    role: OrgRole
    organisation_name: str
    member_counts: dict[str, int] = field(default_factory=dict)
    pending_invitations: list[AccountToken] = field(default_factory=list)
    needs_recorded: bool = True
    initiatives: list[InitiativeRow] = field(default_factory=list)
    waiting: Waiting = field(default_factory=Waiting)


def summary_for(user: User) -> DashboardSummary:
    summary = DashboardSummary(
        role=user.role, organisation_name=user.organisation.name, needs_recorded=user.needs_recorded
    )
    if user.role in (OrgRole.ADMIN, OrgRole.COMMISSIONER):
        rows = db.session.execute(
            sa.select(User.role, sa.func.count())
            .where(User.organisation_id == user.organisation_id, User.active.is_(True))
            .group_by(User.role)
        )
        summary.member_counts = {str(role.value): count for role, count in rows}
        summary.pending_invitations = pending_invitations(user.organisation_id)
    initiatives = _initiatives(user)
    summary.initiatives = _rows(initiatives)
    summary.waiting = _waiting(user, initiatives)
    return summary


def _initiatives(user: User) -> list[Initiative]:
    """Citizen partners see the initiatives they belong to; staff see all of their organisation's."""
    stmt = (
        scoped(Initiative, user.organisation_id)
        .options(selectinload(Initiative.memberships), selectinload(Initiative.stages).selectinload(Stage.sign_offs))
        .order_by(Initiative.created_at.desc(), Initiative.id.desc())
    )
    if user.role not in STAFF:
        stmt = stmt.where(
            Initiative.id.in_(
                sa.select(Membership.initiative_id).where(Membership.user_id == user.id, Membership.left_on.is_(None))
            )
        )
    return list(db.session.scalars(stmt))


def _stages_with_evidence(initiatives: list[Initiative]) -> set[int]:
    """Stages where a citizen partner attended and contributed (one query for all initiatives)."""
    if not initiatives:
        return set()
    citizen = sa.or_(
        User.role == OrgRole.CITIZEN_PARTNER, sa.and_(Attendance.user_id.is_(None), Attendance.guest_is_citizen)
    )
    stmt = (
        sa.select(Activity.stage_id)
        .join(Attendance, Attendance.activity_id == Activity.id)
        .outerjoin(User, User.id == Attendance.user_id)
        .where(Activity.initiative_id.in_([i.id for i in initiatives]), Attendance.contributed.is_(True), citizen)
        .distinct()
    )
    return set(db.session.scalars(stmt))


def _rows(initiatives: list[Initiative]) -> list[InitiativeRow]:
    evidence = _stages_with_evidence(initiatives)
    rows = []
    for initiative in initiatives:
        stage = next((s for s in initiative.stages if s.kind == initiative.current_stage), None)
        gate = None
        if stage is not None:
            members = [MemberFact(m.user_id, m.side, m.role, m.left_on is None) for m in initiative.memberships]
            attendance = [AttendanceFact(True, True)] if stage.id in evidence else []
            sign_offs = [SignOffFact(s.user_id, s.side, s.decision, s.round) for s in stage.sign_offs]
            gate = evaluate_gate(stage.kind, stage.round, members, attendance, sign_offs)
        rows.append(InitiativeRow(initiative, stage, gate))
    return rows


def _waiting(user: User, initiatives: list[Initiative]) -> Waiting:
    waiting = Waiting()
    for initiative in initiatives:
        membership = membership_of(user, initiative)
        if membership is None or membership.role == MemberRole.OBSERVER or initiative.closed_on is not None:
            continue
        for stage in initiative.stages:
            signed = any(s.user_id == user.id and s.round == stage.round for s in stage.sign_offs)
            if stage.status == StageStatus.AWAITING_SIGNOFF and not signed:
                waiting.sign_offs.append((initiative, stage))
    waiting.confirmations = list(
        db.session.scalars(
            scoped(Activity, user.organisation_id, Activity.on_behalf_of_id == user.id, Activity.confirmed_at.is_(None))
            .options(joinedload(Activity.initiative))
            .order_by(Activity.occurred_on, Activity.id)
        )
    )
    leads = [i.id for i in initiatives if can(user, "recommendation.respond", i)]
    if leads:
        waiting.overdue_reviews = list(
            db.session.scalars(
                scoped(
                    Recommendation,
                    user.organisation_id,
                    Recommendation.initiative_id.in_(leads),
                    Recommendation.review_on < date.today(),
                    sa.func.coalesce(Recommendation.action_taken, "") == "",
                )
                .options(joinedload(Recommendation.initiative))
                .order_by(Recommendation.review_on, Recommendation.id)
            )
        )
    waiting.ratings = list(
        db.session.scalars(
            scoped(Activity, user.organisation_id)
            .join(Attendance, Attendance.activity_id == Activity.id)
            .where(Attendance.user_id == user.id, Attendance.ladder_rating.is_(None))
            .options(joinedload(Activity.initiative))
            .order_by(Activity.occurred_on.desc(), Activity.id)
        )
    )
    return waiting
