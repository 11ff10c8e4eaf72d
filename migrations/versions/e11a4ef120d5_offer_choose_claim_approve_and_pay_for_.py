"""offer, choose, claim, approve and pay for involvement; the organisation's rates card

Entries recorded before this were given and approved as they were recorded: they become paid on their
date (declined ones stay "no payment, thank you"), offered by whoever recorded them.

Revision ID: e11a4ef120d5
Revises: e5f1a2b3c4d6
Create Date: 2026-11-26 12:37:31.149079

"""
from alembic import op
import sqlalchemy as sa

from copro_tracker.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = 'e11a4ef120d5'
down_revision = 'e5f1a2b3c4d6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_card',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('rates', sa.JSON(), nullable=False),
    sa.Column('expenses_rules', sa.Text(), nullable=False),
    sa.Column('year_threshold_pence', sa.Integer(), nullable=True),
    sa.Column('benefits_advice', sa.Text(), nullable=False),
    sa.Column('benefits_advice_url', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('year_threshold_pence >= 0', name=op.f('ck_rate_card_threshold_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_rate_card_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_rate_card_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_card'))
    )
    with op.batch_alter_table('rate_card', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_card_organisation_id'), ['organisation_id'], unique=False)

    with op.batch_alter_table('reciprocity_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('offered', 'awaiting_approval', 'declined', 'approved', 'paid', 'withdrawn', name='paymentstatus', native_enum=False, length=32), nullable=False, server_default='offered'))
        batch_op.add_column(sa.Column('rate_card_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rate_basis', sa.Enum('per_hour', 'per_session', name='ratebasis', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('unit_pence', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('units', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('offered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('offered_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('claimed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('receipt_filename', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('receipt_content_type', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('receipt_size', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('receipt_sha256', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('receipt_storage_key', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('paid_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('paid_reference', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=32),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_reciprocity_entry_rate_card_id_rate_card'), 'rate_card', ['rate_card_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_reciprocity_entry_claimed_by_id_user_account'), 'user_account', ['claimed_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_reciprocity_entry_withdrawn_by_id_user_account'), 'user_account', ['withdrawn_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_reciprocity_entry_offered_by_id_user_account'), 'user_account', ['offered_by_id'], ['id'])

    # Entries recorded before offers existed were given when recorded, and recording approved them.
    op.execute(
        "UPDATE reciprocity_entry SET offered_by_id = approved_by_id, offered_at = created_at, "
        "status = CASE WHEN kind = 'declined' THEN 'declined' "
        "WHEN approved_by_id IS NOT NULL THEN 'paid' ELSE 'awaiting_approval' END"
    )
    op.execute(
        "UPDATE reciprocity_entry SET paid_on = occurred_on, approved_at = created_at WHERE status = 'paid'"
    )


def downgrade():
    refuse_to_drop_data(
        revision,
        tables=["rate_card"],
        columns=[
            ("reciprocity_entry", "rate_card_id"),
            ("reciprocity_entry", "claimed_by_id"),
            ("reciprocity_entry", "receipt_storage_key"),
            ("reciprocity_entry", "paid_on"),
            ("reciprocity_entry", "withdrawn_at"),
        ],
    )
    # Offers nobody has answered yet have no kind, which the older schema cannot hold.
    op.execute("DELETE FROM reciprocity_entry WHERE kind IS NULL")
    with op.batch_alter_table('reciprocity_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reciprocity_entry_offered_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_reciprocity_entry_withdrawn_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_reciprocity_entry_claimed_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_reciprocity_entry_rate_card_id_rate_card'), type_='foreignkey')
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=32),
               nullable=False)
        batch_op.drop_column('version')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('withdrawn_by_id')
        batch_op.drop_column('withdrawn_reason')
        batch_op.drop_column('paid_reference')
        batch_op.drop_column('paid_on')
        batch_op.drop_column('approved_at')
        batch_op.drop_column('receipt_storage_key')
        batch_op.drop_column('receipt_sha256')
        batch_op.drop_column('receipt_size')
        batch_op.drop_column('receipt_content_type')
        batch_op.drop_column('receipt_filename')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_by_id')
        batch_op.drop_column('offered_at')
        batch_op.drop_column('offered_by_id')
        batch_op.drop_column('units')
        batch_op.drop_column('unit_pence')
        batch_op.drop_column('rate_basis')
        batch_op.drop_column('rate_card_id')
        batch_op.drop_column('status')

    with op.batch_alter_table('rate_card', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_card_organisation_id'))

    op.drop_table('rate_card')
