"""Reads for the payments pages: each page's items in one query, scoped to the organisation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..codes import PaymentStatus
from ..extensions import db
from ..models import Activity, Initiative, ReciprocityEntry, User
from ..tenancy import get_scoped

_WITH_PEOPLE = (
    selectinload(ReciprocityEntry.user),
    selectinload(ReciprocityEntry.activity),
    selectinload(ReciprocityEntry.approved_by),
)


def items_for_initiative(initiative: Initiative, only_user_id: int | None = None) -> list[ReciprocityEntry]:
    stmt = (
        sa.select(ReciprocityEntry)
        .where(
            ReciprocityEntry.initiative_id == initiative.id,
            ReciprocityEntry.organisation_id == initiative.organisation_id,
        )
        .options(*_WITH_PEOPLE)
        .order_by(ReciprocityEntry.occurred_on.desc(), ReciprocityEntry.id.desc())
    )
    if only_user_id is not None:
        stmt = stmt.where(ReciprocityEntry.user_id == only_user_id)
    return list(db.session.scalars(stmt))


def items_for_person(user: User) -> list[ReciprocityEntry]:
    return list(
        db.session.scalars(
            sa.select(ReciprocityEntry)
            .where(ReciprocityEntry.user_id == user.id, ReciprocityEntry.organisation_id == user.organisation_id)
            .options(*_WITH_PEOPLE, selectinload(ReciprocityEntry.initiative))
            .order_by(ReciprocityEntry.occurred_on.desc(), ReciprocityEntry.id.desc())
        )
    )


def get_item(initiative: Initiative, entry_id: int) -> ReciprocityEntry | None:
    entry = get_scoped(ReciprocityEntry, entry_id, initiative.organisation_id)
    return entry if entry is not None and entry.initiative_id == initiative.id else None


def finance_items(organisation_id: int, start: date, end: date) -> list[ReciprocityEntry]:
    """Approved items (by the day approved) and paid items (by the day paid) from ``start`` to ``end``."""
    after_end = datetime.combine(end + timedelta(days=1), time())
    return list(
        db.session.scalars(
            sa.select(ReciprocityEntry)
            .where(
                ReciprocityEntry.organisation_id == organisation_id,
                sa.or_(
                    sa.and_(
                        ReciprocityEntry.status == PaymentStatus.PAID,
                        ReciprocityEntry.paid_on >= start,
                        ReciprocityEntry.paid_on <= end,
                    ),
                    sa.and_(
                        ReciprocityEntry.status == PaymentStatus.APPROVED,
                        ReciprocityEntry.approved_at >= datetime.combine(start, time()),
                        ReciprocityEntry.approved_at < after_end,
                    ),
                ),
            )
            .options(*_WITH_PEOPLE, selectinload(ReciprocityEntry.initiative))
            .order_by(ReciprocityEntry.paid_on, ReciprocityEntry.approved_at, ReciprocityEntry.id)
        )
    )


def activities_of(initiative: Initiative) -> list[Activity]:
    return list(
        db.session.scalars(
            sa.select(Activity)
            .where(Activity.initiative_id == initiative.id, Activity.organisation_id == initiative.organisation_id)
            .order_by(Activity.occurred_on.desc(), Activity.id.desc())
        )
    )
