"""Notifications: something waiting for one person, told once, in the app and (if they want) by email.

A notification is the service's message to a person, not a record of co-production: it is not audited
(audit/capture.py SKIP_TABLES). `key` says what it is about and in which cycle (a stage's sign-off round, a
review date, a response's time), and the unique constraint on (user, kind, subject, cycle) is what makes
the daily job tell each person each thing once, however often it runs and however many workers run it.
A person has one notification per thing: a new cycle reopens it (notifications/service.py _reopen).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..codes import NotificationKind
from ..extensions import db
from .organisation import _enum, utcnow


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", "subject_id", "cycle", name="uq_notification_once"),
        # The header's unread count and the list, newest first, both read one person's rows.
        sa.Index("ix_notification_user_read", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind))
    # The stage, activity or recommendation it is about (the person, for a digest).
    subject_id: Mapped[int]
    # Which round of the same thing: a stage's sign-off round, a review date, when a response was given.
    cycle: Mapped[str] = mapped_column(sa.String(40), default="")
    initiative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiative.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]
