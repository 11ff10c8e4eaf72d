"""Share links: an expiring, revocable, read-only link to one evidence report, for people without an account
(an inspector, a scrutiny committee). Only a SHA-256 of the link's secret is stored."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import RenderStatus, ReportKind
from ..extensions import db
from .organisation import User, _enum, utcnow


class ShareLink(db.Model):
    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    kind: Mapped[ReportKind] = mapped_column(_enum(ReportKind))
    # Set for an initiative report (also lets the audit trail file the link under the initiative).
    initiative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiative.id"), index=True)
    # The report's other parameters: statement_id, as_of, date_from, date_to, anonymise_partners (strings).
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict, info={"audit_plain": True})
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class ReportRender(db.Model):
    """A report PDF made in the background for one person (or one share link), and the stored file once made.

    Bookkeeping, not a record of the service's work: it is not audited (audit/capture.py SKIP_TABLES).
    What is audited is the disclosure, `report.generated`, when the file is downloaded (its details are
    kept in `disclosure` when the PDF is made, from the report as it was then).
    """

    __tablename__ = "report_render"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    share_link_id: Mapped[int | None] = mapped_column(sa.ForeignKey("share_link.id"), index=True)
    kind: Mapped[ReportKind] = mapped_column(_enum(ReportKind))
    initiative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiative.id"))
    # The report's parameters, as a share link keeps them (ReportSpec.params()).
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[RenderStatus] = mapped_column(_enum(RenderStatus), default=RenderStatus.QUEUED)
    parts_done: Mapped[int] = mapped_column(default=0)
    parts_total: Mapped[int] = mapped_column(default=0)
    storage_key: Mapped[str | None] = mapped_column(sa.String(100))
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    size: Mapped[int | None]
    filename: Mapped[str | None] = mapped_column(sa.String(200))
    disclosure: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
