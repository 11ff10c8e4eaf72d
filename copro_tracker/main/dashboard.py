"""What each person sees first: built from what exists, never placeholders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..auth.service import pending_invitations
from ..codes import OrgRole
from ..domain.gates import AttendanceFact, Gate
from ..domain.people import is_citizen_partner
from ..extensions import db
from ..initiatives.queries import gate_for, member_facts
from ..models import (
    AccountToken,
    Activity,
    Attendance,
    Initiative,
    Membership,
    Stage,
    User,
)
from ..permissions import STAFF
from ..tenancy import scoped
from ..waiting import WAITING_KINDS, waiting_queries
from ..web.paging import Paging, paging


@dataclass
class InitiativeRow:
    initiative: Initiative
    stage: Stage | None
    gate: Gate | None


# Items of each dashboard list shown at a time; the rest are a page away (GOV.UK pagination).
WAITING_PAGE_SIZE = 10
INITIATIVES_PAGE_SIZE = 10


@dataclass(frozen=True)
class WaitingItem:
    """One thing waiting for the person, with just what its line on the dashboard shows."""

    kind: str  # one of WAITING_KINDS
    initiative_id: int
    initiative_title: str
    item_id: int  # the stage, activity or recommendation
    text: str  # activity title or recommendation text ("" for a sign-off)
    day: date | None  # when the activity happened, or when the review was due
    stage_kind: str | None  # for a sign-off


@dataclass
class Waiting:
    """One page of what is waiting for this person (kinds in WAITING_KINDS order) and how much there is."""

    items: list[WaitingItem] = field(default_factory=list)
    page: Paging = field(default_factory=lambda: Paging(1, WAITING_PAGE_SIZE, 0))

    @property
    def total(self) -> int:
        return self.page.total


@dataclass
class DashboardSummary:
    role: OrgRole
    organisation_name: str
    member_counts: dict[str, int] = field(default_factory=dict)
    pending_invitations: list[AccountToken] = field(default_factory=list)
    needs_recorded: bool = True
    initiatives: list[InitiativeRow] = field(default_factory=list)
    initiatives_page: Paging = field(default_factory=lambda: Paging(1, INITIATIVES_PAGE_SIZE, 0))
    waiting: Waiting = field(default_factory=Waiting)


def summary_for(user: User) -> DashboardSummary:
    """Everything the dashboard shows, one page of each list, in at most 12 statements with the shell's."""
    summary = DashboardSummary(
        role=user.role, organisation_name=user.organisation.name, needs_recorded=user.needs_recorded
    )
    staff = user.role in STAFF
    waiting = waiting_queries(user, date.today())
    visible = _visible(user)
    # Every count the page needs in one round trip: the members by role, each waiting list, the initiatives.
    counts = [_count(stmt) for stmt in waiting]
    counts.append(_count(visible.with_only_columns(Initiative.id)))
    if staff:
        roles = list(OrgRole)
        counts += [
            sa.select(sa.func.count())
            .where(User.organisation_id == user.organisation_id, User.active.is_(True), User.role == role)
            .scalar_subquery()
            for role in roles
        ]
    totals = list(db.session.execute(sa.select(*counts)).one())
    waiting_totals, initiatives_total = totals[: len(WAITING_KINDS)], totals[len(WAITING_KINDS)]
    if staff:
        summary.member_counts = {
            str(role.value): count for role, count in zip(roles, totals[len(WAITING_KINDS) + 1 :], strict=True) if count
        }
        summary.pending_invitations = pending_invitations(user.organisation_id)
    summary.waiting = _waiting_page(waiting, waiting_totals)
    summary.initiatives_page = paging(initiatives_total, INITIATIVES_PAGE_SIZE, "initiatives_page")
    page = summary.initiatives_page
    initiatives = list(
        db.session.scalars(
            visible.options(
                selectinload(Initiative.memberships), selectinload(Initiative.stages).selectinload(Stage.sign_offs)
            )
            .limit(page.size)
            .offset(page.offset)
        )
    )
    summary.initiatives = _rows(initiatives)
    return summary


def _count(stmt: sa.Select) -> sa.ScalarSelect:
    """COUNT(*) of the rows `stmt` would return, as a subquery of the one counting statement."""
    rows = stmt.order_by(None).subquery()
    return sa.select(sa.func.count()).select_from(rows).scalar_subquery()


def _visible(user: User) -> sa.Select:
    """Citizen partners see the initiatives they belong to; staff see all of their organisation's."""
    stmt = scoped(Initiative, user.organisation_id).order_by(Initiative.created_at.desc(), Initiative.id.desc())
    if user.role not in STAFF:
        stmt = stmt.where(
            Initiative.id.in_(
                sa.select(Membership.initiative_id).where(Membership.user_id == user.id, Membership.left_on.is_(None))
            )
        )
    return stmt


def _attendance_by_stage(initiatives: list[Initiative]) -> dict[int, list[AttendanceFact]]:
    """Who contributed at each current stage (one query for all initiatives), judged as the gate judges."""
    current = [s.id for i in initiatives for s in i.stages if s.kind == i.current_stage]
    if not current:
        return {}
    sides: dict[tuple[int, int], list] = {}
    for initiative in initiatives:
        for membership in initiative.memberships:
            sides.setdefault((initiative.id, membership.user_id), []).append(membership.side)
    stmt = (
        sa.select(Activity.initiative_id, Activity.stage_id, Attendance.user_id, Attendance.guest_is_citizen, User.role)
        .join(Attendance, Attendance.activity_id == Activity.id)
        .outerjoin(User, User.id == Attendance.user_id)
        .where(Activity.stage_id.in_(current), Attendance.contributed.is_(True), Activity.withdrawn_at.is_(None))
        # One row per person per stage is all the gate needs, however many activities they came to.
        .distinct()
    )
    by_stage: dict[int, list[AttendanceFact]] = {}
    for initiative_id, stage_id, user_id, guest_is_citizen, role in db.session.execute(stmt):
        citizen = is_citizen_partner(sides.get((initiative_id, user_id), []), role, guest_is_citizen)
        by_stage.setdefault(stage_id, []).append(AttendanceFact(citizen, True))
    return by_stage


def _rows(initiatives: list[Initiative]) -> list[InitiativeRow]:
    attendance = _attendance_by_stage(initiatives)
    rows = []
    for initiative in initiatives:
        stage = next((s for s in initiative.stages if s.kind == initiative.current_stage), None)
        gate = None
        if stage is not None:
            gate = gate_for(stage, member_facts(initiative), attendance.get(stage.id, []))
        rows.append(InitiativeRow(initiative, stage, gate))
    return rows


def _waiting_page(queries: list[sa.Select], totals: list[int]) -> Waiting:
    """Cut one page out of the kinds laid end to end, in one statement whatever the page spans."""
    page = paging(sum(totals), WAITING_PAGE_SIZE, "waiting_page")
    waiting = Waiting(page=page)
    parts = []
    for position, stmt in enumerate(queries):
        inner = stmt.subquery()
        parts.append(sa.select(sa.literal(position).label("kind"), *inner.c))
    union = sa.union_all(*parts).subquery()
    columns = list(union.c)
    rows = db.session.execute(
        sa.select(*columns).order_by(columns[0], columns[-1]).limit(page.size).offset(page.offset)
    )
    for row in rows:
        kind, initiative_id, title, item_id, text, day, stage_kind, _rank = row
        waiting.items.append(
            WaitingItem(
                WAITING_KINDS[kind],
                initiative_id,
                title,
                item_id,
                text or "",
                _as_date(day),
                getattr(stage_kind, "value", stage_kind),
            )
        )
    return waiting


def _as_date(value: object) -> date | None:
    """Dates from a UNION come back as text on SQLite (the column has no single declared type there)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
