"""keep the audit chain's Merkle state: a frontier on the chain head and stored subtree roots

Proofs and checkpoints then cost O(log n) instead of a pass over the whole chain. Existing chains are
filled in here from their stored event hashes (one pass per organisation); a chain whose head has no
frontier is also rebuilt on its next append (capture.rebuild_merkle_state).

Revision ID: c3a9e1f2b7d4
Revises: 9cb7e73eeba6
Create Date: 2026-11-26 10:10:00

"""
from alembic import op
import sqlalchemy as sa

from copro_tracker.audit import ledger

# revision identifiers, used by Alembic.
revision = "c3a9e1f2b7d4"
down_revision = "9cb7e73eeba6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_merkle_node",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("organisation_id", "level", "position"),
    )
    with op.batch_alter_table("audit_chain_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("frontier", sa.Text(), nullable=True))

    connection = op.get_bind()
    heads = sa.table("audit_chain_head", sa.column("organisation_id"), sa.column("seq"), sa.column("frontier"))
    events = sa.table("audit_event", sa.column("organisation_id"), sa.column("seq"), sa.column("hash"))
    nodes = sa.table(
        "audit_merkle_node", sa.column("organisation_id"), sa.column("level"), sa.column("position"), sa.column("hash")
    )
    for organisation_id, size in connection.execute(sa.select(heads.c.organisation_id, heads.c.seq)).all():
        frontier = ledger.Frontier()
        stored = []
        hashes = connection.execute(
            sa.select(events.c.hash)
            .where(events.c.organisation_id == organisation_id, events.c.seq <= size)
            .order_by(events.c.seq)
        ).scalars()
        for digest in hashes:
            for level, position, node in frontier.append(bytes.fromhex(digest)):
                if level >= ledger.NODE_LEVEL:
                    stored.append(
                        {"organisation_id": organisation_id, "level": level, "position": position, "hash": node.hex()}
                    )
        if frontier.size != size:
            continue  # a damaged chain: leave it for `flask audit verify` to report; its next append rebuilds
        if stored:
            connection.execute(sa.insert(nodes), stored)
        connection.execute(
            sa.update(heads).where(heads.c.organisation_id == organisation_id).values(frontier=frontier.encode())
        )


def downgrade():
    with op.batch_alter_table("audit_chain_head", schema=None) as batch_op:
        batch_op.drop_column("frontier")
    op.drop_table("audit_merkle_node")
