"""Each report kind in real Chromium, as a commissioner and through a share link: axe-core checks every page
(see conftest.py), and the report pages are reached the way a person would, by links."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from copro_tracker.demo import DEMO_PASSWORD

from .test_journeys_foundation import follow, on_page, sign_in

pytestmark = pytest.mark.browser

DAY_OPS = "Redesigning day opportunities with people with learning disabilities"


def test_every_report_kind_and_a_shared_link_are_accessible(page: Page, app: Flask):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    sign_in(page, "commissioner@northshire.example", DEMO_PASSWORD)
    follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports"))
    on_page(page, "Evidence reports")
    follow(page.get_by_role("link", name=re.compile("^Co-production portfolio")))
    on_page(page, re.compile("^Co-production portfolio"))
    expect(page.locator("main section h2").first).to_have_text("Gaps")
    page.go_back()
    follow(page.get_by_role("link", name=re.compile("^CQC-LA-QS9")))
    on_page(page, re.compile("^CQC quality statement CQC-LA-QS9"))
    page.goto("/initiatives")
    follow(page.get_by_role("link", name=DAY_OPS))
    follow(page.get_by_role("link", name="Evidence report"))
    on_page(page, f"Evidence report: {DAY_OPS}")
    # Summary first: what needs doing, each thing a link to where it is done; the long sections open on request.
    expect(page.get_by_role("heading", name="What needs doing")).to_be_in_viewport()
    chart = page.get_by_role("img", name="Citizen partner attendances by stage")
    expect(chart).to_be_hidden()
    section = page.locator("section[aria-labelledby='section-activities']")
    section.get_by_text("Show this section").click()
    expect(chart).to_be_visible()
    follow(page.get_by_role("link", name="Share this report with someone without an account"))
    on_page(page, "Share a report")
    page.get_by_label("How many days should the link work for?").fill("7")
    follow(page.get_by_role("button", name="Create the link"))
    on_page(page, "Link created")
    url = page.locator("#share-link").inner_text().strip()
    follow(page.get_by_role("link", name="See all share links"))
    on_page(page, "Evidence reports")
    expect(page.get_by_role("button", name=re.compile("^Withdraw the link to Initiative report"))).to_be_visible()
    # The share link is opened signed out, in this page, so axe checks it too.
    follow(page.locator(".app-account-bar").get_by_role("button", name="Sign out"))
    page.goto(url.replace("http://localhost", ""))
    on_page(page, f"Evidence report: {DAY_OPS}")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Tom Evans of Northshire County Council")
