"""The automatic finding of each criterion for each initiative, stored so pages read it instead of re-running rules.

A row is derived data, never a record anyone made: criteria/stored.py writes it in the same transaction as
any change to the initiative's records, and rewrites it on read when its key no longer matches. ``key``
digests what the finding depends on besides the records (the framework's version, the criterion's checks
and the rules' code); ``computed_for`` is the day the rules took as "today" (a review becomes overdue
with no record changing). The people's assessments live in ``assessment`` and are never touched here.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..codes import FindingStatus
from ..extensions import db
from .organisation import _enum


class StoredFinding(db.Model):
    __tablename__ = "stored_finding"

    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    framework_id: Mapped[str] = mapped_column(sa.String(64))
    framework_version: Mapped[str] = mapped_column(sa.String(20))
    key: Mapped[str] = mapped_column(sa.String(32))
    computed_for: Mapped[date]
    status: Mapped[FindingStatus] = mapped_column(_enum(FindingStatus))
    # [{"text": English sentence, "message": {"id", "params"} or absent, "refs": [[kind, id, label], ...]}]
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)


class StoredSummary(db.Model):
    """Each initiative's participation figures as at ``computed_for`` (reports/summary.py), stored beside its
    findings and kept current the same way (reports/stored_summary.py): derived data the portfolio reads
    instead of every initiative's activities and attendance."""

    __tablename__ = "stored_summary"

    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(32))
    computed_for: Mapped[date]
    data: Mapped[dict] = mapped_column(sa.JSON)
    # What an initiative's report as at today reads instead of loading the facts in ten queries: its details,
    # facts and evidence files (reports/data.py). Cleared by every recompute, made again by the next report.
    snapshot: Mapped[dict | None] = mapped_column(sa.JSON, nullable=True)
