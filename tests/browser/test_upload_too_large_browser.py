"""A file over the upload limit comes back as a GOV.UK error with everything typed kept: with JavaScript before
anything is sent, and without it from the server, which reads past the file without keeping it."""

from __future__ import annotations

import pytest
from flask import Flask
from initiative_factories import make_initiative
from playwright.sync_api import Page, expect

from copro_tracker.extensions import db
from copro_tracker.models import Evidence

from .test_journeys_foundation import follow, sign_in

pytestmark = pytest.mark.browser
LIMIT = 4000


def _fill(page: Page, initiative_id: int) -> None:
    page.goto(f"/initiatives/{initiative_id}/evidence/new")
    page.get_by_label("What is it? (optional)").fill("Notes from the March workshop")
    page.locator("input[name=consent][value=anonymised]").check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"a" * (LIMIT * 50)}
    )


def test_a_file_over_the_limit_is_caught_before_it_is_sent(page: Page, app: Flask, commissioner, partner, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", LIMIT)
    initiative = make_initiative(commissioner, partner)
    sign_in(page, commissioner.email)
    _fill(page, initiative.id)
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.get_by_role("button", name="Upload file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The selected file must be smaller than")
    expect(page.locator("#file-error")).to_contain_text("Error: The selected file must be smaller than")
    expect(page.get_by_label("What is it? (optional)")).to_have_value("Notes from the March workshop")
    assert page.locator("input[name=consent]:checked").get_attribute("value") == "anonymised"
    assert posts == [], "nothing was sent"
    assert page.title().startswith("Error:")
    assert db.session.query(Evidence).count() == 0


def test_without_javascript_the_server_re_shows_the_form_keeping_what_was_typed(
    browser, live_server, app: Flask, commissioner, partner, monkeypatch
):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", LIMIT)
    initiative = make_initiative(commissioner, partner)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, commissioner.email)
        _fill(page, initiative.id)
        follow(page.get_by_role("button", name="Upload file"))
        expect(page.locator(".govuk-error-summary")).to_contain_text("The selected file must be smaller than")
        expect(page.get_by_label("What is it? (optional)")).to_have_value("Notes from the March workshop")
        assert page.locator("input[name=consent]:checked").get_attribute("value") == "anonymised"
    finally:
        context.close()
    assert db.session.query(Evidence).count() == 0
