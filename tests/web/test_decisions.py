"""Decisions with each person's position, and "you said, we did" recommendations."""

from __future__ import annotations

from datetime import date, timedelta

from activity_fixtures import audit_actions, count, make_activity, make_decision, team_fixture  # noqa: F401
from conftest import Page, get_page, login, post_page

from copro_tracker.codes import Position
from copro_tracker.extensions import db
from copro_tracker.models import Decision, DecisionPosition, Recommendation


def _decision(team, **overrides):
    data = {
        "what": "Open the centre on Saturdays",
        "options_considered": "Saturdays, evenings, no change",
        f"position_{team.commissioner.id}": "agreed",
        f"position_{team.partner.id}": "agreed",
        "changed": "yes",
        "how_changed": "Partners said weekdays clash with work",
    }
    data.update(overrides)
    return data


def test_record_decision_with_positions(client, team):
    activity = make_activity(team)
    login(client, team.partner)
    url = f"/initiatives/{team.initiative.id}/activities/{activity.id}/decisions/new"
    page = get_page(client, url)
    legends = [" ".join(x.text.split()) for x in page.soup.select("legend")]
    assert "Amira Partner’s position" in legends and "Tom Commissioner’s position" in legends
    assert client.post(url, data=_decision(team)).status_code == 302
    decision = db.session.query(Decision).one()
    assert decision.changed_by_partner_input and decision.how_changed.startswith("Partners said")
    assert {p.position for p in decision.positions} == {Position.AGREED}
    assert "decision.recorded" in audit_actions()
    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/{activity.id}")
    assert "Open the centre on Saturdays" in page.text()


def test_dissent_is_named_in_the_audit_trail_and_shown(client, team):
    activity = make_activity(team)
    login(client, team.commissioner)
    url = f"/initiatives/{team.initiative.id}/activities/{activity.id}/decisions/new"
    response = client.post(url, data=_decision(team, **{f"position_{team.partner.id}": "dissented"}))
    assert response.status_code == 302
    assert "decision.dissent_recorded" in audit_actions()
    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/{activity.id}")
    assert "Disagreed" in page.text()


def test_decision_errors_are_specific_and_keep_input(client, team):
    activity = make_activity(team)
    login(client, team.commissioner)
    url = f"/initiatives/{team.initiative.id}/activities/{activity.id}/decisions/new"
    page = post_page(client, url, _decision(team, how_changed="", **{f"position_{team.partner.id}": ""}))
    assert "Choose Amira Partner's position" in page.errors()
    assert "Say how citizen partners' input changed the decision" in page.errors()
    assert page.soup.select_one("textarea#what").text.strip() == "Open the centre on Saturdays"
    assert page.soup.select_one(f"input[name=position_{team.commissioner.id}][value=agreed][checked]")
    page = post_page(client, url, _decision(team, what="", changed=""))
    assert page.errors() == [
        "Say what was decided",
        "Say whether the decision changed because of what citizen partners said",
    ]
    assert count(Decision) == 0 and count(DecisionPosition) == 0


def test_edit_decision_conflict_keeps_input(client, team):
    activity = make_activity(team)
    decision = make_decision(activity, {team.partner: Position.AGREED, team.commissioner: Position.AGREED})
    login(client, team.commissioner)
    url = f"/initiatives/{team.initiative.id}/decisions/{decision.id}/edit"
    stale = get_page(client, url).soup.select_one("input[name=version]")["value"]
    assert client.post(url, data=_decision(team, version=stale, what="First")).status_code == 302
    response = client.post(url, data=_decision(team, version=stale, what="Mine"))
    assert response.status_code == 409
    page = Page(response).check()
    assert page.soup.select_one("textarea#what").text.strip() == "Mine" and "First" in page.text()
    db.session.expire_all()
    assert db.session.get(Decision, decision.id).what == "First"
    assert "decision.updated" in audit_actions()


def test_you_said_we_did(client, team):
    activity = make_activity(team)
    base = f"/initiatives/{team.initiative.id}"
    login(client, team.partner)
    page = post_page(client, f"{base}/recommendations/new", {"text": "", "activity_id": str(activity.id)})
    assert page.errors() == ["Enter the recommendation"]
    assert page.soup.select_one(f"select#activity_id option[value='{activity.id}'][selected]")
    response = client.post(
        f"{base}/recommendations/new", data={"text": "Easy Read minutes", "activity_id": str(activity.id)}
    )
    assert response.status_code == 302
    rec = db.session.query(Recommendation).one()
    assert rec.activity_id == activity.id and "recommendation.made" in audit_actions()

    # Responding is for co-leads and commissioners; the partner here is a co-lead.
    url = f"{base}/recommendations/{rec.id}/respond"
    page = get_page(client, url)
    version = page.soup.select_one("input[name=version]")["value"]
    page = post_page(client, url, {"response": "rejected", "reason": "", "action_taken": "x", "version": version})
    assert page.errors() == ["Give the reason it was not accepted"]
    assert page.soup.select_one("textarea#action_taken").text.strip() == "x"
    page = post_page(client, url, {"response": "adapted", "reason": "", "version": version})
    assert page.errors() == ["Say how and why the recommendation was adapted"]
    past = date.today() - timedelta(days=3)
    response = client.post(
        url,
        data={
            "response": "accepted",
            "reason": "",
            "action_taken": "",
            "review_on": [str(past.day), str(past.month), str(past.year)],
            "version": version,
        },
    )
    assert response.status_code == 302
    assert "recommendation.responded" in audit_actions()
    page = get_page(client, f"{base}/you-said-we-did")
    assert "Review overdue" in page.text() and "Easy Read minutes" in page.text()


def _days(value: date) -> list[str]:
    return [str(value.day), str(value.month), str(value.year)]


def test_a_recorded_review_closes_a_passed_review_date(client, team):
    """The review actually held (date, what it found, who) is recorded apart from "what was done"."""
    base = f"/initiatives/{team.initiative.id}"
    login(client, team.partner)
    said = date.today() - timedelta(days=60)
    response = client.post(f"{base}/recommendations/new", data={"text": "Easy Read minutes", "raised_on": _days(said)})
    assert response.status_code == 302
    rec = db.session.query(Recommendation).one()
    assert rec.raised_on == said and rec.created_at.date() == date.today()
    page = get_page(client, f"{base}/you-said-we-did")
    assert f"From Amira Partner, {said.day} {said:%B %Y}" in page.text() and "(recorded " in page.text()

    url = f"{base}/recommendations/{rec.id}/respond"
    version = get_page(client, url).soup.select_one("input[name=version]")["value"]
    due = date.today() - timedelta(days=5)
    client.post(url, data={"response": "accepted", "review_on": _days(due), "version": version})
    assert "Review overdue" in get_page(client, f"{base}/you-said-we-did").text()

    review = f"{base}/recommendations/{rec.id}/review"
    page = get_page(client, review)
    version = page.soup.select_one("input[name=version]")["value"]
    page = post_page(client, review, {"reviewed_by": str(team.commissioner.id), "outcome": "", "version": version})
    assert page.errors() == ["Enter the date the review was held", "Say what the review found"]
    tomorrow = date.today() + timedelta(days=1)
    fields = {"reviewed_by": str(team.commissioner.id), "outcome": "Minutes now come in Easy Read", "version": version}
    page = post_page(client, review, {**fields, "reviewed_on": _days(tomorrow)})
    assert page.errors() == ["The date the review was held must be today or in the past"]
    page = post_page(client, review, {**fields, "reviewed_on": _days(said - timedelta(days=1))})
    assert page.errors() == ["The review cannot be held before the recommendation was made"]
    page = post_page(client, review, {**fields, "reviewed_by": str(team.nonmember.id), "reviewed_on": _days(due)})
    assert page.errors() == ["Choose who held the review from the initiative's members"]
    assert page.soup.select_one("textarea#outcome").text.strip() == "Minutes now come in Easy Read"
    response = client.post(review, data={**fields, "reviewed_on": _days(due)})
    assert response.status_code == 302
    db.session.expire_all()
    rec = db.session.get(Recommendation, rec.id)
    assert (rec.reviewed_on, rec.reviewed_by_id) == (due, team.commissioner.id)
    assert rec.action_taken == "", "the review is kept apart from what was done"
    page = get_page(client, f"{base}/you-said-we-did")
    assert "Review overdue" not in page.text()
    assert f"Reviewed {due.day} {due:%B %Y} by Tom Commissioner: Minutes now come in Easy Read" in page.text()
    assert "recommendation.reviewed" in audit_actions()


def test_a_recommendation_cannot_be_dated_in_the_future(client, team):
    login(client, team.partner)
    tomorrow = date.today() + timedelta(days=1)
    page = post_page(
        client, f"/initiatives/{team.initiative.id}/recommendations/new", {"text": "x", "raised_on": _days(tomorrow)}
    )
    assert page.errors() == ["The date it was said must be today or in the past"]
    assert count(Recommendation) == 0


def test_members_who_do_not_lead_cannot_respond(client, team, org):
    from conftest import make_user

    from copro_tracker.codes import OrgRole
    from copro_tracker.initiatives import service as initiatives
    from copro_tracker.models import Initiative

    plain = make_user(org, OrgRole.CITIZEN_PARTNER, name="Pat Plain")
    initiatives.add_member(team.commissioner, db.session.get(Initiative, team.initiative.id), plain, "member")
    rec = Recommendation(
        organisation_id=team.initiative.organisation_id, initiative_id=team.initiative.id, made_by_id=plain.id, text="x"
    )
    db.session.add(rec)
    db.session.commit()
    login(client, plain)
    assert client.get(f"/initiatives/{team.initiative.id}/recommendations/{rec.id}/respond").status_code == 403
    assert client.get(f"/initiatives/{team.initiative.id}/you-said-we-did").status_code == 200
