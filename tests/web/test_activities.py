"""Recording activities, attendance and adjustments, assisted records, ladder ratings and the activity page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from activity_fixtures import QueryCounter, audit_actions, count, make_activity, make_decision, team_fixture  # noqa: F401
from conftest import get_page, login, make_user, post_page

from copro_tracker.codes import OrgRole, Position, StageStatus
from copro_tracker.extensions import db
from copro_tracker.models import Activity, Attendance


def _form(team, **overrides):
    data = {
        "stage_id": str(team.initiative.stages[0].id),
        "kind": "workshop",
        "occurred_on": ["27", "3", "2025"],
        "title": "Planning workshop",
        "notes": "Mapped what people want from a day.",
        "attendees": [str(team.commissioner.id), str(team.partner.id)],
        "guests": "Sam Guest\n\nRuth Guest\n",
        "guests_are_citizens": "y",
        "on_behalf_of": "",
        "languages": ["en"],
    }
    data.update(overrides)
    return data


def test_member_records_activity_then_attendance_and_the_gate_moves(client, team):
    login(client, team.partner)
    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/new")
    assert page.soup.select_one("input#occurred_on-day")
    assert page.soup.select_one("select#on_behalf_of") is None, "only commissioners record for others"
    response = client.post(f"/initiatives/{team.initiative.id}/activities/new", data=_form(team))
    assert response.status_code == 302
    activity = db.session.query(Activity).one()
    assert activity.recorded_by_id == team.partner.id and activity.on_behalf_of_id is None
    names = sorted(a.name for a in activity.attendances)
    assert names == sorted(["Tom Commissioner", "Amira Partner", "Sam Guest", "Ruth Guest"])
    mine = next(a for a in activity.attendances if a.user_id == team.partner.id)
    assert mine.adjustments_requested == ["easy_read", "extra_time"], "pre-filled from communication needs"
    assert all(a.guest_is_citizen for a in activity.attendances if not a.user_id)

    url = f"/initiatives/{team.initiative.id}/activities/{activity.id}/attendance"
    page = get_page(client, url)
    assert page.soup.select_one(f"input[name=requested_{mine.id}][value=easy_read][checked]")
    assert "Asked for by Amira Partner" in page.text()  # each fieldset's legend names the person
    response = client.post(
        url,
        data={
            "version": str(activity.version),
            f"contributed_{mine.id}": "y",
            f"requested_{mine.id}": ["easy_read", "extra_time"],
            f"provided_{mine.id}": ["easy_read"],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    mine = db.session.get(Attendance, mine.id)
    assert mine.contributed and mine.adjustments_provided == ["easy_read"]
    # A citizen partner contributed and both co-leads are in place: the stage waits for sign-off.
    assert db.session.get(Activity, activity.id).stage.status == StageStatus.AWAITING_SIGNOFF
    actions = audit_actions()
    assert "activity.recorded" in actions and "activity.attendance_recorded" in actions

    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/{activity.id}")
    assert "Not all provided" in page.text()
    assert "Easy Read documents" in page.text()


def test_activity_form_errors_are_specific_and_keep_input(client, team):
    login(client, team.commissioner)
    url = f"/initiatives/{team.initiative.id}/activities/new"
    page = post_page(client, url, _form(team, occurred_on=["31", "2", "2025"], title=""))
    assert "The date the activity happened must be a real date, like 27 3 2025" in page.errors()
    assert "Enter a title for the activity" in page.errors()
    assert page.soup.select_one("input#occurred_on-day")["value"] == "31"
    assert page.soup.select_one("textarea#notes").text.strip() == "Mapped what people want from a day."
    assert page.soup.select_one("a[href='#occurred_on-day']")
    page = post_page(client, url, _form(team, occurred_on=["", "", ""]))
    assert page.errors() == ["Enter the date the activity happened"]
    page = post_page(client, url, _form(team, occurred_on=["12", "", "2025"]))
    assert page.errors() == ["The date the activity happened must include a month"]
    page = post_page(client, url, _form(team, attendees=[str(team.nonmember.id)]))
    assert page.errors() == ["Choose attendees from the list of current members"]
    page = post_page(client, url, _form(team, attendees=[], guests=""))
    assert page.errors() == ["Choose at least one person who took part, or add a guest"]
    page = post_page(client, url, _form(team, languages=[]))
    assert page.errors() == ["Select the languages the activity was held in"]
    page = post_page(client, url, _form(team, languages=["klingon"]))
    assert page.errors() == ["Choose languages from the list"]
    page = post_page(client, url, _form(team, occurred_on=["1", "1", "2199"]))
    assert page.errors() == ["The date the activity happened must be today or in the past"]
    assert count(Activity) == 0


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (["1", "1", "1850"], "The date the activity happened must be in 1900 or later"),
        (["1", "1", "25"], "The date the activity happened must include the whole year, like 2025"),
        (["1", "x", "2025"], "The date the activity happened must be a real date, like 27 3 2025"),
        ("tomorrow", "The date the activity happened must be today or in the past"),
    ],
)
def test_activity_dates_too_early_too_late_or_garbled_say_so_once(client, team, when, message):
    if when == "tomorrow":
        tomorrow = date.today() + timedelta(days=1)
        when = [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]
    login(client, team.commissioner)
    page = post_page(client, f"/initiatives/{team.initiative.id}/activities/new", _form(team, occurred_on=when))
    assert page.errors() == [message]
    assert count(Activity) == 0


def test_language_interpretation_and_material_formats_are_recorded_and_shown(client, team):
    login(client, team.commissioner)
    url = f"/initiatives/{team.initiative.id}/activities/new"
    data = _form(
        team,
        languages=["en", "cy"],
        interpretation=["bsl", "cy"],
        material_formats=["welsh", "easy_read"],
    )
    assert client.post(url, data=data).status_code == 302
    activity = db.session.query(Activity).one()
    assert activity.languages == ["en", "cy"]
    assert activity.interpretation == ["cy", "bsl"]
    assert activity.material_formats == ["easy_read", "welsh"]
    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/{activity.id}")
    assert "English, Welsh (Cymraeg)" in page.text()
    assert "Welsh interpretation or translation, British Sign Language (BSL) interpreter" in page.text()
    assert "Easy Read, Welsh" in page.text()
    edit = get_page(client, f"/initiatives/{team.initiative.id}/activities/{activity.id}/edit")
    assert edit.soup.select_one("input[name=languages][value=cy]").has_attr("checked")
    assert edit.soup.select_one("input[name=interpretation][value=bsl]").has_attr("checked")


def test_only_open_stages_can_be_chosen(client, team):
    login(client, team.commissioner)
    later = team.initiative.stages[2]
    page = post_page(client, f"/initiatives/{team.initiative.id}/activities/new", _form(team, stage_id=str(later.id)))
    assert page.errors() == ["Choose a stage that is still open"]
    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/new")
    assert len(page.soup.select("input[name=stage_id]")) == 1


def test_edit_with_a_stale_version_shows_conflict_and_keeps_input(client, team):
    activity = make_activity(team)
    login(client, team.commissioner)
    url = f"/initiatives/{team.initiative.id}/activities/{activity.id}/edit"
    page = get_page(client, url)
    stale = page.soup.select_one("input[name=version]")["value"]
    assert client.post(url, data=_form(team, version=stale, title="First edit")).status_code == 302
    response = client.post(url, data=_form(team, version=stale, title="My competing edit"))
    assert response.status_code == 409
    from conftest import Page

    page = Page(response).check()
    assert "Someone else changed this record while you were editing it" in page.errors()[0]
    assert page.soup.select_one("input#title")["value"] == "My competing edit"
    assert "First edit" in page.text(), "the saved version is shown beside the person's changes"
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).title == "First edit"
    assert audit_actions().count("activity.updated") == 1


def test_assisted_record_is_unconfirmed_until_the_partner_confirms(client, team):
    login(client, team.commissioner)
    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/new")
    assert page.soup.select_one(f"select#on_behalf_of option[value='{team.partner.id}']")
    response = client.post(
        f"/initiatives/{team.initiative.id}/activities/new", data=_form(team, on_behalf_of=str(team.partner.id))
    )
    assert response.status_code == 302
    activity = db.session.query(Activity).one()
    assert activity.on_behalf_of_id == team.partner.id
    url = f"/initiatives/{team.initiative.id}/activities/{activity.id}"
    assert "Unconfirmed" in get_page(client, url).text()
    assert client.get(url + "/confirm").status_code == 403, "only the partner confirms"

    login(client, team.partner)
    page = post_page(client, url + "/confirm", {"outcome": "correct", "notes": "Changed", "confirmation_note": ""})
    assert page.errors() == ["Say what was wrong, so others understand the correction"]
    assert page.soup.select_one("textarea#notes").text.strip() == "Changed"
    response = client.post(
        url + "/confirm",
        data={
            "outcome": "correct",
            "notes": "We mostly talked about transport.",
            "confirmation_note": "Transport was the main thing",
        },
    )
    assert response.status_code == 302
    page = get_page(client, url)
    assert "Unconfirmed" not in page.text() and "transport" in page.text()
    assert "activity.recorded_on_behalf" in audit_actions() and "activity.corrected" in audit_actions()
    assert client.get(url + "/confirm").status_code == 403, "already confirmed"


def test_partners_cannot_record_for_someone_else(client, team):
    login(client, team.partner)
    client.post(
        f"/initiatives/{team.initiative.id}/activities/new", data=_form(team, on_behalf_of=str(team.partner.id))
    )
    assert db.session.query(Activity).one().on_behalf_of_id is None


def test_each_attendee_rates_for_themselves_and_differences_are_shown(client, team):
    activity = make_activity(team)
    url = f"/initiatives/{team.initiative.id}/activities/{activity.id}"
    login(client, team.partner)
    page = get_page(client, url + "/rating")
    hints = page.soup.select(".govuk-radios__hint")
    assert len(hints) == 7 and "equals" in hints[6].text
    page = post_page(client, url + "/rating", {"rating": "", "note": "kept"})
    assert page.errors() == ["Choose the step on the ladder that fits how the activity felt to you"]
    assert page.soup.select_one("textarea#note").text.strip() == "kept"
    assert client.post(url + "/rating", data={"rating": "7", "note": "We decided together"}).status_code == 302
    login(client, team.commissioner)
    assert client.post(url + "/rating", data={"rating": "4"}).status_code == 302
    page = get_page(client, url)
    assert "Different views" in page.text() and "3 steps apart" in page.text()
    table = page.soup.find("caption", string=lambda s: s and "Ratings from each side" in s).parent
    cells = table.select("td")
    assert "4. Consulting" in cells[0].text and "7. Co-production" in cells[1].text
    assert "average" not in page.text().lower().replace("never averaged", "")
    assert audit_actions().count("attendance.rated") == 2


def test_a_non_attendee_cannot_rate(client, team, org):
    activity = make_activity(team, people=[team.commissioner])
    login(client, team.partner)
    assert client.get(f"/initiatives/{team.initiative.id}/activities/{activity.id}/rating").status_code == 403


def test_access_rules_for_activity_routes(client, team, outsider):
    activity = make_activity(team)
    decision = make_decision(activity)
    base = f"/initiatives/{team.initiative.id}"
    urls = [
        f"{base}/activities/new",
        f"{base}/activities/{activity.id}",
        f"{base}/activities/{activity.id}/edit",
        f"{base}/activities/{activity.id}/attendance",
        f"{base}/activities/{activity.id}/decisions/new",
        f"{base}/decisions/{decision.id}/edit",
        f"{base}/you-said-we-did",
        f"{base}/recommendations/new",
        f"{base}/evidence",
        f"{base}/evidence/new",
    ]
    for who in (outsider, team.nonmember):
        login(client, who)
        for url in urls:
            assert client.get(url).status_code == 404, (who.display_name, url)
            assert client.post(url, data={}).status_code in (404, 405), (who.display_name, url)
    login(client, team.observer)
    for url in urls:
        if "/new" in url or "/edit" in url or "/attendance" in url:
            assert client.get(url).status_code == 403, url
            assert client.post(url, data={}).status_code == 403, url
        else:
            assert client.get(url).status_code == 200, url


def test_other_organisations_records_are_not_found_even_through_own_initiative(client, team, outsider, other_org):
    from activity_fixtures import make_team

    other_partner = make_user(other_org, OrgRole.CITIZEN_PARTNER)
    theirs = make_team(other_org, outsider, other_partner)
    their_activity = make_activity(theirs)
    login(client, team.commissioner)
    assert client.get(f"/initiatives/{team.initiative.id}/activities/{their_activity.id}").status_code == 404
    assert client.get(f"/initiatives/{theirs.initiative.id}/activities/{their_activity.id}").status_code == 404


def test_activity_page_runs_a_fixed_number_of_queries(client, team, org):
    def measure(n_people: int, n_decisions: int) -> int:
        people = [make_user(org, OrgRole.CITIZEN_PARTNER) for _ in range(n_people)]
        activity = make_activity(team, people=[team.commissioner, team.partner, *people])
        for _ in range(n_decisions):
            make_decision(activity, {team.partner: Position.DISSENTED, team.commissioner: Position.AGREED})
        with QueryCounter() as counter:
            get_page(client, f"/initiatives/{team.initiative.id}/activities/{activity.id}")
        return counter.n

    login(client, team.commissioner)
    small, large = measure(1, 1), measure(25, 12)
    assert small == large, (small, large)
    assert small <= 12


def test_overview_lists_stage_activities_with_links(client, team):
    activity = make_activity(team, on_behalf_of=team.partner, people=[team.partner])
    login(client, team.commissioner)
    page = get_page(client, f"/initiatives/{team.initiative.id}")
    link = page.soup.select_one(f"a[href='/initiatives/{team.initiative.id}/activities/{activity.id}']")
    assert link is not None and "Unconfirmed" in link.parent.text
    assert page.soup.select_one(f"a[href='/initiatives/{team.initiative.id}/activities/new?stage=design']")


def test_saving_attendance_takes_a_new_version_so_a_second_stale_save_is_refused(team):
    """Two people change the attendance of the same activity from the same page: the second is told, not
    silently overwriting the first."""
    from copro_tracker.activities import service as activities
    from copro_tracker.services import EditConflict

    activity = make_activity(team)
    seen = activity.version
    partner_row = next(a for a in activity.attendances if a.user_id == team.partner.id)
    activities.record_attendance(
        team.commissioner, activity, [activities.AttendanceRow(partner_row.id, False, [], [])], seen
    )
    assert db.session.get(Activity, activity.id).version == seen + 1
    activity = db.session.get(Activity, activity.id)
    with pytest.raises(EditConflict):
        activities.record_attendance(
            team.partner, activity, [activities.AttendanceRow(partner_row.id, True, [], [])], seen
        )
