"""disposal records what it removed, and when their audit values were erased (so a run that stopped between
its two commits is finished by the next)

Revision ID: 898a0c6d3927
Revises: 48426a073b17
Create Date: 2026-11-26 16:47:43.816523

"""

import sqlalchemy as sa
from alembic import op

from copro_tracker.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = "898a0c6d3927"
down_revision = "48426a073b17"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("disposal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("records", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("values_erased_at", sa.DateTime(), nullable=True))
    # Disposals made before this erased their audit values in the same run.
    op.execute("UPDATE disposal SET records = '{}', values_erased_at = disposed_at")
    with op.batch_alter_table("disposal", schema=None) as batch_op:
        batch_op.alter_column("records", existing_type=sa.JSON(), nullable=False)


def downgrade():
    refuse_to_drop_data(revision, columns=[("disposal", "records")])
    with op.batch_alter_table("disposal", schema=None) as batch_op:
        batch_op.drop_column("values_erased_at")
        batch_op.drop_column("records")
