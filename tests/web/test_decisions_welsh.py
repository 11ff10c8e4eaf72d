"""A council officer in Wales records, on each decision, whether its effects on the Welsh language were
considered (Welsh Language Standards 88-91), and reads the criterion's finding on the criteria page."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from activity_fixtures import make_activity, make_team, team_fixture  # noqa: F401
from conftest import get_page, login, make_org, make_user, post_page

from copro_tracker.codes import Nation, OrgRole, WelshEffects
from copro_tracker.extensions import db
from copro_tracker.models import Activity, AuditEvent, Decision


@pytest.fixture
def welsh_team():
    council = make_org("Glanyrafon County Council", Nation.WALES)
    officer = make_user(council, OrgRole.COMMISSIONER, name="Dafydd Officer")
    partner = make_user(council, OrgRole.CITIZEN_PARTNER, name="Megan Partner")
    return make_team(council, officer, partner)


def _decision(team, **overrides):
    data = {
        "what": "Close the Tuesday drop-in",
        "options_considered": "",
        f"position_{team.commissioner.id}": "agreed",
        f"position_{team.partner.id}": "agreed",
        "changed": "no",
        "how_changed": "",
    }
    data.update(overrides)
    return data


def _finding(client, team) -> str:
    page = get_page(client, f"/initiatives/{team.initiative.id}/criteria")
    heading = page.soup.select_one("[id='criterion-WAL-WLS-88-91']")
    return " ".join(heading.find_parent("section").get_text(" ").split())


def test_officer_records_welsh_effects_and_the_finding_follows(client, welsh_team):
    team = welsh_team
    activity = make_activity(team)
    login(client, team.commissioner)
    new = f"/initiatives/{team.initiative.id}/activities/{activity.id}/decisions/new"
    form = get_page(client, new)
    legends = [" ".join(x.text.split()) for x in form.soup.select("legend")]
    assert "Were the decision's effects on the Welsh language considered?" in legends

    # Recorded without an answer: the criterion names the decision.
    assert client.post(new, data=_decision(team)).status_code == 302
    text = _finding(client, team)
    assert "Automatic check: Not met" in text
    assert (
        "The decision “Close the Tuesday drop-in” on 27 March 2025: nobody has recorded whether its effects on "
        "the Welsh language were considered." in text
    )

    # "Considered" needs a note; the error says so and nothing typed is lost.
    page = post_page(client, new, _decision(team, what="Bilingual leaflets", welsh_effects="considered"))
    assert page.errors() == ["Say briefly what the effects on the Welsh language are"]
    assert page.soup.select_one("textarea#what").text.strip() == "Bilingual leaflets"
    assert page.soup.select_one("input[name=welsh_effects][value=considered][checked]")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 1
    note = "More chances for people to use Welsh with the service."
    data = _decision(team, what="Bilingual leaflets", welsh_effects="considered", welsh_effects_note=note)
    assert client.post(new, data=data).status_code == 302
    text = _finding(client, team)
    assert "Automatic check: Partly met" in text
    assert f"its effects on the Welsh language were considered: {note}" in text

    # The officer goes back to the first decision: it does not touch the Welsh language.
    first = db.session.scalar(sa.select(Decision).where(Decision.what == "Close the Tuesday drop-in"))
    edit = f"/initiatives/{team.initiative.id}/decisions/{first.id}/edit"
    version = get_page(client, edit).soup.select_one("input[name=version]")["value"]
    data = _decision(team, version=version, welsh_effects="not_relevant", welsh_effects_note="A room change only.")
    assert client.post(edit, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Decision, first.id).welsh_effects is WelshEffects.NOT_RELEVANT
    assert "Automatic check: Met" in _finding(client, team)

    # Shown on the activity page, and captured in the audit trail with the change.
    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/{activity.id}")
    assert "Not relevant to this decision: A room change only." in page.text()
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "decision.updated").order_by(AuditEvent.id.desc())
    )
    changes = json.loads(event.payload)["changes"]
    assert changes["welsh_effects"]["after"] == "not_relevant"


def test_english_councils_are_not_asked_and_keep_no_answer(client, team):
    activity = make_activity(team)
    login(client, team.commissioner)
    new = f"/initiatives/{team.initiative.id}/activities/{activity.id}/decisions/new"
    page = get_page(client, new)
    assert "Welsh language" not in page.text()
    data = _decision(team, welsh_effects="considered", welsh_effects_note="ignored")
    assert client.post(new, data=data).status_code == 302
    decision = db.session.scalar(sa.select(Decision))
    assert decision.welsh_effects is None and decision.welsh_effects_note == ""


def _survey(team, **overrides):
    data = {
        "stage_id": str(team.initiative.stages[0].id),
        "kind": "survey",
        "occurred_on": ["2", "4", "2025"],
        "title": "Survey on the new drop-in times",
        "notes": "",
        "attendees": [str(team.commissioner.id), str(team.partner.id)],
        "guests": "",
        "on_behalf_of": "",
        "languages": ["en", "cy"],
    }
    data.update(overrides)
    return data


def test_officer_records_whether_a_survey_asked_about_welsh(client, welsh_team):
    team = welsh_team
    login(client, team.commissioner)
    new = f"/initiatives/{team.initiative.id}/activities/new"
    legends = [" ".join(x.text.split()) for x in get_page(client, new).soup.select("legend")]
    assert "Did it ask people how the proposals would affect the Welsh language? (optional)" in legends
    assert client.post(new, data=_survey(team)).status_code == 302
    text = _finding(client, team)
    assert "Automatic check: Not met" in text
    assert (
        "“Survey on the new drop-in times” on 2 April 2025: nobody has recorded whether it asked people how the "
        "proposals would affect the Welsh language." in text
    )
    survey = db.session.scalar(sa.select(Activity))
    edit = f"/initiatives/{team.initiative.id}/activities/{survey.id}/edit"
    page = get_page(client, edit)
    version = page.soup.select_one("input[name=version]")["value"]
    assert client.post(edit, data=_survey(team, version=version, welsh_effects="yes")).status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, survey.id).asked_about_welsh_effects is True
    text = _finding(client, team)
    assert "Automatic check: Met" in text
    assert "asked people how the proposals would affect the Welsh language." in text
    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/{survey.id}")
    assert "Asked about effects on the Welsh language Yes" in page.text()
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "activity.updated").order_by(AuditEvent.id.desc())
    )
    assert json.loads(event.payload)["changes"]["asked_about_welsh_effects"]["after"] is True


def test_english_councils_are_not_asked_about_welsh_on_activities(client, team):
    login(client, team.commissioner)
    new = f"/initiatives/{team.initiative.id}/activities/new"
    assert "Welsh language" not in get_page(client, new).text()
    data = _survey(team, welsh_effects="yes", languages=["en"])
    assert client.post(new, data=data).status_code == 302
    assert db.session.scalar(sa.select(Activity)).asked_about_welsh_effects is None
