"""Follow-through: decisions changed by partners and recommendations answered (X-POWER, X-LOOP)."""

from __future__ import annotations

from datetime import date

from ...codes import STAGE_ORDER, Response, StageKind
from ...domain.follow_through import review_overdue
from ...domain.messages import Cap, Listing, Message
from ..snapshot import InitiativeFacts, Recommendation
from .core import (
    EvidenceRef,
    Finding,
    Reason,
    Status,
    _activity_ref,
    _check_positive,
    _decision_ref,
    _member_ref,
    _not_applicable,
    _recommendation_ref,
    _Tally,
    rule,
)
from .words import _day, _plural, _quote


@rule("decisions_changed_by_partners")
def decisions_changed_by_partners(
    facts: InitiativeFacts, *, min_changed: int = 1, stages: tuple[StageKind, ...] = ()
) -> Finding:
    """Decisions record that they changed because of what citizen partners said, and how.

    Implements the X-POWER signal "changed because of partner input" (catalogue §9) and SCIE's review
    principle, evidencing "the changes co-production produced".

    Params:
        min_changed: how many decisions must show a change explained in words (default 1).
        stages: which stages' decisions to look at (default all).

    Met when at least ``min_changed`` decisions changed because of partners and every such decision says
    how; partly met when some did but fewer, or without saying how; not met when none did.
    """
    _check_positive("min_changed", min_changed)
    decisions = [d for kind in stages or STAGE_ORDER for d in facts.decisions_in(kind)]
    if not decisions:
        return _not_applicable(Message.of("criteria.decisions.none_yet"))
    reasons: list[Reason] = []
    explained = unexplained = 0
    for decision in decisions:
        if not decision.changed_by_partner_input:
            continue
        label = {"decision": _quote(decision.text), "day": _day(decision.on)}
        if decision.how_changed.strip():
            explained += 1
            text = Message.of("criteria.changed.how", **label, how=_quote(decision.how_changed, 200))
            reasons.append(Reason.of(text, (_decision_ref(decision),)))
        else:
            unexplained += 1
            reasons.append(Reason.of(Message.of("criteria.changed.unexplained", **label), (_decision_ref(decision),)))
    total = len(decisions)
    if explained + unexplained == 0:
        if total == 1:
            only = decisions[0]
            text = Message.of("criteria.changed.only_unchanged", decision=_quote(only.text), day=_day(only.on))
            return Finding(Status.NOT_MET, (Reason.of(text, (_decision_ref(only),)),))
        return Finding(Status.NOT_MET, (Reason.of(Message.of("criteria.changed.none_of", count=total)),))
    changed = explained + unexplained
    short = explained < min_changed
    status = Status.MET if explained >= min_changed and unexplained == 0 else Status.PARTLY_MET
    aim = {"aim": _plural(min_changed, "decision")} if short else {}
    if total == 1:
        summary = Message.of("criteria.changed.only_aim" if short else "criteria.changed.only", **aim)
    else:
        decisions_words = _plural(total, "decision")
        key = "criteria.changed.some_aim" if short else "criteria.changed.some"
        summary = Message.of(key, changed=changed, decisions=decisions_words, **aim)
    return Finding(status, (Reason.of(summary), *reasons))


# ---------------------------------------------------------------------------------------------------
# X-LOOP


@rule("recommendations_answered")
def recommendations_answered(facts: InitiativeFacts) -> Finding:
    """Every "you said" has a "we did": a response, a reason when the answer is no, and reviews held.

    Implements X-LOOP (catalogue §9: closing the feedback loop, "you said, we did / we couldn't because";
    NI s.20 written statement of the response; NHS England: tell people how their input influenced what
    happened). A review date that has passed is a gap until a review is recorded as held (date, outcome,
    who); a recorded review closes it, whatever the review found.

    A recommendation is in order when it has a response (with a reason if rejected, with what was done
    if accepted or adapted) and no passed review date is without a review; partly in order when it has a
    response but one of those is missing; not in order when it has no response.
    """
    if not facts.recommendations:
        return _not_applicable(Message.of("criteria.loop.none"))
    tally = _Tally()
    for item in sorted(facts.recommendations, key=lambda r: (r.raised_on or date.min, r.id)):
        said = _said(facts, item)
        refs: list[EvidenceRef] = [_recommendation_ref(item)]
        if item.from_user_id is not None:
            refs.append(_member_ref(facts, item.from_user_id))
        if (activity := facts.activity(item.activity_id)) is not None:
            refs.append(_activity_ref(activity))
        if item.response is None:
            tally.add("none", Message.of("criteria.loop.no_response", said=said), refs)
            continue
        gaps: list[Message] = []
        if item.response is Response.REJECTED and not item.reason.strip():
            gaps.append(Message.of("criteria.loop.gap.no_reason"))
        if item.response in (Response.ACCEPTED, Response.ADAPTED) and not item.action.strip():
            gaps.append(Message.of(f"criteria.loop.gap.{item.response.value}"))
        if review_overdue(item.review_on, item.reviewed_on, facts.as_of):
            assert item.review_on is not None
            gaps.append(Message.of("criteria.loop.gap.review_overdue", day=_day(item.review_on)))
        if gaps:
            tally.add("partial", Message.of("criteria.loop.gaps", said=said, gaps=Cap(Listing(tuple(gaps)))), refs)
            continue
        response = _response_words(item)
        if item.reviewed_on is None:
            text = Message.of("criteria.loop.answered", said=said, response=response)
        else:
            review = {"day": _day(item.reviewed_on), "outcome": _quote(item.review_outcome, 160)}
            if item.reviewed_by is not None:
                name = facts.name_of(item.reviewed_by)
                text = Message.of("criteria.loop.reviewed_by", said=said, response=response, name=name, **review)
                refs.append(_member_ref(facts, item.reviewed_by))
            else:
                text = Message.of("criteria.loop.reviewed", said=said, response=response, **review)
        tally.add("ok", text, refs)
    return tally.finding()


def _said(facts: InitiativeFacts, item: Recommendation) -> Message:
    """ "You said …", or "Amira said …" when the recommendation is someone's, with the day it was raised."""
    on = "_on" if item.raised_on is not None else ""
    day = {"day": _day(item.raised_on)} if item.raised_on is not None else {}
    if item.from_user_id is not None:
        return Message.of(
            f"criteria.loop.person_said{on}", name=facts.name_of(item.from_user_id), text=_quote(item.text), **day
        )
    return Message.of(f"criteria.loop.you_said{on}", text=_quote(item.text), **day)


def _response_words(item: Recommendation) -> Message:
    if item.response is Response.REJECTED:
        return Message.of("criteria.loop.rejected", reason=_quote(item.reason, 200))
    key = "criteria.loop.accepted" if item.response is Response.ACCEPTED else "criteria.loop.adapted"
    return Message.of(key, action=_quote(item.action, 200))
