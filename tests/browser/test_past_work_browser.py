"""Recording past work and reviews in real Chromium: the review held for a recommendation, a member's tenure
dates and a stage's dates, each with an error first. axe checks every page loaded (see conftest.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from initiative_factories import make_initiative
from playwright.sync_api import Page, expect

from copro_tracker.activities import service as activities
from copro_tracker.extensions import db
from copro_tracker.models import Membership, Recommendation

from .test_journey_initiative import fill_date
from .test_journeys_foundation import follow, on_page, sign_in

pytestmark = pytest.mark.browser


def test_record_a_review_and_backfill_tenure_and_stage_dates(page: Page, commissioner, partner):
    initiative = make_initiative(commissioner, partner)
    item = activities.make_recommendation(
        partner, initiative, "Easy Read minutes", None, None, raised_on=date.today() - timedelta(days=40)
    )
    activities.respond(
        commissioner,
        item,
        response="accepted",
        reason="",
        action_taken="Minutes go out in Easy Read",
        review_on=date.today() - timedelta(days=3),
        expected_version=item.version,
    )
    initiative_id, item_id = initiative.id, item.id
    membership_id = next(m.id for m in initiative.memberships if m.user_id == partner.id)

    sign_in(page, commissioner.email)
    page.goto(f"/initiatives/{initiative_id}/you-said-we-did")
    on_page(page, "You said, we did")
    expect(page.locator(".govuk-tag--red")).to_have_text("Review overdue")
    follow(page.get_by_role("link", name="Record the review of recommendation 1"))
    on_page(page, "Record the review")
    follow(page.get_by_role("button", name="Save review"))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the review was held")
    fill_date(page, "When was the review held?", date.today() - timedelta(days=1))
    page.get_by_label("What did the review find?").fill("Everyone gets Easy Read minutes now.")
    follow(page.get_by_role("button", name="Save review"))
    on_page(page, "You said, we did")
    expect(page.locator(".govuk-tag--red")).to_have_count(0)
    db.session.expire_all()
    assert db.session.get(Recommendation, item_id).reviewed_on == date.today() - timedelta(days=1)

    page.goto(f"/initiatives/{initiative_id}/members/{membership_id}/dates")
    fill_date(page, "When did they join?", date(2025, 2, 3))
    fill_date(page, "When did they leave? (optional)", date(2025, 1, 1))
    follow(page.get_by_role("button", name="Save dates"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date they left cannot be before the date they joined"
    )
    fill_date(page, "When did they leave? (optional)", date(2025, 6, 30))
    follow(page.get_by_role("button", name="Save dates"))
    expect(page.get_by_role("table", name="Earlier roles")).to_contain_text("30 June 2025")
    db.session.expire_all()
    assert db.session.get(Membership, membership_id).left_on == date(2025, 6, 30)

    page.goto(f"/initiatives/{initiative_id}/stages/design/dates")
    fill_date(page, "When did this stage start?", date(2024, 12, 1))
    follow(page.get_by_role("button", name="Save dates"))
    expect(page.get_by_text("Opened 1 December 2024")).to_be_visible()
