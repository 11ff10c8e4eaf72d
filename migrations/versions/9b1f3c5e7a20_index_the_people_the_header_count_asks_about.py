"""index activity.on_behalf_of_id and recommendation.made_by_id, which every page's header count asks about

The sign-in loader counts the person's unread notifications that still wait on every request; that rule asks
for the activities recorded on the person's behalf and the recommendations they made. Neither column had an
index, so each request scanned the organisation's activities (SQLite) or the whole table (PostgreSQL, which
may choose either). Indexes only: no data changes.

Revision ID: 9b1f3c5e7a20
Revises: c4e81f0a9d27
Create Date: 2026-11-27 04:05:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "9b1f3c5e7a20"
down_revision = "c4e81f0a9d27"
branch_labels = None
depends_on = None


# Plain op.create_index / op.drop_index, not batch mode: a batch operation rebuilds the table on SQLite.
def upgrade():
    op.create_index("ix_activity_on_behalf_of_id", "activity", ["on_behalf_of_id"], unique=False)
    op.create_index("ix_recommendation_made_by_id", "recommendation", ["made_by_id"], unique=False)


def downgrade():
    op.drop_index("ix_recommendation_made_by_id", table_name="recommendation")
    op.drop_index("ix_activity_on_behalf_of_id", table_name="activity")
