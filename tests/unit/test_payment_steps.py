"""The payment steps, who may approve, the UK financial year and amounts: pure functions."""

from __future__ import annotations

from datetime import date

import pytest

from copro_tracker.codes import PaymentStatus as S
from copro_tracker.codes import ReciprocityKind as K
from copro_tracker.domain import payments as p


def test_an_offer_goes_offered_chosen_approved_paid():
    status = S.OFFERED
    status = p.after(status, "choose", K.PAYMENT)
    assert status is S.AWAITING_APPROVAL
    status = p.after(status, "approve")
    assert status is S.APPROVED
    assert p.after(status, "mark_paid") is S.PAID


def test_no_payment_thank_you_is_a_choice_that_can_change_until_approved():
    assert p.after(S.OFFERED, "choose", K.DECLINED) is S.DECLINED
    assert p.after(S.DECLINED, "choose", K.VOUCHER) is S.AWAITING_APPROVAL
    assert p.after(S.AWAITING_APPROVAL, "choose", K.DECLINED) is S.DECLINED
    with pytest.raises(p.StepRefused, match="before it is approved"):
        p.after(S.APPROVED, "choose", K.DECLINED)
    with pytest.raises(p.StepRefused):
        p.after(S.OFFERED, "choose", None)


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (S.OFFERED, "approve"),
        (S.DECLINED, "approve"),
        (S.AWAITING_APPROVAL, "mark_paid"),
        (S.PAID, "withdraw"),
        (S.WITHDRAWN, "withdraw"),
        (S.WITHDRAWN, "choose"),
        (S.AWAITING_APPROVAL, "change_offer"),
    ],
)
def test_steps_out_of_order_are_refused(status, step):
    assert not p.allowed(status, step)
    with pytest.raises(p.StepRefused):
        p.after(status, step, K.PAYMENT)


def test_anything_not_yet_paid_can_be_withdrawn():
    for status in (S.OFFERED, S.AWAITING_APPROVAL, S.DECLINED, S.APPROVED):
        assert p.after(status, "withdraw") is S.WITHDRAWN


def test_nobody_approves_their_own_or_what_they_claimed():
    assert p.may_approve(1, person_id=2, claimant_id=3)
    assert not p.may_approve(2, person_id=2, claimant_id=3)
    assert not p.may_approve(3, person_id=2, claimant_id=3)
    assert p.may_approve(1, person_id=2, claimant_id=None)


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2026, 4, 5), date(2025, 4, 6), date(2026, 4, 5)),
        (date(2026, 4, 6), date(2026, 4, 6), date(2027, 4, 5)),
        (date(2027, 1, 1), date(2026, 4, 6), date(2027, 4, 5)),
    ],
)
def test_the_uk_financial_year_runs_6_april_to_5_april(day, start, end):
    assert p.financial_year(day) == (start, end)


def test_the_year_total_counts_agreed_items_in_the_year_and_keeps_expenses_apart():
    items = [
        p.YearItem(K.PAYMENT, S.PAID, 5000, date(2026, 5, 1)),
        p.YearItem(K.VOUCHER, S.AWAITING_APPROVAL, 2000, date(2026, 6, 1)),
        p.YearItem(K.EXPENSES, S.APPROVED, 640, date(2026, 6, 1)),
        p.YearItem(K.PAYMENT, S.PAID, 9999, date(2026, 4, 5)),  # the year before
        p.YearItem(K.DECLINED, S.DECLINED, 3000, date(2026, 6, 1)),
        p.YearItem(K.PAYMENT, S.WITHDRAWN, 3000, date(2026, 6, 1)),
        p.YearItem(None, S.OFFERED, 3000, date(2026, 6, 1)),
    ]
    total = p.year_total(items, date(2026, 12, 1))
    assert (total.earnings_pence, total.expenses_pence) == (7000, 640)
    assert not p.over_threshold(total, 3000, 10000)
    assert p.over_threshold(total, 3001, 10000)
    assert not p.over_threshold(total, 10**6, None)


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("25", 2500),
        ("25.5", 2550),
        ("£1,025.50", 102550),
        ("0", 0),
        ("", None),
        ("-3", None),
        ("1.005", None),
        ("=1+2", None),
        ("nan", None),
        ("inf", None),
        ("100001", None),
    ],
)
def test_amounts_typed_in_pounds_become_pence(text, pence):
    assert p.parse_pounds(text) == pence


def test_amounts_are_shown_and_exported_exactly():
    assert p.pounds(102550) == "£1,025.50"
    assert p.pounds_plain(102550) == "1025.50" and p.pounds_plain(5) == "0.05"
    assert p.offer_amount(2000, 3) == 6000
