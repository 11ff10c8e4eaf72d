"""The database goes away under a signed-in person: they get the service's own 503 page, never a bare 500,
what they typed comes back to them, nothing is half-saved, and the service recovers by itself."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from conftest import Page, login
from werkzeug.datastructures import MultiDict

from copro_tracker.extensions import db
from copro_tracker.models import Initiative

pytestmark = pytest.mark.faults

FORM = {
    "title": "Day opportunities redesign",
    "summary": "People who use day services and the council redesign them together.\nSecond line kept.",
    "service_area": "Day opportunities",
    "statutory_functions": ["information_advice"],
    "level": "collective",
}


def test_pages_answer_503_in_the_services_words_while_the_database_is_down(outage, commissioner):
    client = outage.app.test_client()
    login(client, commissioner)
    assert client.get("/dashboard").status_code == 200

    outage.cut()
    for url in ("/dashboard", "/initiatives", "/"):
        response = client.get(url)
        if url == "/" and response.status_code == 200:
            continue  # the start page needs no database for a signed-out view; signed in it redirects or reads
        assert response.status_code == 503, (url, response.status_code)
        assert response.headers["Retry-After"].isdigit()
        assert response.headers["Cache-Control"] == "no-store"
        page = Page(response).check()
        assert "the service is unavailable" in page.text("h1").lower()
        assert "Internal Server Error" not in page.html
        assert commissioner.display_name not in page.html  # the layout did not try to load the person
        assert page.soup.select_one("footer a[href='/accessibility']")

    outage.restore()
    assert client.get("/dashboard").status_code == 200


def test_a_form_sent_during_the_outage_is_given_back_and_saved_once_when_sent_again(outage, commissioner):
    client = outage.app.test_client()
    login(client, commissioner)
    outage.cut()
    response = client.post("/initiatives/new", data=FORM)
    assert response.status_code == 503
    page = Page(response).check()
    assert "has not been saved" in page.text()
    form = page.soup.select_one("main form[method=post]")
    assert form["action"] == "/initiatives/new"
    hidden = form.select("input[type=hidden]")
    resent = [(field["name"], field["value"]) for field in hidden if field["name"] != "csrf_token"]
    assert ("title", FORM["title"]) in resent and ("summary", FORM["summary"]) in resent
    assert ("statutory_functions", "information_advice") in resent
    assert "Second line kept." in page.text(".govuk-summary-list")  # shown, to copy somewhere safe

    outage.restore()
    assert db.session.scalar(sa.select(sa.func.count(Initiative.id))) == 0  # nothing half-saved
    again = client.post(form["action"], data=MultiDict(resent))
    assert again.status_code == 302
    (initiative,) = db.session.scalars(sa.select(Initiative))
    assert initiative.title == FORM["title"] and initiative.summary == FORM["summary"]


def test_the_error_pages_themselves_need_no_database(outage, commissioner):
    """A 404 for a signed-in person normally uses the full layout; with the database gone it still renders."""
    client = outage.app.test_client()
    login(client, commissioner)
    outage.cut()
    response = client.get("/static/no-such-file.css")
    assert response.status_code == 404
    Page(response).check()


def test_a_connection_lost_after_the_page_was_made_does_not_become_a_bare_500(outage, commissioner):
    """Seen in bench/outage.py: the page was ready, then the session's closing ROLLBACK met the dead
    connection in teardown and gunicorn sent its own empty 500. (On SQLite an open connection survives
    the cut, so this bites on PostgreSQL.)"""
    from copro_tracker.permissions import public

    @public
    def read_then_lose_the_database():
        db.session.execute(sa.text("SELECT 1"))  # a transaction is open when the request ends
        outage.cut()
        return "made before the outage"

    outage.app.add_url_rule("/read-then-cut", "read_then_cut", read_then_lose_the_database)
    client = outage.app.test_client()
    response = client.get("/read-then-cut")
    assert response.status_code == 200 and response.get_data(as_text=True) == "made before the outage"
    outage.restore()
    assert client.get("/").status_code == 200
