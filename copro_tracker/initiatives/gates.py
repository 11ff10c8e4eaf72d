"""Stage gates as a pure function: what a stage still needs before it can close.

A stage closes when (1) at least one of its activities had a citizen partner attending and
contributing, (2) a current commissioner member and a current citizen-partner member have approved it
in this round, and (3) for the design stage, both co-leads are in place. Dissent never blocks a gate,
but it is kept and shown beside the approvals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..codes import MemberRole, Side, SignOffDecision, StageKind


@dataclass(frozen=True)
class MemberFact:
    user_id: int
    side: Side
    role: MemberRole
    current: bool


@dataclass(frozen=True)
class AttendanceFact:
    citizen_partner: bool
    contributed: bool


@dataclass(frozen=True)
class SignOffFact:
    user_id: int
    side: Side
    decision: SignOffDecision
    round: int


@dataclass(frozen=True)
class Gate:
    evidence_met: bool
    co_leads_met: bool
    commissioner_approved: bool
    partner_approved: bool
    needs: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ready_for_sign_off(self) -> bool:
        return self.evidence_met and self.co_leads_met

    @property
    def met(self) -> bool:
        return self.ready_for_sign_off and self.commissioner_approved and self.partner_approved


def co_leads_missing(members: Iterable[MemberFact]) -> list[Side]:
    present = {m.side for m in members if m.current and m.role == MemberRole.CO_LEAD}
    return [side for side in (Side.COMMISSIONER, Side.CITIZEN_PARTNER) if side not in present]


def evaluate_gate(
    kind: StageKind,
    round_: int,
    members: Iterable[MemberFact],
    attendance: Iterable[AttendanceFact],
    sign_offs: Iterable[SignOffFact],
) -> Gate:
    members = list(members)
    current_ids = {m.user_id for m in members if m.current and m.role != MemberRole.OBSERVER}
    evidence_met = any(a.citizen_partner and a.contributed for a in attendance)
    missing = co_leads_missing(members) if kind == StageKind.DESIGN else []
    approvals = {
        s.side
        for s in sign_offs
        if s.round == round_ and s.decision == SignOffDecision.APPROVE and s.user_id in current_ids
    }
    needs: list[str] = []
    if not evidence_met:
        needs.append("an activity in this stage where a citizen partner took part and contributed")
    if Side.COMMISSIONER in missing:
        needs.append("a commissioner co-lead")
    if Side.CITIZEN_PARTNER in missing:
        needs.append("a citizen partner co-lead")
    if Side.COMMISSIONER not in approvals:
        needs.append("sign-off by a commissioner member")
    if Side.CITIZEN_PARTNER not in approvals:
        needs.append("sign-off by a citizen partner member")
    return Gate(
        evidence_met=evidence_met,
        co_leads_met=not missing,
        commissioner_approved=Side.COMMISSIONER in approvals,
        partner_approved=Side.CITIZEN_PARTNER in approvals,
        needs=tuple(needs),
    )
