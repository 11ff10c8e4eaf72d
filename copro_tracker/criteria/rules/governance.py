"""Governance: dual sign-off at the stage gates and co-leads in place."""

from __future__ import annotations

from ...codes import MemberRole, Side, SignOffDecision, StageStatus
from ...domain.gates import MemberFact, SignOffFact, approving_sides
from ...domain.messages import Message
from ..snapshot import InitiativeFacts
from .core import Finding, _member_ref, _not_applicable, _stage_ref, _Tally, rule
from .words import _quote

# ---------------------------------------------------------------------------------------------------
# Governance: gates and co-leads


@rule("dual_signoff")
def dual_signoff(facts: InitiativeFacts) -> Finding:
    """Each stage gate is signed off by at least one commissioner and one citizen partner.

    "Signed off" means what the stage gate means (``domain.gates.approving_sides``): an approval from
    someone holding a (non-observer) place on the initiative when the gate is judged, i.e. on the day
    a complete stage closed, or today for a stage still waiting. A dissent is kept and reported, but it
    is not an approval: a stage cannot close over both sides' heads. A complete stage missing one side
    is partly in order, missing both is not in order; a stage still awaiting sign-off is at worst
    partly in order, since the gate is not yet closed.
    """
    tally = _Tally()
    for stage in facts.stages:
        if not stage.at_gate:
            continue
        name = Message.of(f"criteria.stage.{stage.kind.value}")
        waiting = stage.status is StageStatus.AWAITING_SIGNOFF
        day = facts.as_of if waiting or stage.closed_on is None else stage.closed_on
        members = [MemberFact(m.user_id, m.side, m.role, m.active_on(day)) for m in facts.members]
        # The loader keeps only the current round's sign-offs, so every one here is in round 1.
        sign_offs = [SignOffFact(s.user_id, s.side, s.verdict, 1, s.at) for s in stage.signoffs]
        # A closed stage's approvals counted when they closed it; a waiting one's must postdate its last change.
        approved = approving_sides(members, sign_offs, 1, stage.activities_changed_at if waiting else None)
        approvers = [s.user_id for s in stage.signoffs if s.verdict is SignOffDecision.APPROVE]
        refs = [_stage_ref(stage.kind), *(_member_ref(facts, user_id) for user_id in dict.fromkeys(approvers))]
        missing = [side for side in (Side.COMMISSIONER, Side.CITIZEN_PARTNER) if side not in approved]
        sides = (
            Message.of("criteria.sides.both" if len(missing) == 2 else f"criteria.sides.{missing[0].value}")
            if missing
            else None
        )
        if not missing:
            tally.add("ok", Message.of("criteria.signoff.signed", stage=name), refs)
        elif waiting:
            tally.add("partial", Message.of("criteria.signoff.waiting", stage=name, sides=sides), refs)
        else:
            outcome = "none" if len(missing) == 2 else "partial"
            tally.add(outcome, Message.of("criteria.signoff.closed_without", stage=name, sides=sides), refs)
        for signoff in stage.signoffs:
            if signoff.verdict is not SignOffDecision.DISSENT:
                continue
            who = Message.of(
                "criteria.sides.citizen_partner" if signoff.by_citizen_partner else "criteria.sides.commissioner"
            )
            said = (
                Message.of("criteria.signoff.dissent", stage=name, who=who, quote=_quote(signoff.reason, 200))
                if signoff.reason.strip()
                else Message.of("criteria.signoff.dissent_no_reason", stage=name, who=who)
            )
            tally.note(said, [_stage_ref(stage.kind), _member_ref(facts, signoff.user_id)])
    if not tally.reasons:
        return _not_applicable(Message.of("criteria.signoff.none_yet"))
    return tally.finding()


@rule("co_leads_in_place")
def co_leads_in_place(facts: InitiativeFacts) -> Finding:
    """The initiative is co-led: a citizen partner and a commissioner both hold the co-lead role.

    Looks at current memberships, or at every tenure once the initiative is closed.
    """
    pool = facts.members if facts.initiative.closed else facts.current_members
    leads = [m for m in pool if m.role is MemberRole.CO_LEAD]
    partner = [m for m in leads if m.is_citizen_partner]
    staff = [m for m in leads if m.is_staff]
    tally = _Tally()
    when = "" if facts.initiative.closed else "_now"
    for people, who in ((partner, "citizen_partner"), (staff, "commissioner")):
        if people:
            tally.add("ok", Message.of(f"criteria.co_leads.{who}"), [_member_ref(facts, m.user_id) for m in people])
        else:
            tally.add("none", Message.of(f"criteria.co_leads.no_{who}{when}"))
    return tally.finding()
