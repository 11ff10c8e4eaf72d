"""Automatic audit capture from the SQLAlchemy session.

Every flush that inserts, updates or deletes a domain row records one event per row; just before the
session commits (`before_commit`), the transaction's events are appended to each organisation's chain
on the same connection, so in the same transaction: if the change commits, its audit event commits; if
it rolls back, so does the event. Services only *name* the action (`name_action(obj,
"stage.signed_off")`); anything unnamed gets `<entity>.created|updated|deleted`.

One event per row change per transaction: when a service's work reaches the database in several
flushes (autoflush before a query, an explicit flush, then the commit), later updates of the same row
are folded into its earlier event (first "before", last "after"; a field changed and changed back
drops out), unless both flushes were given different semantic names. A row's event therefore shows
what the transaction did to it, not how SQLAlchemy happened to batch it. Appending at commit time also
keeps the chain-head lock for only the end of each transaction.

Appends for one organisation are serialised by locking its `audit_chain_head` row (SELECT … FOR
UPDATE on PostgreSQL; SQLite serialises writers itself), so concurrent writers cannot fork or gap
the chain.

Right to erasure: string values never enter the hashed payload. Each is replaced by
`{"ref": sha256(salt || value)}` and the value and salt are kept in `audit_value`, which may be
erased. Once the salt is gone the reference cannot be reversed, and the chain still verifies.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy.orm import Session

from ..models.audit import AuditChainHead, AuditEvent, AuditMerkleNode, AuditValue
from . import ledger

# Audit tables record themselves; stored findings are derived from records already audited (criteria/stored.py);
# a report render is bookkeeping for a download, whose disclosure is audited as report.generated; a
# notification is the service's message to a person about records already audited (models/notification.py).
SKIP_TABLES = frozenset(
    {
        "audit_event",
        "audit_chain_head",
        "audit_merkle_node",
        "audit_value",
        "audit_checkpoint",
        "audit_verification",
        "stored_finding",
        "stored_summary",
        "report_render",
        "notification",
    }
)
NAMES_KEY = "audit_action_names"
ACTOR_KEY = "audit_actor_id"
PENDING_KEY = "audit_pending_events"
BEFORE_KEY = "audit_unloaded_befores"
# Events written with the new chain head in one statement on PostgreSQL (11 parameters each, well under its
# 65,535); a larger append (an import) inserts them in batches first.
ONE_STATEMENT_ROWS = 1000
# Columns whose changes are bookkeeping, not events a person would recognise.
QUIET_COLUMNS = frozenset({"id", "organisation_id", "version", "failed_logins", "last_login_at"})


def name_action(obj: Any, action: str, **details: Any) -> None:
    """Give the next audit event for `obj` a semantic name (and optional non-personal details)."""
    session = sa.orm.object_session(obj)
    if session is None:
        raise RuntimeError("name_action() needs an object already added to the session")
    session.info.setdefault(NAMES_KEY, {})[id(obj)] = (action, details)


def set_actor(session: Session, user_id: int | None) -> None:
    """Override the actor (e.g. for a login, before current_user is set). None means the system."""
    session.info[ACTOR_KEY] = user_id


def _actor_id(session: Session) -> int | None:
    if ACTOR_KEY in session.info:
        return session.info[ACTOR_KEY]
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user.id
    return None


def entity_name(obj_or_class: Any) -> str:
    return getattr(obj_or_class, "__audit_name__", None) or obj_or_class.__tablename__.removesuffix("_account")


def _is_secret(column: sa.Column) -> bool:
    return bool(column.info.get("secret")) or column.key.endswith(("password_hash", "token_hash"))


class _Text(str):
    """A string value that is personal free text: it enters the payload only as an erasable reference."""

    __slots__ = ()


_SECRET = object()  # stands for a secret column's value: only "it changed" is ever recorded


def _plain(column: sa.Column, value: Any) -> Any:
    """A column value as JSON-able data, captured at flush time (later in-place edits cannot change it)."""
    if _is_secret(column):
        return _SECRET
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(value)
    text = value if isinstance(value, str) else ledger.canonical_json(value).decode()
    return text if column.info.get("audit_plain") else _Text(text)


def value_ref(salt: str, value: str) -> str:
    """The reference an erasable value is known by in the hashed payload: sha256(salt || value), hex.

    Raises ValueError if `salt` is not hex."""
    return hashlib.sha256(bytes.fromhex(salt) + value.encode()).hexdigest()


class _Values:
    """Turns captured values into payload-safe JSON: personal free text becomes an erasable reference."""

    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id
        self.rows: list[dict[str, Any]] = []

    def encode(self, value: Any) -> Any:
        if not isinstance(value, _Text):
            return value
        salt = secrets.token_hex(16)
        ref = value_ref(salt, value)
        self.rows.append({"ref": ref, "organisation_id": self.organisation_id, "salt": salt, "value": str(value)})
        return {"ref": ref}

    def changes(self, raw: dict[str, tuple[Any, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, (before, after) in raw.items():
            if before is _SECRET or after is _SECRET:
                out[key] = {"changed": True}
            else:
                out[key] = {"before": self.encode(before), "after": self.encode(after)}
        return out


def _unknown_befores(obj: Any) -> list[str]:
    """Attributes being updated whose old value the session never loaded (set while expired, or flag_modified)."""
    state = sa.inspect(obj)
    keys = []
    for column in state.mapper.columns:
        key = column.key
        if key in QUIET_COLUMNS or key not in state.attrs:
            continue
        history = state.attrs[key].history
        if history.added and not history.deleted:
            keys.append(key)
    return keys


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Read from the database the old values the session does not know, so diffs never show a false blank."""
    known: dict[int, dict[str, Any]] = {}
    for obj in session.dirty:
        table = getattr(obj, "__tablename__", None)
        if table is None or table in SKIP_TABLES or _organisation_id(obj) is None:
            continue
        keys = _unknown_befores(obj)
        state = sa.inspect(obj)
        if not keys or state.identity is None:
            continue
        mapper = state.mapper
        where = [column == value for column, value in zip(mapper.primary_key, state.identity, strict=True)]
        row = session.connection().execute(sa.select(*[mapper.columns[key] for key in keys]).where(*where)).first()
        if row is not None:
            known[id(obj)] = dict(zip(keys, row, strict=True))
    session.info[BEFORE_KEY] = known


def _changes(obj: Any, kind: str, known: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Field-level (before, after) for one flushed row, as plain values; secrets as _SECRET.

    `known` holds old values read by _before_flush for attributes the session had not loaded.
    """
    state = sa.inspect(obj)
    out: dict[str, tuple[Any, Any]] = {}
    for column in state.mapper.columns:
        key = column.key
        if key in QUIET_COLUMNS or key not in state.attrs:
            continue
        attr = state.attrs[key]
        if kind == "update":
            history = attr.history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else known.get(key)
            after = history.added[0] if history.added else attr.value
            if before == after:
                continue
        elif kind == "insert":
            before, after = None, attr.value
            if after is None:
                continue
        else:
            before, after = attr.value, None
        out[key] = (_plain(column, before), _plain(column, after))
    return out


def _initiative_id(obj: Any) -> int | None:
    if obj.__tablename__ == "initiative":
        return obj.id
    if hasattr(obj, "audit_initiative_id"):
        return obj.audit_initiative_id
    return getattr(obj, "initiative_id", None)


def _organisation_id(obj: Any) -> int | None:
    if obj.__tablename__ == "organisation":
        return obj.id
    return getattr(obj, "organisation_id", None)


def _lock_head(connection: sa.Connection, organisation_id: int) -> tuple[int, str, str | None]:
    """Create the head row if need be, lock it until the transaction ends and read it: one round trip.

    The no-op DO UPDATE takes the row lock on PostgreSQL (as SELECT ... FOR UPDATE would, waiting for the
    current holder and then seeing its committed head) and RETURNING reads the head under that lock. On
    SQLite the write itself takes the database's write lock. Every round trip made while holding the lock
    is paid by every writer of the organisation, so there is only this one before the inserts.
    """
    table = AuditChainHead.__table__
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    row = connection.execute(
        dialect_insert(table)
        .values(organisation_id=organisation_id, seq=0, hash=ledger.GENESIS_HASH.hex())
        .on_conflict_do_update(index_elements=[table.c.organisation_id], set_={"seq": table.c.seq})
        .returning(table.c.seq, table.c.hash, table.c.frontier)
    ).one()
    return row.seq, row.hash, row.frontier


def lock_chain_head(connection: sa.Connection, organisation_id: int) -> tuple[int, str]:
    """Lock the organisation's chain head until the transaction ends; returns its (seq, hash)."""
    seq, digest, _frontier = _lock_head(connection, organisation_id)
    return seq, digest


def rebuild_merkle_state(connection: sa.Connection, organisation_id: int, size: int) -> ledger.Frontier | None:
    """Recompute the frontier and stored nodes of events 1..size from the stored hashes (a chain written
    before the Merkle state was kept). Reads the chain once. None when the events are not 1..size (a
    damaged chain: appends go on without the state, proofs are refused and `flask audit verify` says why)."""
    frontier = ledger.Frontier()
    nodes: list[dict[str, Any]] = []
    events = AuditEvent.__table__
    rows = connection.execute(
        sa.select(events.c.hash)
        .where(events.c.organisation_id == organisation_id, events.c.seq <= size)
        .order_by(events.c.seq)
        .execution_options(yield_per=5000)
    )
    for (digest,) in rows:
        nodes.extend(_stored_nodes(organisation_id, frontier.append(bytes.fromhex(digest))))
    if frontier.size != size:
        return None
    table = AuditMerkleNode.__table__
    connection.execute(sa.delete(table).where(table.c.organisation_id == organisation_id))
    if nodes:
        connection.execute(sa.insert(table), nodes)
    return frontier


def _stored_nodes(organisation_id: int, completed: list[tuple[int, int, bytes]]) -> list[dict[str, Any]]:
    return [
        {"organisation_id": organisation_id, "level": level, "position": position, "hash": digest.hex()}
        for level, position, digest in completed
        if level >= ledger.NODE_LEVEL
    ]


def append_events(connection: sa.Connection, organisation_id: int, events: list[dict[str, Any]]) -> list[int]:
    """Append events (dicts: action, entity_type, entity_id, actor_id, changes, details) to one chain."""
    seq, prev, stored_frontier = _lock_head(connection, organisation_id)
    frontier: ledger.Frontier | None
    if stored_frontier is None and seq:
        frontier = rebuild_merkle_state(connection, organisation_id, seq)
    else:
        frontier = ledger.Frontier.decode(seq, stored_frontier or "")
    nodes: list[dict[str, Any]] = []
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    rows = []
    for event in events:
        seq += 1
        body = {
            "v": 1,
            "org": organisation_id,
            "seq": seq,
            "at": now.isoformat() + "Z",
            "actor": event.get("actor_id"),
            "action": event["action"],
            "entity": event["entity_type"],
            "entity_id": event.get("entity_id"),
            "initiative": event.get("initiative_id"),
            "changes": event.get("changes") or {},
            "details": event.get("details") or {},
        }
        payload = ledger.canonical_json(body)
        raw = ledger.event_hash(bytes.fromhex(prev), payload)
        if frontier is not None:
            nodes.extend(_stored_nodes(organisation_id, frontier.append(raw)))
        digest = raw.hex()
        rows.append(
            {
                "organisation_id": organisation_id,
                "seq": seq,
                "occurred_at": now,
                "actor_id": event.get("actor_id"),
                "action": event["action"],
                "entity_type": event["entity_type"],
                "entity_id": event.get("entity_id"),
                "initiative_id": event.get("initiative_id"),
                "payload": payload.decode(),
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    head = AuditChainHead.__table__
    move_head = (
        sa.update(head)
        .where(head.c.organisation_id == organisation_id)
        .values(seq=seq, hash=prev, frontier=frontier.encode() if frontier is not None else None)
    )
    if connection.dialect.name == "postgresql" and len(rows) <= ONE_STATEMENT_ROWS:
        # One round trip for the events, any completed subtrees and the new head (data-modifying CTEs run
        # whether or not the UPDATE refers to them): every round trip made holding the head's lock is paid
        # by every writer of the organisation, and a report download's statements are counted (DESIGN §10).
        writes = [sa.insert(AuditEvent.__table__).values(rows).cte("appended_events")]
        if nodes:
            writes.append(sa.insert(AuditMerkleNode.__table__).values(nodes).cte("appended_nodes"))
        connection.execute(move_head.add_cte(*writes))
        return [row["seq"] for row in rows]
    connection.execute(sa.insert(AuditEvent.__table__), rows)
    if nodes:  # one append in 2**(NODE_LEVEL-1) or so completes a stored subtree
        connection.execute(sa.insert(AuditMerkleNode.__table__), nodes)
    connection.execute(move_head)
    return [row["seq"] for row in rows]


@dataclass
class _Pending:
    """An event waiting for the commit: raw changes, so later flushes of the same row can merge into it."""

    organisation_id: int
    key: tuple[str, int] | None  # (entity type, id) for row events; None for record() events (never merged)
    kind: str  # insert, update, delete, or "record"
    action: str
    named: bool
    entity_type: str
    entity_id: int | None
    initiative_id: int | None
    actor_id: int | None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def absorb(self, later: _Pending) -> bool:
        """Fold a later flush of the same row into this event, if it is the same kind of change."""
        if self.key is None or later.key != self.key or later.kind != "update" or self.kind == "delete":
            return False
        if later.actor_id != self.actor_id or (self.named and later.named and later.action != self.action):
            return False
        for name, (before, after) in later.changes.items():
            first = self.changes[name][0] if name in self.changes else before
            if self.kind == "insert":
                if after is None:
                    self.changes.pop(name, None)
                else:
                    self.changes[name] = (None, after)
            elif first == after and after is not _SECRET:
                self.changes.pop(name, None)  # changed and changed back: nothing to record
            else:
                self.changes[name] = (first, after)
        if later.named and not self.named:
            self.action, self.named = later.action, True
        self.details.update(later.details)
        return True


def _pending(session: Session) -> list[_Pending]:
    return session.info.setdefault(PENDING_KEY, [])


def _add(session: Session, event: _Pending) -> None:
    pending = _pending(session)
    for earlier in reversed(pending):
        if earlier.key == event.key and earlier.organisation_id == event.organisation_id:
            if earlier.absorb(event):
                return
            break
    pending.append(event)


def record(
    session: Session,
    action: str,
    organisation_id: int,
    entity_type: str,
    entity_id: int | None = None,
    *,
    actor_id: int | None = None,
    use_current_actor: bool = True,
    initiative_id: int | None = None,
    **details: Any,
) -> None:
    """Add an event that is not a row change (login, export, report, share-link use) to this transaction.

    It is appended to the chain when the session commits (and dropped if it rolls back), in order with
    the row events. Details must not carry personal free text: pass ids and codes. The caller commits.
    """
    actor = _actor_id(session) if use_current_actor and actor_id is None else actor_id
    _add(
        session,
        _Pending(
            organisation_id=organisation_id,
            key=None,
            kind="record",
            action=action,
            named=True,
            entity_type=entity_type,
            entity_id=entity_id,
            initiative_id=initiative_id,
            actor_id=actor,
            details=details,
        ),
    )


_DEFAULT_VERB = {"insert": "created", "update": "updated", "delete": "deleted"}


def _after_flush(session: Session, flush_context: Any) -> None:
    names: dict[int, tuple[str, dict]] = session.info.get(NAMES_KEY, {})
    befores: dict[int, dict[str, Any]] = session.info.pop(BEFORE_KEY, None) or {}
    actor = _actor_id(session)
    for kind, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in SKIP_TABLES:
                continue
            organisation_id = _organisation_id(obj)
            if organisation_id is None:
                continue
            changes = _changes(obj, kind, befores.get(id(obj), {}))
            if kind == "update" and not changes and id(obj) not in names:
                continue
            entity = entity_name(obj)
            named = id(obj) in names
            action, details = names.pop(id(obj), (f"{entity}.{_DEFAULT_VERB[kind]}", {}))
            _add(
                session,
                _Pending(
                    organisation_id=organisation_id,
                    key=(entity, obj.id),
                    kind=kind,
                    action=action,
                    named=named,
                    entity_type=entity,
                    entity_id=obj.id,
                    initiative_id=_initiative_id(obj),
                    actor_id=actor,
                    changes=changes,
                    details=dict(details),
                ),
            )


def _before_commit(session: Session) -> None:
    """Append everything this transaction did to the chains, just before it commits."""
    session.flush()  # capture the last changes first; the commit would flush them after this hook
    pending = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    by_org: dict[int, list[dict[str, Any]]] = {}
    value_rows: list[dict[str, Any]] = []
    for event in pending:
        values = _Values(event.organisation_id)
        by_org.setdefault(event.organisation_id, []).append(
            {
                "action": event.action,
                "entity_type": event.entity_type,
                "entity_id": event.entity_id,
                "initiative_id": event.initiative_id,
                "actor_id": event.actor_id,
                "changes": values.changes(event.changes),
                "details": event.details,
            }
        )
        value_rows.extend(values.rows)
    connection = session.connection()
    if value_rows:
        connection.execute(sa.insert(AuditValue.__table__), value_rows)
    # A fixed lock order means two transactions touching the same organisations cannot deadlock.
    for organisation_id in sorted(by_org):
        append_events(connection, organisation_id, by_org[organisation_id])


def _forget(session: Session, *args: Any) -> None:
    session.info.pop(NAMES_KEY, None)
    session.info.pop(ACTOR_KEY, None)
    session.info.pop(PENDING_KEY, None)
    session.info.pop(BEFORE_KEY, None)


def install(session_class: type[Session]) -> None:
    """Attach the capture hooks to every session of the given class (once per process)."""
    if sa.event.contains(session_class, "after_flush", _after_flush):
        return
    sa.event.listen(session_class, "before_flush", _before_flush)
    sa.event.listen(session_class, "after_flush", _after_flush)
    sa.event.listen(session_class, "before_commit", _before_commit)
    sa.event.listen(session_class, "after_commit", _forget)
    sa.event.listen(session_class, "after_soft_rollback", _forget)
