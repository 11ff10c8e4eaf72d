"""record whether a decision's effects on the Welsh language were considered

Revision ID: c3a1d9e4b7f2
Revises: c3d5e7f90a12
Create Date: 2026-11-26 10:15:00.000000

"""
from alembic import op
import sqlalchemy as sa

from copro_tracker.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = 'c3a1d9e4b7f2'
down_revision = 'c3d5e7f90a12'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decision', schema=None) as batch_op:
        # Existing decisions were never asked, so they stay unanswered (NULL), not "not considered".
        batch_op.add_column(sa.Column('welsh_effects', sa.Enum('considered', 'not_considered', 'not_relevant', name='welsheffects', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('welsh_effects_note', sa.Text(), nullable=False, server_default=''))


def downgrade():
    refuse_to_drop_data(revision, columns=[("decision", "welsh_effects"), ("decision", "welsh_effects_note")])
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_column('welsh_effects_note')
        batch_op.drop_column('welsh_effects')
