"""notifications: each person told once of what waits for them; their email and weekly summary choices

Revision ID: b8d4f2a6c1e3
Revises: 898a0c6d3927
Create Date: 2026-11-26 16:04:40.385103

"""

import sqlalchemy as sa
from alembic import op

from copro_tracker.migrating import refuse_to_drop_data

# revision identifiers, used by Alembic.
revision = "b8d4f2a6c1e3"
down_revision = "898a0c6d3927"
branch_labels = None
depends_on = None

KINDS = ("sign_off", "confirm", "rate", "response", "review_due", "invitation", "password_reset", "digest")


def upgrade():
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum(*KINDS, name="notificationkind", native_enum=False, length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.String(length=40), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], name=op.f("fk_notification_initiative_id_initiative")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_notification_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_notification_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("user_id", "kind", "subject_id", "cycle", name="uq_notification_once"),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index("ix_notification_user_read", ["user_id", "read_at"], unique=False)
    # Everyone already here keeps getting emails (as they did for invitations and resets) and no summary.
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_notifications", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("weekly_digest", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    # The two choices always hold a value, so guarding them would refuse every downgrade; what is lost with
    # them is a yes/no each person can give again. The notifications themselves are guarded.
    refuse_to_drop_data(revision, tables=["notification"])
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("weekly_digest")
        batch_op.drop_column("email_notifications")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_user_read")
        batch_op.drop_index(batch_op.f("ix_notification_organisation_id"))
    op.drop_table("notification")
