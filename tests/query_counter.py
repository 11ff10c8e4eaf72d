"""Count SQL statements run by a callable (query counts are deterministic; timings are not)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from copro_tracker.extensions import db


def count_queries(action: Callable[[], object]) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = action()
        assert getattr(response, "status_code", 200) == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)
