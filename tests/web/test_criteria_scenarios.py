"""Officer-style scenarios for the criteria rules: each case is recorded the way a council officer would
record it (through the services the pages call), then evaluated from the database. Each test asserts the
status and that the reason names the cause: the meeting, the decision, the output and the person.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import get_page, login, make_org, make_user

from copro_tracker.activities import service as activities
from copro_tracker.auth import service as accounts
from copro_tracker.codes import Nation, OrgRole
from copro_tracker.criteria import facts, rules
from copro_tracker.criteria.rules import Status
from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import Activity, Initiative, Stage
from copro_tracker.outputs import service as outputs

TODAY = date.today()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


class Officer:
    """Records an initiative through the services, the way the pages do."""

    def __init__(self, org, lead, partners, title="Redesigning day opportunities"):
        self.lead = lead
        self.partners = partners
        self.initiative = initiatives.create(
            lead,
            title=title,
            summary="People who use day services and the council redesign them together.",
            service_area="Day opportunities",
            statutory_functions=["prevention"],
            level="collective",
        )
        for index, person in enumerate(partners):
            initiatives.add_member(lead, self.initiative, person, "co_lead" if index == 0 else "member")

    def fresh(self) -> Initiative:
        db.session.expire_all()
        return db.session.get(Initiative, self.initiative.id)

    def stage(self, kind: str) -> Stage:
        return next(s for s in self.fresh().stages if s.kind.value == kind)

    def activity(
        self,
        title,
        on,
        people,
        *,
        stage="design",
        kind="workshop",
        contributed=(),
        ratings=None,
        languages=("en",),
        interpretation=(),
        material_formats=(),
    ) -> Activity:
        record = activities.record_activity(
            self.lead,
            self.fresh(),
            activities.ActivityDetails(
                stage_id=self.stage(stage).id,
                kind=kind,
                occurred_on=on,
                title=title,
                notes="",
                attendee_ids=[p.id for p in people],
                guests=[],
                guests_are_citizens=False,
                languages=tuple(languages),
                interpretation=tuple(interpretation),
                material_formats=tuple(material_formats),
            ),
        )
        rows = [
            activities.AttendanceRow(a.id, a.user_id in {p.id for p in contributed}, [], []) for a in record.attendances
        ]
        record = activities.record_attendance(self.lead, record, rows, record.version)
        for person, rung in (ratings or {}).items():
            mine = next(a for a in record.attendances if a.user_id == person.id)
            activities.rate(person, mine, rung, "")
        return db.session.get(Activity, record.id)

    def decide(self, activity, what, positions, changed=False, how=""):
        return activities.record_decision(
            self.lead,
            db.session.get(Activity, activity.id),
            activities.DecisionDetails(
                what=what,
                options_considered="",
                positions={p.id: stance for p, stance in positions.items()},
                changed_by_partner_input=changed,
                how_changed=how,
            ),
        )

    def sign_off(self, kind):
        stage = self.stage(kind)
        initiatives.refresh_stage(stage)
        db.session.commit()
        for person in (self.lead, self.partners[0]):
            initiatives.sign_off(person, self.stage(kind), "approve", "")

    def check(self, name: str, **params):
        return rules.RULES[name](facts.load(self.fresh()), **params)

    def criterion(self, app, criterion_id: str):
        library = app.extensions["criteria_library"]
        snapshot = facts.load(self.fresh())
        criterion = next(
            c for f in library.for_nation(snapshot.initiative.nation) for c in f.criteria if c.id == criterion_id
        )
        return rules.evaluate(criterion, snapshot)


def texts(finding) -> str:
    return "\n".join(r.text for r in finding.reasons)


@pytest.fixture
def amira(org):
    return make_user(org, OrgRole.CITIZEN_PARTNER, name="Amira Partner")


@pytest.fixture
def george(org):
    return make_user(org, OrgRole.CITIZEN_PARTNER, name="George Blake")


# --- early involvement ---------------------------------------------------------------------------


def test_a_survey_before_the_first_design_decision_is_not_being_involved_in_it(org, commissioner, amira):
    officer = Officer(org, commissioner, [amira])
    survey = officer.activity("Day services survey", ago(40), [commissioner, amira], kind="survey", contributed=[amira])
    meeting = officer.activity("Officers' options meeting", ago(30), [commissioner], contributed=[commissioner])
    officer.decide(meeting, "Close the Tuesday centre", {commissioner: "agreed"})
    finding = officer.check("early_involvement")
    assert finding.status is Status.NOT_MET
    text = texts(finding)
    assert "the first decision in the design stage, “Close the Tuesday centre”" in text
    assert "was made without citizen partners" in text
    assert f"gave their views at “Day services survey” on {ago(40).day} " in text
    assert "answering a survey or consultation is not being involved in the decision" in text
    assert survey.id in {r.id for r in finding.evidence_refs if r.kind == "activity"}


def test_partners_contributing_at_the_first_design_decision_are_involved_early(org, commissioner, amira):
    officer = Officer(org, commissioner, [amira])
    workshop = officer.activity(
        "What makes a good day?", ago(30), [commissioner, amira], contributed=[commissioner, amira]
    )
    officer.decide(workshop, "Open at weekends", {commissioner: "agreed", amira: "agreed"})
    finding = officer.check("early_involvement")
    assert finding.status is Status.MET
    (reason,) = finding.reasons
    assert reason.text.startswith("Amira Partner, a citizen partner, contributed at “What makes a good day?”")
    assert "at the first decision in the design stage, “Open at weekends”" in reason.text
    assert ("member", amira.id) in {(r.kind, r.id) for r in reason.refs}


def test_present_but_silent_at_the_first_decision_is_partly_early(org, commissioner, amira):
    officer = Officer(org, commissioner, [amira])
    meeting = officer.activity("Budget meeting", ago(20), [commissioner, amira], contributed=[commissioner])
    officer.decide(meeting, "Keep the budget flat", {commissioner: "agreed", amira: "absent"})
    finding = officer.check("early_involvement")
    assert finding.status is Status.PARTLY_MET
    assert "Amira Partner was present for the first decision in the design stage" in texts(finding)
    assert "no citizen partner is recorded as contributing to it" in texts(finding)


# --- sharing power at a stage ----------------------------------------------------------------------


def test_giving_views_with_no_decision_taken_with_partners_is_consultation(org, commissioner, amira):
    officer = Officer(org, commissioner, [amira])
    officer.activity(
        "Listening event", ago(10), [commissioner, amira], contributed=[commissioner, amira], ratings={amira: 4}
    )
    finding = officer.check("partner_in_every_stage", stages=("design",))
    assert finding.status is Status.NOT_MET
    (reason,) = finding.reasons
    assert reason.text == (
        f"Design stage: citizen partners gave their views at “Listening event” on {ago(10).day} "
        f"{ago(10):%B %Y}, but no decision there was taken with them. That is consultation, not co-production."
    )


def test_in_the_room_for_a_decision_but_below_the_depth_asked_is_partly_met(org, commissioner, amira):
    officer = Officer(org, commissioner, [amira])
    meeting = officer.activity(
        "Steering group", ago(10), [commissioner, amira], contributed=[commissioner, amira], ratings={amira: 4}
    )
    officer.decide(meeting, "Start in May", {commissioner: "agreed", amira: "agreed"})
    finding = officer.check("partner_in_every_stage", stages=("design",), min_rung=5)
    assert finding.status is Status.PARTLY_MET
    assert texts(finding) == (
        f"Design stage: Amira Partner was there when “Start in May” was decided at “Steering group” on "
        f"{ago(10).day} {ago(10):%B %Y}, but rated it rung 4 of 7 (consulting), below the rung 5 of 7 (engaging) "
        "asked for."
    )
    # Rated at the depth asked for, it is met, and the reason names the person and the decision.
    mine = next(a for a in db.session.get(Activity, meeting.id).attendances if a.user_id == amira.id)
    activities.rate(amira, mine, 6, "")
    finding = officer.check("partner_in_every_stage", stages=("design",), min_rung=5)
    assert finding.status is Status.MET
    assert "Amira Partner, a citizen partner, helped make the decision “Start in May”" in texts(finding)


# --- Welsh -------------------------------------------------------------------------------------------


@pytest.fixture
def wales():
    org = make_org("Glanyrafon County Council", Nation.WALES)
    lead = make_user(org, OrgRole.COMMISSIONER, name="Dafydd Rees")
    megan = make_user(org, OrgRole.CITIZEN_PARTNER, name="Megan Price")
    accounts.update_profile(
        megan, display_name="Megan Price", communication_needs=[], communication_needs_other="", preferred_language="cy"
    )
    return org, lead, megan


def test_nothing_offered_in_welsh_to_someone_who_prefers_it_is_not_met(wales):
    org, lead, megan = wales
    officer = Officer(org, lead, [megan], title="Home care")
    officer.activity("What good home care means", ago(20), [lead, megan], contributed=[lead, megan])
    plan = outputs.save_output(
        lead,
        officer.fresh(),
        None,
        expected_version=None,
        kind="plan",
        title="Home care plan",
        document_version="1",
        co_author_ids=[megan.id],
        published_url="https://example.org/plan",
        published_on=ago(5),
        formats=["easy_read"],
        evidence_id=None,
    )
    finding = officer.check("welsh_language_offer")
    assert finding.status is Status.NOT_MET
    text = texts(finding)
    assert (
        "“What good home care means” on" in text and "Megan Price prefers Welsh, but it was not held in Welsh" in text
    )
    assert "“Home care plan” is not published in Welsh yet." in text
    assert "Megan Price prefers Welsh, and nothing (a meeting, interpretation, papers or a published output)" in text
    assert plan.id in {r.id for r in finding.evidence_refs if r.kind == "output"}
    # Asking was done (her preference is recorded), and asking alone is not enough.
    assert officer.check("language_preference_recorded").status is Status.MET

    officer.activity(
        "Checking contracts", ago(2), [lead, megan], contributed=[megan], interpretation=["cy"], stage="design"
    )
    finding = officer.check("welsh_language_offer")
    assert finding.status is Status.PARTLY_MET
    assert "“Checking contracts” on" in texts(finding) and "had Welsh interpretation, for Megan Price" in texts(finding)


# --- accessible formats ------------------------------------------------------------------------------


def test_formats_come_from_what_people_asked_for_not_from_meeting_needs(org, commissioner, amira, george):
    accounts.update_profile(
        amira,
        display_name="Amira Partner",
        communication_needs=["bsl_interpreter", "supporter_present"],
        communication_needs_other="",
        preferred_language="en",
    )
    accounts.update_profile(
        george,
        display_name="George Blake",
        communication_needs=["large_print"],
        communication_needs_other="",
        preferred_language="en",
    )
    officer = Officer(org, commissioner, [amira, george])
    outputs.save_output(
        commissioner,
        officer.fresh(),
        None,
        expected_version=None,
        kind="plan",
        title="Day opportunities plan",
        document_version="1",
        co_author_ids=[amira.id],
        published_url="https://example.org/plan",
        published_on=ago(3),
        formats=["easy_read"],
        evidence_id=None,
    )
    finding = officer.check("accessible_formats")
    assert finding.status is Status.NOT_MET
    (reason,) = finding.reasons
    # A BSL interpreter and a supporter are what Amira needs at meetings; they make no output format expected.
    assert reason.text == "“Day opportunities plan” is not available in large print, which George Blake needs."
    assert "British Sign Language" not in texts(finding)


# --- follow-through ----------------------------------------------------------------------------------


def test_a_passed_review_date_is_a_gap_until_a_review_is_recorded(app, client, org, commissioner, amira):
    officer = Officer(org, commissioner, [amira])
    item = activities.make_recommendation(
        amira, officer.fresh(), "Send Easy Read minutes", None, None, raised_on=ago(60)
    )
    item = activities.respond(
        commissioner,
        item,
        response="accepted",
        reason="",
        action_taken="Minutes now go out in Easy Read",
        review_on=ago(7),
        expected_version=item.version,
    )
    finding = officer.check("recommendations_answered")
    assert finding.status is Status.PARTLY_MET
    assert texts(finding) == (
        f"Amira Partner said “Send Easy Read minutes” ({ago(60).day} {ago(60):%B %Y}). The review due on "
        f"{ago(7).day} {ago(7):%B %Y} has passed with no review recorded."
    )
    assert officer.criterion(app, "X-LOOP").status is Status.PARTLY_MET
    # The dashboard, the you-said-we-did page and the criteria agree: the review is overdue.
    login(client, commissioner)
    assert "Send Easy Read minutes" in get_page(client, "/dashboard").text()
    said = get_page(client, f"/initiatives/{officer.initiative.id}/you-said-we-did").text()
    assert "Review overdue" in said
    activities.record_review(
        commissioner,
        item,
        reviewed_on=ago(6),
        reviewed_by_id=amira.id,
        outcome="Everyone gets them now",
        expected_version=item.version,
    )
    finding = officer.check("recommendations_answered")
    assert finding.status is Status.MET
    assert "Send Easy Read minutes" not in get_page(client, "/dashboard").text()
    assert "Review overdue" not in get_page(client, f"/initiatives/{officer.initiative.id}/you-said-we-did").text()
    assert "We did it: “Minutes now go out in Easy Read”." in texts(finding)
    assert f"Reviewed on {ago(6).day} {ago(6):%B %Y} by Amira Partner: “Everyone gets them now”." in texts(finding)


def test_scotlands_impact_standard_takes_recommendations_into_account(app, commissioner):
    org = make_org("Loch Council", Nation.SCOTLAND)
    lead = make_user(org, OrgRole.COMMISSIONER, name="Iain Lead")
    ailsa = make_user(org, OrgRole.CITIZEN_PARTNER, name="Ailsa Partner")
    officer = Officer(org, lead, [ailsa])
    activities.make_recommendation(ailsa, officer.fresh(), "Meet in the evenings", None, None)
    finding = officer.criterion(app, "SCO-NSCE-7")
    assert "Ailsa Partner said “Meet in the evenings”" in texts(finding)
    assert "No response is recorded yet." in texts(finding)
    assert finding.status is Status.NOT_MET


# --- ratings -----------------------------------------------------------------------------------------


def test_a_one_rung_difference_between_the_sides_is_shown_side_by_side(client, org, commissioner, amira):
    officer = Officer(org, commissioner, [amira])
    activity = officer.activity(
        "Co-design day",
        ago(5),
        [commissioner, amira],
        contributed=[commissioner, amira],
        ratings={amira: 5, commissioner: 6},
    )
    finding = officer.check("ladder_rating")
    assert finding.status is Status.MET
    assert (
        f"“Co-design day” on {ago(5).day} {ago(5):%B %Y}: the two sides rated it differently. "
        "Citizen partners: Amira Partner rung 5 of 7 (engaging). Staff: Tom Commissioner rung 6 of 7 (co-designing)."
    ) in texts(finding)
    login(client, commissioner)
    page = get_page(client, f"/initiatives/{officer.initiative.id}/activities/{activity.id}")
    assert "Different views" in page.text() and "Ratings are 1 step apart." in page.text()


# --- evaluation --------------------------------------------------------------------------------------


def test_partners_analysing_results_together_counts_without_a_report(org, commissioner, amira):
    officer = Officer(org, commissioner, [amira])
    design = officer.activity("Design day", ago(90), [commissioner, amira], contributed=[commissioner, amira])
    officer.decide(design, "Open at weekends", {commissioner: "agreed", amira: "agreed"})
    officer.sign_off("design")
    delivery = officer.activity(
        "Tender panel", ago(60), [commissioner, amira], stage="delivery", contributed=[commissioner, amira]
    )
    officer.decide(delivery, "Award to the co-op", {commissioner: "agreed", amira: "agreed"})
    officer.sign_off("delivery")
    officer.activity(
        "Making sense of the results",
        ago(5),
        [commissioner, amira],
        stage="evaluation",
        kind="evaluation_panel",
        contributed=[amira],
    )
    finding = officer.check("evaluation_with_partners")
    assert finding.status is Status.MET
    assert texts(finding) == (
        f"Evaluation stage: Amira Partner, a citizen partner, analysed the results with others at “Making sense of "
        f"the results” on {ago(5).day} {ago(5):%B %Y}."
    )
    assert "evaluation report" not in texts(finding)


# --- outputs ---------------------------------------------------------------------------------------


def _output(officer, title, *, co_authors=(), url="", on=None, formats=(), output=None):
    record = outputs.save_output(
        officer.lead,
        officer.fresh(),
        output,
        expected_version=output.version if output is not None else None,
        kind="plan",
        title=title,
        document_version="1",
        co_author_ids=[p.id for p in co_authors],
        published_url=url,
        published_on=on,
        formats=list(formats),
        evidence_id=None,
    )
    db.session.expire_all()
    return record


def test_a_plan_counts_as_published_once_it_has_an_address_and_a_date(org, commissioner, amira):
    officer = Officer(org, commissioner, [amira])
    assert officer.check("output_published", kind="plan").status is Status.NOT_MET
    assert texts(officer.check("output_published", kind="plan")) == "No plan has been recorded yet."
    plan = _output(officer, "Day opportunities plan", co_authors=[commissioner, amira])
    finding = officer.check("output_published", kind="plan")
    assert finding.status is Status.NOT_MET
    assert texts(finding) == "The plan “Day opportunities plan” has not been published yet."
    assert [r.label for r in finding.evidence_refs] == ["Day opportunities plan"]
    _output(officer, "Day opportunities plan", url="https://northshire.example/plan", on=ago(3), output=plan)
    finding = officer.check("output_published", kind="plan")
    assert finding.status is Status.MET
    assert texts(finding) == (
        f"The plan “Day opportunities plan” was published on {ago(3).day} {ago(3):%B %Y} at "
        "https://northshire.example/plan."
    )


def test_an_output_written_without_a_citizen_partner_is_not_co_authored(org, commissioner, amira):
    officer = Officer(org, commissioner, [amira])
    plan = _output(officer, "Day opportunities plan", co_authors=[commissioner])
    finding = officer.check("co_authored_output")
    assert finding.status is Status.NOT_MET
    assert texts(finding) == "“Day opportunities plan” has no citizen partner listed as a co-author."
    _output(officer, "Day opportunities plan", co_authors=[commissioner, amira], output=plan)
    finding = officer.check("co_authored_output")
    assert finding.status is Status.MET
    assert texts(finding) == "“Day opportunities plan” was written with 1 citizen partner."
    assert "Amira Partner" in [r.label for r in finding.evidence_refs]


# --- governance ------------------------------------------------------------------------------------


def test_co_leads_and_sign_off_name_the_side_still_missing(org, commissioner, amira):
    officer = Officer(org, commissioner, [amira])
    finding = officer.check("co_leads_in_place")
    assert finding.status is Status.MET
    assert texts(finding) == "A citizen partner is a co-lead.\nA commissioner is a co-lead."
    assert "Amira Partner" in [r.label for r in finding.evidence_refs]

    design = officer.activity("Design day", ago(20), [commissioner, amira], contributed=[commissioner, amira])
    officer.decide(design, "Open at weekends", {commissioner: "agreed", amira: "agreed"})
    initiatives.refresh_stage(officer.stage("design"))
    db.session.commit()
    initiatives.sign_off(commissioner, officer.stage("design"), "approve", "")
    finding = officer.check("dual_signoff")
    assert finding.status is Status.PARTLY_MET
    assert texts(finding) == "Design stage is waiting for sign-off from a citizen partner."
    initiatives.sign_off(amira, officer.stage("design"), "approve", "")
    finding = officer.check("dual_signoff")
    assert finding.status is Status.MET
    assert texts(finding) == "Design stage was signed off by a commissioner and a citizen partner."
    assert {"Amira Partner", commissioner.display_name} <= {r.label for r in finding.evidence_refs}
