"""The audit trail: an append-only, hash-chained event log per organisation, and signed checkpoints.

`AuditEvent.payload` holds the exact canonical bytes that were hashed, so verification never
re-encodes JSON (re-encoding is ~13x slower and a source of false alarms). Personal free text never
enters the payload: string values are replaced by a salted digest whose value and salt live in
`audit_value`, which can be erased (right to erasure) without breaking the chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.messages import Message, decode_value, encode_value
from ..extensions import db
from .organisation import utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "seq", name="uq_audit_event_org_seq"),
        sa.Index("ix_audit_event_entity", "organisation_id", "entity_type", "entity_id"),
        # An initiative's history, newest first, one page at a time: read in seq order from this index. With
        # an index on initiative_id alone, SQLite walked the organisation's whole chain backwards (the unique
        # constraint gives seq order) to find an initiative's few events: O(chain), not O(page).
        sa.Index("ix_audit_event_initiative_seq", "initiative_id", "seq"),
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
    initiative_id: Mapped[int | None]
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
    # In English, as `flask audit verify` prints it; rows from before `findings` have only this.
    message: Mapped[str] = mapped_column(sa.Text)
    # The same sentences as message ids with values (domain.messages.encode_value), so the admin page and
    # the admins' email say them in each reader's language; None on older rows.
    findings: Mapped[list[Any] | None] = mapped_column(sa.JSON)

    @classmethod
    def of(cls, *, said: Sequence[Message], **columns: Any) -> AuditVerification:
        """A verification that says `said`: stored both as English text and as messages."""
        return cls(
            message=" ".join(item.render() for item in said),
            findings=[encode_value(item) for item in said],
            **columns,
        )

    @property
    def said(self) -> tuple[Message, ...] | None:
        """The findings as messages to render in the reader's language; None for a row stored as text only."""
        if self.findings is None:
            return None
        return tuple(decode_value(item) for item in self.findings)


# Append-only in the database itself, so not even a bug in this app (or a hand-run UPDATE) can
# rewrite history quietly: the events, and the checkpoints that remember how long the chain was
# (deleting or shrinking a checkpoint would otherwise hide a truncated chain). The first migration
# ran the audit_event statements, a later one the audit_checkpoint ones; tests and `create_all` use
# the same definitions, and `flask audit verify` checks the triggers are still there.
APPEND_ONLY_TABLES = ("audit_event", "audit_checkpoint")


def sqlite_trigger_names(table: str) -> tuple[str, ...]:
    return (f"{table}_no_update", f"{table}_no_delete")


def postgres_trigger_names(table: str) -> tuple[str, ...]:
    return (f"{table}_no_update", f"{table}_no_truncate")


def create_trigger_statements(table: str, dialect: str) -> tuple[str, ...]:
    if dialect == "postgresql":
        function = f"{table}_append_only"
        update, truncate = postgres_trigger_names(table)
        return (
            (
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql"
            ),
            (f"CREATE TRIGGER {update} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"),
            (f"CREATE TRIGGER {truncate} BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"),
        )
    update, delete = sqlite_trigger_names(table)
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    return (
        f"CREATE TRIGGER {update} BEFORE UPDATE ON {table} {raise_}",
        f"CREATE TRIGGER {delete} BEFORE DELETE ON {table} {raise_}",
    )


def drop_trigger_statements(table: str, dialect: str) -> tuple[str, ...]:
    if dialect == "postgresql":
        return (
            *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name in postgres_trigger_names(table)),
            f"DROP FUNCTION IF EXISTS {table}_append_only()",
        )
    return tuple(f"DROP TRIGGER IF EXISTS {name}" for name in sqlite_trigger_names(table))


# The first migration imports these two by name.
SQLITE_TRIGGERS = create_trigger_statements("audit_event", "sqlite")
POSTGRES_TRIGGERS = create_trigger_statements("audit_event", "postgresql")

for _table in (AuditEvent.__table__, AuditCheckpoint.__table__):
    for _dialect in ("sqlite", "postgresql"):
        for _statement in create_trigger_statements(_table.name, _dialect):
            sa.event.listen(_table, "after_create", sa.DDL(_statement).execute_if(dialect=_dialect))
