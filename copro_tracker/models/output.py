"""What an initiative produces (plans, strategies, terms of reference, evaluation reports, accessible
versions) and what people were offered for their time (reciprocity). The criteria checks read both."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import OutputKind, ReciprocityKind
from ..extensions import db
from .initiative import Initiative
from .organisation import User, _enum, utcnow


class Output(db.Model):
    __tablename__ = "output"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"), index=True)
    kind: Mapped[OutputKind] = mapped_column(_enum(OutputKind))
    title: Mapped[str] = mapped_column(sa.String(200))
    document_version: Mapped[str] = mapped_column(sa.String(20), default="1", info={"audit_plain": True})
    # Member user ids who wrote it together; checked against the initiative's members when saved.
    co_author_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    published_url: Mapped[str] = mapped_column(sa.String(500), default="", info={"audit_plain": True})
    published_on: Mapped[date | None]
    formats: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    evidence_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evidence.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def published(self) -> bool:
        return bool(self.published_url) and self.published_on is not None


class ReciprocityEntry(db.Model):
    """A payment, voucher, expenses, time credit or training offered to a person for their part."""

    __tablename__ = "reciprocity_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activity.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    kind: Mapped[ReciprocityKind] = mapped_column(_enum(ReciprocityKind))
    amount_pence: Mapped[int] = mapped_column(default=0)
    hours: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    occurred_on: Mapped[date]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    initiative: Mapped[Initiative] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    __table_args__ = (sa.CheckConstraint("amount_pence >= 0 AND hours >= 0", name="not_negative"),)
