"""Notifications in real Chromium, with axe on every page loaded (see conftest.py): the list with its unread
count in the navigation, marking one read, and the form where a person chooses how they hear."""

from __future__ import annotations

import re

import pytest
from activity_fixtures import make_activity, make_team
from playwright.sync_api import Page, expect

from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import Initiative
from copro_tracker.notifications import jobs

from .test_journeys_foundation import follow, on_page, sign_in

pytestmark = pytest.mark.browser


def test_notifications_list_and_choices(page: Page, org, commissioner, partner):
    team = make_team(org, commissioner, partner)
    make_activity(team, title="Workshop one")
    make_activity(team, title="Phone call", on_behalf_of=partner, people=[partner])
    initiatives.refresh_stage(db.session.get(Initiative, team.initiative.id).stages[0])
    db.session.commit()
    jobs.send_due()

    sign_in(page, partner.email)
    count = page.locator(".govuk-service-navigation .app-count")
    expect(count).to_have_text("4 unread")
    follow(page.get_by_role("link", name="Notifications"))
    on_page(page, "Notifications")
    expect(page.get_by_role("link", name="Check what was recorded on your behalf: Phone call")).to_be_visible()
    mark = re.compile(r"^Mark as read\W+Check what was recorded on your behalf: Phone call")
    follow(page.get_by_role("button", name=mark))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Marked as read.")
    expect(count).to_have_text("3 unread")
    follow(page.get_by_role("link", name="The design stage of Redesigning day opportunities is waiting"))
    expect(page.locator("h1")).to_contain_text("esign")

    page.goto("/profile")
    follow(page.get_by_role("link", name="Choose how you hear about what is waiting for you"))
    on_page(page, "How you hear about what is waiting for you")
    page.get_by_role("group", name="Email me each time something is waiting for me").get_by_label("No").check()
    follow(page.get_by_role("button", name="Save choices"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your choices have been saved.")
    expect(
        page.get_by_role("group", name="Email me each time something is waiting for me").get_by_label("No")
    ).to_be_checked()
