"""What an initiative produces (plans, strategies, terms of reference, evaluation reports, accessible
versions). The criteria checks read them. What people are offered for their time is in payment.py."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..codes import OutputKind
from ..extensions import db
from .organisation import _enum, utcnow


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
