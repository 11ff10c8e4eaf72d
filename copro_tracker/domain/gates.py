"""The stage gate: what a stage still needs before it can close. The one definition of "gate met".

A stage closes when (1) at least one of its activities had a citizen partner attending and
contributing, (2) a commissioner member and a citizen-partner member who hold a (non-observer) place
on the initiative have approved it in this round, and (3) for the design stage, both co-leads are in
place. Dissent never blocks a gate, but it is not an approval either: it is kept and shown beside the
approvals. An approval given before the stage's activities last changed (one added, edited, or its
attendance changed) was given on different evidence: it is kept and shown as "given before a later
change", but no longer counts until it is given again. The live gate (initiative pages, dashboard, the
service that closes stages) and the ``dual_signoff`` criteria rule both use ``approving_sides``, so they
cannot disagree about whether a stage was signed off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..codes import MemberRole, Side, SignOffDecision, StageKind, StageStatus
from .messages import Message


@dataclass(frozen=True)
class MemberFact:
    user_id: int
    side: Side
    role: MemberRole
    # Holds a place on the initiative on the day the gate is judged (today, for the live gate).
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
    at: datetime | None = None  # when it was given; None where the time is not known


def given_before_change(sign_off: SignOffFact, changed_at: datetime | None) -> bool:
    """An approval or view recorded before the stage's activities last changed."""
    return changed_at is not None and sign_off.at is not None and sign_off.at < changed_at


@dataclass(frozen=True)
class Gate:
    evidence_met: bool
    co_leads_met: bool
    commissioner_approved: bool
    partner_approved: bool
    needs: tuple[Message, ...] = field(default_factory=tuple)
    # Who approved this round before the stage's activities last changed: asked again, shown with a tag.
    approved_before_change: frozenset[int] = frozenset()

    @property
    def ready_for_sign_off(self) -> bool:
        return self.evidence_met and self.co_leads_met

    @property
    def met(self) -> bool:
        return self.ready_for_sign_off and self.commissioner_approved and self.partner_approved

    @property
    def blockers(self) -> tuple[Message, ...]:
        """What stops an approval being accepted now (sign-offs themselves are not blockers)."""
        approvals = {"gate.needs.commissioner_approval", "gate.needs.partner_approval"}
        return tuple(n for n in self.needs if n.id not in approvals)


def stage_open(status: StageStatus) -> bool:
    """A stage that has started and not closed: activities can be recorded in it and members can sign it off."""
    return status in (StageStatus.IN_PROGRESS, StageStatus.AWAITING_SIGNOFF)


def co_leads_missing(members: Iterable[MemberFact]) -> list[Side]:
    present = {m.side for m in members if m.current and m.role == MemberRole.CO_LEAD}
    return [side for side in (Side.COMMISSIONER, Side.CITIZEN_PARTNER) if side not in present]


def partner_contributed(attendance: Iterable[AttendanceFact]) -> bool:
    return any(a.citizen_partner and a.contributed for a in attendance)


def approving_sides(
    members: Iterable[MemberFact],
    sign_offs: Iterable[SignOffFact],
    round_: int,
    changed_at: datetime | None = None,
) -> set[Side]:
    """Sides with an approval this round from someone holding a non-observer place on the initiative, given
    after the stage's activities last changed (``changed_at``)."""
    eligible = {m.user_id for m in members if m.current and m.role != MemberRole.OBSERVER}
    return {
        s.side
        for s in sign_offs
        if s.round == round_
        and s.decision == SignOffDecision.APPROVE
        and s.user_id in eligible
        and not given_before_change(s, changed_at)
    }


def evaluate_gate(
    kind: StageKind,
    round_: int,
    members: Iterable[MemberFact],
    attendance: Iterable[AttendanceFact],
    sign_offs: Iterable[SignOffFact],
    changed_at: datetime | None = None,
) -> Gate:
    members, sign_offs = list(members), list(sign_offs)
    evidence_met = partner_contributed(attendance)
    missing = co_leads_missing(members) if kind == StageKind.DESIGN else []
    approvals = approving_sides(members, sign_offs, round_, changed_at)
    # Only someone's latest view this round matters: an approval later replaced by a fresh one is not stale.
    latest = {s.user_id: s for s in sign_offs if s.round == round_}
    before_change = frozenset(
        s.user_id
        for s in latest.values()
        if s.decision == SignOffDecision.APPROVE and given_before_change(s, changed_at)
    )
    needs: list[Message] = []
    if not evidence_met:
        needs.append(Message("gate.needs.partner_contribution"))
    if Side.COMMISSIONER in missing:
        needs.append(Message("gate.needs.commissioner_co_lead"))
    if Side.CITIZEN_PARTNER in missing:
        needs.append(Message("gate.needs.partner_co_lead"))
    if Side.COMMISSIONER not in approvals:
        needs.append(Message("gate.needs.commissioner_approval"))
    if Side.CITIZEN_PARTNER not in approvals:
        needs.append(Message("gate.needs.partner_approval"))
    return Gate(
        evidence_met=evidence_met,
        co_leads_met=not missing,
        commissioner_approved=Side.COMMISSIONER in approvals,
        partner_approved=Side.CITIZEN_PARTNER in approvals,
        needs=tuple(needs),
        approved_before_change=before_change,
    )


def refusal(gate: Gate) -> Message | None:
    """Why an approval cannot be accepted now, naming the first real blocker; None when nothing blocks it."""
    blockers = gate.blockers
    return Message.of("gate.refused", need=blockers[0]) if blockers else None
