"""Payments for involvement: the steps an offer or an expense claim goes through, who may approve it, the
UK financial year a person's running total is counted in, and amounts in pence.

An offer is made (OFFERED); the person chooses how they are paid, or "no payment, thank you" (DECLINED, a
choice like any other, which they may change until it is approved). An expense claim starts waiting for
approval. Someone other than the person paid and other than whoever recorded the choice or made the
claim approves it; then it is marked paid with a reference and date. Nothing is deleted: anything not yet
paid can be withdrawn, with a reason. Services, pages and the permission policy all ask these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ..codes import N_, PaymentStatus, ReciprocityKind

S = PaymentStatus

# Each step: the statuses it may start from. Choosing again before approval is allowed: people change
# their minds, and "no payment, thank you" is not final until something else happens.
STEPS: dict[str, frozenset[PaymentStatus]] = {
    "change_offer": frozenset({S.OFFERED}),
    "choose": frozenset({S.OFFERED, S.AWAITING_APPROVAL, S.DECLINED}),
    "approve": frozenset({S.AWAITING_APPROVAL}),
    "mark_paid": frozenset({S.APPROVED}),
    "withdraw": frozenset({S.OFFERED, S.AWAITING_APPROVAL, S.DECLINED, S.APPROVED}),
}
# Statuses whose amount counts towards the person's total for the year (agreed, on its way or paid).
COUNTED = frozenset({S.AWAITING_APPROVAL, S.APPROVED, S.PAID})
# Statuses the finance export lists.
FOR_FINANCE = frozenset({S.APPROVED, S.PAID})

REFUSALS = {
    "change_offer": N_("The offer can only be changed before the person has chosen"),
    "choose": N_("A choice can only be made or changed before it is approved"),
    "approve": N_("Only something waiting for approval can be approved"),
    "mark_paid": N_("Only an approved payment can be marked as paid"),
    "withdraw": N_("Something already paid or withdrawn cannot be withdrawn"),
}


class StepRefused(ValueError):
    """The step cannot be taken from the item's current status."""


def allowed(status: PaymentStatus, step: str) -> bool:
    return PaymentStatus(status) in STEPS[step]


def after(status: PaymentStatus, step: str, choice: ReciprocityKind | None = None) -> PaymentStatus:
    """The status after taking ``step`` from ``status``; StepRefused (with a plain message) if it cannot be taken."""
    if not allowed(status, step):
        raise StepRefused(REFUSALS[step])
    if step == "choose":
        if choice is None:
            raise StepRefused(N_("Choose how you would like to be paid, or no payment"))
        return S.DECLINED if ReciprocityKind(choice) is ReciprocityKind.DECLINED else S.AWAITING_APPROVAL
    return {
        "change_offer": S.OFFERED,
        "approve": S.APPROVED,
        "mark_paid": S.PAID,
        "withdraw": S.WITHDRAWN,
    }[step]


def may_approve(approver_id: int, person_id: int, claimant_id: int | None) -> bool:
    """Nobody approves a payment to themselves, nor one they chose or claimed (for themselves or another)."""
    return approver_id != person_id and approver_id != claimant_id


# ---------------------------------------------------------------------------------------------------
# The UK tax and benefits year runs from 6 April to 5 April.


def financial_year(day: date) -> tuple[date, date]:
    """The first and last day of the UK financial year ``day`` falls in."""
    start_year = day.year if (day.month, day.day) >= (4, 6) else day.year - 1
    return date(start_year, 4, 6), date(start_year + 1, 4, 5)


@dataclass(frozen=True)
class YearItem:
    """What the running total needs of one offer or claim."""

    kind: ReciprocityKind | None
    status: PaymentStatus
    amount_pence: int
    on: date


@dataclass(frozen=True)
class YearTotal:
    start: date
    end: date
    # Payments, vouchers, time credits and things in kind agreed, approved or paid in the year.
    earnings_pence: int
    # Expenses repaid or waiting: shown apart, because repaying costs is not payment for time.
    expenses_pence: int


def year_total(items: Iterable[YearItem], day: date) -> YearTotal:
    start, end = financial_year(day)
    earnings = expenses = 0
    for item in items:
        if item.status not in COUNTED or not (start <= item.on <= end):
            continue
        if item.kind is ReciprocityKind.EXPENSES:
            expenses += item.amount_pence
        else:
            earnings += item.amount_pence
    return YearTotal(start, end, earnings, expenses)


def over_threshold(total: YearTotal, adding_pence: int, threshold_pence: int | None) -> bool:
    """Whether accepting ``adding_pence`` more would take the year's earnings past the warning threshold.

    No threshold set (None or 0) means no warning. The app warns; it never advises.
    """
    if not threshold_pence:
        return False
    return total.earnings_pence + adding_pence > threshold_pence


def offer_amount(unit_pence: int, units: int) -> int:
    """The amount a rate gives for ``units`` hours (a rate per hour) or sessions (a rate per session)."""
    return max(unit_pence, 0) * max(units, 0)


# ---------------------------------------------------------------------------------------------------
# Money: always whole pence in the database and in the core; pounds only where people read or type.

MAX_PENCE = 10_000_000  # £100,000: far above any single involvement payment; a typing slip, not a payment


def parse_pounds(text: str) -> int | None:
    """Pence from an amount typed in pounds ("25", "25.50", "£1,025.5"); None if it is not a valid amount."""
    cleaned = (text or "").replace("£", "").replace(",", "").strip()
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:
        return None
    pence = int(amount * 100)
    return pence if pence <= MAX_PENCE else None


def pounds(pence: int | None) -> str:
    """An amount for people to read: £1,025.50."""
    return f"£{(pence or 0) / 100:,.2f}"


def pounds_plain(pence: int | None) -> str:
    """An amount for a spreadsheet: 1025.50, no currency sign or separators, so it adds up."""
    value = pence or 0
    return f"{value // 100}.{value % 100:02d}"
