"""Links shown once (invitations, password resets, report share links) are shown in full and can be copied with a
button that says, in a live region, that it worked. Without JavaScript the button is not there; the link still is."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .test_journeys_foundation import follow, on_page, sign_in

pytestmark = pytest.mark.browser


def test_an_invitation_link_is_shown_in_full_and_copied_with_a_button(page: Page, commissioner, check_a11y):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, commissioner.email)
    page.goto("/people/invite")
    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_label("Their email address").fill("nia@example.org")
    page.get_by_role("group", name="Role in the organisation").get_by_label("Citizen partner").check()
    page.get_by_role("group", name="How are they involved?").get_by_label("Unpaid carer").check()
    follow(page.get_by_role("button", name="Create invitation"))
    on_page(page, "Invitation created")

    shown = page.locator("#invitation-link")
    link = shown.inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/invitations/\S+", link), link
    page.set_viewport_size({"width": 320, "height": 800})
    box = shown.bounding_box()
    assert box["x"] + box["width"] <= 320, "the link wraps inside the page"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    status = page.get_by_role("status")
    expect(status).to_have_text("")
    copy = page.get_by_role("button", name=re.compile(r"^Copy link\W+Invitation link$"))
    copy.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == link
    check_a11y(page)


def test_without_javascript_there_is_no_copy_button_but_the_link_is_there(browser, live_server, commissioner):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, commissioner.email)
        page.goto("/people/invite")
        page.get_by_label("Full name").fill("Nia Newcomer")
        page.get_by_label("Their email address").fill("nia@example.org")
        page.get_by_role("group", name="Role in the organisation").get_by_label("Commissioner").check()
        page.get_by_role("group", name="How are they involved?").get_by_label("Council or ICB officer").check()
        follow(page.get_by_role("button", name="Create invitation"))
        expect(page.locator("#invitation-link")).to_contain_text("/invitations/")
        expect(page.get_by_role("button", name=re.compile("^Copy link"))).to_have_count(0)
    finally:
        context.close()
