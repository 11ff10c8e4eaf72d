"""The language follows the person: their choice on sign-in, the Active Offer in Wales, emails in their language."""

from __future__ import annotations

from copro_tracker.codes import Nation, OrgRole, PartnerKind
from tests.conftest import PASSWORD, get_page, make_org, make_user, post_page

INVITE = {
    "display_name": "Nia Newcomer",
    "email": "nia@example.org",
    "role": "citizen_partner",
    "partner_kind": "carer",
}


def _welsh_partner(org):
    return make_user(
        org, OrgRole.CITIZEN_PARTNER, partner_kind=PartnerKind.CARER, name="Nia Evans", preferred_language="cy"
    )


def test_a_welsh_preferring_partner_meets_welsh_from_the_first_page_after_sign_in(client):
    partner = _welsh_partner(make_org("Cyngor Sir Ynys Môn", Nation.WALES))
    # The browser asks for English: the person's own choice still wins.
    response = client.post(
        "/sign-in", data={"email": partner.email, "password": PASSWORD}, headers={"Accept-Language": "en-GB"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    page = get_page(client, "/dashboard")
    assert page.soup.html["lang"] == "cy"
    assert page.soup.h1.get_text(strip=True) == "Eich dangosfwrdd"
    assert "Your dashboard" not in page.text()


def test_the_header_switch_changes_the_language_for_the_session(client, org):
    partner = _welsh_partner(org)
    client.post("/sign-in", data={"email": partner.email, "password": PASSWORD})
    client.get("/language/en?next=/dashboard")
    assert get_page(client, "/dashboard").soup.h1.get_text(strip=True) == "Your dashboard"


def test_sign_in_page_offers_welsh_first_when_an_organisation_is_in_wales(client):
    make_org("Northshire County Council", Nation.ENGLAND)
    england_only = get_page(client, "/sign-in")
    assert england_only.soup.select_one(".app-language-offer") is None

    make_org("Cyngor Gwynedd", Nation.WALES)
    page = get_page(client, "/sign-in")
    offer = page.soup.select_one(".app-language-offer")
    assert offer is not None
    # The offer comes before the sign-in form, in both languages, each marked with its language.
    assert offer.find_next("form") is not None and page.soup.h1.find_previous(class_="app-language-offer")
    welsh, english = offer.select("a.govuk-button")
    assert (welsh["lang"], welsh.get_text(strip=True)) == ("cy", "Parhau yn Gymraeg")
    assert (english["lang"], english.get_text(strip=True)) == ("en", "Continue in English")
    assert offer.select_one("h2 [lang=cy]").get_text() == "Dewiswch eich iaith"


def test_invitation_from_a_welsh_organisation_is_bilingual_welsh_first(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    commissioner = make_user(make_org("Cyngor Gwynedd", Nation.WALES), OrgRole.COMMISSIONER)
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    post_page(
        client,
        "/people/invite",
        {
            "display_name": "Nia Newcomer",
            "email": "nia@example.org",
            "role": "citizen_partner",
            "partner_kind": "carer",
        },
    )
    (message,) = app.extensions["outbox"]
    assert message["Subject"] == "Gwahoddiad: Traciwr Cyd-gynhyrchu / You are invited to Co-production Tracker"
    body = message.get_content()
    assert body.index("wedi eich gwahodd") < body.index("has invited you")


def test_invitation_from_england_is_in_english_only(client, app, commissioner, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    post_page(
        client,
        "/people/invite",
        {
            "display_name": "Nia Newcomer",
            "email": "nia@example.org",
            "role": "citizen_partner",
            "partner_kind": "carer",
        },
    )
    (message,) = app.extensions["outbox"]
    assert message["Subject"] == "You are invited to Co-production Tracker"
    assert "Agorwch" not in message.get_content()


def test_password_reset_email_is_in_the_account_holders_language(client, app, org, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    partner = _welsh_partner(org)
    post_page(client, "/forgotten-password", {"email": partner.email})  # asked from an English page
    (message,) = app.extensions["outbox"]
    assert message["Subject"] == "Ailosod eich cyfrinair ar gyfer Traciwr Cyd-gynhyrchu"
    assert "Agorwch y ddolen hon" in message.get_content() and "Open this link" not in message.get_content()
