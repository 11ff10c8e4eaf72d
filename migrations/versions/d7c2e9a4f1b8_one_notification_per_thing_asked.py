"""one notification per thing asked: an earlier cycle's notification is retired

Until now a stage, review date or response that asked again in a new cycle (a new round, an approval made
stale, a new date, a changed response) gained a second notification beside the first, and both could be
unread and counted. The service now reopens the one notification instead (notifications/service.py
_reopen); this removes the older rows of the same thing for the same person, keeping the newest, so
existing databases have one line per thing too. Notifications are not audited (the records they are about
are) and the newest row is the current ask, so nothing anyone needs is lost; the downgrade leaves the rows
as they are. Weekly summaries are one row per week by design and are kept.

Revision ID: d7c2e9a4f1b8
Revises: 9b1f3c5e7a20
Create Date: 2026-11-27 04:05:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d7c2e9a4f1b8"
down_revision = "9b1f3c5e7a20"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        sa.text(
            "DELETE FROM notification WHERE kind <> 'digest' AND EXISTS ("
            "SELECT 1 FROM notification AS newer WHERE newer.user_id = notification.user_id "
            "AND newer.kind = notification.kind AND newer.subject_id = notification.subject_id "
            "AND newer.id > notification.id)"
        )
    )


def downgrade():
    pass  # the retired rows were earlier copies of a notification that is still there
