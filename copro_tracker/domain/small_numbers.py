"""Small-number suppression for published counts about people: defined once, pure, unit-tested.

A count from 1 to 4 in a table about people can single someone out ("the only partner co-lead who is an
unpaid carer and needs Easy Read"), so it is shown as "fewer than 5" (primary suppression). That is not
enough when totals are shown too: a row total minus the other cells gives the hidden one back. So, while
any row or column (with its total shown) has exactly one hidden cell, a second cell in it is hidden as
well, the smallest one that is not zero (secondary suppression); when there is no such cell the total
itself is hidden. Zero is never hidden: it says nothing about a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5


def is_small(count: int, threshold: int = THRESHOLD) -> bool:
    return 0 < count < threshold


@dataclass(frozen=True)
class Suppressed:
    """A grid of counts with totals; None marks a hidden number."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int | None


def suppress(grid: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> Suppressed:
    """Hide small counts in `grid` (rows × columns), and enough others that no total reveals one."""
    rows = [list(row) for row in grid]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("every row must have the same number of cells")
    if any(n < 0 for row in rows for n in row):
        raise ValueError("counts cannot be negative")
    hidden = {(r, c) for r, row in enumerate(rows) for c, n in enumerate(row) if is_small(n, threshold)}
    row_totals = [sum(row) for row in rows]
    column_totals = [sum(rows[r][c] for r in range(len(rows))) for c in range(width)]
    hidden_row_totals = {r for r, n in enumerate(row_totals) if is_small(n, threshold)}
    hidden_column_totals = {c for c, n in enumerate(column_totals) if is_small(n, threshold)}

    def lines() -> list[tuple[list[tuple[int, int]], bool, str, int]]:
        out = [([(r, c) for c in range(width)], r not in hidden_row_totals, "row", r) for r in range(len(rows))]
        out += [([(r, c) for r in range(len(rows))], c not in hidden_column_totals, "column", c) for c in range(width)]
        return out

    changed = True
    while changed:
        changed = False
        for cells, total_shown, kind, index in lines():
            inside = [cell for cell in cells if cell in hidden]
            if len(inside) != 1 or not total_shown:
                continue
            candidates = [cell for cell in cells if cell not in hidden and rows[cell[0]][cell[1]] > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda cell: (rows[cell[0]][cell[1]], cell)))
            elif kind == "row":
                hidden_row_totals.add(index)
            else:
                hidden_column_totals.add(index)
            changed = True
    grand = sum(row_totals)
    return Suppressed(
        cells=tuple(tuple(None if (r, c) in hidden else n for c, n in enumerate(row)) for r, row in enumerate(rows)),
        row_totals=tuple(None if r in hidden_row_totals else n for r, n in enumerate(row_totals)),
        column_totals=tuple(None if c in hidden_column_totals else n for c, n in enumerate(column_totals)),
        total=None if is_small(grand, threshold) else grand,
    )
