"""Follow-through: decisions changed by partners and recommendations answered (X-POWER, X-LOOP)."""

from __future__ import annotations

from datetime import date

from ...codes import STAGE_ORDER, Response, StageKind
from ...domain.follow_through import review_overdue
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
from .words import _cap, _day, _plural, _quote


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
        return _not_applicable("No decision has been recorded yet.")
    reasons: list[Reason] = []
    explained = unexplained = 0
    for decision in decisions:
        if not decision.changed_by_partner_input:
            continue
        label = f"{_quote(decision.text)} ({_day(decision.on)})"
        if decision.how_changed.strip():
            explained += 1
            text = f"{label} changed because of what citizen partners said. How: {_quote(decision.how_changed, 200)}."
            reasons.append(Reason(text, (_decision_ref(decision),)))
        else:
            unexplained += 1
            reasons.append(
                Reason(
                    f"{label} is marked as changed by citizen partners, but does not say how.",
                    (_decision_ref(decision),),
                )
            )
    total = len(decisions)
    if explained + unexplained == 0:
        if total == 1:
            only = decisions[0]
            text = (
                f"The only decision so far, {_quote(only.text)} ({_day(only.on)}), does not record a change made "
                "because of what citizen partners said."
            )
            return Finding(Status.NOT_MET, (Reason(text, (_decision_ref(only),)),))
        return Finding(
            Status.NOT_MET,
            (
                Reason(
                    f"None of the {total} decisions so far records a change made because of what citizen partners said."
                ),
            ),
        )
    changed = explained + unexplained
    summary = f"{changed} of the {_plural(total, 'decision')} so far changed because of what citizen partners said."
    if total == 1:
        summary = "The only decision so far changed because of what citizen partners said."
    if explained >= min_changed and unexplained == 0:
        status = Status.MET
    else:
        status = Status.PARTLY_MET
        if explained < min_changed:
            summary += f" The aim is at least {_plural(min_changed, 'decision')} with the change explained."
    return Finding(status, (Reason(summary), *reasons))


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
        return _not_applicable("Citizen partners have not made any recommendations yet.")
    tally = _Tally()
    for item in sorted(facts.recommendations, key=lambda r: (r.raised_on or date.min, r.id)):
        said = f"You said {_quote(item.text)}"
        if item.from_user_id is not None:
            said = f"{facts.name_of(item.from_user_id)} said {_quote(item.text)}"
        if item.raised_on is not None:
            said += f" ({_day(item.raised_on)})"
        refs: list[EvidenceRef] = [_recommendation_ref(item)]
        if item.from_user_id is not None:
            refs.append(_member_ref(facts, item.from_user_id))
        if (activity := facts.activity(item.activity_id)) is not None:
            refs.append(_activity_ref(activity))
        if item.response is None:
            tally.add("none", f"{said}. No response is recorded yet.", refs)
            continue
        gaps = []
        if item.response is Response.REJECTED and not item.reason.strip():
            gaps.append("the answer was no, but no reason is recorded")
        if item.response in (Response.ACCEPTED, Response.ADAPTED) and not item.action.strip():
            gaps.append(f"it was {item.response.value}, but what was done is not recorded")
        if review_overdue(item.review_on, item.reviewed_on, facts.as_of):
            assert item.review_on is not None
            gaps.append(f"the review due on {_day(item.review_on)} has passed with no review recorded")
        if gaps:
            tally.add("partial", f"{said}. {_cap('; '.join(gaps))}.", refs)
            continue
        text = f"{said}. {_response_words(item)}"
        if item.reviewed_on is not None:
            by = f" by {facts.name_of(item.reviewed_by)}" if item.reviewed_by is not None else ""
            text += f" Reviewed on {_day(item.reviewed_on)}{by}: {_quote(item.review_outcome, 160)}."
            if item.reviewed_by is not None:
                refs.append(_member_ref(facts, item.reviewed_by))
        tally.add("ok", text, refs)
    return tally.finding()


def _response_words(item: Recommendation) -> str:
    if item.response is Response.REJECTED:
        return f"We could not do this. Why: {_quote(item.reason, 200)}."
    verb = "We did it" if item.response is Response.ACCEPTED else "We did it a different way"
    return f"{verb}: {_quote(item.action, 200)}."
