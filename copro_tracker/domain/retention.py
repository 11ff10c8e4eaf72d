"""When a record falls due for disposal: pure date arithmetic, no database."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day past the end of a shorter month becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(closed_on: date | None, months: int | None) -> date | None:
    """When records of an initiative closed on `closed_on` fall due (None: never, or not closed yet)."""
    if closed_on is None or months is None:
        return None
    return add_months(closed_on, months)
