"""an initiative's audit events indexed in seq order, for its history page

The history page lists an initiative's events newest first, 25 at a time. With an index on initiative_id
alone, SQLite chose the organisation's (organisation_id, seq) constraint to avoid sorting and walked the
whole chain backwards to find the initiative's events; (initiative_id, seq) serves the page from the index
on SQLite and PostgreSQL, and every query on initiative_id alone as before. Indexes only: no data changes.

Revision ID: c4e81f0a9d27
Revises: 0d521a97e645
Create Date: 2026-11-26 23:45:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e81f0a9d27"
down_revision = "0d521a97e645"
branch_labels = None
depends_on = None


# Plain op.create_index / op.drop_index, not batch mode: a batch operation may rebuild audit_event on SQLite,
# which drops its append-only triggers.
def upgrade():
    op.create_index("ix_audit_event_initiative_seq", "audit_event", ["initiative_id", "seq"], unique=False)
    op.drop_index("ix_audit_event_initiative_id", table_name="audit_event")


def downgrade():
    op.create_index("ix_audit_event_initiative_id", "audit_event", ["initiative_id"], unique=False)
    op.drop_index("ix_audit_event_initiative_seq", table_name="audit_event")
