"""The payments summary in reports: counts by choice and kind, totals, median days to pay, suppression."""

from __future__ import annotations

from datetime import date

from copro_tracker.codes import PaymentStatus as S
from copro_tracker.criteria.snapshot import ReciprocityEntry as E
from copro_tracker.reports import payments

DAY = date(2026, 6, 1)


def _paid(i: int, user: int, kind: str, pence: int, days: int) -> E:
    return E(i, user, kind, None, pence, 0, DAY, S.PAID, DAY, date.fromordinal(DAY.toordinal() + days))


def _rows(table) -> dict[str, dict]:
    return {row["kind"]: row for row in table.as_dicts()}


def test_initiative_summary_counts_choices_offers_and_claims_with_median_days():
    entries = [
        _paid(1, 1, "payment", 2500, 10),
        _paid(2, 2, "payment", 2500, 20),
        _paid(3, 3, "payment", 2500, 40),
        E(4, 4, "declined", None, 2500, 0, DAY, S.DECLINED, DAY),
        E(5, 5, None, None, 2500, 0, DAY, S.OFFERED),
        E(6, 1, "expenses", None, 640, 0, DAY, S.AWAITING_APPROVAL, DAY),
    ]
    rows = _rows(payments.payments_table(entries, suppress_small=False))
    assert list(rows) == [
        "Payment",
        "No payment, thank you",
        "Offered, not chosen yet",
        "Expenses (travel, care cover)",
    ]
    assert (rows["Payment"]["entries"], rows["Payment"]["paid"], rows["Payment"]["amount"]) == (3, 3, "£75.00")
    assert rows["Payment"]["median_days"] == "20"
    # A declined offer is an offer made, with nothing agreed; an unanswered one likewise.
    assert (rows["No payment, thank you"]["entries"], rows["No payment, thank you"]["amount"]) == (1, "")
    assert rows["Offered, not chosen yet"]["amount"] == ""
    assert rows["Expenses (travel, care cover)"]["amount"] == "Not shown: one person"


def test_portfolio_summary_suppresses_small_numbers_and_totals_that_would_give_them_back():
    entries = [_paid(i, i, "payment", 2000, i) for i in range(1, 8)]  # 7 people paid
    entries += [E(20, 20, "declined", None, 2000, 0, DAY, S.DECLINED, DAY)]  # one person declined
    rows = _rows(payments.payments_table(entries, suppress_small=True))
    assert (rows["Payment"]["entries"], rows["Payment"]["people"], rows["Payment"]["amount"]) == (7, 7, "£140.00")
    assert rows["Payment"]["median_days"] == "4"
    assert rows["No payment, thank you"]["entries"] == "fewer than 5"
    assert rows["No payment, thank you"]["people"] == "fewer than 5"

    class Facts:
        reciprocity = tuple(entries)

    class Period:
        def covers(self, day):
            return True

    section = payments.portfolio_section([Facts()], Period())
    # No total of offers beside the table: 8 in all would give back the one hidden "declined".
    assert "8" not in section.paragraphs[0]
    assert section.tables[0].as_dicts() == payments.payments_table(entries, suppress_small=True).as_dicts()


def test_few_people_hide_an_amount_and_a_median_in_the_portfolio():
    entries = [_paid(1, 1, "voucher", 1500, 3), _paid(2, 2, "voucher", 1500, 5)]
    row = _rows(payments.payments_table(entries, suppress_small=True))["Voucher"]
    assert row["amount"] == "Not shown: fewer than 5 people" and row["median_days"] == ""
