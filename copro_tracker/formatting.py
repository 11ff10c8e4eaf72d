"""Dates, times and numbers as people read them, in the request's language and the UK's time zone.

One place for every page, email and report the web layer makes: Babel spells the months ("26 November
2026", "26 Tachwedd 2026") and converts stored UTC times to Europe/London (BABEL_DEFAULT_TIMEZONE), so
a time reads as the clock on the wall did, GMT or BST. Outside a request (the command line) Babel
falls back to the default locale and time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from babel import Locale, dates, numbers
from flask_babel import format_date as _babel_date
from flask_babel import format_decimal, get_locale, to_user_timezone
from flask_babel import format_time as _babel_time
from flask_babel import gettext as _

# "26 November 2026": GOV.UK style, day without a leading zero, month in full, no weekday.
DATE_PATTERN = "d MMMM y"
TIME_PATTERN = "HH:mm"


def _aware(value: datetime) -> datetime:
    # Stored times are naive UTC; say so, so the conversion to Europe/London is right in summer too.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _babel_date(to_user_timezone(_aware(value)), DATE_PATTERN)
    locale = get_locale()
    if locale is None:
        return _babel_date(value, DATE_PATTERN)
    # A page lists many records of the same few days (the overview's 100 activities): Babel spelled each out again.
    return _day(value, locale)


@lru_cache(maxsize=4096)
def _day(value: date, locale: Locale) -> str:
    return dates.format_date(value, DATE_PATTERN, locale=locale)


def format_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return _babel_time(_aware(value), TIME_PATTERN)


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return _("%(date)s at %(time)s", date=format_date(value), time=format_time(value))


def format_number(value: float | int | None) -> str:
    if value is None:
        return ""
    locale = get_locale()
    if type(value) is int and locale is not None:
        # A report formats thousands of whole numbers per page, mostly the same few: Babel took most of its time.
        return _whole_number(value, str(locale))
    return format_decimal(value)


@lru_cache(maxsize=4096)
def _whole_number(value: int, locale: str) -> str:
    return numbers.format_decimal(value, locale=locale)
