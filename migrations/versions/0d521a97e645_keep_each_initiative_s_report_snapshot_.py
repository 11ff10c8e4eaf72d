"""keep each initiative's report snapshot beside its participation figures

Derived data: reports/data.py stores an initiative's details, facts and evidence files when its report as at
today is first made, and every recompute of the initiative (any change to its records) clears it, so a report
never reads a stale one. Existing rows start empty.

Revision ID: 0d521a97e645
Revises: b8d4f2a6c1e3
Create Date: 2026-11-26 16:34:45

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0d521a97e645"
down_revision = "b8d4f2a6c1e3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("stored_summary", schema=None) as batch_op:
        batch_op.add_column(sa.Column("snapshot", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("stored_summary", schema=None) as batch_op:
        batch_op.drop_column("snapshot")
