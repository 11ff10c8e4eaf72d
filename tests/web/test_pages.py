"""Information pages, error pages, the language switch and the dashboard for each role."""

from __future__ import annotations

import pytest
from conftest import Page, get_page, make_user
from flask import abort

from copro_tracker import create_app
from copro_tracker.codes import OrgRole
from copro_tracker.permissions import public


def test_home_page_explains_the_service(client):
    page = get_page(client, "/")
    assert "Record co-produced work together" in page.text("h1")
    assert page.soup.select_one("a.govuk-skip-link[href='#main-content']")
    assert page.soup.select_one("main#main-content")


def test_accessibility_and_privacy_pages_have_real_content(client):
    accessibility = get_page(client, "/accessibility")
    assert "WCAG" in accessibility.text() and "keyboard" in accessibility.text()
    privacy = get_page(client, "/privacy")
    assert "UK GDPR" in privacy.text() and "Information Commissioner" in privacy.text()
    footer = accessibility.soup.select_one("footer")
    assert footer.select_one("a[href='/accessibility']") and footer.select_one("a[href='/privacy']")


def test_not_found_page_is_friendly(client):
    page = get_page(client, "/no-such-page", status=404)
    assert "Page not found" in page.text("h1")


def test_wrong_method_page(client):
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert "not allowed" in Page(response).check().text("h1")


@pytest.mark.parametrize("code", [400, 403, 413, 429, 500])
def test_error_pages_use_the_layout(code):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", PROPAGATE_EXCEPTIONS=False)

    @public
    def boom():
        if code == 500:
            raise RuntimeError("unexpected")
        abort(code)

    app.add_url_rule("/boom", "boom", boom)
    response = app.test_client().get("/boom")
    assert response.status_code == code
    page = Page(response).check()
    assert page.soup.select_one("footer a[href='/accessibility']")
    assert "Traceback" not in page.html


def test_language_switch_sets_welsh(client):
    response = client.get("/language/cy?next=/sign-in")
    assert response.headers["Location"].endswith("/sign-in")
    page = get_page(client, "/sign-in")
    assert page.soup.html["lang"] == "cy"
    assert page.soup.select_one("a[hreflang=en]")
    assert client.get("/language/cy?next=//evil.example").headers["Location"].endswith("/")


def test_dashboard_for_a_citizen_partner_without_needs_recorded(client, org, login_as):
    partner = make_user(org, OrgRole.CITIZEN_PARTNER, name="Amira Hassan", needs_recorded=False)
    login_as(partner)
    page = get_page(client, "/dashboard")
    assert "Hello, Amira Hassan" in page.text()
    assert "Add your communication needs" in page.text()
    assert "Active members of your organisation" not in page.text()


def test_dashboard_for_an_admin_counts_members(client, admin, commissioner, partner, login_as):
    login_as(admin)
    page = get_page(client, "/dashboard")
    rows = {
        r.select_one("dt").text.strip(): r.select_one("dd").text.strip()
        for r in page.soup.select(".govuk-summary-list__row")
    }
    assert rows == {"Organisation admin": "1", "Commissioner": "1", "Citizen partner": "1"}
    assert "There are no invitations waiting." in page.text()
