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


def scoped(model: type[M], organisation_id: int, *criteria: Any) -> sa.Select[tuple[M]]:
    column = model.organisation_id  # type: ignore[attr-defined]
    return sa.select(model).where(column == organisation_id, *criteria)


def get_scoped(model: type[M], ident: int, organisation_id: int) -> M | None:
    return db.session.scalar(scoped(model, organisation_id, model.id == ident))  # type: ignore[attr-defined]


def get_scoped_or_404(model: type[M], ident: int, organisation_id: int) -> M:
    row = get_scoped(model, ident, organisation_id)
    if row is None:
        abort(404)
    return row
