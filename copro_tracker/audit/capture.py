"""Automatic audit capture from the SQLAlchemy session.

Every flush that inserts, updates or deletes a domain row appends one event per row to the
organisation's chain, on the same connection and so in the same transaction: if the change commits,
its audit event commits; if it rolls back, so does the event. Services only *name* the action
(`name_action(obj, "stage.signed_off")`); anything unnamed gets `<entity>.created|updated|deleted`.

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
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy.orm import Session

from ..models.audit import AuditChainHead, AuditEvent, AuditValue
from . import ledger

SKIP_TABLES = frozenset({"audit_event", "audit_chain_head", "audit_value", "audit_checkpoint", "audit_verification"})
NAMES_KEY = "audit_action_names"
ACTOR_KEY = "audit_actor_id"
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


class _Values:
    """Turns column values into payload-safe JSON: personal free text becomes an erasable reference."""

    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id
        self.rows: list[dict[str, Any]] = []

    def encode(self, column: sa.Column, value: Any) -> Any:
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
        if column.info.get("audit_plain"):
            return text
        salt = secrets.token_hex(16)
        ref = hashlib.sha256(bytes.fromhex(salt) + text.encode()).hexdigest()
        self.rows.append({"ref": ref, "organisation_id": self.organisation_id, "salt": salt, "value": text})
        return {"ref": ref}


def _changes(obj: Any, kind: str, values: _Values) -> dict[str, Any]:
    state = sa.inspect(obj)
    out: dict[str, Any] = {}
    for column in state.mapper.columns:
        key = column.key
        if key in QUIET_COLUMNS or key not in state.attrs:
            continue
        attr = state.attrs[key]
        if kind == "update":
            history = attr.history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else attr.value
            if before == after:
                continue
        elif kind == "insert":
            before, after = None, attr.value
            if after is None:
                continue
        else:
            before, after = attr.value, None
        if _is_secret(column):
            out[key] = {"changed": True}
        else:
            out[key] = {"before": values.encode(column, before), "after": values.encode(column, after)}
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


def _lock_head(connection: sa.Connection, organisation_id: int) -> tuple[int, str]:
    table = AuditChainHead.__table__
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    connection.execute(
        dialect_insert(table)
        .values(organisation_id=organisation_id, seq=0, hash=ledger.GENESIS_HASH.hex())
        .on_conflict_do_nothing()
    )
    row = connection.execute(
        sa.select(table.c.seq, table.c.hash).where(table.c.organisation_id == organisation_id).with_for_update()
    ).one()
    return row.seq, row.hash


def append_events(connection: sa.Connection, organisation_id: int, events: list[dict[str, Any]]) -> list[int]:
    """Append events (dicts: action, entity_type, entity_id, actor_id, changes, details) to one chain."""
    seq, prev = _lock_head(connection, organisation_id)
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
        digest = ledger.event_hash(bytes.fromhex(prev), payload).hex()
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
    connection.execute(sa.insert(AuditEvent.__table__), rows)
    head = AuditChainHead.__table__
    connection.execute(sa.update(head).where(head.c.organisation_id == organisation_id).values(seq=seq, hash=prev))
    return [row["seq"] for row in rows]


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
    """Append an event that is not a row change (login, export, report, share-link use).

    Details must not carry personal free text: pass ids and codes. The caller commits.
    """
    actor = _actor_id(session) if use_current_actor and actor_id is None else actor_id
    event = {
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "actor_id": actor,
        "initiative_id": initiative_id,
    }
    append_events(session.connection(), organisation_id, [{**event, "details": details}])


def _after_flush(session: Session, flush_context: Any) -> None:
    names: dict[int, tuple[str, dict]] = session.info.get(NAMES_KEY, {})
    actor = _actor_id(session)
    by_org: dict[int, list[dict[str, Any]]] = {}
    value_rows: list[dict[str, Any]] = []
    for kind, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in SKIP_TABLES:
                continue
            organisation_id = _organisation_id(obj)
            if organisation_id is None:
                continue
            values = _Values(organisation_id)
            changes = _changes(obj, kind, values)
            if kind == "update" and not changes and id(obj) not in names:
                continue
            entity = entity_name(obj)
            default = {"insert": "created", "update": "updated", "delete": "deleted"}[kind]
            action, details = names.pop(id(obj), (f"{entity}.{default}", {}))
            value_rows.extend(values.rows)
            by_org.setdefault(organisation_id, []).append(
                {
                    "action": action,
                    "entity_type": entity,
                    "entity_id": obj.id,
                    "initiative_id": _initiative_id(obj),
                    "actor_id": actor,
                    "changes": changes,
                    "details": details,
                }
            )
    if not by_org:
        return
    connection = session.connection()
    if value_rows:
        connection.execute(sa.insert(AuditValue.__table__), value_rows)
    # A fixed lock order means two transactions touching the same organisations cannot deadlock.
    for organisation_id in sorted(by_org):
        append_events(connection, organisation_id, by_org[organisation_id])


def _forget(session: Session, *args: Any) -> None:
    session.info.pop(NAMES_KEY, None)
    session.info.pop(ACTOR_KEY, None)


def install(session_class: type[Session]) -> None:
    """Attach the capture hooks to every session of the given class (once per process)."""
    if sa.event.contains(session_class, "after_flush", _after_flush):
        return
    sa.event.listen(session_class, "after_flush", _after_flush)
    sa.event.listen(session_class, "after_commit", _forget)
    sa.event.listen(session_class, "after_soft_rollback", _forget)
