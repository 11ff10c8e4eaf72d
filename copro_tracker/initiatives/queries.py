"""Loading initiatives for pages in a fixed number of queries, whatever their size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from ..codes import ActivityKind, MemberRole, Side, SignOffDecision, StageKind
from ..domain.gates import AttendanceFact, Gate, MemberFact, SignOffFact, co_leads_missing, evaluate_gate
from ..domain.people import is_citizen_partner, side_for_role
from ..extensions import db
from ..models import Activity, Attendance, Initiative, Membership, Stage, User
from ..permissions import STAFF
from ..tenancy import scoped


def _with_members_and_stages(stmt: sa.Select) -> sa.Select:
    return stmt.options(
        selectinload(Initiative.memberships).selectinload(Membership.user),
        selectinload(Initiative.stages).selectinload(Stage.sign_offs),
        selectinload(Initiative.stages).selectinload(Stage.reopenings),
    )


def get_initiative(initiative_id: int, organisation_id: int) -> Initiative | None:
    stmt = _with_members_and_stages(scoped(Initiative, organisation_id, Initiative.id == initiative_id))
    return db.session.scalar(stmt)


def get_initiative_with_members(initiative_id: int, organisation_id: int) -> Initiative | None:
    """The initiative and its memberships only: all a permission check reads (pages that show no stages)."""
    # Joined, not a second SELECT: the report pages count every statement (DESIGN §10).
    stmt = scoped(Initiative, organisation_id, Initiative.id == initiative_id).options(
        joinedload(Initiative.memberships)
    )
    return db.session.execute(stmt).unique().scalar_one_or_none()


def visible_initiatives_stmt(user: User) -> sa.Select:
    """The initiatives `user` may see, newest first: staff see all of their organisation's, citizen
    partners those they are or were part of. Filters narrow this with further WHERE clauses."""
    stmt = scoped(Initiative, user.organisation_id).order_by(Initiative.created_at.desc(), Initiative.id.desc())
    if user.role not in STAFF:
        member_of = sa.select(Membership.initiative_id).where(Membership.user_id == user.id)
        stmt = stmt.where(Initiative.id.in_(member_of))
    return stmt


def _contains(column, text: str):
    """Case-insensitive "contains", with the person's own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def filter_initiatives(
    stmt: sa.Select, *, title: str = "", stage: str = "", service_area: str = "", co_lead_id: int | None = None
) -> sa.Select:
    """Narrow a visible_initiatives_stmt by what the list's search form asks for (each optional)."""
    if title.strip():
        stmt = stmt.where(_contains(Initiative.title, title.strip()))
    if stage == "closed":
        stmt = stmt.where(Initiative.closed_on.is_not(None))
    elif stage in {k.value for k in StageKind}:
        stmt = stmt.where(Initiative.current_stage == StageKind(stage), Initiative.closed_on.is_(None))
    if service_area.strip():
        stmt = stmt.where(_contains(Initiative.service_area, service_area.strip()))
    if co_lead_id is not None:
        leads = sa.select(Membership.initiative_id).where(
            Membership.user_id == co_lead_id, Membership.role == MemberRole.CO_LEAD, Membership.left_on.is_(None)
        )
        stmt = stmt.where(Initiative.id.in_(leads))
    return stmt


def co_lead_choices(user: User) -> list[tuple[int, str]]:
    """People who are a current co-lead of an initiative this person can see, for the list's filter."""
    visible = visible_initiatives_stmt(user).with_only_columns(Initiative.id).order_by(None)
    rows = db.session.execute(
        sa.select(User.id, User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            User.organisation_id == user.organisation_id,
            Membership.initiative_id.in_(visible),
            Membership.role == MemberRole.CO_LEAD,
            Membership.left_on.is_(None),
        )
        .distinct()
        .order_by(User.display_name, User.id)
    )
    return [(row.id, row.display_name) for row in rows]


def visible_initiatives(user: User) -> list[Initiative]:
    return list(db.session.scalars(_with_members_and_stages(visible_initiatives_stmt(user))))


@dataclass(frozen=True)
class ListedInitiative:
    """One row of the initiatives list: only what the list shows."""

    id: int
    title: str
    current_stage: StageKind | None
    closed_on: date | None
    current_members: int


def count_rows(stmt: sa.Select) -> int:
    return db.session.scalar(stmt.with_only_columns(sa.func.count()).order_by(None)) or 0


def initiatives_page(stmt: sa.Select, limit: int, offset: int) -> list[ListedInitiative]:
    """One page of `stmt` (a visible_initiatives_stmt, maybe filtered) with member counts, in one query."""
    members = (
        sa.select(sa.func.count())
        .where(Membership.initiative_id == Initiative.id, Membership.left_on.is_(None))
        .correlate(Initiative)
        .scalar_subquery()
    )
    rows = db.session.execute(
        stmt.with_only_columns(Initiative.id, Initiative.title, Initiative.current_stage, Initiative.closed_on, members)
        .limit(limit)
        .offset(offset)
    )
    return [ListedInitiative(*row) for row in rows]


def member_facts(initiative: Initiative) -> list[MemberFact]:
    return [MemberFact(m.user_id, m.side, m.role, m.left_on is None) for m in initiative.memberships]


def membership_sides(initiative: Initiative) -> dict[int, list[Side]]:
    """Each member's tenure sides, oldest first (memberships are loaded in that order)."""
    sides: dict[int, list[Side]] = {}
    for membership in initiative.memberships:
        sides.setdefault(membership.user_id, []).append(membership.side)
    return sides


def _contributor_rows(initiative: Initiative, where) -> sa.Select:
    """Each distinct contributing attendee of the initiative's live activities matching `where`: all a gate
    reads of attendance (only a citizen partner's contribution counts), not every activity's every row."""
    return (
        sa.select(Activity.stage_id, Attendance.user_id, User.role, Attendance.guest_is_citizen)
        .join(Activity, Activity.id == Attendance.activity_id)
        .outerjoin(User, User.id == Attendance.user_id)
        .where(
            where,
            Activity.organisation_id == initiative.organisation_id,
            Activity.withdrawn_at.is_(None),
            Attendance.contributed.is_(True),
        )
        .distinct()
    )


def stage_attendance_facts(initiative: Initiative, stage: Stage) -> list[AttendanceFact]:
    """The attendance facts the stage's gate needs, in one query."""
    return contributor_facts_by_stage(initiative, Activity.stage_id == stage.id).get(stage.id, [])


def contributor_facts_by_stage(initiative: Initiative, where=None) -> dict[int, list[AttendanceFact]]:
    """Attendance facts per stage id for the gates, in one query (by default every stage of the initiative)."""
    sides = membership_sides(initiative)
    where = Activity.initiative_id == initiative.id if where is None else where
    by_stage: dict[int, list[AttendanceFact]] = {}
    for stage_id, user_id, role, guest in db.session.execute(_contributor_rows(initiative, where)):
        by_stage.setdefault(stage_id, []).append(
            AttendanceFact(is_citizen_partner(sides.get(user_id, []), role, guest), True)
        )
    return by_stage


@dataclass(frozen=True)
class ActivityLine:
    """One activity's line in a stage's table on the overview: only what the line shows."""

    id: int
    stage_id: int
    title: str
    occurred_on: date
    kind: ActivityKind
    awaiting_confirmation: bool
    attended: int
    contributed: int


def activity_lines(initiative: Initiative) -> list[ActivityLine]:
    """The initiative's live activities, oldest first, with attendance counted by the database (one query):
    the overview shows counts, so it loads no attendance rows, people or decisions."""
    attended = (
        sa.select(sa.func.count(Attendance.id))
        .where(Attendance.activity_id == Activity.id)
        .correlate(Activity)
        .scalar_subquery()
    )
    contributed = (
        sa.select(sa.func.count(Attendance.id))
        .where(Attendance.activity_id == Activity.id, Attendance.contributed.is_(True))
        .correlate(Activity)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(
            Activity.id,
            Activity.stage_id,
            Activity.title,
            Activity.occurred_on,
            Activity.kind,
            sa.and_(Activity.on_behalf_of_id.is_not(None), Activity.confirmed_at.is_(None)),
            attended,
            contributed,
        )
        .where(
            Activity.initiative_id == initiative.id,
            Activity.organisation_id == initiative.organisation_id,
            Activity.withdrawn_at.is_(None),
        )
        .order_by(Activity.occurred_on, Activity.id)
    )
    return [ActivityLine(*row[:5], bool(row[5]), row[6] or 0, row[7] or 0) for row in rows]


def gate_for(stage: Stage, members: list[MemberFact], attendance: list[AttendanceFact]) -> Gate:
    sign_offs = [SignOffFact(s.user_id, s.side, s.decision, s.round, s.created_at) for s in stage.sign_offs]
    return evaluate_gate(stage.kind, stage.round, members, attendance, sign_offs, stage.activities_changed_at)


@dataclass
class StageView:
    stage: Stage
    gate: Gate
    activities: list[ActivityLine]


def stage_views(initiative: Initiative, activities: list[ActivityLine] | None = None) -> list[StageView]:
    """Each stage with its gate and, when given, its activities' lines (the sign-off page needs only gates)."""
    members = member_facts(initiative)
    attendance = contributor_facts_by_stage(initiative)
    activities = activities or []
    return [
        StageView(
            stage,
            gate_for(stage, members, attendance.get(stage.id, [])),
            [a for a in activities if a.stage_id == stage.id],
        )
        for stage in initiative.stages
    ]


@dataclass(frozen=True)
class NextStep:
    """What the initiative's open stage needs next, from where this person stands."""

    kind: str  # add_co_lead | record_activity | give_view | waiting
    view: StageView


def next_step(views: list[StageView], user_id: int, *, manage: bool, contribute: bool, sign: bool) -> NextStep | None:
    view = next((v for v in views if v.stage.is_open), None)
    if view is None:
        return None
    gate = view.gate
    if not gate.co_leads_met and manage:
        return NextStep("add_co_lead", view)
    if not gate.evidence_met and contribute:
        return NextStep("record_activity", view)
    mine = [s for s in view.stage.sign_offs if s.user_id == user_id and s.round == view.stage.round]
    latest = mine[-1] if mine else None
    approved = latest is not None and latest.decision == SignOffDecision.APPROVE
    approved = approved and user_id not in gate.approved_before_change
    if gate.ready_for_sign_off and sign and not approved:
        return NextStep("give_view", view)
    return NextStep("waiting", view)


def stage_by_kind(initiative: Initiative, kind: StageKind) -> Stage | None:
    return next((s for s in initiative.stages if s.kind == kind), None)


def side_of(user: User) -> Side:
    """The side a person joins an initiative on."""
    return side_for_role(user.role)


def missing_co_leads(initiative: Initiative) -> list[Side]:
    return co_leads_missing(member_facts(initiative))
