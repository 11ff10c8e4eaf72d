"""What the migrations share: refusing a downgrade that would delete data, and putting the audit table's
append-only triggers back after SQLite rebuilds the table.

Imported only by migrations/versions/*.py (inside Alembic's migration context).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import sqlalchemy as sa
from alembic import context, op

# `flask db downgrade --x-arg force=1 …`, or this variable set to 1, lets a downgrade delete data.
FORCE_VARIABLE = "COPRO_MIGRATION_FORCE"


class DataWouldBeLost(RuntimeError):
    """A downgrade would drop tables or columns that hold data, and was not forced."""


def forced() -> bool:
    arguments = context.get_x_argument(as_dictionary=True)
    value = str(arguments.get("force", "")).lower() or os.environ.get(FORCE_VARIABLE, "")
    return value in {"1", "true", "yes"}


def refuse_to_drop_data(revision: str, *, tables: Iterable[str] = (), columns: Iterable[tuple[str, str]] = ()) -> None:
    """Stop a downgrade, before it changes anything, if it would drop these tables or columns with data in them."""
    if forced():
        return
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    quote = bind.dialect.identifier_preparer.quote
    losing = [
        table
        for table in tables
        if table in existing and bind.execute(sa.text(f"SELECT 1 FROM {quote(table)} LIMIT 1")).first()  # noqa: S608
    ]
    losing += [
        f"{table}.{column}"
        for table, column in columns
        if table in existing
        and bind.execute(
            sa.text(f"SELECT 1 FROM {quote(table)} WHERE {quote(column)} IS NOT NULL LIMIT 1")  # noqa: S608
        ).first()
    ]
    if losing:
        raise DataWouldBeLost(
            f"Refusing to downgrade below revision {revision}: it would delete the data in "
            f"{', '.join(losing)}. Take a backup first ('flask backup'); if you mean it, run the downgrade again "
            f"with '--x-arg force=1' (or {FORCE_VARIABLE}=1)."
        )


def restore_audit_event_triggers() -> None:
    """SQLite: put back audit_event's append-only triggers, which a batch rebuild of the table drops.

    A batch operation that SQLite cannot do in place (dropping a column, for one) copies the table to a new
    one and drops the old: its triggers go with it, silently. Idempotent; nothing to do on PostgreSQL,
    whose ALTER TABLE keeps triggers.
    """
    if op.get_bind().dialect.name != "sqlite":
        return
    from copro_tracker.models.audit import SQLITE_TRIGGERS

    for name in ("audit_event_no_update", "audit_event_no_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in SQLITE_TRIGGERS:
        op.execute(statement)
