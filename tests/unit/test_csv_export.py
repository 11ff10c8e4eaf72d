"""The one CSV writer: formula-leading cells are defused, genuine numbers stay numbers, nobody bypasses it."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from copro_tracker import csv_export

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("@SUM(1)", "'@SUM(1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals sign, which some spreadsheets accept as '='
        ("\uff0bcmd", "'\uff0bcmd"),
        ("\uff0d1+cmd", "'\uff0d1+cmd"),
        ("\uff20SUM(1)", "'\uff20SUM(1)"),
        ("-", "'-"),
        ("+44 1632 960000", "'+44 1632 960000"),  # not a plain number, so it could be a formula
        ("Day opportunities = better", "Day opportunities = better"),  # only the first character matters
        ("", ""),
        (None, ""),
        ("-5", "-5"),  # a genuinely numeric text stays readable as a number
        ("-12.50", "-12.50"),
        ("+3", "+3"),
        (-5, "-5"),
        (2.5, "2.5"),
        (Decimal("-1.25"), "-1.25"),
        (date(2026, 3, 1), "2026-03-01"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_prefixed(value, written):
    assert csv_export.safe_cell(value) == written


def test_writer_escapes_every_cell_and_round_trips():
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow(["title", "amount"])
    writer.writerows([["=1+1", -5], ["plain, with comma", "-7"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["title", "amount"], ["'=1+1", "-5"], ["plain, with comma", "-7"]]
    assert out.getvalue().endswith("\r\n")


def test_no_module_writes_csv_except_through_the_one_writer():
    """A new export that calls csv.writer directly would skip the formula escaping."""
    offenders = []
    for path in (ROOT / "copro_tracker").rglob("*.py"):
        if path.name == "csv_export.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"\bcsv\.(writer|DictWriter)\b|from\s+csv\s+import", source):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
