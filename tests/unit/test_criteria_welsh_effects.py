"""Welsh Language Standards 88-91: each decision records whether its effects on the Welsh language were
considered. The rule is pure; these tests build the snapshot by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from copro_tracker.codes import Nation, WelshEffects
from copro_tracker.criteria.framework import default_library
from copro_tracker.criteria.rules import RULES, Status, evaluate
from copro_tracker.criteria.snapshot import Activity, Decision, InitiativeFacts, InitiativeInfo

RULE = RULES["welsh_language_effects_considered"]


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: pure tests need no app and no database."""
    yield


def _facts(*decisions: Decision, nation: Nation = Nation.WALES) -> InitiativeFacts:
    return InitiativeFacts(
        initiative=InitiativeInfo(id=1, title="Home care", nation=nation),
        as_of=date(2026, 11, 26),
        activities=(Activity(id=10, stage="design", kind="workshop", on=date(2026, 3, 3), title="Design day"),),
        decisions=decisions,
    )


def _decision(number: int, text: str, answer: str | None = None, note: str = "") -> Decision:
    return Decision(
        id=number,
        activity_id=10,
        on=date(2026, 3, 3),
        text=text,
        welsh_effects=answer,
        welsh_effects_note=note,
    )


def _texts(finding) -> list[str]:
    return [reason.text for reason in finding.reasons]


def test_every_decision_considered_or_not_relevant_is_met():
    finding = RULE(
        _facts(
            _decision(1, "Bilingual leaflets for the new service", "considered", "More chances to use Welsh."),
            _decision(2, "Move the steering group to Tuesdays", "not_relevant", "A date change only."),
        )
    )
    assert finding.status is Status.MET
    assert _texts(finding) == [
        (
            "The decision “Bilingual leaflets for the new service” on 3 March 2026: its effects on the Welsh "
            "language were considered: More chances to use Welsh."
        ),
        (
            "The decision “Move the steering group to Tuesdays” on 3 March 2026: recorded as not affecting the "
            "Welsh language: A date change only."
        ),
    ]
    assert {ref.id for reason in finding.reasons for ref in reason.refs if ref.kind == "decision"} == {1, 2}


def test_a_decision_without_an_answer_is_named_and_the_finding_is_partly_met():
    finding = RULE(
        _facts(
            _decision(1, "Bilingual leaflets", WelshEffects.CONSIDERED, "More chances to use Welsh."),
            _decision(2, "Close the Tuesday drop-in"),
        )
    )
    assert finding.status is Status.PARTLY_MET
    assert (
        "The decision “Close the Tuesday drop-in” on 3 March 2026: nobody has recorded whether its effects on "
        "the Welsh language were considered." in _texts(finding)
    )


def test_effects_not_considered_is_not_met():
    finding = RULE(_facts(_decision(1, "Close the Tuesday drop-in", "not_considered")))
    assert finding.status is Status.NOT_MET
    assert _texts(finding) == [
        (
            "The decision “Close the Tuesday drop-in” on 3 March 2026: its effects on the Welsh language were not "
            "considered."
        )
    ]


def test_outside_wales_or_without_decisions_it_does_not_apply():
    england = RULE(_facts(_decision(1, "Anything"), nation=Nation.ENGLAND))
    assert england.status is Status.NOT_APPLICABLE
    assert _texts(england) == ["The Welsh language standards do not apply in England."]
    nothing = RULE(_facts())
    assert nothing.status is Status.NOT_APPLICABLE
    assert _texts(nothing) == ["No decisions or consultations are recorded yet."]


def _with_activities(*activities: Activity, decisions: tuple[Decision, ...] = ()) -> InitiativeFacts:
    return InitiativeFacts(
        initiative=InitiativeInfo(id=1, title="Home care", nation=Nation.WALES),
        as_of=date(2026, 11, 26),
        activities=activities,
        decisions=decisions,
    )


def _survey(number: int, asked: bool | None, kind: str = "survey") -> Activity:
    return Activity(
        id=number,
        stage="design",
        kind=kind,
        on=date(2026, 4, number),
        title=f"Survey {number}",
        asked_about_welsh_effects=asked,
    )


def test_consultations_say_whether_they_asked_about_the_welsh_language():
    finding = RULE(_with_activities(_survey(1, True), _survey(2, False), _survey(3, None)))
    assert finding.status is Status.PARTLY_MET
    assert _texts(finding) == [
        "“Survey 1” on 1 April 2026: asked people how the proposals would affect the Welsh language.",
        "“Survey 2” on 2 April 2026: did not ask people how the proposals would affect the Welsh language.",
        (
            "“Survey 3” on 3 April 2026: nobody has recorded whether it asked people how the proposals would "
            "affect the Welsh language."
        ),
    ]
    # A workshop is not expected to consult, but counts when someone says it asked.
    assert RULE(_with_activities(_survey(4, None, "workshop"))).status is Status.NOT_APPLICABLE
    assert RULE(_with_activities(_survey(5, True, "workshop"))).status is Status.MET
    # Decisions and consultations are graded together.
    decided = _decision(1, "Bilingual leaflets", "considered", "More chances to use Welsh.")
    assert RULE(_with_activities(_survey(6, True), decisions=(decided,))).status is Status.MET


def test_the_criterion_checks_policy_decisions_not_service_in_welsh():
    criterion = default_library().criterion("WAL-WLS-88-91")
    assert criterion is not None
    assert [check.rule for check in criterion.checks] == ["welsh_language_effects_considered"]
    assert "served in Welsh" not in criterion.summary and "published in Welsh" not in criterion.summary
    assert "no less favourably than English" in criterion.summary
    # Evaluated through the criterion: a Welsh initiative whose one decision has no answer is not met.
    assert evaluate(criterion, _facts(_decision(1, "Close the Tuesday drop-in"))).status is Status.NOT_MET
    service = default_library().criterion("WAL-WLS-SD")
    assert service is not None and [c.rule for c in service.checks] == ["welsh_language_offer"]
