"""What happens inside a stage: activities, who attended and how, decisions, recommendations
("you said, we did") and evidence files."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..codes import ActivityKind, ConsentLevel, Position, Response, WelshEffects
from ..extensions import db
from .initiative import Initiative, Stage
from .organisation import User, _enum, utcnow


class Withdrawable:
    """A record withdrawn as a mistake: it leaves pages, reports and the criteria facts, but the row stays, so
    the audit trail (and the record's own history page) still shows that it existed, who withdrew it and why."""

    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str] = mapped_column(sa.Text, default="")

    @declared_attr
    def withdrawn_by_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("user_account.id"))

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Activity(Withdrawable, db.Model):
    __tablename__ = "activity"
    __table_args__ = (sa.Index("ix_activity_initiative_date", "initiative_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"))
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("stage.id"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(_enum(ActivityKind))
    occurred_on: Mapped[date]
    title: Mapped[str] = mapped_column(sa.String(200))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    # Assisted contribution: recorded by a commissioner for a citizen partner, who then confirms it.
    # Indexed: every page's header counts the records waiting for the signed-in person to confirm.
    on_behalf_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    confirmed_at: Mapped[datetime | None]
    confirmation_note: Mapped[str] = mapped_column(sa.Text, default="")
    # What the Welsh language and accessibility criteria ask about: ActivityLanguage codes it was held in,
    # Interpretation codes provided, and OutputFormat codes that material (papers, slides) was given in.
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    interpretation: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    material_formats: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Welsh Language Standard 91: did this consultation or survey ask people how the proposals would affect
    # the Welsh language? None: not asked (organisations outside Wales) or not answered.
    asked_about_welsh_effects: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    initiative: Mapped[Initiative] = relationship()
    stage: Mapped[Stage] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    on_behalf_of: Mapped[User | None] = relationship(foreign_keys=[on_behalf_of_id])
    attendances: Mapped[list[Attendance]] = relationship(back_populates="activity", order_by="Attendance.id")
    decisions: Mapped[list[Decision]] = relationship(back_populates="activity", order_by="Decision.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def awaiting_confirmation(self) -> bool:
        return self.on_behalf_of_id is not None and self.confirmed_at is None


class Attendance(db.Model):
    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activity.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    guest_name: Mapped[str] = mapped_column(sa.String(120), default="")
    guest_is_citizen: Mapped[bool] = mapped_column(default=False)
    contributed: Mapped[bool] = mapped_column(default=False)
    adjustments_requested: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    adjustments_provided: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # The attendee's own view of how co-produced it was, on TLAP's ladder (1 coercion … 7 co-production).
    ladder_rating: Mapped[int | None]
    rating_note: Mapped[str] = mapped_column(sa.Text, default="")
    rated_at: Mapped[datetime | None]

    activity: Mapped[Activity] = relationship(back_populates="attendances")
    user: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("ladder_rating IS NULL OR (ladder_rating BETWEEN 1 AND 7)", name="ladder_range"),
        sa.CheckConstraint("user_id IS NOT NULL OR guest_name <> ''", name="person_or_guest"),
    )

    @property
    def name(self) -> str:
        return self.user.display_name if self.user else self.guest_name

    @property
    def audit_initiative_id(self) -> int | None:
        return self.activity.initiative_id if self.activity else None


class Decision(Withdrawable, db.Model):
    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activity.id"), index=True)
    what: Mapped[str] = mapped_column(sa.Text)
    options_considered: Mapped[str] = mapped_column(sa.Text, default="")
    changed_by_partner_input: Mapped[bool] = mapped_column(default=False)
    how_changed: Mapped[str] = mapped_column(sa.Text, default="")
    # Welsh Language Standards 88-91: were the decision's effects on using Welsh considered? None: not asked
    # (organisations outside Wales) or not answered yet.
    welsh_effects: Mapped[WelshEffects | None] = mapped_column(_enum(WelshEffects))
    welsh_effects_note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    activity: Mapped[Activity] = relationship(back_populates="decisions")

    @property
    def audit_initiative_id(self) -> int | None:
        return self.activity.initiative_id if self.activity else None

    positions: Mapped[list[DecisionPosition]] = relationship(back_populates="decision", order_by="DecisionPosition.id")

    __mapper_args__ = {"version_id_col": version}


class DecisionPosition(db.Model):
    __tablename__ = "decision_position"
    __table_args__ = (sa.UniqueConstraint("decision_id", "user_id", name="uq_decision_position_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decision.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    position: Mapped[Position] = mapped_column(_enum(Position))

    decision: Mapped[Decision] = relationship(back_populates="positions")
    user: Mapped[User] = relationship()

    @property
    def audit_initiative_id(self) -> int | None:
        return self.decision.activity.initiative_id if self.decision and self.decision.activity else None


class Recommendation(Withdrawable, db.Model):
    """A partner's recommendation and what was done about it: "you said, we did"."""

    __tablename__ = "recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activity.id"))
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision.id"))
    # Indexed: every page's header counts the responses to recommendations the signed-in person made.
    made_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    response: Mapped[Response | None] = mapped_column(_enum(Response))
    response_reason: Mapped[str] = mapped_column(sa.Text, default="")
    action_taken: Mapped[str] = mapped_column(sa.Text, default="")
    review_on: Mapped[date | None]
    responded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    responded_at: Mapped[datetime | None]
    # When it was said, which can be before the tracker was used; created_at is when it was recorded.
    raised_on: Mapped[date] = mapped_column(default=lambda: utcnow().date())
    # The review actually held, kept apart from "what was done": date, what it found, and who held it.
    reviewed_on: Mapped[date | None]
    review_outcome: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    made_by: Mapped[User] = relationship(foreign_keys=[made_by_id])
    responded_by: Mapped[User | None] = relationship(foreign_keys=[responded_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    initiative: Mapped[Initiative] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Evidence(Withdrawable, db.Model):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activity.id"))
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision.id"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100), info={"audit_plain": True})
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64), info={"audit_plain": True})
    storage_key: Mapped[str] = mapped_column(sa.String(100), info={"audit_plain": True})
    description: Mapped[str] = mapped_column(sa.Text, default="")
    consent: Mapped[ConsentLevel] = mapped_column(_enum(ConsentLevel))
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploaded_by: Mapped[User] = relationship(foreign_keys="Evidence.uploaded_by_id")
    initiative: Mapped[Initiative] = relationship()
