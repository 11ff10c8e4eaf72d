"""audit verification findings as messages: audit_verification.findings

The check's findings were stored only as English text, so a Welsh admin read them in English. They are now
also stored as message ids with their values (JSON), rendered in each reader's language; rows made before
keep only their text (findings NULL), which the audit page still shows as written.

Revision ID: a3d5f7b9c1e2
Revises: d7c2e9a4f1b8
Create Date: 2026-11-27 05:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a3d5f7b9c1e2"
down_revision = "d7c2e9a4f1b8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_verification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("findings", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("audit_verification", schema=None) as batch_op:
        batch_op.drop_column("findings")
