"""Equality monitoring in real Chromium, with axe on every page loaded (see conftest.py): a person's own
questions (with an error), the admins' counts, their seldom-heard groups and the reference figures form."""

from __future__ import annotations

import pytest
from initiative_factories import add_activity, make_initiative
from playwright.sync_api import Page, expect

from copro_tracker.equality import service
from copro_tracker.extensions import db

from .test_journeys_foundation import follow, on_page, sign_in

pytestmark = pytest.mark.browser


def test_equality_questions_and_the_equality_page(page: Page, admin, commissioner, partner):
    service.add_group(admin, "Gypsy, Roma and Traveller communities")
    initiative = make_initiative(commissioner, partner)
    add_activity(initiative, commissioner, [commissioner, partner])
    db.session.commit()

    sign_in(page, partner.email)
    page.goto("/profile")
    follow(page.get_by_role("link", name="Answer or change the equality questions"))
    on_page(page, "Equality questions")
    page.get_by_label("35 to 44").check()
    page.get_by_label("Gypsy, Roma and Traveller communities").check()
    page.get_by_label("None of these").check()
    follow(page.get_by_role("button", name="Save my answers"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("not both")
    page.get_by_label("None of these").uncheck()
    follow(page.get_by_role("button", name="Save my answers"))
    on_page(page, "Your profile")

    page.context.clear_cookies()
    sign_in(page, admin.email)
    page.goto("/people")
    follow(page.get_by_role("link", name="Equality monitoring: who took part compared with who uses services"))
    on_page(page, "Equality monitoring")
    expect(page.get_by_role("region", name="Age")).to_contain_text("fewer than 5")
    follow(page.get_by_role("link", name="Enter reference figures (Ethnic group)"))
    on_page(page, "Reference figures")
    page.get_by_label("White").fill("ninety")
    follow(page.get_by_role("button", name="Save the figures"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.goto("/admin/equality/groups")
    on_page(page, "Seldom-heard groups")
    follow(page.get_by_role("button", name="Stop asking about this group"))
    expect(page.get_by_text("No longer asked since")).to_be_visible()
