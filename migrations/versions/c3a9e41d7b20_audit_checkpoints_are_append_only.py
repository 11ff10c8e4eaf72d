"""audit checkpoints are append-only in the database

Revision ID: c3a9e41d7b20
Revises: d4b2e8f1a6c3
Create Date: 2026-11-26 10:20:00.000000

"""

from alembic import op

from copro_tracker.models.audit import create_trigger_statements, drop_trigger_statements

# revision identifiers, used by Alembic.
revision = "c3a9e41d7b20"
down_revision = "d4b2e8f1a6c3"
branch_labels = None
depends_on = None


def upgrade():
    # Hand-written: autogenerate cannot see triggers. Deleting or shrinking a checkpoint would hide a
    # truncated chain, so checkpoints are guarded like the events they sign.
    for statement in create_trigger_statements("audit_checkpoint", op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for statement in drop_trigger_statements("audit_checkpoint", op.get_bind().dialect.name):
        op.execute(statement)
