"""Small-number suppression: no shown count from 1 to 4, and no hidden count recoverable from the totals."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copro_tracker.domain.small_numbers import suppress


@pytest.fixture(autouse=True)
def _app_context():
    """Overrides tests/conftest.py's fixture of this name: these tests need no app and no database."""
    yield


def test_small_counts_are_hidden_and_zero_is_not():
    out = suppress([[0, 12, 3]])
    assert out.cells == ((0, None, None),)  # 3 hidden; 12 hidden too, or 15 - 12 would give it back
    assert out.row_totals == (15,)


def test_a_second_cell_is_hidden_so_the_row_total_does_not_reveal_the_first():
    out = suppress([[2, 10, 20], [10, 10, 10]])
    row = out.cells[0]
    assert row[0] is None and sum(cell is None for cell in row) == 2


def test_columns_are_protected_as_well_as_rows():
    out = suppress([[1, 9], [9, 9], [9, 9]])
    column = [row[0] for row in out.cells]
    assert sum(cell is None for cell in column) >= 2


def test_a_total_is_hidden_when_no_other_cell_can_be():
    out = suppress([[3]])
    assert out.cells == ((None,),) and out.row_totals == (None,) and out.column_totals == (None,) and out.total is None


def _recoverable(out) -> bool:
    """True if some hidden cell is the only hidden one in a row or column whose total is shown."""
    for r, row in enumerate(out.cells):
        if sum(c is None for c in row) == 1 and out.row_totals[r] is not None:
            return True
    for c in range(len(out.cells[0]) if out.cells else 0):
        column = [row[c] for row in out.cells]
        if sum(x is None for x in column) == 1 and out.column_totals[c] is not None:
            return True
    return False


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.integers(1, 4).flatmap(
        lambda w: st.lists(st.lists(st.integers(0, 12), min_size=w, max_size=w), min_size=1, max_size=5)
    )
)
def test_no_small_number_shows_and_none_can_be_worked_out(grid):
    out = suppress(grid)
    shown = [c for row in out.cells for c in row if c is not None]
    totals = [t for t in (*out.row_totals, *out.column_totals, out.total) if t is not None]
    assert not any(0 < n < 5 for n in itertools.chain(shown, totals))
    assert not _recoverable(out)
    for r, row in enumerate(grid):
        for c, n in enumerate(row):
            assert out.cells[r][c] in (n, None)
            if n == 0:
                assert out.cells[r][c] == 0
