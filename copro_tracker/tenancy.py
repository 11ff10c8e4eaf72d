"""The one place that scopes queries for organisation-owned rows to the acting user's organisation.

Routes and services never filter by organisation themselves; they ask here, so a forgotten filter
cannot leak another council's records. A row of another organisation is indistinguishable from a
row that does not exist (404), which also stops ids being probed.
"""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort

from .extensions import db

M = TypeVar("M")

# Ids are 32-bit integers in the database; PostgreSQL rejects a larger value with an error, not "no row".
MAX_ID = 2**31 - 1


def parse_id(value: object) -> int | None:
    """A database id from untrusted input (form field, query string), or None if it cannot be one."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def scoped(model: type[M], organisation_id: int, *criteria: Any) -> sa.Select[tuple[M]]:
    column = model.organisation_id  # type: ignore[attr-defined]
    return sa.select(model).where(column == organisation_id, *criteria)


def get_scoped(model: type[M], ident: int, organisation_id: int) -> M | None:
    if parse_id(ident) is None:
        return None
    return db.session.scalar(scoped(model, organisation_id, model.id == ident))  # type: ignore[attr-defined]


def get_scoped_or_404(model: type[M], ident: int, organisation_id: int) -> M:
    row = get_scoped(model, ident, organisation_id)
    if row is None:
        abort(404)
    return row
