"""The one way this app writes CSV: every export goes through `writer`, so no cell can run as a formula.

A spreadsheet treats a cell that starts with =, +, -, @ (or their full-width forms, which some
spreadsheets normalise), a tab or a carriage return as a formula, so a title such as
`=HYPERLINK("http://evil.example","Click")` in a record would become a live link, and `+cmd|...` a
command, on the reader's machine. Following OWASP's advice such a cell is prefixed with an apostrophe,
which spreadsheets show as text and do not display.

Decision: a value that is genuinely a number is written as it is, so amounts such as -5 or -12.50 stay
numbers a spreadsheet can add up. That covers Python numbers and text made only of an optional sign,
digits and at most one decimal point: nothing in such text can be evaluated as anything but the number.
Everything else starting with a formula character ("-2+3", "+44 1632 960000") is prefixed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?", re.ASCII)


def safe_cell(value: Any) -> str:
    """The text written for one cell: dates as YYYY-MM-DD, numbers as they are, formula-like text defused."""
    if value is None:
        return ""
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeWriter:
    """csv.writer's row methods, with every cell passed through `safe_cell` first."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        options.setdefault("lineterminator", "\r\n")
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: IO[str], **options: Any) -> SafeWriter:
    return SafeWriter(stream, **options)
