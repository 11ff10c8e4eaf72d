"""People's assessments of an initiative against one criterion of a framework (DESIGN.md §3-§4).

A commissioner records the assessment; a citizen-partner member then co-signs it or records that they
disagree, with a reason. Re-assessing adds a new row, so the history stays; the newest row for an
initiative and criterion is the one that counts. The automatic finding is never stored here: it is
recomputed from the records and shown beside this, and neither overwrites the other.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import AssessmentStatus
from ..domain.assessments import awaits_response_from
from ..extensions import db
from .organisation import User, _enum, utcnow


class Assessment(db.Model):
    __tablename__ = "assessment"
    __table_args__ = (
        sa.Index("ix_assessment_initiative_criterion", "initiative_id", "criterion_id"),
        # One answer per assessment: co-signed, or disagreed with, never both.
        sa.CheckConstraint("cosigned_by_id IS NULL OR disagreed_by_id IS NULL", name="one_response"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"))
    # Framework and criterion ids are stable codes from criteria/frameworks/*.yaml; the version is the
    # framework's version when the assessment was made, so a later revision can be told apart.
    framework_id: Mapped[str] = mapped_column(sa.String(64), info={"audit_plain": True})
    framework_version: Mapped[str] = mapped_column(sa.String(20), info={"audit_plain": True})
    criterion_id: Mapped[str] = mapped_column(sa.String(40), info={"audit_plain": True})
    status: Mapped[AssessmentStatus] = mapped_column(_enum(AssessmentStatus))
    narrative: Mapped[str] = mapped_column(sa.Text, default="")
    # [{"kind": "activity"|"decision"|"evidence"|"output", "id": n}], each checked to belong to the initiative.
    links: Mapped[list[dict]] = mapped_column(sa.JSON, default=list, info={"audit_plain": True})
    assessed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)
    cosigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    cosigned_at: Mapped[datetime | None]
    disagreed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    disagreed_at: Mapped[datetime | None]
    disagreement_reason: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    assessed_by: Mapped[User] = relationship(foreign_keys=[assessed_by_id])
    cosigned_by: Mapped[User | None] = relationship(foreign_keys=[cosigned_by_id])
    disagreed_by: Mapped[User | None] = relationship(foreign_keys=[disagreed_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def cosigned(self) -> bool:
        return self.cosigned_by_id is not None

    @property
    def disagreed(self) -> bool:
        return self.disagreed_by_id is not None

    @property
    def awaiting_response(self) -> bool:
        return not self.cosigned and not self.disagreed

    def awaits_response_from(self, user_id: int) -> bool:
        return awaits_response_from(self.awaiting_response, self.assessed_by_id, user_id)
