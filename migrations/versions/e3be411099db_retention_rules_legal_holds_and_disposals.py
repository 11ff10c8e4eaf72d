"""retention rules (months each kind of record is kept after its initiative closes), legal holds, and the
log of what the scheduled disposal removed

Revision ID: e3be411099db
Revises: 3a07d017ae91
Create Date: 2026-11-26 16:05:23.589469

"""

import sqlalchemy as sa
from alembic import op

from copro_tracker.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = "e3be411099db"
down_revision = "3a07d017ae91"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "retention_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "record_type",
            sa.Enum(
                "needs",
                "ratings",
                "evidence",
                "receipts",
                "activities",
                "decisions",
                name="retainedrecord",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("months", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_retention_rule_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user_account.id"], name=op.f("fk_retention_rule_updated_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_rule")),
        sa.UniqueConstraint("organisation_id", "record_type", name="uq_retention_rule_type"),
    )
    with op.batch_alter_table("retention_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retention_rule_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "disposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column(
            "record_type",
            sa.Enum(
                "needs",
                "ratings",
                "evidence",
                "receipts",
                "activities",
                "decisions",
                name="retainedrecord",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("disposed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], name=op.f("fk_disposal_initiative_id_initiative")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_disposal_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposal")),
    )
    with op.batch_alter_table("disposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disposal_initiative_id"), ["initiative_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disposal_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "legal_hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by_id", sa.Integer(), nullable=True),
        sa.Column("placed_at", sa.DateTime(), nullable=False),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], name=op.f("fk_legal_hold_initiative_id_initiative")
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"], ["user_account.id"], name=op.f("fk_legal_hold_lifted_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_legal_hold_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["placed_by_id"], ["user_account.id"], name=op.f("fk_legal_hold_placed_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_hold")),
    )
    with op.batch_alter_table("legal_hold", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legal_hold_initiative_id"), ["initiative_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_legal_hold_organisation_id"), ["organisation_id"], unique=False)


def downgrade():
    refuse_to_drop_data(revision, tables=["legal_hold", "disposal", "retention_rule"])
    with op.batch_alter_table("legal_hold", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_hold_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_legal_hold_initiative_id"))

    op.drop_table("legal_hold")
    with op.batch_alter_table("disposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disposal_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_disposal_initiative_id"))

    op.drop_table("disposal")
    with op.batch_alter_table("retention_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_rule_organisation_id"))

    op.drop_table("retention_rule")
