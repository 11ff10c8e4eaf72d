"""Screens that answer the same domain question must give the same answer.

Each test records a case the way people do (services and HTTP), then asks every place that shows the
answer: the stage gate on the initiative page, the dashboard, the criteria rules (and so the criteria
page), and the evidence report. One definition lives in copro_tracker/domain; these tests catch a
screen that stops using it.
"""

from __future__ import annotations

from datetime import date, timedelta

from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import get_page, login, make_user, post_page
from flask import current_app

from copro_tracker.auth import service as accounts
from copro_tracker.codes import OrgRole, PartnerKind, ReportKind, Side, StageStatus
from copro_tracker.criteria import facts as facts_loader
from copro_tracker.criteria import pages
from copro_tracker.criteria import service as criteria_service
from copro_tracker.criteria.rules import RULES
from copro_tracker.domain.assessments import assessments_that_count
from copro_tracker.extensions import db
from copro_tracker.initiatives import queries as initiative_queries
from copro_tracker.initiatives import service as initiatives
from copro_tracker.main import dashboard
from copro_tracker.models import Assessment, Initiative
from copro_tracker.reports import build
from copro_tracker.reports import service as reports


def _initiative(team) -> Initiative:
    db.session.expire_all()
    return db.session.get(Initiative, team.initiative.id)


def _live_gate(initiative: Initiative):
    """The gate as the initiative page and the service that closes stages compute it."""
    views = initiative_queries.stage_views(initiative, initiative_queries.activity_lines(initiative))
    return views[0].gate


def _dashboard_gate(user):
    # The dashboard pages its lists from the request's query string.
    with current_app.test_request_context("/dashboard"):
        (row,) = dashboard.summary_for(user).initiatives
    return row.gate


def _report(user, initiative: Initiative) -> build.Report:
    spec = reports.ReportSpec(ReportKind.INITIATIVE, build.Period(as_of=date.today()), initiative_id=initiative.id)
    return reports.prepare(user.organisation, spec)


def test_citizen_partner_is_judged_by_their_membership_side_everywhere(team, admin):
    """A partner whose organisation role later changes still took part as a citizen partner.

    Before, the gate and the criteria read the organisation role (so the stage lost its evidence the day
    an admin changed the role) while the activity page read the membership side.
    """
    make_activity(team, people=[team.commissioner, team.partner])
    initiatives.refresh_stage(_initiative(team).stages[0])
    db.session.commit()
    accounts.change_role(admin, team.partner, OrgRole.COMMISSIONER, PartnerKind.OFFICER)
    initiative = _initiative(team)

    assert _live_gate(initiative).evidence_met
    assert _dashboard_gate(team.commissioner).evidence_met
    snapshot = facts_loader.load(initiative)
    partner_rows = [a for a in snapshot.attendance if a.user_id == team.partner.id]
    assert partner_rows and all(a.is_citizen_partner for a in partner_rows)
    attendance = _report(team.commissioner, initiative).table("attendance").as_dicts()
    assert {r["side"] for r in attendance if r["name"] == team.partner.display_name} == {"Citizen partner"}


def test_activity_page_shows_the_same_side_as_the_gate(client, team, admin):
    activity = make_activity(team, people=[team.commissioner, team.partner])
    accounts.change_role(admin, team.partner, OrgRole.COMMISSIONER, PartnerKind.OFFICER)
    login(client, team.commissioner)
    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/{activity.id}")
    row = next(tr for tr in page.soup.select("table tr") if team.partner.display_name in tr.get_text())
    assert "Citizen partner" in row.get_text()
    assert _live_gate(_initiative(team)).evidence_met


def _missing_sides_in_rule(initiative: Initiative) -> set[Side]:
    finding = RULES["dual_signoff"](facts_loader.load(initiative))
    text = " ".join(r.text for r in finding.reasons if "sign-off from" in r.text)
    return {
        side
        for side, words in ((Side.COMMISSIONER, "a commissioner"), (Side.CITIZEN_PARTNER, "a citizen partner"))
        if words in text
    }


def _missing_sides_in_gate(gate) -> set[Side]:
    missing = set()
    if not gate.commissioner_approved:
        missing.add(Side.COMMISSIONER)
    if not gate.partner_approved:
        missing.add(Side.CITIZEN_PARTNER)
    return missing


def test_stage_gate_dashboard_and_sign_off_rule_agree_at_every_step(client, team):
    make_activity(team)
    initiatives.refresh_stage(_initiative(team).stages[0])
    db.session.commit()
    steps = [
        (None, None, {Side.COMMISSIONER, Side.CITIZEN_PARTNER}),
        (team.commissioner, "approve", {Side.CITIZEN_PARTNER}),
        # An activity recorded after an approval: the approval was given on less evidence and is asked again.
        (team.partner, "new activity", {Side.COMMISSIONER, Side.CITIZEN_PARTNER}),
        (team.commissioner, "approve", {Side.CITIZEN_PARTNER}),
        # A partner's disagreement is kept and shown, but it is not the partner side's approval.
        (team.partner, "dissent", {Side.CITIZEN_PARTNER}),
        # An observer cannot approve a stage on the partners' behalf.
        (team.observer, "approve", {Side.CITIZEN_PARTNER}),
        (team.partner, "approve", set()),
    ]
    for who, decision, missing in steps:
        if decision == "new activity":
            login(client, who)
            response = client.post(
                f"/initiatives/{team.initiative.id}/activities/new",
                data={
                    "stage_id": str(_initiative(team).stages[0].id),
                    "kind": "workshop",
                    "occurred_on": ["1", "4", "2025"],
                    "title": "Second workshop",
                    "attendees": [str(team.partner.id)],
                    "languages": ["en"],
                },
            )
            assert response.status_code == 302, response.text
        elif who is not None:
            login(client, who)
            data = {"decision": decision, "comment": "Not yet: carers were not asked" if decision == "dissent" else ""}
            client.post(f"/initiatives/{team.initiative.id}/stages/design/sign-off", data=data)
        initiative = _initiative(team)
        stage = initiative.stages[0]
        if missing:
            assert stage.status == StageStatus.AWAITING_SIGNOFF, (who, decision)
            gate = _live_gate(initiative)
            assert _missing_sides_in_gate(gate) == missing
            assert _missing_sides_in_gate(_dashboard_gate(team.commissioner)) == missing
        else:
            assert stage.status == StageStatus.COMPLETE
        assert _missing_sides_in_rule(initiative) == missing, (who, decision)


def test_gate_refusal_names_the_missing_citizen_partner_co_lead(client, org, commissioner):
    """Evidence is there, so the message must not say "needs evidence": it names the co-lead it lacks."""
    member = make_user(org, OrgRole.CITIZEN_PARTNER, name="Priya Member")
    initiative = initiatives.create(
        commissioner,
        title="Short breaks for carers",
        summary="",
        service_area="Carers",
        statutory_functions=["prevention"],
        level="collective",
    )
    initiatives.add_member(commissioner, initiative, member, "member")
    team = type("T", (), {"initiative": initiative, "commissioner": commissioner, "partner": member})
    make_activity(team, people=[commissioner, member])
    initiatives.refresh_stage(_initiative(team).stages[0])
    db.session.commit()
    login(client, commissioner)
    page = post_page(client, f"/initiatives/{initiative.id}/stages/design/sign-off", {"decision": "approve"})
    assert page.errors() == ["This stage cannot be approved yet: it still needs a citizen partner co-lead"]


def test_criteria_page_and_report_show_the_same_assessment(team):
    initiative = _initiative(team)
    library = pages_library()
    framework = library.checked_for("england")[0]
    criterion = framework.criteria[0]
    first = criteria_service.record_assessment(
        team.commissioner, initiative, framework, criterion, status="met", narrative="All in order"
    )
    second = criteria_service.record_assessment(
        team.commissioner,
        initiative,
        framework,
        criterion,
        status="not_met",
        narrative="Carers were not involved after all",
        expected_latest_id=first.id,
    )
    page = pages.initiative_page(
        initiative.id, initiative.organisation_id, team.commissioner.organisation.nation.value, library
    )
    row = next(r for r in page.rows if r.criterion.id == criterion.id)
    assert row.assessment is not None and row.assessment.id == second.id
    report_row = next(
        r
        for r in _report(team.commissioner, initiative).table(f"criteria_{framework.id}").as_dicts()
        if str(r["criterion"]).startswith(criterion.id + ":")
    )
    assert report_row["people_assessment"] == "Not met" == build.FINDING_STATUS_LABELS[row.assessment.status]
    # The database's max(id) and the pure definition pick the same row.
    rows = db.session.query(Assessment).filter_by(initiative_id=initiative.id).all()
    pure = assessments_that_count(reversed(rows))
    sql = criteria_service.latest_assessments([initiative.id], initiative.organisation_id)
    assert (
        {k: v.id for k, v in pure.items()}
        == {k: v.id for k, v in sql.items()}
        == {(initiative.id, criterion.id): second.id}
    )


def test_criteria_page_and_report_list_the_same_frameworks(team):
    initiative = _initiative(team)
    library = pages_library()
    page = pages.initiative_page(
        initiative.id, initiative.organisation_id, team.commissioner.organisation.nation.value, library
    )
    report = _report(team.commissioner, initiative)
    report_frameworks = [t.id.removeprefix("criteria_") for t in report.tables() if t.id.startswith("criteria_")]
    assert (
        [s.framework.id for s in page.sections] == report_frameworks == [f.id for f in library.checked_for("england")]
    )


def pages_library():
    from copro_tracker.reports import data

    return data.library()


def test_recommendations_page_dashboard_rule_and_report_agree_on_overdue_reviews(client, team):
    """Four screens used four definitions; a recorded review now closes a passed date everywhere, and
    "what we did" alone does not."""
    from copro_tracker.activities import queries as activity_queries
    from copro_tracker.activities import service as activities

    initiative = _initiative(team)
    past, today = date.today() - timedelta(days=10), date.today()
    raised = date.today() - timedelta(days=40)

    def recommend(text: str, review_on: date | None, action: str = "Done", reviewed: date | None = None):
        item = activities.make_recommendation(team.partner, initiative, text, None, None, raised_on=raised)
        item = activities.respond(
            team.commissioner,
            item,
            response="accepted",
            reason="",
            action_taken=action,
            review_on=review_on,
            expected_version=item.version,
        )
        if reviewed is not None:
            activities.record_review(
                team.commissioner,
                item,
                reviewed_on=reviewed,
                reviewed_by_id=team.partner.id,
                outcome="It works for carers now",
                expected_version=item.version,
            )
        return item

    overdue_done = recommend("Evening meetings", past, action="Moved to 6pm")  # done, but never reviewed
    overdue_blank = recommend("Large print agendas", past, action="")
    reviewed = recommend("Pay for travel", past, reviewed=past + timedelta(days=2))
    not_due = recommend("Meet in the library", today + timedelta(days=5))
    no_date = recommend("Shorter papers", None)
    expected = {overdue_done.id, overdue_blank.id}

    items = [overdue_done, overdue_blank, reviewed, not_due, no_date]
    assert {r.id for r in items if activity_queries.is_overdue(r, today)} == expected
    with current_app.test_request_context("/dashboard"):
        waiting = dashboard.summary_for(team.commissioner).waiting.items
    assert {w.item_id for w in waiting if w.kind == "overdue_reviews"} == expected
    finding = RULES["recommendations_answered"](facts_loader.load(_initiative(team)))
    flagged = {ref.id for r in finding.reasons if "has passed with no review recorded" in r.text for ref in r.refs}
    assert {i for i in flagged if i in {r.id for r in items}} == expected
    rows = _report(team.commissioner, _initiative(team)).table("you_said_we_did").as_dicts()
    by_text = {r["you_said"]: r["status"] for r in rows}
    assert {t for t, s in by_text.items() if "without a review" in str(s)} == {
        "Evening meetings",
        "Large print agendas",
    }
    assert by_text["Pay for travel"].startswith("Answered, and reviewed on")
    login(client, team.commissioner)
    page = get_page(client, f"/initiatives/{initiative.id}/you-said-we-did")
    flagged_rows = {
        tr.select_one("th span").get_text(" ", strip=True)
        for tr in page.soup.select("table tbody tr")
        if "Review overdue" in tr.get_text()
    }
    assert {
        t for t in flagged_rows if any(k in t for k in ("Evening", "Large print", "Pay", "library", "Shorter"))
    } == {
        "Evening meetings",
        "Large print agendas",
    }
