"""Each criteria rule against small hand-built snapshots: met, partly met, not met, not applicable.

Every test asserts the status and that the reasons name the specific stage or record, with refs to it.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from copro_tracker.codes import Nation, OutputFormat, OutputKind, StageKind
from copro_tracker.criteria import rules
from copro_tracker.criteria.rules import (
    RULES,
    AppliesTo,
    EvidenceRef,
    Finding,
    Reason,
    Status,
    combine,
    evaluate,
    evaluate_all,
    rule,
)
from copro_tracker.criteria.snapshot import (
    Activity,
    Attendance,
    Decision,
    InitiativeFacts,
    InitiativeInfo,
    Member,
    MemberPosition,
    Output,
    ReciprocityEntry,
    Recommendation,
    SignOff,
    Stage,
)

START = date(2025, 1, 1)


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests are pure, so no app and no database."""
    yield


def day(n: int) -> date:
    return START + timedelta(days=n)


STAFF = Member(1, "Asha", "commissioner", "officer", "co_lead", needs_recorded=True, preferred_language="en")


def partner(user_id: int = 2, kind: str = "draws_on_care", **changes: object) -> Member:
    values: dict[str, object] = {
        "user_id": user_id,
        "display_name": f"Partner {user_id}",
        "side": "citizen_partner",
        "partner_kind": kind,
        "needs_recorded": True,
        "preferred_language": "en",
    }
    values.update(changes)
    return Member(**values)  # type: ignore[arg-type]


def stages(design: str = "in_progress", delivery: str = "not_started", evaluation: str = "not_started") -> tuple:
    return (Stage("design", design), Stage("delivery", delivery), Stage("evaluation", evaluation))


def act(
    activity_id: int, stage: str = "design", on: int | None = None, kind: str = "workshop", **kw: object
) -> Activity:
    title = kw.pop("title", f"Activity {activity_id}")
    return Activity(activity_id, stage, kind, day(activity_id if on is None else on), title, **kw)  # type: ignore[arg-type]


def came(activity_id: int, user_id: int | None = 2, is_partner: bool = True, **kw: object) -> Attendance:
    kw.setdefault("contributed", True)
    return Attendance(activity_id, user_id, is_citizen_partner=is_partner, **kw)  # type: ignore[arg-type]


def decided(decision_id: int, activity_id: int, stances: dict[int, str] | None = None, **kw: object) -> Decision:
    positions = tuple(MemberPosition(uid, s) for uid, s in (stances if stances is not None else {2: "agreed"}).items())
    on = kw.pop("on", day(activity_id))
    text = kw.pop("text", f"Decision {decision_id}")
    return Decision(decision_id, activity_id, on, text, positions=positions, **kw)  # type: ignore[arg-type]


def make(**kw: object) -> InitiativeFacts:
    nation = kw.pop("nation", "england")
    info = kw.pop("initiative", None) or InitiativeInfo(1, "Day services", nation)  # type: ignore[arg-type]
    kw.setdefault("as_of", day(100))
    kw.setdefault("members", (STAFF, partner()))
    kw.setdefault("stages", stages())
    return InitiativeFacts(initiative=info, **kw)  # type: ignore[arg-type]


def refs(finding: Finding, kind: str) -> set[object]:
    return {r.id for r in finding.evidence_refs if r.kind == kind}


def text(finding: Finding) -> str:
    return "\n".join(r.text for r in finding.reasons)


def reason_with(finding: Finding, fragment: str) -> Reason:
    matches = [r for r in finding.reasons if fragment in r.text]
    assert matches, f"no reason mentions {fragment!r}:\n{text(finding)}"
    return matches[0]


# ---------------------------------------------------------------------------------------------------
# Snapshot contract


def test_snapshot_normalises_codes_and_lists_and_is_hashable() -> None:
    activity = Activity(1, "design", "workshop", day(1), "Kick-off", languages=["cy", "en"])  # type: ignore[arg-type]
    assert activity.stage is StageKind.DESIGN and activity.languages == ("cy", "en")
    facts = make(activities=[activity])
    assert isinstance(facts.activities, tuple)
    assert hash(facts) == hash(make(activities=(activity,)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.as_of = day(1)  # type: ignore[misc]


def test_snapshot_rejects_unknown_codes_and_bad_ratings() -> None:
    with pytest.raises(ValueError, match="co_creation"):
        Activity(1, "co_creation", "workshop", day(1), "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="between 1 and 7"):
        Attendance(1, 2, rating=8)


def test_snapshot_helpers() -> None:
    old = partner(2, role="co_lead", joined_on=day(0), left_on=day(10))
    new = partner(2, role="member", joined_on=day(20))
    facts = make(
        members=(STAFF, old, new, partner(3)),
        activities=(act(5, on=9), act(4, on=3), act(6, "delivery")),
        attendance=(came(4), came(4, 1, is_partner=False)),
        decisions=(decided(1, 5), decided(2, 4)),
    )
    assert facts.citizen_partner_ids == {2, 3}
    assert facts.member(2) == new
    assert [a.id for a in facts.activities_in("design")] == [4, 5]
    assert [d.id for d in facts.decisions_in(StageKind.DESIGN)] == [2, 1]
    assert len(facts.partner_attendance_at(4)) == 1
    assert old.active_on(day(10)) and not old.active_on(day(11))
    assert [s.kind for s in facts.started_stages] == [StageKind.DESIGN]


def test_every_rule_is_registered_with_keyword_only_params() -> None:
    expected = {
        "partner_in_every_stage",
        "early_involvement",
        "ladder_rating",
        "partner_positions_recorded",
        "decisions_changed_by_partners",
        "recommendations_answered",
        "communication_needs_met",
        "assisted_contributions_confirmed",
        "accessible_formats",
        "language_preference_recorded",
        "welsh_language_offer",
        "reciprocity_offered",
        "output_published",
        "co_authored_output",
        "evaluation_with_partners",
        "dual_signoff",
        "co_leads_in_place",
        "diverse_membership",
        "methods_per_stage",
        "regular_activity",
        "attestation_only",
    }
    assert expected <= RULES.keys()


def test_rule_decorator_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError, match="twice"):
        rule("ladder_rating")(lambda facts: Finding(Status.MET))
    with pytest.raises(TypeError, match="keyword-only"):
        rule("bad_positional")(lambda facts, x: Finding(Status.MET))
    with pytest.raises(TypeError, match="first parameter"):
        rule("bad_first")(lambda snapshot: Finding(Status.MET))
    assert "bad_positional" not in RULES and "bad_first" not in RULES


def test_finding_collects_refs_once() -> None:
    ref = EvidenceRef("activity", 1, "A")
    finding = Finding(Status.MET, (Reason("a", (ref,)), Reason("b", (ref, EvidenceRef("stage", "design", "D")))))
    assert finding.evidence_refs == (ref, EvidenceRef("stage", "design", "D"))


# ---------------------------------------------------------------------------------------------------
# partner_in_every_stage (X-STAGE)


def _stage_world(delivery_rating: int | None = 6, evaluation: str = "not_started", **kw: object) -> InitiativeFacts:
    values: dict[str, object] = {
        "stages": stages("complete", "in_progress", evaluation),
        "activities": (act(1, "design", title="Co-design day"), act(2, "delivery", title="Check-in")),
        "attendance": (came(1, rating=6), came(2, rating=delivery_rating)),
        "decisions": (decided(10, 1, text="Use the library"), decided(20, 2, text="Start in May")),
    }
    values.update(kw)
    return make(**values)


def test_partner_in_every_stage_met_names_each_stage_and_decision() -> None:
    finding = RULES["partner_in_every_stage"](_stage_world())
    assert finding.status is Status.MET
    design = reason_with(finding, "Design stage")
    assert "“Use the library”" in design.text and "rung 6 of 7 (co-designing)" in design.text
    assert {("stage", "design"), ("activity", 1), ("decision", 10), ("member", 2)} <= {
        (r.kind, r.id) for r in design.refs
    }
    assert "Delivery stage" in text(finding)


def test_partner_in_every_stage_partly_met_when_in_the_room_but_below_the_depth_asked() -> None:
    finding = RULES["partner_in_every_stage"](_stage_world(delivery_rating=3))
    assert finding.status is Status.PARTLY_MET
    delivery = reason_with(finding, "Delivery stage")
    assert delivery.text == (
        "Delivery stage: Partner 2 was there when “Start in May” was decided at “Check-in” on 3 January 2025, "
        "but rated it rung 3 of 7 (informing), below the rung 5 of 7 (engaging) asked for."
    )
    assert {("activity", 2), ("decision", 20), ("member", 2)} <= {(r.kind, r.id) for r in delivery.refs}


def test_partner_in_every_stage_partly_met_names_the_empty_evaluation_stage() -> None:
    finding = RULES["partner_in_every_stage"](_stage_world(evaluation="in_progress"))
    assert finding.status is Status.PARTLY_MET
    reason = reason_with(finding, "Evaluation stage")
    assert reason.text == "Evaluation stage: no activity yet where a citizen partner contributed to a decision."
    assert reason.refs == (EvidenceRef("stage", "evaluation", "Evaluation stage"),)


def test_partner_in_every_stage_giving_views_without_a_decision_taken_with_partners_is_not_in_order() -> None:
    # Attending and giving views, with no decision taken with them, is consultation: no consolation "partly".
    facts = _stage_world(decisions=(decided(10, 1, {2: "absent"}), decided(20, 2, {2: "dissented"})))
    finding = RULES["partner_in_every_stage"](facts)
    assert finding.status is Status.PARTLY_MET  # design not in order, delivery in order
    design = reason_with(finding, "Design stage")
    assert design.text == (
        "Design stage: citizen partners gave their views at “Co-design day” on 2 January 2025, but no decision "
        "there was taken with them. That is consultation, not co-production."
    )
    assert "Delivery stage: Partner 2, a citizen partner, helped make the decision" in text(finding)
    only_views = _stage_world(stages=stages("in_progress"), decisions=())
    assert RULES["partner_in_every_stage"](only_views).status is Status.NOT_MET


def test_partner_in_every_stage_unrated_is_partly_met() -> None:
    finding = RULES["partner_in_every_stage"](_stage_world(delivery_rating=None))
    assert finding.status is Status.PARTLY_MET
    assert "has not rated it yet, so it cannot show it reached rung 5" in reason_with(finding, "Delivery stage").text


def test_partner_in_every_stage_not_met_without_partners() -> None:
    facts = make(stages=stages("complete", "in_progress"), activities=(act(1), act(2, "delivery")))
    finding = RULES["partner_in_every_stage"](facts)
    assert finding.status is Status.NOT_MET
    assert refs(finding, "stage") == {"design", "delivery"}


def test_partner_in_every_stage_attendance_only_mode_and_stage_filter() -> None:
    facts = _stage_world(decisions=(), delivery_rating=None)
    finding = RULES["partner_in_every_stage"](
        facts, min_rung=None, require_decision=False, stages=(StageKind.DELIVERY,)
    )
    assert finding.status is Status.MET
    assert refs(finding, "stage") == {"delivery"}


def test_partner_in_every_stage_not_applicable_before_any_stage_starts() -> None:
    finding = RULES["partner_in_every_stage"](make(stages=stages("not_started")))
    assert finding.status is Status.NOT_APPLICABLE
    assert "has not started" in text(finding)
    with pytest.raises(ValueError, match="rung"):
        RULES["partner_in_every_stage"](make(), min_rung=9)


# ---------------------------------------------------------------------------------------------------
# early_involvement (X-EARLY)


def test_early_involvement_met() -> None:
    facts = make(activities=(act(1), act(5)), attendance=(came(1),), decisions=(decided(10, 5, text="Pick venue"),))
    finding = RULES["early_involvement"](facts)
    assert finding.status is Status.MET
    assert "“Pick venue”" in text(finding) and refs(finding, "activity") == {1} and refs(finding, "decision") == {10}


def test_early_involvement_partly_met_when_partners_joined_mid_design() -> None:
    facts = make(
        activities=(act(1), act(3), act(5)),
        attendance=(came(3),),
        decisions=(decided(10, 1, {}, text="Budget"), decided(11, 5)),
    )
    finding = RULES["early_involvement"](facts)
    assert finding.status is Status.PARTLY_MET
    assert text(finding) == (
        "The first decision in the design stage, “Budget” (2 January 2025) was made without citizen partners. "
        "Partner 2, a citizen partner, first contributed later, at “Activity 3” on 4 January 2025."
    )
    assert refs(finding, "decision") == {10} and refs(finding, "activity") == {3}


def test_early_involvement_not_met() -> None:
    no_partner = make(activities=(act(1),), decisions=(decided(10, 1, {}),))
    assert RULES["early_involvement"](no_partner).status is Status.NOT_MET
    too_late = make(
        activities=(act(1), act(9, "delivery")),
        attendance=(came(9),),
        decisions=(decided(10, 1, {}, text="All of it"),),
    )
    finding = RULES["early_involvement"](too_late)
    assert finding.status is Status.NOT_MET
    assert "after the last decision" in text(finding) and refs(finding, "decision") == {10}


def test_early_involvement_before_any_decision() -> None:
    assert RULES["early_involvement"](make()).status is Status.NOT_APPLICABLE
    involved = make(activities=(act(1),), attendance=(came(1),))
    assert RULES["early_involvement"](involved).status is Status.MET


# ---------------------------------------------------------------------------------------------------
# ladder_rating (X-POWER)


def test_ladder_rating_met() -> None:
    facts = make(activities=(act(1), act(2)), attendance=(came(1, rating=5), came(2, rating=7)))
    finding = RULES["ladder_rating"](facts)
    assert finding.status is Status.MET
    assert refs(finding, "activity") == {1, 2}


def test_ladder_rating_partly_met_names_the_low_activity_without_averaging() -> None:
    facts = make(
        members=(STAFF, partner(2), partner(3)),
        activities=(act(1), act(2, title="Survey briefing")),
        attendance=(came(1, rating=6), came(2, rating=7), came(2, 3, rating=3)),
    )
    finding = RULES["ladder_rating"](facts)
    assert finding.status is Status.PARTLY_MET
    low = reason_with(finding, "Survey briefing")
    assert "rung 3 of 7 (informing) and rung 7 of 7 (co-producing)" in low.text  # both, never a mean of 5
    assert low.refs == (EvidenceRef("activity", 2, f"Survey briefing ({day(2).day} January 2025)"),)


def test_ladder_rating_not_met_and_coercion() -> None:
    low = make(activities=(act(1),), attendance=(came(1, rating=4),))
    assert RULES["ladder_rating"](low).status is Status.NOT_MET
    coerced = make(
        members=(STAFF, partner(2), partner(3)),
        activities=(act(1), act(2), act(3)),
        attendance=(came(1, rating=7), came(2, rating=6), came(3, 3, rating=1)),
    )
    finding = RULES["ladder_rating"](coerced)
    assert finding.status is Status.NOT_MET
    assert "coercion" in text(finding)
    unrated = make(activities=(act(1),), attendance=(came(1),))
    assert RULES["ladder_rating"](unrated).status is Status.NOT_MET
    assert "have not rated 1 activity" in text(RULES["ladder_rating"](unrated))


def test_ladder_rating_reports_staff_partner_gap_without_changing_status() -> None:
    facts = make(activities=(act(1, title="Board"),), attendance=(came(1, rating=5), came(1, 1, False, rating=7)))
    finding = RULES["ladder_rating"](facts)
    assert finding.status is Status.MET
    gap = reason_with(finding, "rated it differently")
    assert "Citizen partners: Partner 2 rung 5 of 7 (engaging). Staff: Asha rung 7 of 7 (co-producing)." in gap.text
    assert refs(finding, "activity") == {1}
    one_rung = make(activities=(act(1),), attendance=(came(1, rating=6), came(1, 1, False, rating=7)))
    assert "rated it differently" in text(RULES["ladder_rating"](one_rung)), "one rung is still a difference"
    same = make(activities=(act(1),), attendance=(came(1, rating=6), came(1, 1, False, rating=6)))
    assert "differently" not in text(RULES["ladder_rating"](same))


def test_ladder_rating_not_applicable_without_partner_attendance() -> None:
    facts = make(activities=(act(1),), attendance=(came(1, 1, False, rating=7),))
    assert RULES["ladder_rating"](facts).status is Status.NOT_APPLICABLE


# ---------------------------------------------------------------------------------------------------
# partner_positions_recorded and decisions_changed_by_partners (X-POWER)


def test_partner_positions_recorded_met_with_dissent_kept() -> None:
    facts = make(
        activities=(act(1),), attendance=(came(1),), decisions=(decided(10, 1, {2: "dissented"}, text="Close"),)
    )
    finding = RULES["partner_positions_recorded"](facts)
    assert finding.status is Status.MET
    dissent = reason_with(finding, "disagreed")
    assert {(r.kind, r.id) for r in dissent.refs} == {("decision", 10), ("member", 2)}


def test_partner_positions_recorded_partly_and_not_met() -> None:
    facts = make(
        members=(STAFF, partner(2), partner(3)),
        activities=(act(1), act(2)),
        attendance=(came(1), came(1, 3), came(2)),
        decisions=(decided(10, 1, {2: "agreed"}, text="Venue"), decided(11, 2, {1: "agreed"}, text="Budget")),
    )
    finding = RULES["partner_positions_recorded"](facts)
    assert finding.status is Status.PARTLY_MET
    assert ("member", 3) in {(r.kind, r.id) for r in reason_with(finding, "“Venue”").refs}
    assert "no citizen partner's position is recorded" in reason_with(finding, "“Budget”").text
    only_budget = dataclasses.replace(facts, decisions=facts.decisions[1:])
    assert RULES["partner_positions_recorded"](only_budget).status is Status.NOT_MET
    assert RULES["partner_positions_recorded"](make()).status is Status.NOT_APPLICABLE


def test_decisions_changed_by_partners() -> None:
    changed = decided(10, 1, changed_by_partner_input=True, how_changed="Moved to evenings", text="Timing")
    unexplained = decided(11, 2, changed_by_partner_input=True, text="Venue")
    plain = decided(12, 3, text="Budget")
    met = make(activities=(act(1), act(2), act(3)), decisions=(changed, plain))
    finding = RULES["decisions_changed_by_partners"](met)
    assert finding.status is Status.MET
    assert "Moved to evenings" in reason_with(finding, "“Timing”").text and refs(finding, "decision") == {10}
    partly = dataclasses.replace(met, decisions=(changed, unexplained))
    finding = RULES["decisions_changed_by_partners"](partly)
    assert finding.status is Status.PARTLY_MET and "does not say how" in reason_with(finding, "“Venue”").text
    assert RULES["decisions_changed_by_partners"](met, min_changed=2).status is Status.PARTLY_MET
    none = dataclasses.replace(met, decisions=(plain,))
    assert RULES["decisions_changed_by_partners"](none).status is Status.NOT_MET
    assert RULES["decisions_changed_by_partners"](make()).status is Status.NOT_APPLICABLE


# ---------------------------------------------------------------------------------------------------
# recommendations_answered (X-LOOP)


def test_recommendations_answered_met() -> None:
    facts = make(
        activities=(act(1, title="Open meeting"),),
        recommendations=(
            Recommendation(1, "Evening meetings", day(1), 2, 1, response="accepted", action="Moved to 6pm"),
            Recommendation(2, "Free parking", day(1), 2, response="rejected", reason="the car park is not ours"),
        ),
    )
    finding = RULES["recommendations_answered"](facts)
    assert finding.status is Status.MET
    assert reason_with(finding, "“Evening meetings”").text == (
        "Partner 2 said “Evening meetings” (2 January 2025). We did it: “Moved to 6pm”."
    )
    # What people typed is quoted, not pasted mid-sentence.
    assert "We could not do this. Why: “the car park is not ours”." in reason_with(finding, "“Free parking”").text
    assert refs(finding, "recommendation") == {1, 2} and refs(finding, "activity") == {1}


def test_recommendations_answered_partly_met_names_gaps() -> None:
    facts = make(
        as_of=day(50),
        recommendations=(
            Recommendation(1, "Taxis", response="rejected"),
            Recommendation(2, "Easy Read", response="accepted", action="Done", review_on=day(40)),
        ),
    )
    finding = RULES["recommendations_answered"](facts)
    assert finding.status is Status.PARTLY_MET
    assert "no reason is recorded" in reason_with(finding, "“Taxis”").text
    assert "The review due on 10 February 2025 has passed with no review recorded." in text(finding)
    reviewed = make(
        as_of=day(50),
        recommendations=(
            Recommendation(
                2,
                "Easy Read",
                from_user_id=2,
                response="accepted",
                action="Done",
                review_on=day(40),
                reviewed_on=day(41),
                reviewed_by=1,
                review_outcome="All minutes are Easy Read now",
            ),
        ),
    )
    finding = RULES["recommendations_answered"](reviewed)
    assert finding.status is Status.MET, "a recorded review closes a passed review date"
    assert "Reviewed on 11 February 2025 by Asha: “All minutes are Easy Read now”." in text(finding)


def test_recommendations_answered_not_met_and_not_applicable() -> None:
    facts = make(recommendations=(Recommendation(1, "Taxis", day(3)),))
    finding = RULES["recommendations_answered"](facts)
    assert finding.status is Status.NOT_MET
    assert reason_with(finding, "“Taxis”").refs[0] == EvidenceRef("recommendation", 1, "“Taxis”")
    assert RULES["recommendations_answered"](make()).status is Status.NOT_APPLICABLE


# ---------------------------------------------------------------------------------------------------
# communication_needs_met, assisted contributions, accessible_formats (X-ACCESS)


def test_communication_needs_met_met() -> None:
    facts = make(
        members=(STAFF, partner(2, communication_needs=("easy_read",))),
        activities=(act(1),),
        attendance=(came(1, adjustments_requested=("easy_read",), adjustments_provided=("easy_read",)),),
    )
    finding = RULES["communication_needs_met"](facts)
    assert finding.status is Status.MET
    assert "every adjustment asked for was provided" in text(finding)


def test_communication_needs_met_partly_met_names_person_and_activity() -> None:
    facts = make(
        members=(STAFF, partner(2), partner(3, needs_recorded=False)),
        activities=(act(1, title="Workshop"),),
        attendance=(came(1, adjustments_requested=("easy_read", "hearing_loop"), adjustments_provided=("easy_read",)),),
    )
    finding = RULES["communication_needs_met"](facts)
    assert finding.status is Status.PARTLY_MET
    assert reason_with(finding, "not yet been asked").refs == (EvidenceRef("member", 3, "Partner 3"),)
    loop = reason_with(finding, "“Workshop”")
    # Need to know: the reason says an adjustment was missed, never which one (that is health information).
    assert "asked for 1 adjustment that was not provided" in loop.text
    assert "hearing loop" not in loop.text and "Easy Read" not in loop.text
    assert {(r.kind, r.id) for r in loop.refs} == {("activity", 1), ("member", 2)}


def test_communication_needs_met_not_met_and_standing_needs() -> None:
    facts = make(
        members=(STAFF, partner(2, needs_recorded=False, communication_needs=("large_print",))),
        activities=(act(1),),
        attendance=(came(1, adjustments_requested=("bsl_interpreter",)),),
    )
    assert RULES["communication_needs_met"](facts).status is Status.NOT_MET
    standing = make(
        members=(STAFF, partner(2, communication_needs=("large_print",))), activities=(act(1),), attendance=(came(1),)
    )
    assert RULES["communication_needs_met"](standing).status is Status.MET
    finding = RULES["communication_needs_met"](standing, standing_needs=True)
    assert finding.status is Status.PARTLY_MET and "asked for 1 adjustment that was not provided" in text(finding)
    assert "large print" not in text(finding)


def test_communication_needs_met_not_applicable_without_partners() -> None:
    assert RULES["communication_needs_met"](make(members=(STAFF,))).status is Status.NOT_APPLICABLE


def test_assisted_contributions_confirmed() -> None:
    confirmed = act(1, on_behalf_of=2, on_behalf_confirmed=True)
    pending = act(2, on_behalf_of=2, title="Phone call")
    assert RULES["assisted_contributions_confirmed"](make(activities=(confirmed,))).status is Status.MET
    finding = RULES["assisted_contributions_confirmed"](make(activities=(confirmed, pending)))
    assert finding.status is Status.PARTLY_MET
    assert {(r.kind, r.id) for r in reason_with(finding, "“Phone call”").refs} == {("activity", 2), ("member", 2)}
    assert RULES["assisted_contributions_confirmed"](make(activities=(pending,))).status is Status.NOT_MET
    assert RULES["assisted_contributions_confirmed"](make(activities=(act(3),))).status is Status.NOT_APPLICABLE


def _published(output_id: int = 1, kind: str = "plan", formats: tuple[str, ...] = (), **kw: object) -> Output:
    kw.setdefault("published_url", "https://example.org/p")
    kw.setdefault("published_on", day(10))
    return Output(output_id, kind, kw.pop("title", f"Output {output_id}"), formats=formats, **kw)  # type: ignore[arg-type]


def test_accessible_formats_from_partner_needs() -> None:
    members = (STAFF, partner(2, communication_needs=("easy_read",)), partner(3, preferred_language="cy"))
    met = make(members=members, outputs=(_published(formats=("easy_read", "welsh")),))
    assert RULES["accessible_formats"](met).status is Status.MET
    partly = make(members=members, outputs=(_published(formats=("easy_read",), title="Plan"),))
    finding = RULES["accessible_formats"](partly)
    assert finding.status is Status.PARTLY_MET
    welsh = reason_with(finding, "“Plan” is not available in Welsh, which Partner 3 needs.")
    assert welsh.refs == (EvidenceRef("output", 1, "Plan"), EvidenceRef("member", 3, "Partner 3"))
    # A BSL interpreter is what someone needs at meetings: it does not make a BSL video of an output expected.
    meetings_only = make(
        members=(STAFF, partner(2, communication_needs=("bsl_interpreter", "supporter_present"))),
        outputs=(_published(),),
    )
    assert RULES["accessible_formats"](meetings_only).status is Status.NOT_APPLICABLE
    missing = make(members=members, outputs=(_published(),))
    assert RULES["accessible_formats"](missing).status is Status.NOT_MET


def test_accessible_formats_params_and_not_applicable() -> None:
    facts = make(outputs=(_published(1, "strategy"), _published(2, "accessible_version", formats=("easy_read",))))
    assert RULES["accessible_formats"](facts).status is Status.NOT_APPLICABLE  # nobody needs a format
    wanted = RULES["accessible_formats"](facts, formats=(OutputFormat.LARGE_PRINT,))
    assert wanted.status is Status.NOT_MET and refs(wanted, "output") == {1}
    only_versions = RULES["accessible_formats"](
        facts, formats=(OutputFormat.EASY_READ,), kinds=(OutputKind.ACCESSIBLE_VERSION,)
    )
    assert only_versions.status is Status.MET
    assert RULES["accessible_formats"](make(), formats=(OutputFormat.AUDIO,)).status is Status.NOT_APPLICABLE


# ---------------------------------------------------------------------------------------------------
# language_preference_recorded and welsh_language_offer (X-LANG)


def test_language_preference_recorded() -> None:
    assert RULES["language_preference_recorded"](make()).status is Status.MET
    mixed = make(members=(STAFF, partner(2), partner(3, preferred_language=None)))
    finding = RULES["language_preference_recorded"](mixed)
    assert finding.status is Status.PARTLY_MET and refs(finding, "member") == {3}
    unasked = make(members=(STAFF, partner(3, preferred_language=None)))
    assert RULES["language_preference_recorded"](unasked).status is Status.NOT_MET
    assert RULES["language_preference_recorded"](make(members=(STAFF,))).status is Status.NOT_APPLICABLE


def _welsh_world(languages: tuple[str, ...] = ("cy",), formats: tuple[str, ...] = ("welsh",)) -> InitiativeFacts:
    return make(
        nation="wales",
        members=(STAFF, partner(2, preferred_language="cy")),
        activities=(act(1, title="Cyfarfod", languages=languages),),
        attendance=(came(1),),
        outputs=(_published(formats=formats, title="Cynllun"),),
    )


def test_welsh_language_offer_met_in_wales() -> None:
    finding = RULES["welsh_language_offer"](_welsh_world())
    assert finding.status is Status.MET
    assert refs(finding, "activity") == {1} and refs(finding, "output") == {1}


def test_welsh_language_offer_partly_and_not_met() -> None:
    finding = RULES["welsh_language_offer"](_welsh_world(languages=("en",)))
    assert finding.status is Status.PARTLY_MET
    reason = reason_with(finding, "“Cyfarfod”")
    assert "no Welsh interpretation" in reason.text and ("member", 2) in {(r.kind, r.id) for r in reason.refs}
    interpreted = dataclasses.replace(_welsh_world(languages=("en",)), activities=(act(1, interpretation=("cy",)),))
    assert RULES["welsh_language_offer"](interpreted).status is Status.MET
    nothing = make(
        nation="wales",
        members=(STAFF, partner(2, preferred_language=None)),
        outputs=(_published(title="Plan"),),
    )
    finding = RULES["welsh_language_offer"](nothing)
    assert finding.status is Status.NOT_MET
    assert "“Plan” is not published in Welsh" in text(finding)


def test_welsh_language_offer_not_applicable_outside_wales_unless_asked() -> None:
    england = dataclasses.replace(_welsh_world(), initiative=InitiativeInfo(1, "x", "england"))
    finding = RULES["welsh_language_offer"](england)
    assert finding.status is Status.NOT_APPLICABLE and "England" in text(finding)
    assert RULES["welsh_language_offer"](england, nations=(Nation.ENGLAND, Nation.WALES)).status is Status.MET


# ---------------------------------------------------------------------------------------------------
# reciprocity_offered (X-REWARD)


def _reward_world(entries: tuple[ReciprocityEntry, ...] | None) -> InitiativeFacts:
    return make(
        members=(STAFF, partner(2), partner(3)),
        activities=(act(1), act(2)),
        attendance=(came(1), came(2), came(1, 3)),
        reciprocity=entries,
    )


def test_reciprocity_offered_met_partly_not_met() -> None:
    both = (ReciprocityEntry(1, 2, "payment", 1, 2500), ReciprocityEntry(2, 3, "declined"))
    assert RULES["reciprocity_offered"](_reward_world(both)).status is Status.MET
    finding = RULES["reciprocity_offered"](_reward_world(both[:1]))
    assert finding.status is Status.PARTLY_MET
    assert reason_with(finding, "no payment, voucher").refs == (EvidenceRef("member", 3, "Partner 3"),)
    assert RULES["reciprocity_offered"](_reward_world(())).status is Status.NOT_MET


def test_reciprocity_offered_per_activity() -> None:
    world = _reward_world((ReciprocityEntry(1, 2, "voucher", 1), ReciprocityEntry(2, 3, "declined")))
    finding = RULES["reciprocity_offered"](world, per_activity=True)
    assert finding.status is Status.PARTLY_MET  # partner 2 has nothing for activity 2; 3 declined everything
    assert refs(finding, "activity") == {2}


def test_an_offer_declined_or_not_yet_answered_is_still_an_offer_made() -> None:
    entries = (
        ReciprocityEntry(1, 2, None, 1, 2500, status="offered"),
        ReciprocityEntry(2, 2, None, 2, 2500, status="offered"),
        ReciprocityEntry(3, 3, "declined", 1, 2500, status="declined"),
    )
    finding = RULES["reciprocity_offered"](_reward_world(entries), per_activity=True)
    assert finding.status is Status.MET
    texts = [r.text for r in RULES["reciprocity_offered"](_reward_world(entries)).reasons]
    assert "A citizen partner has recognition recorded (an offer not answered yet)." in texts
    assert "A citizen partner has recognition recorded (no payment, thank you)." in texts


def test_reciprocity_offered_needs_attestation_or_not_applicable() -> None:
    finding = RULES["reciprocity_offered"](_reward_world(None))
    assert finding.status is Status.NEEDS_ATTESTATION and "confirm" in text(finding)
    assert RULES["reciprocity_offered"](make(reciprocity=())).status is Status.NOT_APPLICABLE


# ---------------------------------------------------------------------------------------------------
# output_published (X-PUBLISH) and co_authored_output


def test_output_published_met_names_the_output() -> None:
    facts = make(outputs=(_published(1, "information_advice_plan", title="I&A plan 2025"),))
    finding = RULES["output_published"](facts, kind=OutputKind.INFORMATION_ADVICE_PLAN)
    assert finding.status is Status.MET
    assert "https://example.org/p" in text(finding) and refs(finding, "output") == {1}


def test_output_published_partly_met_without_a_date() -> None:
    facts = make(outputs=(_published(1, "information_advice_plan", published_on=None, title="Draft plan"),))
    finding = RULES["output_published"](facts, kind=OutputKind.INFORMATION_ADVICE_PLAN)
    assert finding.status is Status.PARTLY_MET
    assert "needs both a web address and a publication date" in reason_with(finding, "“Draft plan”").text


def test_output_published_not_met() -> None:
    assert RULES["output_published"](make(), kind=OutputKind.INFORMATION_ADVICE_PLAN).status is Status.NOT_MET
    unpublished = make(outputs=(Output(1, "information_advice_plan", "Plan"),))
    finding = RULES["output_published"](unpublished, kind=OutputKind.INFORMATION_ADVICE_PLAN)
    assert finding.status is Status.NOT_MET and refs(finding, "output") == {1}
    future = make(as_of=day(5), outputs=(_published(1, "information_advice_plan"),))  # published on day 10
    assert RULES["output_published"](future, kind=OutputKind.INFORMATION_ADVICE_PLAN).status is Status.NOT_MET


def test_output_published_across_kinds() -> None:
    facts = make(outputs=(_published(1, "strategy"), Output(2, "evaluation_report", "Report")))
    kinds = (OutputKind.STRATEGY, OutputKind.EVALUATION_REPORT, OutputKind.PLAN)
    finding = RULES["output_published"](facts, kinds=kinds, must_exist=False)
    assert finding.status is Status.PARTLY_MET and refs(finding, "output") == {1, 2}
    assert RULES["output_published"](make(), kinds=kinds, must_exist=False).status is Status.NOT_APPLICABLE


def test_co_authored_output() -> None:
    members = (STAFF, partner(2), partner(5, kind="vcse", side="commissioner"))
    met = make(members=members, outputs=(Output(1, "information_advice_plan", "Plan", (2, 5)),))
    finding = RULES["co_authored_output"](met, kind=OutputKind.INFORMATION_ADVICE_PLAN, require_vcse=True)
    assert finding.status is Status.MET and refs(finding, "member") == {2}
    partly = make(members=members, outputs=(Output(1, "information_advice_plan", "Plan", (2,)),))
    finding = RULES["co_authored_output"](partly, kind=OutputKind.INFORMATION_ADVICE_PLAN, require_vcse=True)
    assert finding.status is Status.PARTLY_MET and "voluntary or community organisation" in text(finding)
    staff_only = make(members=members, outputs=(Output(1, "strategy", "Strategy", (1,)),))
    finding = RULES["co_authored_output"](staff_only)
    assert finding.status is Status.NOT_MET and reason_with(finding, "“Strategy”").refs[0].id == 1
    finding = RULES["co_authored_output"](make(), kind=OutputKind.TERMS_OF_REFERENCE)
    assert finding.status is Status.NOT_MET and text(finding) == "No terms of reference have been recorded yet."
    assert RULES["co_authored_output"](make()).status is Status.NOT_APPLICABLE


# ---------------------------------------------------------------------------------------------------
# evaluation_with_partners (X-EVAL)


def _eval_world(contributed: bool = True, report_authors: tuple[int, ...] | None = (2,)) -> InitiativeFacts:
    outputs = () if report_authors is None else (Output(1, "evaluation_report", "Findings", report_authors),)
    return make(
        stages=stages("complete", "complete", "in_progress"),
        activities=(act(1, "evaluation", title="Sense-making session"),),
        attendance=(came(1, contributed=contributed),),
        outputs=outputs,
    )


def test_evaluation_with_partners() -> None:
    finding = RULES["evaluation_with_partners"](_eval_world())
    assert finding.status is Status.MET
    assert refs(finding, "activity") == {1}
    # Analysing the results together counts; no report is demanded unless a criterion names one.
    finding = RULES["evaluation_with_partners"](_eval_world(report_authors=None))
    assert finding.status is Status.MET and "evaluation report" not in text(finding)
    finding = RULES["evaluation_with_partners"](_eval_world(report_authors=None), require_report=True)
    assert finding.status is Status.PARTLY_MET and "There is no evaluation report yet." in text(finding)
    # A report co-written with a partner is evidence of analysing together too.
    finding = RULES["evaluation_with_partners"](_eval_world(contributed=False))
    assert finding.status is Status.MET and "The evaluation report “Findings” was written with Partner 2." in text(
        finding
    )
    finding = RULES["evaluation_with_partners"](_eval_world(contributed=False, report_authors=(1,)))
    assert finding.status is Status.PARTLY_MET
    assert "none is recorded as contributing to the analysis" in reason_with(finding, "Evaluation stage").text
    finding = RULES["evaluation_with_partners"](_eval_world(report_authors=None), require_outcomes_framework=True)
    assert finding.status is Status.PARTLY_MET and "There is no list of outcomes the work aims for yet." in text(
        finding
    )
    empty = make(stages=stages("complete", "complete", "in_progress"))
    finding = RULES["evaluation_with_partners"](empty)
    assert finding.status is Status.NOT_MET and refs(finding, "stage") == {"evaluation"}
    assert RULES["evaluation_with_partners"](make()).status is Status.NOT_APPLICABLE


# ---------------------------------------------------------------------------------------------------
# dual_signoff and co_leads_in_place


def _signed(*signers: tuple[int, str, str]) -> Stage:
    return Stage("design", "complete", day(0), day(30), tuple(SignOff(u, r, v, "Too far away") for u, r, v in signers))


def test_dual_signoff_met_and_dissent_is_shown() -> None:
    signed = _signed(
        (1, "commissioner", "approve"), (2, "citizen_partner", "approve"), (3, "citizen_partner", "dissent")
    )
    facts = make(members=(STAFF, partner(), partner(3)), stages=(signed,))
    finding = RULES["dual_signoff"](facts)
    assert finding.status is Status.MET
    dissent = reason_with(finding, "disagreed")
    assert dissent.text == "Design stage: a citizen partner disagreed at the sign-off: “Too far away”."
    assert {(r.kind, r.id) for r in dissent.refs} == {("stage", "design"), ("member", 3)}


def test_dual_signoff_counts_approvals_as_the_stage_gate_does() -> None:
    """A dissent is not an approval, and only members holding a non-observer place can approve (domain.gates)."""
    only_dissent = make(stages=(_signed((1, "commissioner", "approve"), (2, "citizen_partner", "dissent")),))
    finding = RULES["dual_signoff"](only_dissent)
    assert finding.status is Status.PARTLY_MET
    assert "Design stage was closed without sign-off from a citizen partner." in text(finding)
    observer = make(
        members=(STAFF, partner(role="observer")),
        stages=(_signed((1, "commissioner", "approve"), (2, "citizen_partner", "approve")),),
    )
    assert RULES["dual_signoff"](observer).status is Status.PARTLY_MET
    # Someone who had left before the stage closed (day 30) could not have been the approval it needed.
    gone = make(
        members=(STAFF, partner(left_on=day(10))),
        stages=(_signed((1, "commissioner", "approve"), (2, "citizen_partner", "approve")),),
    )
    assert RULES["dual_signoff"](gone).status is Status.PARTLY_MET
    # Leaving after the stage closed does not undo a sign-off that counted when it was given.
    later = make(
        members=(STAFF, partner(left_on=day(60))),
        stages=(_signed((1, "commissioner", "approve"), (2, "citizen_partner", "approve")),),
    )
    assert RULES["dual_signoff"](later).status is Status.MET


def test_dual_signoff_partly_and_not_met() -> None:
    one_side = make(stages=(_signed((1, "commissioner", "approve")),))
    finding = RULES["dual_signoff"](one_side)
    assert finding.status is Status.PARTLY_MET
    assert (
        reason_with(finding, "Design stage").text == "Design stage was closed without sign-off from a citizen partner."
    )
    assert RULES["dual_signoff"](make(stages=(_signed(),))).status is Status.NOT_MET
    waiting = make(stages=(Stage("delivery", "awaiting_signoff"),))
    finding = RULES["dual_signoff"](waiting)
    assert finding.status is Status.PARTLY_MET and "waiting for sign-off" in text(finding)
    assert RULES["dual_signoff"](make()).status is Status.NOT_APPLICABLE


def test_co_leads_in_place() -> None:
    assert RULES["co_leads_in_place"](make(members=(STAFF, partner(2, role="co_lead")))).status is Status.MET
    finding = RULES["co_leads_in_place"](make())
    assert finding.status is Status.PARTLY_MET
    assert "There is no citizen partner co-lead at the moment." in text(finding) and refs(finding, "member") == {1}
    left = partner(2, role="co_lead", left_on=day(10))
    assert RULES["co_leads_in_place"](make(members=(left,))).status is Status.NOT_MET
    closed = make(members=(STAFF, left), initiative=InitiativeInfo(1, "x", "england", closed=True))
    assert RULES["co_leads_in_place"](closed).status is Status.MET


# ---------------------------------------------------------------------------------------------------
# diverse_membership (SCIE equality and diversity), methods, cadence, attestation


def test_diverse_membership_needs_attestation_when_groups_present() -> None:
    facts = make(members=(STAFF, partner(2), partner(3, kind="carer")))
    finding = RULES["diverse_membership"](facts)
    assert finding.status is Status.NEEDS_ATTESTATION
    assert "unpaid carers" in text(finding) and "needs to confirm" in text(finding)
    assert RULES["diverse_membership"](facts, require_attestation=False).status is Status.MET


def test_diverse_membership_partly_and_not_met() -> None:
    finding = RULES["diverse_membership"](make())
    assert finding.status is Status.PARTLY_MET and "Not yet represented among citizen partners: unpaid carers" in text(
        finding
    )
    professionals = make(members=(STAFF, partner(4, kind="provider")))
    finding = RULES["diverse_membership"](professionals)
    assert finding.status is Status.NOT_MET and "None of the citizen partners" in text(finding)
    assert RULES["diverse_membership"](make(members=(STAFF,))).status is Status.NOT_MET


def test_diverse_membership_min_kinds_and_all_members() -> None:
    from copro_tracker.criteria.snapshot import PartnerKind

    kinds = (PartnerKind.HEALTHWATCH, PartnerKind.VCSE, PartnerKind.OFFICER)
    finding = RULES["diverse_membership"](make(), kinds=kinds, min_kinds=1, all_members=True, require_attestation=False)
    assert finding.status is Status.MET and "The people involved include council or NHS officers" in text(finding)
    with pytest.raises(ValueError, match="min_kinds"):
        RULES["diverse_membership"](make(), kinds=kinds, min_kinds=4)


def test_methods_per_stage() -> None:
    two = make(activities=(act(1), act(2, kind="survey")))
    finding = RULES["methods_per_stage"](two)
    assert finding.status is Status.MET and "workshop and survey" in text(finding)
    facts = make(
        stages=stages("complete", "in_progress"), activities=(act(1), act(2, kind="survey"), act(3, "delivery"))
    )
    finding = RULES["methods_per_stage"](facts)
    assert finding.status is Status.PARTLY_MET and refs(finding, "stage") == {"design", "delivery"}
    assert RULES["methods_per_stage"](make()).status is Status.NOT_MET
    assert RULES["methods_per_stage"](make(stages=stages("not_started"))).status is Status.NOT_APPLICABLE


def test_regular_activity() -> None:
    steady = make(as_of=day(40), activities=(act(1, on=0), act(2, on=30)))
    assert RULES["regular_activity"](steady).status is Status.MET
    gap = make(as_of=day(100), activities=(act(1, on=0, title="Launch"), act(2, on=80, title="Restart")))
    finding = RULES["regular_activity"](gap)
    assert finding.status is Status.PARTLY_MET
    assert "80 days passed between “Launch”" in text(finding) and refs(finding, "activity") == {1, 2}
    silent = make(as_of=day(200), activities=(act(1, on=0), act(2, on=100)))
    assert RULES["regular_activity"](silent).status is Status.NOT_MET
    assert RULES["regular_activity"](make()).status is Status.NOT_APPLICABLE


def test_attestation_only() -> None:
    finding = RULES["attestation_only"](make(), what="the board approved the strategy.")
    assert finding.status is Status.NEEDS_ATTESTATION
    assert text(finding) == "A person needs to confirm: the board approved the strategy."
    with pytest.raises(ValueError):
        RULES["attestation_only"](make(), what="  ")


# ---------------------------------------------------------------------------------------------------
# Combining a criterion's checks


@dataclasses.dataclass(frozen=True)
class _Check:
    rule: str
    kwargs: dict[str, object] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class _Criterion:
    checks: tuple[_Check, ...]
    applies_to: AppliesTo | None = None
    needs_attestation: bool = False


def test_combine_worst_wins_and_not_applicable_is_ignored() -> None:
    met, partly = Finding(Status.MET, (Reason("a"),)), Finding(Status.PARTLY_MET, (Reason("b"),))
    na, attest = Finding(Status.NOT_APPLICABLE, (Reason("c"),)), Finding(Status.NEEDS_ATTESTATION, (Reason("d"),))
    assert combine([met, partly, na]).status is Status.PARTLY_MET
    assert [r.text for r in combine([met, partly, na]).reasons] == ["a", "b"]
    assert combine([met, attest]).status is Status.NEEDS_ATTESTATION
    assert combine([attest, partly]).status is Status.PARTLY_MET
    assert combine([partly, Finding(Status.NOT_MET)]).status is Status.NOT_MET
    assert combine([na, na]).status is Status.NOT_APPLICABLE
    assert combine([met, met]).reasons == (Reason("a"),)


def test_evaluate_runs_checks_and_keeps_status_when_attestation_is_needed() -> None:
    criterion = _Criterion(
        (_Check("co_leads_in_place"), _Check("welsh_language_offer")),
        needs_attestation=True,
    )
    facts = make(members=(STAFF, partner(2, role="co_lead")))
    finding = evaluate(criterion, facts)
    assert finding.status is Status.MET  # the attestation is shown beside it, not folded in
    assert "Welsh" not in text(finding)


def test_evaluate_all_runs_each_distinct_check_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    original = RULES["co_leads_in_place"]

    def counting(facts: InitiativeFacts, **kwargs: object) -> Finding:
        calls.append(kwargs)
        return original(facts, **kwargs)

    monkeypatch.setitem(RULES, "co_leads_in_place", counting)
    shared = _Criterion((_Check("co_leads_in_place"),))
    other = _Criterion((_Check("co_leads_in_place"), _Check("attestation_only", {"what": "x"})))
    findings = evaluate_all([shared, other, shared], make())
    assert len(calls) == 1
    assert findings == [evaluate(shared, make()), evaluate(other, make()), evaluate(shared, make())]
    assert [f.status for f in findings] == [Status.PARTLY_MET, Status.PARTLY_MET, Status.PARTLY_MET]


def test_evaluate_respects_applies_to() -> None:
    criterion = _Criterion((_Check("co_leads_in_place"),), AppliesTo(functions=("information_advice",)))  # type: ignore[arg-type]
    finding = evaluate(criterion, make())
    assert finding.status is Status.NOT_APPLICABLE and "information and advice" in text(finding)
    tagged = make(initiative=InitiativeInfo(1, "x", "england", ("information_advice",)))
    assert evaluate(criterion, tagged).status is Status.PARTLY_MET
    individual = _Criterion((_Check("co_leads_in_place"),), AppliesTo(collective=False))
    assert evaluate(individual, make()).status is Status.NOT_APPLICABLE
    nhs = _Criterion((_Check("co_leads_in_place"),), AppliesTo(nhs_partnered=True))
    assert "NHS" in text(evaluate(nhs, make()))


def test_a_person_named_in_a_reason_always_has_a_member_reference_with_that_name() -> None:
    """Reasons name people (issue 10), and a report anonymises by replacing each member reference's label in
    the text: so a name may appear in a reason only together with the member reference that carries it."""
    facts = make(
        members=(STAFF, partner(2, display_name="Zebedee Quill", needs_recorded=False, preferred_language=None)),
        activities=(act(1),),
        attendance=(came(1, rating=2), came(1, 1, False, rating=6)),
        decisions=(decided(10, 1, {2: "dissented"}),),
        recommendations=(Recommendation(1, "Taxis", day(1), 2, review_on=day(3), response="accepted", action="x"),),
        reciprocity=(),
        initiative=InitiativeInfo(1, "Day services", "wales"),
        stages=stages("in_progress"),
    )
    named = 0
    for name, function in RULES.items():
        kwargs = {"what": "x"} if name == "attestation_only" else {}
        finding = function(facts, **kwargs)
        assert isinstance(finding.status, Status)
        for reason in finding.reasons:
            if "Zebedee" in reason.text:
                named += 1
                assert EvidenceRef("member", 2, "Zebedee Quill") in reason.refs, (name, reason.text)
    assert named >= 4, "rules name the person concerned"


CRITERIA_DIR = Path(rules.__file__).parent.parent
PURE_CORE = ["snapshot.py", "framework.py", *sorted(f"rules/{p.name}" for p in (CRITERIA_DIR / "rules").glob("*.py"))]


@pytest.mark.parametrize("module", PURE_CORE)
def test_domain_core_imports_no_flask_or_sqlalchemy(module: str) -> None:
    path = CRITERIA_DIR / module
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "flask_babel", "sqlalchemy", "flask_sqlalchemy"}
