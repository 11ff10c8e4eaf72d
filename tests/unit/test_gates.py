"""The stage gate as a pure function."""

from __future__ import annotations

from copro_tracker.codes import MemberRole, Side, SignOffDecision, StageKind
from copro_tracker.domain.gates import AttendanceFact, MemberFact, SignOffFact, evaluate_gate

C, P = Side.COMMISSIONER, Side.CITIZEN_PARTNER
LEADS = [MemberFact(1, C, MemberRole.CO_LEAD, True), MemberFact(2, P, MemberRole.CO_LEAD, True)]
CONTRIBUTED = [AttendanceFact(citizen_partner=True, contributed=True)]
BOTH = [SignOffFact(1, C, SignOffDecision.APPROVE, 1), SignOffFact(2, P, SignOffDecision.APPROVE, 1)]


def _needs(gate) -> tuple[str, ...]:
    return tuple(need.render() for need in gate.needs)


def test_met_with_evidence_co_leads_and_both_sign_offs():
    gate = evaluate_gate(StageKind.DESIGN, 1, LEADS, CONTRIBUTED, BOTH)
    assert gate.met and gate.needs == ()


def test_evidence_needs_a_citizen_partner_who_contributed():
    for attendance in ([], [AttendanceFact(True, False)], [AttendanceFact(False, True)]):
        gate = evaluate_gate(StageKind.DELIVERY, 1, LEADS, attendance, BOTH)
        assert not gate.evidence_met and not gate.met
        assert "an activity in this stage where a citizen partner took part and contributed" in _needs(gate)


def test_design_needs_both_co_leads_but_later_stages_do_not():
    members = [MemberFact(1, C, MemberRole.CO_LEAD, True), MemberFact(2, P, MemberRole.MEMBER, True)]
    design = evaluate_gate(StageKind.DESIGN, 1, members, CONTRIBUTED, BOTH)
    assert not design.co_leads_met and "a citizen partner co-lead" in _needs(design) and not design.met
    assert evaluate_gate(StageKind.DELIVERY, 1, members, CONTRIBUTED, BOTH).met
    former = [MemberFact(1, C, MemberRole.CO_LEAD, True), MemberFact(2, P, MemberRole.CO_LEAD, False)]
    assert not evaluate_gate(StageKind.DESIGN, 1, former, CONTRIBUTED, BOTH).co_leads_met


def test_sign_offs_must_be_from_both_sides_this_round_by_current_non_observers():
    assert not evaluate_gate(StageKind.DESIGN, 1, LEADS, CONTRIBUTED, BOTH[:1]).met
    assert not evaluate_gate(StageKind.DESIGN, 2, LEADS, CONTRIBUTED, BOTH).met, "earlier round no longer counts"
    observer = [*LEADS, MemberFact(3, P, MemberRole.OBSERVER, True)]
    sign = [BOTH[0], SignOffFact(3, P, SignOffDecision.APPROVE, 1)]
    assert not evaluate_gate(StageKind.DESIGN, 1, observer, CONTRIBUTED, sign).partner_approved
    left = [LEADS[0], MemberFact(2, P, MemberRole.CO_LEAD, False), MemberFact(4, P, MemberRole.CO_LEAD, True)]
    assert not evaluate_gate(StageKind.DESIGN, 1, left, CONTRIBUTED, BOTH).partner_approved


def test_dissent_is_kept_but_never_blocks():
    dissent = [*BOTH, SignOffFact(2, P, SignOffDecision.DISSENT, 1)]
    assert evaluate_gate(StageKind.DESIGN, 1, LEADS, CONTRIBUTED, dissent).met
    only_dissent = [BOTH[0], SignOffFact(2, P, SignOffDecision.DISSENT, 1)]
    gate = evaluate_gate(StageKind.DESIGN, 1, LEADS, CONTRIBUTED, only_dissent)
    assert not gate.partner_approved and "sign-off by a citizen partner member" in _needs(gate)


def test_ready_for_sign_off_before_sign_offs():
    gate = evaluate_gate(StageKind.EVALUATION, 1, LEADS, CONTRIBUTED, [])
    assert gate.ready_for_sign_off and not gate.met
    assert _needs(gate) == ("sign-off by a commissioner member", "sign-off by a citizen partner member")


def test_an_approval_given_before_the_stage_last_changed_does_not_count_until_given_again():
    from datetime import datetime

    from copro_tracker.codes import MemberRole, Side, SignOffDecision, StageKind
    from copro_tracker.domain.gates import AttendanceFact, MemberFact, SignOffFact, evaluate_gate

    members = [
        MemberFact(1, Side.COMMISSIONER, MemberRole.CO_LEAD, True),
        MemberFact(2, Side.CITIZEN_PARTNER, MemberRole.CO_LEAD, True),
    ]
    attendance = [AttendanceFact(True, True)]
    early, change, late = datetime(2026, 3, 1, 10), datetime(2026, 3, 1, 11), datetime(2026, 3, 1, 12)
    approve = SignOffDecision.APPROVE
    sign_offs = [
        SignOffFact(1, Side.COMMISSIONER, approve, 1, early),
        SignOffFact(2, Side.CITIZEN_PARTNER, approve, 1, late),
    ]

    gate = evaluate_gate(StageKind.DESIGN, 1, members, attendance, sign_offs, change)
    assert not gate.met and not gate.commissioner_approved and gate.partner_approved
    assert gate.approved_before_change == frozenset({1})
    assert evaluate_gate(StageKind.DESIGN, 1, members, attendance, sign_offs).met, "no change: both count"

    again = [*sign_offs, SignOffFact(1, Side.COMMISSIONER, approve, 1, late)]
    gate = evaluate_gate(StageKind.DESIGN, 1, members, attendance, again, change)
    assert gate.met and gate.approved_before_change == frozenset()
