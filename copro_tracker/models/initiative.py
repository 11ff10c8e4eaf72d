"""Initiatives, their members with tenure, stages and the sign-offs that close each stage."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import Level, MemberRole, Side, SignOffDecision, StageKind, StageStatus
from ..domain.gates import stage_open
from ..extensions import db
from .organisation import User, _enum, utcnow


class Initiative(db.Model):
    __tablename__ = "initiative"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    service_area: Mapped[str] = mapped_column(sa.String(120), default="")
    statutory_functions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    level: Mapped[Level] = mapped_column(_enum(Level), default=Level.COLLECTIVE)
    current_stage: Mapped[StageKind | None] = mapped_column(_enum(StageKind), default=StageKind.DESIGN)
    closed_on: Mapped[date | None]
    # An ICB or NHS trust is a partner: the NHS involvement duties then apply as well as the council's.
    nhs_partnered: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="initiative", order_by="Membership.joined_on, Membership.id"
    )
    stages: Mapped[list[Stage]] = relationship(back_populates="initiative", order_by="Stage.position")

    __mapper_args__ = {"version_id_col": version}


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (sa.Index("ix_membership_initiative_user", "initiative_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    role: Mapped[MemberRole] = mapped_column(_enum(MemberRole))
    side: Mapped[Side] = mapped_column(_enum(Side))
    joined_on: Mapped[date]
    left_on: Mapped[date | None]
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    initiative: Mapped[Initiative] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def current(self) -> bool:
        return self.left_on is None

    def held_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


class Stage(db.Model):
    __tablename__ = "stage"
    __table_args__ = (sa.UniqueConstraint("initiative_id", "kind", name="uq_stage_initiative_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"))
    kind: Mapped[StageKind] = mapped_column(_enum(StageKind))
    position: Mapped[int]
    status: Mapped[StageStatus] = mapped_column(_enum(StageStatus), default=StageStatus.NOT_STARTED)
    opened_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    # Each reopening starts a new round; sign-offs from earlier rounds are kept but no longer count.
    round: Mapped[int] = mapped_column(default=1)
    # When an activity in this stage was last added or changed: approvals given before it are asked for again.
    activities_changed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    initiative: Mapped[Initiative] = relationship(back_populates="stages")
    sign_offs: Mapped[list[SignOff]] = relationship(back_populates="stage", order_by="SignOff.created_at, SignOff.id")
    reopenings: Mapped[list[StageReopening]] = relationship(order_by="StageReopening.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return stage_open(self.status)


class SignOff(db.Model):
    __tablename__ = "sign_off"
    __audit_name__ = "stage_sign_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("stage.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    side: Mapped[Side] = mapped_column(_enum(Side))
    decision: Mapped[SignOffDecision] = mapped_column(_enum(SignOffDecision))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    round: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    stage: Mapped[Stage] = relationship(back_populates="sign_offs")
    user: Mapped[User] = relationship()

    @property
    def audit_initiative_id(self) -> int | None:
        return self.stage.initiative_id if self.stage else None


class StageReopening(db.Model):
    __tablename__ = "stage_reopening"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("stage.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    stage: Mapped[Stage] = relationship(viewonly=True)

    @property
    def audit_initiative_id(self) -> int | None:
        return self.stage.initiative_id if self.stage else None
