"""Long lists a page at a time in a real browser: the GOV.UK pagination on the dashboard, the initiatives
list and the history works by keyboard and mouse, and every page passes axe (the harness checks each)."""

from __future__ import annotations

import re

import pytest
from activity_fixtures import make_activity, make_team
from conftest import PASSWORD, make_user
from initiative_factories import make_initiative
from playwright.sync_api import Page, expect

from copro_tracker.audit import capture
from copro_tracker.audit.views import HISTORY_PAGE_SIZE
from copro_tracker.codes import OrgRole
from copro_tracker.extensions import db

pytestmark = pytest.mark.browser


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def test_paging_through_the_dashboard_initiatives_and_history(page: Page, org, commissioner, partner):
    team = make_team(org, commissioner, partner)
    for n in range(12):
        make_activity(team, title=f"Session {n:02d}", people=[commissioner])
    for n in range(26):
        make_initiative(commissioner, title=f"Initiative {n:02d}")
    for _ in range(55):
        capture.record(
            db.session,
            "initiative.updated",
            org.id,
            "initiative",
            team.initiative.id,
            initiative_id=team.initiative.id,
        )
    db.session.commit()
    make_user(org, OrgRole.CITIZEN_PARTNER)
    sign_in(page, commissioner.email)

    waiting = page.get_by_role("navigation", name="Pages of what is waiting for you")
    waiting.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"waiting_page=2#waiting$"))
    expect(page.get_by_text("12 things are waiting for you. Showing 11 to 12.")).to_be_visible()

    page.get_by_role("navigation", name="Pages of your initiatives").get_by_role("link", name="Page 3").click()
    expect(page).to_have_url(re.compile(r"waiting_page=2&initiatives_page=3#your-initiatives$"))
    expect(page.get_by_text("Showing initiatives 21 to 27 of 27, newest first.")).to_be_visible()

    page.goto("/initiatives")
    pages = page.get_by_role("navigation", name="Pages of initiatives")
    expect(pages.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    pages.get_by_role("link", name="Page 2").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Showing initiatives 26 to 27 of 27, newest first.")).to_be_visible()

    page.goto(f"/initiatives/{team.initiative.id}/history")
    page.get_by_role("navigation", name="Pages of the history").get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"history\?page=2$"))
    first = HISTORY_PAGE_SIZE + 1
    expect(page.get_by_text(re.compile(rf"Showing entries {first} to \d+, newest first\."))).to_be_visible()
