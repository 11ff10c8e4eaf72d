"""The browser harness itself: axe really runs on every page, a quick navigation never skips one, and problems are
reported with enough detail to fix them. Pages here are served by the browser (route.fulfill), not the app."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BROKEN = """<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body>
<main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="no-alt">
<script src="/static/build/no-such-file.js"></script>%s</main></body></html>"""
# Enough content that axe takes a while on it, so leaving the page at once would beat axe without the gate.
BROKEN = BROKEN % ("<p>Filler text.</p>" * 3000)


def serve_broken_page(page: Page) -> None:
    page.route("**/__harness/broken", lambda route: route.fulfill(status=200, content_type="text/html", body=BROKEN))


def test_a_violation_on_a_page_is_reported_in_detail(page: Page, a11y_watch):
    serve_broken_page(page)
    page.goto("/__harness/broken")
    a11y_watch.wait_for_current()

    found = "\n".join(a11y_watch.problems_found())
    assert "/__harness/broken: [image-alt] (critical) Images must have alternative text" in found, found
    assert "targets (1): img" in found, found
    assert "Fix any of the following" in found, found
    assert "404 for script" in found and "no-such-file.js" in found, found
    a11y_watch.documents.clear()  # reported as expected: do not fail this test for it
    a11y_watch.problems.clear()


def test_a_page_left_at_once_is_still_checked_before_it_goes(page: Page, a11y_watch):
    serve_broken_page(page)
    page.goto("/__harness/broken")  # returns at the load event, when axe has only just started
    page.goto("/privacy")  # held by the gate until axe has reported on the broken page

    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    a11y_watch.wait_for_current()
    reports = {d.url.rsplit("/", 1)[-1]: d.report for d in a11y_watch.documents}
    assert reports["broken"] is not None, "the broken page was left before axe checked it"
    assert [v["id"] for v in reports["broken"]["violations"]] == ["image-alt"]
    assert reports["privacy"] is not None and reports["privacy"]["violations"] == []
    a11y_watch.documents.clear()
    a11y_watch.problems.clear()


def test_leaving_a_page_before_it_has_loaded_fails_the_test(page: Page, a11y_watch):
    page.route("**/__harness/never.png", lambda route: None)  # never answered, so the page never loads
    page.route(
        "**/__harness/loading",
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!DOCTYPE html><html lang="en"><head><title>Loading</title></head><body><main><h1>Loading</h1>'
            '<img src="/__harness/never.png" alt=""><a href="/privacy">Privacy notice</a></main></body></html>',
        ),
    )
    page.goto("/__harness/loading", wait_until="domcontentloaded")
    with page.expect_navigation():
        page.get_by_role("link", name="Privacy notice").click()

    a11y_watch.wait_for_current()
    found = "\n".join(a11y_watch.problems_found())
    assert "/__harness/loading: not checked: the test navigated away before the page had loaded" in found, found
    a11y_watch.documents.clear()
    a11y_watch.problems.clear()


def test_check_a11y_fails_at_once_on_a_state_made_by_javascript(page: Page, check_a11y):
    page.goto("/privacy")
    check_a11y(page)  # the page as served passes

    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=\"unlabelled\">')")
    with pytest.raises(AssertionError, match=r"\[label\] \(critical\).*\n.*\n.*#unlabelled"):
        check_a11y(page)
    page.evaluate("document.querySelector('#unlabelled').remove()")
