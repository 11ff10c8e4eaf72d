"""record whether a consultation or survey asked about effects on the Welsh language

Revision ID: d4b2e8f1a6c3
Revises: c3a9e1f2b7d4
Create Date: 2026-11-26 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from copro_tracker.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = 'd4b2e8f1a6c3'
down_revision = 'c3a9e1f2b7d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        # Existing activities were never asked: unanswered (NULL), not "no".
        batch_op.add_column(sa.Column('asked_about_welsh_effects', sa.Boolean(), nullable=True))


def downgrade():
    refuse_to_drop_data(revision, columns=[("activity", "asked_about_welsh_effects")])
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_column('asked_about_welsh_effects')
