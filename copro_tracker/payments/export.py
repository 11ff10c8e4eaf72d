"""The finance export and a person's own payments as table rows, and as CSV through the one CSV writer.

Amounts are written as plain numbers of pounds (25.50), so a spreadsheet adds them up; the last row is the
total of the rows above it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .. import csv_export
from ..codes import PAYMENT_STATUS_LABELS, RECIPROCITY_KIND_LABELS
from ..domain.payments import pounds_plain
from ..models import ReciprocityEntry

FINANCE_HEADERS = (
    "Person",
    "Initiative",
    "Activity",
    "Kind",
    "Amount (GBP)",
    "Status",
    "Approved by",
    "Approved on",
    "Paid on",
    "Payment reference",
)
OWN_HEADERS = ("Initiative", "Activity", "Date", "Kind", "Amount (GBP)", "Status", "Paid on", "Payment reference")


@dataclass(frozen=True)
class Totals:
    count: int
    pence: int
    # kind label -> (count, pence), in the order first seen
    by_kind: dict[str, tuple[int, int]]


def _kind(entry: ReciprocityEntry) -> str:
    return RECIPROCITY_KIND_LABELS[entry.kind] if entry.kind else "Not chosen yet"


def totals(entries: Iterable[ReciprocityEntry]) -> Totals:
    count = pence = 0
    by_kind: dict[str, tuple[int, int]] = {}
    for entry in entries:
        count += 1
        pence += entry.amount_pence
        n, p = by_kind.get(_kind(entry), (0, 0))
        by_kind[_kind(entry)] = (n + 1, p + entry.amount_pence)
    return Totals(count, pence, by_kind)


def finance_rows(entries: Sequence[ReciprocityEntry]) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            e.user.display_name,
            e.initiative.title,
            e.activity.title if e.activity else "",
            _kind(e),
            pounds_plain(e.amount_pence),
            PAYMENT_STATUS_LABELS[e.status],
            e.approved_by.display_name if e.approved_by else "",
            e.approved_at.date() if e.approved_at else None,
            e.paid_on,
            e.paid_reference,
        ]
        for e in entries
    ]
    rows.append(["Total", "", "", f"{len(entries)} items", pounds_plain(sum(e.amount_pence for e in entries))])
    return rows


def own_rows(entries: Sequence[ReciprocityEntry]) -> list[list[object]]:
    return [
        [
            e.initiative.title,
            e.activity.title if e.activity else "",
            e.occurred_on,
            _kind(e),
            pounds_plain(e.amount_pence),
            PAYMENT_STATUS_LABELS[e.status],
            e.paid_on,
            e.paid_reference,
        ]
        for e in entries
    ]


def to_csv(headers: Sequence[str], rows: Iterable[Iterable[object]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheets read names with accents correctly."""
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
