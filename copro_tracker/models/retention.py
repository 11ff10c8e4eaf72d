"""How long each kind of record is kept after its initiative closes, legal holds that stop disposal, and a
log of what the scheduled disposal removed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import RetainedRecord
from ..extensions import db
from .initiative import Initiative
from .organisation import User, _enum, utcnow


class RetentionRule(db.Model):
    """An organisation's choice for one kind of record; a kind without a row uses codes.RETENTION_DEFAULT_MONTHS."""

    __tablename__ = "retention_rule"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "record_type", name="uq_retention_rule_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    record_type: Mapped[RetainedRecord] = mapped_column(_enum(RetainedRecord))
    # None: kept for good.
    months: Mapped[int | None]
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class LegalHold(db.Model):
    """While a hold is in place (lifted_at is None) nothing under it is disposed of or erased: one initiative,
    or the whole organisation when initiative_id is None."""

    __tablename__ = "legal_hold"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiative.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    placed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    lifted_at: Mapped[datetime | None]
    lift_reason: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    initiative: Mapped[Initiative | None] = relationship()
    placed_by: Mapped[User | None] = relationship(foreign_keys=[placed_by_id])
    lifted_by: Mapped[User | None] = relationship(foreign_keys=[lifted_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class Disposal(db.Model):
    """One run's disposal of one kind of record in one initiative: how many, and under which period."""

    __tablename__ = "disposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"), index=True)
    record_type: Mapped[RetainedRecord] = mapped_column(_enum(RetainedRecord))
    count: Mapped[int]
    months: Mapped[int]
    disposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # {entity type: [ids]} of the rows disposed of, so the audit values they left can be erased after the
    # disposal commits; values_erased_at stays None until that is done (a later run finishes it if a
    # run stopped in between).
    records: Mapped[dict] = mapped_column(sa.JSON, default=dict, info={"audit_plain": True})
    values_erased_at: Mapped[datetime | None]

    initiative: Mapped[Initiative] = relationship()
