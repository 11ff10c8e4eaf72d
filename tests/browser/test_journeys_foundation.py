"""Journeys through the foundation of the service in real Chromium: signing in and out, keyboard-only use,
invitations, password reset links, the public pages and the Welsh switch.

axe-core checks every page these tests load, including forms re-rendered with errors (see conftest.py); a test
fails on any violation. Every step that loads a page waits for its load event (`follow`, `goto`): a page left
before it has loaded cannot be checked, and the harness fails the test if that happens."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from conftest import PASSWORD, make_user
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Locator, Page, expect

from copro_tracker.codes import CommunicationNeed, OrgRole
from copro_tracker.extensions import db
from copro_tracker.models import User

pytestmark = pytest.mark.browser

NEW_PASSWORD = "meadow lantern quietly 1987"


def follow(target: Locator | Callable[[], None], page: Page | None = None) -> None:
    """Click a link or button (or run a keyboard action) that loads a new page, and wait until it has loaded."""
    page = page or target.page
    with page.expect_navigation():
        target() if callable(target) else target.click()


def on_page(page: Page, heading: str | re.Pattern) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    follow(page.get_by_role("button", name="Sign in"))


def expect_dashboard(page: Page, name: str) -> None:
    expect(page).to_have_url(re.compile(r"/dashboard(#main-content)?$"))
    on_page(page, "Your dashboard")
    expect(page.get_by_text(f"Hello, {name}.")).to_be_visible()


def sign_out(page: Page) -> None:
    follow(page.locator(".app-account-bar").get_by_role("button", name="Sign out"))
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    on_page(page, "Sign in")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You have signed out.")


def people_menu_link(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name="People")


def welsh(app: Flask, message: str, **values: str) -> str:
    with app.test_request_context(), force_locale("cy"):
        return gettext(message, **values)


@pytest.mark.parametrize("role", ["admin", "commissioner", "partner"])
def test_each_role_signs_in_sees_their_dashboard_and_signs_out(page: Page, request, role):
    person = request.getfixturevalue(role)
    email, name = person.email, person.display_name

    sign_in(page, email)
    expect_dashboard(page, name)
    expect(page.locator(".app-account-bar")).to_contain_text(f"Signed in as {name}")

    sign_out(page)
    page.goto("/dashboard")
    on_page(page, "Sign in")  # the session really ended


def test_wrong_password_shows_the_error_summary_and_moves_focus_to_it(page: Page, commissioner):
    sign_in(page, commissioner.email, "not the right password at all")

    on_page(page, "Sign in")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend's ErrorSummary focuses itself when it starts
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "#email")
    link.click()  # the summary's link takes you to the field
    expect(page.locator("#email")).to_be_focused()


def test_keyboard_only_sign_in_starts_at_the_skip_link(page: Page, partner):
    email, name = partner.email, partner.display_name
    page.goto("/sign-in")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10, f"the focused skip link should be visible: {box}"

    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show password")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    follow(lambda: page.keyboard.press("Enter"), page)

    expect_dashboard(page, name)


def test_admin_invites_someone_who_sets_up_their_account_in_welsh(page: Page, app: Flask, admin):
    sign_in(page, admin.email)
    expect_dashboard(page, admin.display_name)
    follow(people_menu_link(page))
    on_page(page, "People")
    follow(page.get_by_role("link", name="Invite someone"))
    on_page(page, "Invite someone")

    # The empty form comes back with an error for each question (axe checks that state too).
    follow(page.get_by_role("button", name="Create invitation"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(4)

    page.get_by_label("Full name").fill("Siân Newydd")
    page.get_by_label("Their email address").fill("sian@example.org")
    page.get_by_role("group", name="Role in the organisation").get_by_label("Citizen partner").check()
    page.get_by_role("group", name="How are they involved?").get_by_label("Unpaid carer").check()
    follow(page.get_by_role("button", name="Create invitation"))

    on_page(page, "Invitation created")
    link = page.locator("#invitation-link").inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/invitations/\S+", link), link

    # Opened while still signed in: the service asks before signing anyone out.
    page.goto(link)
    on_page(page, "You are already signed in")
    follow(page.get_by_role("button", name="Sign out and accept the invitation"))
    on_page(page, "Set up your account")
    expect(page.get_by_label("Your name")).to_have_value("Siân Newydd")
    page.get_by_label("Your name").fill("Siân Jones")
    # A guessable password first: the form comes back with an error and keeps what was chosen.
    page.get_by_label("Create a password").fill("password123")
    page.get_by_label("Yes, something helps me take part").check()
    page.get_by_label("Easy Read documents").check()
    page.get_by_label("British Sign Language (BSL) interpreter").check()
    page.get_by_label("Welsh (Cymraeg)").check()
    follow(page.get_by_role("button", name="Create my account"))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Password is too easy to guess")
    expect(page.get_by_label("Your name")).to_have_value("Siân Jones")
    expect(page.get_by_label("Easy Read documents")).to_be_checked()
    expect(page.get_by_label("British Sign Language (BSL) interpreter")).to_be_checked()
    expect(page.get_by_label("Welsh (Cymraeg)")).to_be_checked()

    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    follow(page.get_by_role("button", name="Create my account"))
    # The equality questions come next, optional: skipping them goes straight on to the dashboard.
    on_page(page, welsh(app, "Equality questions"))
    follow(page.get_by_role("link", name=welsh(app, "Skip these questions")).first)

    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    on_page(page, welsh(app, "Your dashboard"))
    expect(page.get_by_text(welsh(app, "Hello, %(name)s", name="Siân Jones") + ".")).to_be_visible()
    expect(page.locator(".app-account-bar")).to_contain_text("Siân Jones")

    db.session.rollback()  # a fresh snapshot: the server has committed the new account
    user = db.session.scalar(sa.select(User).where(User.email == "sian@example.org"))
    assert user is not None and user.display_name == "Siân Jones"
    assert user.role == OrgRole.CITIZEN_PARTNER
    assert user.preferred_language == "cy"
    assert set(user.communication_needs) == {CommunicationNeed.EASY_READ, CommunicationNeed.BSL_INTERPRETER}


def test_admin_makes_a_reset_link_and_the_member_uses_it(page: Page, admin, org):
    member = make_user(org, OrgRole.CITIZEN_PARTNER, name="Rhys Member")
    email, name = member.email, member.display_name

    sign_in(page, admin.email)
    expect_dashboard(page, admin.display_name)
    follow(people_menu_link(page))
    on_page(page, "People")
    follow(page.get_by_role("link", name=name))
    on_page(page, name)
    follow(page.get_by_role("button", name="Make a password reset link"))
    on_page(page, f"Password reset link for {name}")
    link = page.locator("#reset-link").inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/reset-password/\S+", link), link
    sign_out(page)

    page.goto(link)
    on_page(page, "Choose a new password")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    follow(page.get_by_role("button", name="Save new password"))
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    on_page(page, "Sign in")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your password has been changed")

    sign_in(page, email, PASSWORD)  # the old password no longer works
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    sign_in(page, email, NEW_PASSWORD)
    expect_dashboard(page, name)

    response = page.goto(link)  # and the link worked once only
    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Choose a new password")


def test_public_pages_and_not_found(page: Page, a11y_watch):
    response = page.goto("/accessibility")
    assert response is not None and response.status == 200
    on_page(page, "Accessibility statement")

    follow(page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice"))
    expect(page).to_have_url(re.compile(r"/privacy$"))
    on_page(page, "Privacy notice")

    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    on_page(page, "Page not found")
    follow(page.get_by_role("link", name="Go to the start page"))
    on_page(page, "Record co-produced work together")

    a11y_watch.wait_for_current()
    checked = [url.rsplit("/", 1)[-1] for url in a11y_watch.checked_urls()]
    assert checked == ["accessibility", "privacy", "no-such-page", ""], checked


def test_welsh_language_switch(page: Page, app: Flask):
    page.goto("/sign-in")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    follow(page.get_by_role("link", name="Cymraeg"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page).to_have_url(re.compile(r"/sign-in$"))  # back where we were
    on_page(page, welsh(app, "Sign in"))
    english = page.get_by_role("link", name="English")
    expect(english).to_have_attribute("lang", "en")  # the other language's name is marked up in that language

    follow(english)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    on_page(page, "Sign in")
