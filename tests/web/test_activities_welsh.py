"""A Welsh-preferring member meets the activities service's refusals in Welsh, in the GOV.UK error summary.

The service raises message ids; the view translates the one it shows. These tests go through the pages, so a
message raised without its N_ mark, or without a Welsh entry, shows up here as English.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from activity_fixtures import count, team_fixture  # noqa: F401
from conftest import Page, get_page, login, post_page

from copro_tracker import storage
from copro_tracker.extensions import db
from copro_tracker.models import Evidence, Recommendation


def _welsh(client, user):
    user.preferred_language = "cy"
    db.session.commit()
    login(client, user)


def _days(value: date) -> list[str]:
    return [str(value.day), str(value.month), str(value.year)]


def _assert_welsh_error_page(page: Page) -> None:
    assert page.soup.html["lang"] == "cy"
    assert page.soup.title.text.split()[0] == "Gwall:"


def test_recommendation_and_review_refusals_are_in_welsh(client, team):
    _welsh(client, team.partner)
    base = f"/initiatives/{team.initiative.id}"
    tomorrow = date.today() + timedelta(days=1)
    page = post_page(
        client, f"{base}/recommendations/new", {"text": "Cofnodion Hawdd eu Deall", "raised_on": _days(tomorrow)}
    )
    _assert_welsh_error_page(page)
    assert page.errors() == ["Rhaid i'r dyddiad y cafodd ei ddweud fod heddiw neu yn y gorffennol"]
    assert count(Recommendation) == 0

    said = date.today() - timedelta(days=30)
    response = client.post(f"{base}/recommendations/new", data={"text": "Cofnodion", "raised_on": _days(said)})
    assert response.status_code == 302
    rec = db.session.query(Recommendation).one()
    review = f"{base}/recommendations/{rec.id}/review"
    version = get_page(client, review).soup.select_one("input[name=version]")["value"]
    fields = {"reviewed_by": str(team.commissioner.id), "outcome": "Maen nhw'n dod nawr", "version": version}
    page = post_page(client, review, {**fields, "reviewed_on": _days(said - timedelta(days=1))})
    _assert_welsh_error_page(page)
    assert page.errors() == ["Ni all yr adolygiad gael ei gynnal cyn i'r argymhelliad gael ei wneud"]
    page = post_page(client, review, {**fields, "reviewed_by": str(team.nonmember.id), "reviewed_on": _days(said)})
    assert page.errors() == ["Dewiswch pwy gynhaliodd yr adolygiad, o blith aelodau'r fenter"]


def _upload(client, team, data: bytes, name: str):
    payload = {"file": (io.BytesIO(data), name), "consent": "anonymised", "description": "Nodiadau'r gweithdy"}
    return client.post(
        f"/initiatives/{team.initiative.id}/evidence/new", data=payload, content_type="multipart/form-data"
    )


def test_evidence_upload_refusals_are_in_welsh(client, team, monkeypatch):
    _welsh(client, team.commissioner)
    page = Page(_upload(client, team, b"", "gwag.txt")).check()
    _assert_welsh_error_page(page)
    assert page.errors() == ["Mae'r ffeil a ddewiswyd yn wag. Dewiswch ffeil sydd â rhywbeth ynddi"]

    def full(data):
        raise storage.StoreUnavailable("full", OSError(28, "No space left on device"))

    monkeypatch.setattr(storage, "stage", full)
    page = Page(_upload(client, team, b"Nodiadau'r gweithdy\n", "nodiadau.txt")).check()
    _assert_welsh_error_page(page)
    (message,) = page.errors()
    assert message.startswith("Nid oedd modd cadw'r ffeil oherwydd bod y storfa ar gyfer ffeiliau tystiolaeth yn llawn")
    assert "storage" not in page.text()
    assert count(Evidence) == 0
