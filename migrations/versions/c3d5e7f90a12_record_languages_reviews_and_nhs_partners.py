"""record activity languages, recommendation reviews and raised dates, NHS partners; language "not asked yet"

Revision ID: c3d5e7f90a12
Revises: 5707bd23f5d1
Create Date: 2026-11-26 09:40:00

"""
from alembic import op
import sqlalchemy as sa

from copro_tracker.migrating import refuse_to_drop_data


revision = 'c3d5e7f90a12'
down_revision = '5707bd23f5d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('interpretation', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('material_formats', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.alter_column('languages', server_default=None)
        batch_op.alter_column('interpretation', server_default=None)
        batch_op.alter_column('material_formats', server_default=None)

    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nhs_partnered', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.alter_column('nhs_partnered', server_default=None)

    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('raised_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('review_outcome', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_recommendation_reviewed_by_id_user_account'), 'user_account', ['reviewed_by_id'], ['id']
        )
    # Recommendations recorded so far were raised the day they were recorded: that is all we know.
    op.execute(sa.text('UPDATE recommendation SET raised_on = CAST(created_at AS DATE)'))
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.alter_column('raised_on', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('review_outcome', server_default=None)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('preferred_language', existing_type=sa.String(length=2), nullable=True)
    # Everyone who answered the needs-and-language questions (accepting an invitation, or saving their
    # profile) chose a language, so theirs is kept. People created another way (the command line, an
    # import) were never asked: "en" was only the column default, so it becomes "not asked yet".
    op.execute(sa.text('UPDATE user_account SET preferred_language = NULL WHERE needs_recorded = :no').bindparams(no=False))


def downgrade():
    refuse_to_drop_data(
        revision,
        columns=[
            ("activity", "languages"),
            ("activity", "interpretation"),
            ("activity", "material_formats"),
            ("initiative", "nhs_partnered"),
            ("recommendation", "raised_on"),
            ("recommendation", "reviewed_on"),
            ("recommendation", "review_outcome"),
            ("recommendation", "reviewed_by_id"),
        ],
    )
    op.execute(sa.text("UPDATE user_account SET preferred_language = 'en' WHERE preferred_language IS NULL"))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('preferred_language', existing_type=sa.String(length=2), nullable=False)
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_recommendation_reviewed_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('review_outcome')
        batch_op.drop_column('reviewed_on')
        batch_op.drop_column('raised_on')
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_column('nhs_partnered')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_column('material_formats')
        batch_op.drop_column('interpretation')
        batch_op.drop_column('languages')
