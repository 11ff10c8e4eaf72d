"""ask again for approvals given before a stage's activities changed

Revision ID: 9cb7e73eeba6
Revises: c3a1d9e4b7f2
Create Date: 2026-11-26 10:25:06.365688

"""
from alembic import op
import sqlalchemy as sa

from copro_tracker.migrating import refuse_to_drop_data


revision = '9cb7e73eeba6'
down_revision = 'c3a1d9e4b7f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activities_changed_at', sa.DateTime(), nullable=True))



def downgrade():
    refuse_to_drop_data(revision, columns=[("stage", "activities_changed_at")])
    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.drop_column('activities_changed_at')

