"""Equality monitoring counts: small groups suppressed, "prefer not to say" counted apart, shares compared with
the reference figures only where they give nothing away."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copro_tracker.codes import PREFER_NOT_TO_SAY, Sex
from copro_tracker.domain.equality import compare

SEXES = [Sex.FEMALE.value, Sex.MALE.value]


@pytest.fixture(autouse=True)
def _app_context():
    """Overrides tests/conftest.py's fixture of this name: these tests need no app and no database."""
    yield


def _answers(female=0, male=0, prefer_not=0, not_answered=0):
    return ["female"] * female + ["male"] * male + [PREFER_NOT_TO_SAY] * prefer_not + [None] * not_answered


def test_counts_shares_and_differences_from_the_reference():
    out = compare("sex", SEXES, _answers(30, 20, 5, 5), {"female": Decimal("51"), "male": Decimal("49")})
    female, male = out.rows
    assert (female.count, male.count, out.prefer_not.count, out.not_answered.count) == (30, 20, 5, 5)
    assert out.took_part == 60 and out.shares_shown
    # Shares are of the 50 who answered: "prefer not to say" and "not answered" are not in the denominator.
    assert female.share == Decimal("60.0") and male.share == Decimal("40.0")
    assert female.difference == Decimal("9.0") and male.difference == Decimal("-9.0")


def test_prefer_not_to_say_is_counted_apart_from_not_answered():
    out = compare("sex", SEXES, _answers(10, 10, 7, 6))
    assert out.prefer_not.count == 7 and out.not_answered.count == 6
    assert sum(row.count for row in out.rows) == 20


def test_a_small_group_is_hidden_with_a_second_cell_so_the_total_does_not_give_it_back():
    out = compare("sex", SEXES, _answers(20, 3, 6, 0))
    assert out.rows[1].count is None
    shown = [r.count for r in (*out.rows, out.prefer_not, out.not_answered)]
    assert shown.count(None) == 2, shown
    assert out.took_part == 29
    # No share of a hidden count, and none at all once a hidden cell is in the denominator.
    assert all(row.share is None for row in out.rows)


def test_shares_hide_when_prefer_not_to_say_is_hidden():
    out = compare("sex", SEXES, _answers(20, 20, 2, 0))
    assert out.prefer_not.count is None
    assert not out.shares_shown and all(row.share is None for row in out.rows)


def test_fewer_than_five_people_show_nothing_but_zeros():
    out = compare("sex", SEXES, _answers(3, 0, 1, 0), {"female": Decimal("50")})
    assert out.took_part is None
    assert out.rows[0].count is None and out.rows[1].count == 0
    assert out.rows[0].reference == Decimal("50.0") and out.rows[0].difference is None


def test_several_ticks_count_in_each_group_and_no_sum_gives_a_hidden_one_back():
    answers = [["1", "2"]] * 6 + [["2"]] * 3 + [["none"]] * 8 + [[PREFER_NOT_TO_SAY]] * 5 + [None] * 5
    out = compare("seldom_heard", ["1", "2", "none"], answers, multiple=True)
    counts = {row.category: row.count for row in out.rows}
    assert counts["1"] == 6 and counts["2"] == 9 and counts["none"] == 8
    assert out.took_part == 27 and out.shares_shown
    assert out.rows[1].share == Decimal("52.9")  # 9 of the 17 who answered
    small = compare("seldom_heard", ["1", "2"], [["1"]] * 2 + [["2"]] * 9, multiple=True)
    assert [row.count for row in small.rows].count(None) == 2


def test_an_answer_no_longer_offered_counts_as_answered_in_no_row():
    out = compare("seldom_heard", ["1"], [["1"]] * 5 + [["9"]] * 5, multiple=True)
    assert out.rows[0].count == 5 and out.shares_shown and out.rows[0].share == Decimal("50.0")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["female", "male", PREFER_NOT_TO_SAY, None]), max_size=40))
def test_no_count_from_one_to_four_is_ever_shown(answers):
    out = compare("sex", SEXES, answers)
    for row in (*out.rows, out.prefer_not, out.not_answered):
        assert row.count is None or row.count == 0 or row.count >= 5
        assert row.share is None or row.count is not None
    assert out.took_part is None or out.took_part == 0 or out.took_part >= 5
    hidden = [row for row in (*out.rows, out.prefer_not, out.not_answered) if row.count is None]
    # With the number who took part shown, one hidden cell alone could be worked out by subtraction.
    assert out.took_part is None or len(hidden) != 1
