"""What is waiting for a person: the one definition, used by the dashboard's "Waiting for you" and by the
daily notifications job (notifications/due.py), so a reminder is sent for exactly what the dashboard lists.

Each kind is a query of the same columns, so the dashboard can lay them end to end in one UNION ALL and
page through them; the notifications job runs them as they are. The same queries, cut down to the item's id
(`waiting_items`), say whether a notification made earlier still waits (notifications/due.py still_waits):
asked of a `Person` made of a person row's columns, that check rides inside another statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from .activities.queries import overdue_reviews_clause
from .codes import MemberRole, SignOffDecision, StageStatus
from .models import Activity, Attendance, Initiative, Membership, Recommendation, SignOff, Stage, User
from .permissions import STAFF

WAITING_KINDS = ("sign_offs", "confirmations", "overdue_reviews", "ratings")
# The id of the item each kind's rows are about (WAITING_KINDS order).
WAITING_ITEMS = (Stage.id, Activity.id, Recommendation.id, Activity.id)


@dataclass(frozen=True)
class Person:
    """Whom the rule is asked about: one person's values (`person_of`), or a person row's columns
    (`PERSON_COLUMNS`) so the queries correlate with the statement they are put inside."""

    id: Any
    organisation_id: Any
    staff: Any  # True or False for one person; a SQL condition for the columns
    # What the item queries correlate with when put inside another statement: only the person row, never
    # that statement's own initiatives, stages or activities (None: nothing, the person is given by value).
    correlate: Any = None


def person_of(user: User | Person) -> Person:
    if isinstance(user, Person):
        return user
    return Person(user.id, user.organisation_id, user.role in STAFF)


PERSON_COLUMNS = Person(User.id, User.organisation_id, User.role.in_(sorted(STAFF)), correlate=User)


def _outer(who: Person, *enclosing: Any) -> tuple[Any, ...]:
    """What a nested subquery correlates with: its enclosing query's tables and, when the person is a row's
    columns, that row (auto-correlation reaches only the nearest enclosing query, not the person row two or
    three levels out, and would otherwise add the person table to the subquery's FROM)."""
    return (*enclosing, who.correlate) if who.correlate is not None else enclosing


def waiting_items(user: User | Person, today: date, queries: list[sa.Select] | None = None) -> list[sa.Select]:
    """Per kind (WAITING_KINDS order), the ids of the items waiting for the person: the same queries as the
    dashboard's, keeping only the item's id (to put inside another statement). `queries`: the person's
    `waiting_queries` when the caller has built them already (building them is most of the cost)."""
    who = person_of(user)
    return [
        stmt.with_only_columns(item, maintain_column_froms=True).correlate(who.correlate)
        for stmt, item in zip(queries or waiting_queries(who, today), WAITING_ITEMS, strict=True)
    ]


def waiting_queries(user: User | Person, today: date) -> list[sa.Select]:
    """Per kind of waiting item (WAITING_KINDS order), the rows as WaitingItem columns plus `rank`, the
    item's place in that kind's display order, so the kinds can be laid end to end in one UNION ALL."""
    user = person_of(user)
    # A stage waits for everyone whose view is still needed: anyone whose latest view this round is not an approval
    # given after its activities last changed. Disagreeing does not take it off their list; the stage still needs
    # them until it closes.
    later = aliased(SignOff)
    replaced = (
        sa.select(later.id)
        .where(later.stage_id == SignOff.stage_id, later.user_id == SignOff.user_id, later.round == SignOff.round)
        .where(later.id > SignOff.id)
        .exists()
    )
    approved = (
        sa.select(SignOff.id)
        .where(
            SignOff.stage_id == Stage.id,
            SignOff.user_id == user.id,
            SignOff.round == Stage.round,
            SignOff.decision == SignOffDecision.APPROVE,
            sa.or_(Stage.activities_changed_at.is_(None), SignOff.created_at >= Stage.activities_changed_at),
            ~replaced,
        )
        .correlate(*_outer(user, Stage))
        .exists()
    )
    sign_offs = (
        sa.select(
            Initiative.id,
            Initiative.title,
            Stage.id,
            sa.literal(""),
            sa.cast(sa.null(), sa.Date),
            sa.cast(Stage.kind, sa.String),
            sa.func.row_number().over(order_by=(Initiative.created_at.desc(), Initiative.id.desc(), Stage.position)),
        )
        .join(Stage, Stage.initiative_id == Initiative.id)
        .join(Membership, Membership.initiative_id == Initiative.id)
        .where(
            Initiative.organisation_id == user.organisation_id,
            Initiative.closed_on.is_(None),
            Membership.user_id == user.id,
            Membership.left_on.is_(None),
            Membership.role != MemberRole.OBSERVER,
            Stage.status == StageStatus.AWAITING_SIGNOFF,
            ~approved,
        )
    )

    def activities(order: tuple) -> sa.Select:
        return sa.select(
            Activity.initiative_id,
            Initiative.title,
            Activity.id,
            Activity.title,
            Activity.occurred_on,
            sa.cast(sa.null(), sa.String),
            sa.func.row_number().over(order_by=order),
        ).join(Initiative, Initiative.id == Activity.initiative_id)

    # A withdrawn activity (a mistake, or disposed of under a retention rule) asks nothing of anyone.
    confirmations = activities((Activity.occurred_on, Activity.id)).where(
        Activity.organisation_id == user.organisation_id,
        Activity.on_behalf_of_id == user.id,
        Activity.confirmed_at.is_(None),
        Activity.withdrawn_at.is_(None),
    )
    # Recommendations the person may respond to (permissions._leads): staff on any open initiative,
    # others where they are a current co-lead.
    overdue_reviews = (
        sa.select(
            Recommendation.initiative_id,
            Initiative.title,
            Recommendation.id,
            Recommendation.text,
            Recommendation.review_on,
            sa.cast(sa.null(), sa.String),
            sa.func.row_number().over(order_by=(Recommendation.review_on, Recommendation.id)),
        )
        .join(Initiative, Initiative.id == Recommendation.initiative_id)
        .where(
            Recommendation.organisation_id == user.organisation_id,
            Recommendation.withdrawn_at.is_(None),
            Initiative.closed_on.is_(None),
            overdue_reviews_clause(today),
        )
    )
    if user.staff is not True:
        co_lead = (
            sa.select(Membership.initiative_id)
            .where(Membership.user_id == user.id, Membership.left_on.is_(None), Membership.role == MemberRole.CO_LEAD)
            .correlate(*_outer(user))
        )
        leads = Recommendation.initiative_id.in_(co_lead)
        overdue_reviews = overdue_reviews.where(leads if user.staff is False else sa.or_(user.staff, leads))
    ratings = (
        activities((Activity.occurred_on.desc(), Activity.id))
        .join(Attendance, Attendance.activity_id == Activity.id)
        .where(
            Activity.organisation_id == user.organisation_id,
            Attendance.user_id == user.id,
            Attendance.ladder_rating.is_(None),
            Activity.withdrawn_at.is_(None),
        )
    )
    return [sign_offs, confirmations, overdue_reviews, ratings]
