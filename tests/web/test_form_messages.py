"""Bad-input messages that say what is wrong in words that fit who is typing."""

from __future__ import annotations

from conftest import login, post_page


def test_the_invite_form_asks_for_the_persons_email_not_yours(client, commissioner):
    login(client, commissioner)
    page = post_page(client, "/people/invite", {"display_name": "Nia Newcomer", "email": "", "role": "citizen_partner"})
    assert "Enter the person's email address" in page.errors()
    assert "Enter your email address" not in page.errors()


def test_signing_in_still_asks_for_your_own_email(client):
    page = post_page(client, "/sign-in", {"email": "", "password": "x"})
    assert "Enter your email address" in page.errors()
