"""withdraw records recorded by mistake: activities, decisions, recommendations and evidence files

Revision ID: f6a2b3c4d5e7
Revises: e11a4ef120d5
Create Date: 2026-11-26 13:55:00.000000

"""

import sqlalchemy as sa
from alembic import op

from copro_tracker.migrating import refuse_to_drop_data, restore_audit_event_triggers

# revision identifiers, used by Alembic.
revision = "f6a2b3c4d5e7"
down_revision = "e11a4ef120d5"
branch_labels = None
depends_on = None

TABLES = ("activity", "decision", "recommendation", "evidence")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=False, server_default=""))
            batch_op.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(f"fk_{table}_withdrawn_by_id_user_account", "user_account", ["withdrawn_by_id"], ["id"])
    restore_audit_event_triggers()


def downgrade():
    refuse_to_drop_data(
        revision, columns=[(table, column) for table in TABLES for column in ("withdrawn_at", "withdrawn_by_id")]
    )
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_withdrawn_by_id_user_account", type_="foreignkey")
            batch_op.drop_column("withdrawn_by_id")
            batch_op.drop_column("withdrawal_reason")
            batch_op.drop_column("withdrawn_at")
    restore_audit_event_triggers()
