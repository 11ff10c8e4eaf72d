"""A notification whose record was withdrawn, in real Chromium with axe on every page (see conftest.py): it
stays in the list as "No longer needs you", with no link and no button, and the navigation counts nothing."""

from __future__ import annotations

import pytest
from activity_fixtures import make_activity, make_team
from playwright.sync_api import Page, expect

from copro_tracker.activities.withdraw import withdraw
from copro_tracker.extensions import db
from copro_tracker.models import Activity
from copro_tracker.notifications import jobs

from .test_journeys_foundation import follow, on_page, sign_in

pytestmark = pytest.mark.browser


def test_a_withdrawn_record_no_longer_needs_you(page: Page, org, commissioner, partner):
    team = make_team(org, commissioner, partner)
    activity = make_activity(team, title="Phone call", on_behalf_of=partner, people=[partner])
    jobs.send_due()
    withdraw(commissioner, db.session.get(Activity, activity.id), "Recorded for the wrong person")

    sign_in(page, partner.email)
    expect(page.locator(".govuk-service-navigation .app-count")).to_have_count(0)
    follow(page.get_by_role("link", name="Notifications"))
    on_page(page, "Notifications")
    items = page.locator(".app-notifications__item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("No longer needs you")
    expect(page.get_by_role("link", name="Check what was recorded on your behalf: Phone call")).to_have_count(0)
    expect(page.get_by_role("button", name="Mark all as read")).to_have_count(0)
