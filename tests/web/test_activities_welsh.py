"""A Welsh-preferring member meets the activities service's refusals in Welsh, in the GOV.UK error summary.

The service raises message ids; the view translates the one it shows. These tests go through the pages, so a
message raised without its N_ mark, or without a Welsh entry, shows up here as English.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import flask_babel
import pytest
from activity_fixtures import count, team_fixture  # noqa: F401
from conftest import Page, get_page, login, post_page

from copro_tracker import storage
from copro_tracker.activities import service as activities_service
from copro_tracker.extensions import db
from copro_tracker.models import Evidence, Recommendation
from copro_tracker.services import ServiceError


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


def _many_parts(entries: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for number in range(entries):
            archive.writestr(f"word/part{number}.xml", b"<w/>")
    return buffer.getvalue()


def test_upload_refusals_with_values_are_in_welsh_and_stay_english_in_english(client, team):
    """The values go into the Welsh sentence; the English reader still reads the English one."""
    _welsh(client, team.commissioner)
    page = Page(_upload(client, team, b"MZ\x90\x00\x03" + b"\x00" * 200, "cofnodion.pdf")).check()
    assert page.errors() == [
        (
            "Rhaid i'r ffeil a ddewiswyd fod yn un o'r mathau hyn: PDF, Word (.docx neu .doc), testun OpenDocument "
            "(.odt), PNG, JPEG, GIF, testun plaen neu CSV"
        )
    ]

    page = Page(_upload(client, team, _many_parts(1_001), "cynllun.docx")).check()
    (message,) = page.errors()
    assert message.startswith(
        "Mae gan y ffeil a ddewiswyd fwy na 1,000 o rannau ar wahân, llawer mwy na dogfen go iawn, felly ni chafodd"
    ), message

    team.commissioner.preferred_language = "en"
    db.session.commit()
    page = Page(_upload(client, team, _many_parts(1_001), "plan.docx")).check()
    (message,) = page.errors()
    assert message.startswith("The selected file contains more than 1,000 separate parts"), message
    assert count(Evidence) == 0


def test_the_size_limit_is_said_in_the_readers_language(app, team, monkeypatch):
    # Called directly: a page would need an upload over a megabyte, which the test client spools to a file.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 3 * 1024 * 1024)
    for language, expected in [
        ("cy", "Rhaid i'r ffeil a ddewiswyd fod yn llai na 3 MB"),
        ("en", "The selected file must be smaller than 3 MB"),
    ]:
        with app.test_request_context(headers={"Accept-Language": language}):
            flask_babel.refresh()  # the locale is kept per app context, which the test's fixture holds open
            with pytest.raises(ServiceError) as refused:
                activities_service.upload_evidence(
                    team.commissioner,
                    team.initiative,
                    data=b"a" * (3 * 1024 * 1024 + 1),
                    filename="mawr.txt",
                    consent="anonymised",
                    description="",
                    activity_id=None,
                    decision_id=None,
                )
            assert (str(refused.value), refused.value.field) == (expected, "file")
