"""Dates and times go through one helper: Welsh month names, and UTC times shown on the UK's clock."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import force_locale

from copro_tracker.formatting import format_date, format_datetime, format_number


def test_dates_in_english_and_welsh(app: Flask) -> None:
    with app.test_request_context():
        assert format_date(date(2026, 3, 7)) == "7 March 2026"
        with force_locale("cy"):
            assert format_date(date(2026, 3, 7)) == "7 Mawrth 2026"
            assert format_date(date(2026, 11, 26)) == "26 Tachwedd 2026"


def test_times_are_shown_in_europe_london(app: Flask) -> None:
    summer = datetime(2026, 7, 1, 23, 30)  # stored UTC: already 2 July in London (BST, UTC+1)
    winter = datetime(2026, 1, 15, 9, 5)  # GMT: the same as UTC
    with app.test_request_context():
        assert format_datetime(summer) == "2 July 2026 at 00:30"
        assert format_date(summer) == "2 July 2026"
        assert format_datetime(winter) == "15 January 2026 at 09:05"
        with force_locale("cy"):
            assert format_datetime(summer) == "2 Gorffennaf 2026 am 00:30"


def test_numbers_are_grouped(app: Flask) -> None:
    with app.test_request_context():
        assert format_number(12345) == "12,345"
        assert format_number(None) == ""
