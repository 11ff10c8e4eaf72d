"""Snapshot dataclasses (criteria/snapshot.py, and any other frozen dataclass of plain values) as JSON and back.

A report as at today reads its initiative's stored snapshot (reports/stored_summary.py) instead of loading
the facts in ten queries; this is how the snapshot is written and read. A dataclass becomes the list of its
field values in declaration order, a date or time its ISO form, an enum its value, a tuple a list. Decoding
follows each field's declared type, so what is read back equals what was written
(tests/unit/test_snapshot_codec.py). Pure: no Flask, no database.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    return value


def decode(kind: type, data: Any) -> Any:
    """The value of type ``kind`` that ``encode`` turned into ``data``."""
    return _decoder(kind)(data)


def _identity(value: Any) -> Any:
    return value


@cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(options) != 1:
            raise TypeError(f"cannot decode {hint!r}")
        inner = _decoder(options[0])
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"cannot decode {hint!r}")
        item = _decoder(args[0])
        return lambda value: tuple(item(v) for v in value)
    if hint is datetime:
        return datetime.fromisoformat
    if hint is date:
        return date.fromisoformat
    if hint is float:
        return float
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(hint) if f.init]

        def make(value: list) -> Any:
            return hint(**{name: read(item) for (name, read), item in zip(fields, value, strict=True)})

        return make
    if hint in (int, str, bool, Any):
        return _identity
    raise TypeError(f"cannot decode {hint!r}")
