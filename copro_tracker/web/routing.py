"""URL converters."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from ..tenancy import MAX_ID


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` bounded to the id column's range, so /initiatives/99999999999 is a 404, not a database error."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
