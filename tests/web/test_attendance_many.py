"""Attendance for many people: one compact row each, "everyone took part" and "everyone who attended contributed"
(read on the server, so they work without JavaScript), and the person recording is not assumed to have attended."""

from __future__ import annotations

from activity_fixtures import count, team_fixture  # noqa: F401
from conftest import get_page, login

from copro_tracker.extensions import db
from copro_tracker.models import Activity, Attendance


def _form(team, **overrides):
    data = {
        "stage_id": str(team.initiative.stages[0].id),
        "kind": "workshop",
        "occurred_on": ["27", "3", "2025"],
        "title": "Planning workshop",
        "attendees": [],
        "guests": "",
        "on_behalf_of": "",
        "languages": ["en"],
    }
    data.update(overrides)
    return data


def test_the_person_recording_is_not_ticked_as_attending(client, team):
    login(client, team.commissioner)
    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/new")
    boxes = page.soup.select("input[name=attendees]")
    assert len(boxes) == 3  # commissioner, partner and observer are current members
    assert not [box for box in boxes if box.has_attr("checked")]


def test_everyone_took_part_adds_every_current_member_without_javascript(client, team):
    login(client, team.commissioner)
    response = client.post(f"/initiatives/{team.initiative.id}/activities/new", data=_form(team, everyone_attended="y"))
    assert response.status_code == 302
    activity = db.session.query(Activity).one()
    assert sorted(a.user_id for a in activity.attendances) == sorted(
        [team.commissioner.id, team.partner.id, team.observer.id]
    )


def test_attendance_is_one_compact_row_per_person_with_known_needs_filled_in(client, team):
    login(client, team.commissioner)
    client.post(f"/initiatives/{team.initiative.id}/activities/new", data=_form(team, everyone_attended="y"))
    activity = db.session.query(Activity).one()
    page = get_page(client, f"/initiatives/{team.initiative.id}/activities/{activity.id}/attendance")
    rows = page.soup.select("table.app-attendance-table tbody tr")
    assert len(rows) == 3
    partner_row = next(r for r in rows if "Amira Partner" in r.get_text())
    assert partner_row.select("input[name^=contributed_]")
    assert {i["value"] for i in partner_row.select("input[name^=requested_][checked]")} == {"easy_read", "extra_time"}
    assert "Asked for: Easy Read documents" in " ".join(partner_row.get_text().split())
    assert page.soup.select_one("input[name=everyone_contributed][data-app-check-all=contributed_]")


def test_everyone_who_attended_contributed_marks_every_row_without_javascript(client, team):
    login(client, team.commissioner)
    client.post(f"/initiatives/{team.initiative.id}/activities/new", data=_form(team, everyone_attended="y"))
    activity = db.session.query(Activity).one()
    response = client.post(
        f"/initiatives/{team.initiative.id}/activities/{activity.id}/attendance",
        data={"version": str(activity.version), "everyone_contributed": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert count(Attendance) == 3
    assert all(a.contributed for a in db.session.query(Attendance))
