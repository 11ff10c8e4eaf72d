"""What each person sees first: built from what exists, never placeholders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import Over, UnaryExpression

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
from ..waiting import WAITING_KINDS, waiting_items, waiting_queries
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
    today = date.today()
    waiting = waiting_queries(user, today)
    visible = _visible(user)
    # Every count the page needs in one round trip: the members by role, each waiting list, the initiatives.
    # The waiting lists are counted by their item ids alone: counting the ranked rows made the database rank
    # (sort) every row first.
    counts = [_count(stmt) for stmt in waiting_items(user, today, waiting)]
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
    parts, start = [], 0
    for position, (stmt, total) in enumerate(zip(queries, totals, strict=True)):
        # The part of this kind's rows (they start at `start` in the whole list) that falls on the page.
        skip = max(page.offset - start, 0)
        take = min(page.offset + page.size - start, total) - skip
        if take > 0:
            parts.append(_slice(position, stmt, skip, take))
        start += total
    if not parts:  # nothing waiting: the statement still runs (LIMIT 0), so the page's cost stays the same
        parts.append(_slice(0, queries[0], 0, 0))
    union = sa.union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    columns = list(union.c)
    for row in db.session.execute(sa.select(*columns).order_by(columns[0], columns[-1])):
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


def _slice(position: int, stmt: sa.Select, skip: int, take: int) -> sa.Select:
    """Rows skip+1 to skip+take of one kind, in its display order, ranked among themselves.

    Each waiting query ranks every row it finds with row_number() OVER (its display order). Ordering the
    union by that rank made SQLite sort every row of every kind before keeping ten (40 ms for a commissioner
    with 3,500 unrated attendances at council scale, against 1 ms for the same ten by ORDER BY ... LIMIT).
    So the kind's own order and LIMIT pick the rows here (a top-N sort), and only those few are ranked."""
    *columns, rank = stmt.selected_columns
    over = rank if isinstance(rank, Over) else rank.element  # row_number() OVER (ORDER BY keys), maybe labelled
    keys = list(over.order_by)
    bases, descending = [], []
    for key in keys:
        desc = isinstance(key, UnaryExpression) and key.modifier is operators.desc_op
        bases.append(key.element if desc else key)
        descending.append(desc)
    labelled = [base.label(f"order_{n}") for n, base in enumerate(bases)]
    inner = (
        stmt.with_only_columns(*columns, *labelled, maintain_column_froms=True)
        .order_by(*keys)
        .limit(take)
        .offset(skip)
        .subquery()
    )
    shown = list(inner.c)[: len(columns)]
    order = [inner.c[f"order_{n}"].desc() if desc else inner.c[f"order_{n}"] for n, desc in enumerate(descending)]
    return sa.select(sa.literal(position).label("kind"), *shown, sa.func.row_number().over(order_by=order))


def _as_date(value: object) -> date | None:
    """Dates from a UNION come back as text on SQLite (the column has no single declared type there)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
