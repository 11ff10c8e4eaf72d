"""people's rights over their data: correction and erasure requests, withdrawn consent to naming, erasure

Revision ID: e5f1a2b3c4d6
Revises: e5f1a7c9b3d2
Create Date: 2026-11-26 12:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

from copro_tracker.migrating import refuse_to_drop_data

# revision identifiers, used by Alembic.
revision = "e5f1a2b3c4d6"
down_revision = "e5f1a7c9b3d2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "data_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", sa.Enum("correction", "erasure", name="datarequestkind", native_enum=False, length=32), nullable=False
        ),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "done", "refused", name="datarequeststatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["handled_by_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_request_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_data_request_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("named_use_withdrawn_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))


def downgrade():
    refuse_to_drop_data(
        revision,
        tables=["data_request"],
        columns=[("user_account", "named_use_withdrawn_at"), ("user_account", "erased_at")],
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
        batch_op.drop_column("named_use_withdrawn_at")
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_request_user_id"))
        batch_op.drop_index(batch_op.f("ix_data_request_organisation_id"))
    op.drop_table("data_request")
