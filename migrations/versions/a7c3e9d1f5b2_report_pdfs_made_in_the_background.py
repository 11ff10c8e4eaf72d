"""report PDFs made in the background: one row per render, with its progress and stored file

Revision ID: a7c3e9d1f5b2
Revises: f6a2b3c4d5e7
Create Date: 2026-11-26 13:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

from copro_tracker.migrating import refuse_to_drop_data

# revision identifiers, used by Alembic.
revision = "a7c3e9d1f5b2"
down_revision = "f6a2b3c4d5e7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_render",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("share_link_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("initiative", "portfolio", "quality_statement", name="reportkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("queued", "rendering", "ready", "failed", name="renderstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("parts_done", sa.Integer(), nullable=False),
        sa.Column("parts_total", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=100), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("disclosure", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], name=op.f("fk_report_render_initiative_id_initiative")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_report_render_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["user_account.id"], name=op.f("fk_report_render_requested_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["share_link_id"], ["share_link.id"], name=op.f("fk_report_render_share_link_id_share_link")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_render")),
    )
    with op.batch_alter_table("report_render", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_render_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_render_requested_by_id"), ["requested_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_render_share_link_id"), ["share_link_id"], unique=False)


def downgrade():
    refuse_to_drop_data(revision, tables=["report_render"])
    with op.batch_alter_table("report_render", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_render_share_link_id"))
        batch_op.drop_index(batch_op.f("ix_report_render_requested_by_id"))
        batch_op.drop_index(batch_op.f("ix_report_render_organisation_id"))
    op.drop_table("report_render")
