"""Where each criterion comes from, and the Welsh language question on a decision, in real Chromium: axe-core
checks every page these journeys load (see conftest.py)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from copro_tracker.demo import DEMO_PASSWORD

from .test_journeys_foundation import follow, on_page, sign_in

pytestmark = pytest.mark.browser

DAY_OPS = "Redesigning day opportunities with people with learning disabilities"
HOME_CARE = "Shaping the home care market together / Llunio'r farchnad gofal cartref gyda'n gilydd"
CA_ACT_1 = "Care Act 2014, section 1(3)(b) and (e) — checked against the Act on 26 November 2026"


def test_criteria_coverage_and_library_show_checked_references(page: Page, app: Flask):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    sign_in(page, "commissioner@northshire.example", DEMO_PASSWORD)
    page.goto("/initiatives")
    follow(page.get_by_role("link", name=DAY_OPS))
    follow(page.get_by_role("link", name=re.compile("^Criteria")).first)
    on_page(page, f"Criteria: {DAY_OPS}")
    # The first screen says what to do next, each thing linking to where it is done.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.evaluate("window.scrollTo(0, 0)")
    todo = page.locator("#what-needs-doing")
    expect(todo).to_be_in_viewport()
    expect(page.locator(".govuk-body-l", has_text=re.compile(r"^\d+ things? needs? doing\.$"))).to_be_in_viewport()
    expect(page.locator(".app-to-do li").first.get_by_role("link").first).to_be_in_viewport()
    criterion = page.locator("section", has=page.locator("#criterion-CA-ACT-1")).last
    criterion.get_by_text("Why, and where this comes from").click()
    expect(criterion).to_contain_text(CA_ACT_1)
    expect(criterion.get_by_role("link", name="the Act")).to_have_attribute(
        "href", "https://www.legislation.gov.uk/ukpga/2014/23/section/1/enacted"
    )
    expect(page.locator(".govuk-inset-text", has_text="in this framework have been checked").first).to_be_visible()
    page.goto("/coverage")
    on_page(page, "Coverage")
    page.get_by_text("What the codes mean").first.click()
    expect(page.locator("main")).to_contain_text(CA_ACT_1)
    follow(page.locator(".app-account-bar").get_by_role("button", name="Sign out"))
    sign_in(page, "admin@northshire.example", DEMO_PASSWORD)
    page.goto("/admin/criteria-library")
    on_page(page, "Criteria library")
    expect(page.locator("main")).to_contain_text("section 16(1)(b) — checked against")


def test_welsh_officer_answers_the_welsh_language_question_on_a_decision(page: Page, app: Flask):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    sign_in(page, "commissioner@glanyrafon.example", DEMO_PASSWORD)
    page.goto("/initiatives")
    follow(page.get_by_role("link", name=HOME_CARE))
    follow(page.get_by_role("link", name="What good home care means").first)
    follow(page.get_by_role("link", name="Edit decision 1"))
    on_page(page, "Edit decision")
    question = page.get_by_role("group", name="Were the decision's effects on the Welsh language considered?")
    question.get_by_label("Yes, they were considered").check()
    follow(page.get_by_role("button", name="Save decision"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Say briefly what the effects on the Welsh language are")
    page.get_by_label("What are the effects, or why is it not relevant?").fill(
        "Contracts ask providers to offer care in Welsh, so more chances to use it."
    )
    follow(page.get_by_role("button", name="Save decision"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision saved.")
    expect(page.locator("main")).to_contain_text("Yes, they were considered: Contracts ask providers")
