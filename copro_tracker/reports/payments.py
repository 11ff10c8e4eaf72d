"""The payments summary, for one initiative and for the portfolio: offers and claims by the person's choice or
kind, how many were paid, the total agreed, and the median days from the choice or claim to payment.

Pure: it reads the facts' reciprocity entries (withdrawn ones are not facts). In the portfolio, counts from
1 to 4 are shown as "fewer than 5" (domain.small_numbers), and so are amounts and medians that fewer than
five people share; no count totals are shown, so none can give a hidden count back. In an initiative
report, which names its members, an amount is shown only where two or more people share it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import median

from ..codes import N_, RECIPROCITY_KIND_LABELS, PaymentStatus, ReciprocityKind
from ..criteria.snapshot import InitiativeFacts, ReciprocityEntry
from ..domain.payments import COUNTED, pounds
from ..domain.small_numbers import THRESHOLD, is_small
from .common import _cols, _num
from .model import SUPPRESSED, Period, Section, Table
from .words import _

NOT_CHOSEN = N_("Offered, not chosen yet")
# Choices first, in the order people are offered them, then claims, then entries from before offers existed.
ORDER = (
    ReciprocityKind.PAYMENT,
    ReciprocityKind.VOUCHER,
    ReciprocityKind.TIME_CREDIT,
    ReciprocityKind.IN_KIND,
    ReciprocityKind.TRAINING,
    ReciprocityKind.DECLINED,
    None,
    ReciprocityKind.EXPENSES,
)


def in_period(facts_list: Iterable[InitiativeFacts], period: Period) -> list[ReciprocityEntry]:
    return [e for f in facts_list for e in f.reciprocity or () if e.on is None or period.covers(e.on)]


@dataclass(frozen=True, slots=True)
class KindFigures:
    """One choice or kind's figures: what the table shows, summed over any number of initiatives."""

    entries: int = 0
    people: frozenset[int] = frozenset()
    agreed: int = 0  # pence chosen, approved or paid
    paid: int = 0
    days: tuple[int, ...] = ()  # days from the choice or claim to payment, of each entry paid
    hours: int = 0


def figures(entries: Iterable[ReciprocityEntry]) -> dict[ReciprocityKind | None, KindFigures]:
    """Each choice or kind's figures, in table order (a kind without entries is left out)."""
    by_kind: dict[ReciprocityKind | None, list[ReciprocityEntry]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry)
    return {
        kind: KindFigures(
            entries=len(items),
            people=frozenset(e.user_id for e in items),
            agreed=sum(e.amount_pence for e in items if e.status in COUNTED),
            paid=sum(1 for e in items if e.status is PaymentStatus.PAID),
            days=tuple(d for d in (e.days_to_pay for e in items) if d is not None),
            hours=sum(int(e.hours) for e in items),
        )
        for kind in ORDER
        if (items := by_kind.get(kind))
    }


def merge(many: Iterable[Mapping[ReciprocityKind | None, KindFigures]]) -> dict[ReciprocityKind | None, KindFigures]:
    """The figures of several initiatives together (people counted once however many initiatives they are in)."""
    out: dict[ReciprocityKind | None, KindFigures] = {}
    for by_kind in many:
        for kind, f in by_kind.items():
            was = out.get(kind, KindFigures())
            out[kind] = KindFigures(
                was.entries + f.entries,
                was.people | f.people,
                was.agreed + f.agreed,
                was.paid + f.paid,
                was.days + f.days,
                was.hours + f.hours,
            )
    return {kind: out[kind] for kind in ORDER if kind in out}


def _count(n: int, suppress_small: bool) -> int | str:
    return _(SUPPRESSED) if suppress_small and is_small(n) else n


def payments_table(entries: Sequence[ReciprocityEntry], *, suppress_small: bool) -> Table:
    return figures_table(figures(entries), suppress_small=suppress_small)


def figures_table(by_kind: Mapping[ReciprocityKind | None, KindFigures], *, suppress_small: bool) -> Table:
    few = THRESHOLD if suppress_small else 2
    rows = []
    for kind, f in by_kind.items():
        agreed = f.agreed
        middle = median(f.days) if f.days else None
        if not agreed:
            amount = ""
        elif len(f.people) < few:
            amount = _("Not shown: fewer than 5 people") if suppress_small else _("Not shown: one person")
        else:
            amount = pounds(agreed)
        entries_cell = _count(f.entries, suppress_small)
        paid_cell = _count(f.paid, suppress_small)
        people_cell = _count(len(f.people), suppress_small)
        rows.append(
            (
                _(RECIPROCITY_KIND_LABELS[kind]) if kind else _(NOT_CHOSEN),
                entries_cell,
                people_cell,
                paid_cell,
                amount,
                "" if middle is None or (suppress_small and len(f.days) < THRESHOLD) else f"{middle:g}",
                f.hours,
            )
        )
    return Table(
        "recognition_by_kind",
        _("Payments and recognition by choice and kind"),
        _cols(
            ("kind", _("Choice or kind")),
            _num("entries", _("Offers and claims"), _("Withdrawn offers and claims are not counted")),
            _num("people", _("People")),
            _num("paid", _("Paid")),
            (
                "amount",
                _("Total agreed"),
                _("Chosen, approved or paid; shown only where enough people share it that no one's amount shows"),
            ),
            _num("median_days", _("Median days to pay"), _("From the choice or claim to the day it was paid")),
            _num("hours", _("Hours")),
        ),
        tuple(rows),
        empty=_("No offers or claims recorded."),
    )


def portfolio_section(facts_list: Sequence[InitiativeFacts], period: Period) -> Section:
    return figures_section(figures(in_period(facts_list, period)))


def figures_section(by_kind: Mapping[ReciprocityKind | None, KindFigures]) -> Section:
    """The portfolio's payments section from the figures of all its initiatives (``merge``)."""
    # No count totals are shown: a total beside suppressed cells would give them back.
    paragraph = (
        _(
            "Offers and expense claims by what people chose. 'No payment, thank you' is a choice respected and "
            "counted as an offer made. Numbers from 1 to 4 are shown as 'fewer than 5'."
        )
        if by_kind
        else _("No payments, offers or expense claims are recorded for these initiatives in this period.")
    )
    table = figures_table(by_kind, suppress_small=True)
    return Section("payments", _("Payments and recognition"), (paragraph,), (table,))
