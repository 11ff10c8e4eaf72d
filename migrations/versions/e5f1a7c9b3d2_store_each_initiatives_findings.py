"""store each initiative's automatic findings, so pages read them instead of re-running every rule

Derived data: criteria/stored.py fills a row per initiative and criterion in the transaction that
changes the records, and on read when a row is missing or its key or day no longer matches. Existing
initiatives start with no rows and are filled the first time they are read (or by `flask findings-refresh`).

Revision ID: e5f1a7c9b3d2
Revises: c3a9e41d7b20
Create Date: 2026-11-26 12:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5f1a7c9b3d2"
down_revision = "c3a9e41d7b20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_finding",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=64), nullable=False),
        sa.Column("framework_version", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("computed_for", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "met",
                "partly_met",
                "not_met",
                "not_applicable",
                "needs_attestation",
                name="findingstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["initiative_id"], ["initiative.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("initiative_id", "criterion_id"),
    )
    op.create_index("ix_stored_finding_organisation_id", "stored_finding", ["organisation_id"], unique=False)


def downgrade():
    # Nothing recorded is lost: every row is recomputed from the records (see the module docstring).
    op.drop_index("ix_stored_finding_organisation_id", table_name="stored_finding")
    op.drop_table("stored_finding")
