"""The snapshot codec: a snapshot written as JSON reads back equal, every kind of field included."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from copro_tracker.criteria import snapshot as s
from copro_tracker.criteria.snapshot_codec import decode, encode
from copro_tracker.reports.model import EvidenceFile, InitiativeDetails

DAY = date(2026, 3, 27)


def _facts() -> s.InitiativeFacts:
    return s.InitiativeFacts(
        initiative=s.InitiativeInfo(
            id=3, title="Day opportunities", nation="wales", statutory_functions=("prevention",)
        ),
        as_of=DAY,
        members=(s.Member(1, "Ann", "citizen_partner", "carer", "co_lead", DAY, None, ("easy_read",), "", True, "cy"),),
        stages=(
            s.Stage(
                "design",
                "complete",
                DAY,
                DAY,
                (s.SignOff(1, "citizen_partner", "dissent", "Too fast", DAY, datetime(2026, 3, 27, 14, 5)),),
                datetime(2026, 3, 1, 9, 0),
            ),
        ),
        activities=(s.Activity(7, "design", "workshop", DAY, "Workshop", 1, None, False, ("cy",), (), (), None),),
        attendance=(
            s.Attendance(7, 1, "", True, True, ("easy_read",), (), 6),
            s.Attendance(7, None, "Guest", True, False),
        ),
        decisions=(s.Decision(9, 7, DAY, "Open later", True, "Changed", (s.MemberPosition(1, "agreed"),)),),
        recommendations=(s.Recommendation(4, "Easy Read", DAY, 1, 7, "accepted", responded_on=DAY),),
        evidence=(s.Evidence(5, "notes.pdf", "anonymised", "activity", 7),),
        outputs=(s.Output(6, "plan", "Plan", (1,), "2", None, DAY, ("easy_read",), 5),),
        reciprocity=(s.ReciprocityEntry(8, 1, "payment", 7, 2500, 2.5, DAY, "paid", DAY, DAY),),
    )


def test_a_snapshot_reads_back_equal_through_json():
    facts = _facts()
    back = decode(s.InitiativeFacts, json.loads(json.dumps(encode(facts))))
    assert back == facts
    assert back.reciprocity[0].hours == 2.5 and back.stages[0].signoffs[0].at == datetime(2026, 3, 27, 14, 5)


def test_no_payments_recorded_stays_none_and_report_values_read_back():
    facts = s.InitiativeFacts(initiative=s.InitiativeInfo(id=1, title="", nation="england"), as_of=DAY)
    assert decode(s.InitiativeFacts, json.loads(json.dumps(encode(facts)))).reciprocity is None
    details = InitiativeDetails(1, "Title", closed_on=DAY)
    file = EvidenceFile(2, 1, "a.pdf", "named", "ab" * 32, uploaded_by=None, uploaded_on=DAY)
    assert decode(InitiativeDetails, encode(details)) == details
    assert decode(EvidenceFile, json.loads(json.dumps(encode(file)))) == file


def test_a_type_it_cannot_read_back_is_refused():
    with pytest.raises(TypeError):
        decode(dict, {})
