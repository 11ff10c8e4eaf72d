"""The "Your report PDF" page in real Chromium, through each state the worker takes a render through: waiting,
parts laid out, ready with the download. With JavaScript the status is a live region (role=status) that
follows the render by itself; without it the page refreshes itself and "Check again" reloads it. axe-core
checks every state (conftest.py), and the download is reached with the keyboard alone."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from initiative_factories import make_initiative
from playwright.sync_api import Page, expect

from copro_tracker.codes import RenderStatus
from copro_tracker.extensions import db
from copro_tracker.jobs import huey
from copro_tracker.models import ReportRender
from copro_tracker.reports import rendering

from .test_journeys_foundation import follow, on_page, sign_in

pytestmark = pytest.mark.browser
STATUS = re.compile(r"/reports/pdf/(\d+)$")


@pytest.fixture
def held(monkeypatch) -> list:
    """PDF renders queued but not run: the worker has not reached them yet (the test runs each when it wants).
    Every other job runs as usual."""
    queued: list = []
    enqueue = huey.enqueue

    def hold_renders(task):
        if task.name.endswith("render_pdf_job"):
            queued.append(task)
            return None
        return enqueue(task)

    monkeypatch.setattr(huey, "enqueue", hold_renders)
    return queued


def _ask_for_the_pdf(page: Page, initiative_id: int) -> int:
    page.goto(f"/initiatives/{initiative_id}/report")
    follow(page.get_by_role("link", name=re.compile("^PDF")))
    on_page(page, "Your report PDF")
    found = STATUS.search(page.url)
    assert found, page.url
    return int(found.group(1))


def _progress(render_id: int, done: int, total: int) -> None:
    db.session.execute(
        sa.update(ReportRender)
        .where(ReportRender.id == render_id)
        .values(status=RenderStatus.RENDERING, parts_done=done, parts_total=total)
    )
    db.session.commit()


def _render(render_id: int) -> None:
    """What the worker does with the job."""
    rendering.render_pdf_job.call_local(render_id)
    db.session.expire_all()


def _tab_to(page: Page, name: str, limit: int = 40) -> None:
    """Press Tab until the link or button called `name` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == name:
            return
    pytest.fail(f"{name!r} cannot be reached with Tab")


def test_with_javascript_the_live_region_follows_the_render_to_the_download(
    page: Page, app: Flask, commissioner, partner, held, check_a11y
):
    initiative = make_initiative(commissioner, partner)
    sign_in(page, commissioner.email)
    render_id = _ask_for_the_pdf(page, initiative.id)
    assert len(held) == 1
    region = page.get_by_role("status")
    expect(region).to_have_count(1)
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_contain_text("Preparing your report")
    expect(region).to_contain_text("waiting to be made")
    expect(page).to_have_title(re.compile("^Your report PDF: being prepared"))
    expect(page.get_by_role("link", name="Check again")).to_be_visible()

    _progress(render_id, 2, 5)
    expect(region).to_contain_text("2 of 5 parts laid out.", timeout=10_000)  # fetched by the page itself
    check_a11y(page)

    _render(render_id)
    expect(region).to_contain_text("Your report is ready", timeout=10_000)
    download_link = region.get_by_role("link", name="Download the PDF")
    expect(download_link).to_be_visible()
    expect(page.get_by_role("link", name="Check again")).to_have_count(0)  # nothing left to check
    expect(page).to_have_title(re.compile("^Your report PDF: ready"))
    check_a11y(page)

    # Keyboard only: from the top of the page, Tab reaches the download and Enter starts it.
    page.locator("body").focus()
    page.evaluate("document.activeElement.blur()")
    _tab_to(page, "Download the PDF")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as saved:
        assert saved.read(5) == b"%PDF-"
    page.go_back()  # back to the report: the page before the status page is checked by axe too
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_without_javascript_the_page_refreshes_itself_and_check_again_reloads_it(
    browser, live_server, app: Flask, commissioner, partner, held
):
    initiative = make_initiative(commissioner, partner)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, commissioner.email)
        render_id = _ask_for_the_pdf(page, initiative.id)
        expect(page.get_by_role("status")).to_contain_text("waiting to be made")
        expect(page.locator("head noscript")).to_have_count(1)

        # "Check again" is an ordinary link: the keyboard reaches it and Enter reloads the page.
        _progress(render_id, 1, 4)
        _tab_to(page, "Check again")
        follow(lambda: page.keyboard.press("Enter"), page)
        expect(page.get_by_role("status")).to_contain_text("1 of 4 parts laid out.")

        # Left alone, the page refreshes itself (every 5 s) and arrives at the download.
        _render(render_id)
        for _refresh in range(3):  # a refresh during a slow render still shows it under way
            with page.expect_navigation(timeout=10_000):
                pass
            if "Your report is ready" in page.get_by_role("status").inner_text():
                break
        expect(page.get_by_role("status")).to_contain_text("Your report is ready")
        expect(page).to_have_title(re.compile("^Your report PDF: ready"))
        expect(page.get_by_role("link", name="Check again")).to_have_count(0)
        expect(page.locator("head noscript")).to_have_count(0)  # a finished page stops refreshing
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the PDF").click()
        assert download.value.suggested_filename.endswith(".pdf")
    finally:
        context.close()
