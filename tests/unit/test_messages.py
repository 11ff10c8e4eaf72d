"""Gate and reason texts are message ids with parameters, rendered through a translator passed in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from copro_tracker.codes import MemberRole, Side, SignOffDecision, StageKind
from copro_tracker.criteria.rules import RULES
from copro_tracker.criteria.snapshot import InitiativeFacts, InitiativeInfo, Member, SignOff, Stage
from copro_tracker.domain.gates import MemberFact, SignOffFact, evaluate_gate, refusal
from copro_tracker.domain.messages import CATALOGUE, Message


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: pure, no app."""
    yield


def shout(text: str) -> str:
    """A stand-in translation: proves every part of a sentence goes through the translator."""
    return re.sub(r"%\((\w+)\)S", lambda m: f"%({m.group(1).lower()})s", text.upper())


def test_unknown_message_ids_fail_when_made():
    with pytest.raises(KeyError):
        Message.of("gate.no_such_thing")


def test_catalogue_texts_are_complete_sentences_or_fragments_without_stray_placeholders():
    for message_id, entry in CATALOGUE.items():
        for text in (entry,) if isinstance(entry, str) else entry:
            assert text.strip() == text and text, message_id
            assert text.count("%(") == text.count(")s"), message_id


def test_gate_refusal_renders_in_english_by_default_and_through_a_translator():
    members = [MemberFact(1, Side.COMMISSIONER, MemberRole.CO_LEAD, True)]
    gate = evaluate_gate(
        StageKind.DESIGN, 1, members, [], [SignOffFact(1, Side.COMMISSIONER, SignOffDecision.APPROVE, 1)]
    )
    message = refusal(gate)
    assert message is not None and message.id == "gate.refused"
    english = "This stage cannot be approved yet: it still needs "
    assert message.render() == english + "an activity in this stage where a citizen partner took part and contributed"
    # The nested blocker is translated with the same function as the sentence around it.
    assert (
        message.render(shout)
        == (english + "an activity in this stage where a citizen partner took part and contributed").upper()
    )


def test_governance_reasons_carry_message_ids():
    staff = Member(1, "Asha", "commissioner", "officer", "co_lead")
    partner = Member(2, "Priya", "citizen_partner", "carer", "member")
    stage = Stage("design", "awaiting_signoff", date(2025, 1, 1), None, (SignOff(1, "commissioner", "approve"),))
    facts = InitiativeFacts(
        InitiativeInfo(1, "x", "england"), as_of=date(2025, 2, 1), members=(staff, partner), stages=(stage,)
    )
    (reason,) = RULES["dual_signoff"](facts).reasons
    assert reason.message is not None and reason.message.id == "criteria.signoff.waiting"
    assert reason.text == "Design stage is waiting for sign-off from a citizen partner."
    assert reason.render(shout) == reason.text.upper()
    co_leads = RULES["co_leads_in_place"](facts).reasons
    assert [r.message.id for r in co_leads if r.message] == [
        "criteria.co_leads.no_citizen_partner_now",
        "criteria.co_leads.commissioner",
    ]
