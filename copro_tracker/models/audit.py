"""The audit trail: an append-only, hash-chained event log per organisation, and signed checkpoints.

`AuditEvent.payload` holds the exact canonical bytes that were hashed, so verification never
re-encodes JSON (re-encoding is ~13x slower and a source of false alarms). Personal free text never
enters the payload: string values are replaced by a salted digest whose value and salt live in
`audit_value`, which can be erased (right to erasure) without breaking the chain.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .organisation import utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "seq", name="uq_audit_event_org_seq"),
        sa.Index("ix_audit_event_entity", "organisation_id", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    seq: Mapped[int]
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    entity_type: Mapped[str] = mapped_column(sa.String(40))
    entity_id: Mapped[int | None]
    # The initiative an event belongs to (also inside the hashed payload), for per-initiative history.
    initiative_id: Mapped[int | None] = mapped_column(index=True)
    payload: Mapped[str] = mapped_column(sa.Text)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class AuditChainHead(db.Model):
    """One row per organisation: the lock that serialises appends and the tip of the chain."""

    __tablename__ = "audit_chain_head"

    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(sa.String(64))
    # ledger.Frontier of the first `seq` events (hex roots, largest subtree first): the Merkle root in
    # O(log n). NULL for a chain written before it was kept; the next append rebuilds it once.
    frontier: Mapped[str | None] = mapped_column(sa.Text)


class AuditMerkleNode(db.Model):
    """The root of a complete, aligned subtree of 2**level events (level >= ledger.NODE_LEVEL), stored
    when its last event is appended, so inclusion proofs and checkpoints never re-read the whole chain.
    Never changed once written; every proof made from them is checked against the signed root."""

    __tablename__ = "audit_merkle_node"

    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), primary_key=True)
    level: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(sa.String(64))


class AuditValue(db.Model):
    """An erasable value referred to from an audit payload by `ref` = sha256(salt || value)."""

    __tablename__ = "audit_value"

    ref: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    salt: Mapped[str | None] = mapped_column(sa.String(32))
    value: Mapped[str | None] = mapped_column(sa.Text)
    erased_at: Mapped[datetime | None]


class AuditCheckpoint(db.Model):
    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    tree_size: Mapped[int]
    root_hash: Mapped[str] = mapped_column(sa.String(64))
    issued_at: Mapped[str] = mapped_column(sa.String(40))
    signature: Mapped[str] = mapped_column(sa.String(200))
    key_id: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditVerification(db.Model):
    """The outcome of each `flask audit verify` run, shown on the admin page."""

    __tablename__ = "audit_verification"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    ran_at: Mapped[datetime] = mapped_column(default=utcnow)
    ok: Mapped[bool]
    events_checked: Mapped[int]
    message: Mapped[str] = mapped_column(sa.Text)


# Append-only in the database itself, so not even a bug in this app (or a hand-run UPDATE) can
# rewrite history quietly. Migrations run the same statements.
_SQLITE_RAISE = "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event {_SQLITE_RAISE}",
    f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event {_SQLITE_RAISE}",
)
POSTGRES_TRIGGERS = (
    (
        "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql"
    ),
    (
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
    ),
    (
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
    ),
)

for _statement in SQLITE_TRIGGERS:
    sa.event.listen(AuditEvent.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRES_TRIGGERS:
    sa.event.listen(AuditEvent.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="postgresql"))
