"""store each initiative's participation figures beside its findings, so the portfolio reads them

Derived data: reports/stored_summary.py writes a row per initiative in the transaction that changes its
records (with its findings), and on read when a row is missing or its key or day no longer matches.
Existing initiatives start with no rows and are filled the first time the portfolio reads them.

Revision ID: 48426a073b17
Revises: e3be411099db
Create Date: 2026-11-26 16:08:14

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "48426a073b17"
down_revision = "e3be411099db"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_summary",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("computed_for", sa.Date(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], name=op.f("fk_stored_summary_initiative_id_initiative")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_stored_summary_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("initiative_id", name=op.f("pk_stored_summary")),
    )
    with op.batch_alter_table("stored_summary", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_summary_organisation_id"), ["organisation_id"], unique=False)


def downgrade():
    # Nothing recorded is lost: every row is recomputed from the records (see the module docstring).
    with op.batch_alter_table("stored_summary", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_summary_organisation_id"))
    op.drop_table("stored_summary")
