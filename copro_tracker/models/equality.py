"""Equality monitoring: each person's own answers, kept apart from their profile, the groups an organisation
asks about, and the reference figures participation is compared with.

The answers are special category data. Each answer column is marked `secret`, so the audit trail records
that an answer changed and never what it was (not even as an erasable value); the person reads their own
answers, and everyone else sees only suppressed counts (domain/equality.py).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..codes import (
    AgeBand,
    CarerStatus,
    Disability,
    EqualityQuestion,
    Ethnicity,
    GenderSameAsBirth,
    Religion,
    Sex,
    SexualOrientation,
)
from ..extensions import db
from .organisation import _enum, utcnow

# An answer's value never enters the audit payload: only that it changed (audit/capture._is_secret).
_SECRET = {"secret": True}


class EqualityAnswers(db.Model):
    """One person's answers; None is "not answered". Only they read it (permissions `equality.answers`)."""

    __tablename__ = "equality_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), unique=True)
    age_band: Mapped[AgeBand | None] = mapped_column(_enum(AgeBand), info=_SECRET)
    disability: Mapped[Disability | None] = mapped_column(_enum(Disability), info=_SECRET)
    ethnicity: Mapped[Ethnicity | None] = mapped_column(_enum(Ethnicity), info=_SECRET)
    sex: Mapped[Sex | None] = mapped_column(_enum(Sex), info=_SECRET)
    gender_same_as_birth: Mapped[GenderSameAsBirth | None] = mapped_column(_enum(GenderSameAsBirth), info=_SECRET)
    religion: Mapped[Religion | None] = mapped_column(_enum(Religion), info=_SECRET)
    sexual_orientation: Mapped[SexualOrientation | None] = mapped_column(_enum(SexualOrientation), info=_SECRET)
    carer: Mapped[CarerStatus | None] = mapped_column(_enum(CarerStatus), info=_SECRET)
    # Ids of the organisation's seldom-heard groups ticked (as text), or ["none"], or ["prefer_not_to_say"].
    seldom_heard: Mapped[list[str] | None] = mapped_column(sa.JSON, info=_SECRET)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def answer(self, question: EqualityQuestion) -> str | list[str] | None:
        value = getattr(self, question.value)
        return getattr(value, "value", value)


class SeldomHeardGroup(db.Model):
    """A group the organisation wants to hear from (e.g. Gypsy, Roma and Traveller people); retired, not deleted,
    so earlier answers still count."""

    __tablename__ = "seldom_heard_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_cy: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]


class EqualityReference(db.Model):
    """What the admin compares participation with for one question: percent by category, with its source."""

    __tablename__ = "equality_reference"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "question", name="uq_equality_reference_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    question: Mapped[EqualityQuestion] = mapped_column(_enum(EqualityQuestion))
    # {category code: percent as text, e.g. "12.5"}: categories with no figure are left out.
    figures: Mapped[dict] = mapped_column(sa.JSON, default=dict, info={"audit_plain": True})
    source: Mapped[str] = mapped_column(sa.String(300), info={"audit_plain": True})
    as_of: Mapped[date]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
