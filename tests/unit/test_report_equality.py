"""The reports' equality section: suppressed counts only, the groups by name, the reference figures beside the
shares, and nothing at all when the report is not one staff asked for (inputs.equality is None)."""

from __future__ import annotations

from datetime import date

import pytest

from copro_tracker.reports.build import EqualityInputs
from copro_tracker.reports.equality import equality_section


@pytest.fixture(autouse=True)
def _app_context():
    """Overrides tests/conftest.py's fixture of this name: these tests need no app and no database."""
    yield


def _table(section, table_id):
    return next(t for t in section.tables if t.id == table_id)


def test_left_out_unless_asked_for():
    assert equality_section(None, [1, 2, 3]) is None


def test_counts_are_suppressed_and_references_sit_beside_the_shares():
    answers = {i: {"sex": "female", "seldom_heard": ("7",)} for i in range(1, 16)}
    answers |= {i: {"sex": "male", "seldom_heard": ("none",)} for i in range(16, 21)}
    answers[21] = {"sex": "prefer_not_to_say"}
    inputs = EqualityInputs(
        answers=answers,
        groups=(("7", "People who are homeless"),),
        references={"sex": ({"female": "51.0", "male": "49.0"}, "Census 2021", date(2021, 3, 21))},
    )
    section = equality_section(inputs, [*range(1, 22), 1, 2])  # a person counted once however often they came
    assert "Citizen partners who took part (recorded as attending an activity): 21." in section.paragraphs[0]
    sex = {row[0]: row for row in _table(section, "equality-sex").rows}
    assert sex["Female"] == ("Female", 15, None, "51.0%", None)  # shares hidden: 1 prefers not to say
    assert sex["Prefer not to say"][1] == "fewer than 5"
    assert "Census 2021, 2021-03-21" in _table(section, "equality-sex").note
    groups = {row[0]: row[1] for row in _table(section, "equality-seldom-heard").rows}
    # Person 21 did not answer (1, hidden), so the smallest other count (5) is hidden with it.
    assert groups["People who are homeless"] == 15 and groups["None of these"] == "fewer than 5"
    # Nobody answered the ethnicity question: everyone is "not answered", no category is small.
    ethnicity = {row[0]: row[1] for row in _table(section, "equality-ethnicity").rows}
    assert ethnicity["Not answered"] == 21 and ethnicity["White"] == 0
