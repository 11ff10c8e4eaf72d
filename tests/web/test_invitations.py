"""Inviting people, accepting an invitation, and resetting a forgotten password."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from conftest import PASSWORD, Page, get_page, link_path, post_page

from copro_tracker.extensions import db
from copro_tracker.models import AccountToken, User, utcnow
from copro_tracker.models.audit import AuditEvent

NEW_PASSWORD = "meadow lantern quietly 1987"


def invite(client, email="new.partner@example.org", role="citizen_partner"):
    page = post_page(
        client,
        "/people/invite",
        {"display_name": "Nia Newcomer", "email": email, "role": role, "partner_kind": "carer"},
    )
    return page, page.soup.select_one("#invitation-link").get_text(strip=True)


def test_commissioner_invites_and_the_person_accepts(client, app, commissioner):
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    page, link = invite(client)
    assert "Invitation created" in page.text("h1")
    assert "pass this link on" in page.text()  # no SMTP configured: shown to the inviter
    client.post("/sign-out")

    path = link_path(link)
    form = get_page(client, path)
    assert form.soup.select_one("#display_name")["value"] == "Nia Newcomer"
    response = client.post(
        path,
        data={
            "display_name": "Nia Newcomer-Jones",
            "password": NEW_PASSWORD,
            "needs_answer": "some",
            "communication_needs": ["easy_read", "extra_time"],
            "communication_needs_other": "Meetings after 10am please",
            "preferred_language": "cy",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "new.partner@example.org"))
    assert user.display_name == "Nia Newcomer-Jones"
    assert user.communication_needs == ["easy_read", "extra_time"]
    assert user.preferred_language == "cy" and user.needs_recorded
    assert user.organisation_id == commissioner.organisation_id
    # Single use: the same link now shows a clear page, not a form.
    client.post("/sign-out")
    again = get_page(client, path, status=410)
    assert "cannot be used" in again.text("h1")
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"user.invited", "user.joined", "invitation.accepted"} <= actions


def test_accepting_with_none_stated_is_allowed(client, commissioner):
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    _page, link = invite(client)
    client.post("/sign-out")
    path = link_path(link)
    response = client.post(
        path, data={"display_name": "Nia", "password": NEW_PASSWORD, "needs_answer": "none", "preferred_language": "en"}
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "new.partner@example.org"))
    assert user.communication_needs == [] and user.needs_recorded and user.preferred_language == "en"


def test_skipping_the_needs_and_language_questions_is_an_error_not_an_answer(client, commissioner):
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    _page, link = invite(client)
    client.post("/sign-out")
    path = link_path(link)
    page = post_page(client, path, {"display_name": "Nia", "password": NEW_PASSWORD})
    assert page.errors() == ["Say whether you need anything to help you take part", "Choose English or Welsh"]
    # "Yes" with nothing said, and "nothing is needed" with boxes ticked, are both contradictions.
    page = post_page(
        client,
        path,
        {"display_name": "Nia", "password": NEW_PASSWORD, "needs_answer": "some", "preferred_language": "en"},
    )
    assert page.errors() == ["Select what helps you take part, or answer that nothing is needed"]
    page = post_page(
        client,
        path,
        {
            "display_name": "Nia",
            "password": NEW_PASSWORD,
            "needs_answer": "none",
            "communication_needs": ["large_print"],
            "preferred_language": "en",
        },
    )
    assert page.errors() == ["You answered that nothing is needed: clear what you selected, or answer yes"]
    assert page.soup.select_one("input[value=large_print]").has_attr("checked")
    assert db.session.scalar(sa.select(User).where(User.email == "new.partner@example.org")) is None


def test_weak_password_on_invitation_keeps_everything_typed(client, commissioner):
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    _page, link = invite(client)
    client.post("/sign-out")
    path = link_path(link)
    page = post_page(
        client,
        path,
        {
            "display_name": "Nia",
            "password": "password123",
            "needs_answer": "some",
            "communication_needs": ["large_print"],
            "communication_needs_other": "Blue paper",
            "preferred_language": "cy",
        },
    )
    assert page.errors()[0].startswith("Password is too easy to guess")
    assert page.soup.select_one("#display_name")["value"] == "Nia"
    assert page.soup.select_one("input[value=large_print]").has_attr("checked")
    assert "Blue paper" in page.soup.select_one("#communication_needs_other").text
    assert db.session.scalar(sa.select(User).where(User.email == "new.partner@example.org")) is None


def test_expired_invitation_is_refused(client, commissioner):
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    _page, link = invite(client)
    token = db.session.scalar(sa.select(AccountToken))
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client.post("/sign-out")
    assert client.get(link_path(link)).status_code == 410


def test_invite_form_errors_are_specific(client, commissioner, partner):
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    page = post_page(client, "/people/invite", {"display_name": "", "email": "not-an-email"})
    assert page.errors() == [
        "Enter the person's name",
        "Enter an email address in the correct format, like name@example.org",
        "Choose a role",
        "Choose how they are involved",
    ]
    page = post_page(
        client,
        "/people/invite",
        {"display_name": "Dup", "email": partner.email, "role": "citizen_partner", "partner_kind": "carer"},
    )
    assert page.errors() == ["Someone with this email address already has an account"]


def test_commissioner_cannot_invite_an_admin(client, commissioner):
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    page = get_page(client, "/people/invite")
    assert page.soup.select_one("input[name=role][value=admin]") is None
    page = post_page(
        client,
        "/people/invite",
        {"display_name": "Sneaky", "email": "s@example.org", "role": "admin", "partner_kind": "officer"},
    )
    assert page.errors()
    assert db.session.scalar(sa.select(AccountToken)) is None


def test_invitation_is_emailed_when_mail_is_configured(client, app, commissioner, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    page, link = invite(client)
    assert "We have emailed the link" in page.text()
    (message,) = app.extensions["outbox"]
    assert message["To"] == "new.partner@example.org" and link in message.get_content()


def test_forgotten_password_by_email(client, app, partner, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    page = post_page(client, "/forgotten-password", {"email": partner.email})
    assert "If there is an account" in page.text()
    post_page(client, "/forgotten-password", {"email": "nobody@example.org"})
    (message,) = app.extensions["outbox"]  # nothing sent for an unknown address
    link = next(line for line in message.get_content().splitlines() if "/reset-password/" in line)
    path = link_path(link)
    page = post_page(client, path, {"password": "short"})
    assert page.errors() == ["Password must be at least 10 characters"]
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    assert client.get(path).status_code == 410  # single use
    response = client.post("/sign-in", data={"email": partner.email, "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_admin_makes_a_reset_link_when_there_is_no_email(client, app, admin, partner):
    other_device = app.test_client()
    other_device.post("/sign-in", data={"email": partner.email, "password": PASSWORD})
    client.post("/sign-in", data={"email": admin.email, "password": PASSWORD})
    page = post_page(client, f"/people/{partner.id}/reset-link", {})
    link = page.soup.select_one("#reset-link").get_text(strip=True)
    client.post("/sign-out")
    assert client.post(link_path(link), data={"password": NEW_PASSWORD}).status_code == 302
    assert other_device.get("/dashboard").status_code == 302  # reset ends old sessions
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"password_reset.issued", "password_reset.used", "user.password_reset"} <= actions


def test_admin_changes_a_role_and_revokes_an_invitation(client, admin, partner):
    client.post("/sign-in", data={"email": admin.email, "password": PASSWORD})
    response = client.post(f"/people/{partner.id}", data={"role": "commissioner", "partner_kind": "officer"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, partner.id).role.value == "commissioner"
    _page, _link = invite(client, "later@example.org")
    token = db.session.scalar(sa.select(AccountToken))
    assert client.post(f"/invitations/{token.id}/revoke").status_code == 302
    db.session.expire_all()
    assert db.session.get(AccountToken, token.id).revoked_at is not None
    assert "role_changed" in " ".join(db.session.scalars(sa.select(AuditEvent.action)))


def test_admin_cannot_demote_themselves(client, admin):
    client.post("/sign-in", data={"email": admin.email, "password": PASSWORD})
    assert (
        client.post(f"/people/{admin.id}", data={"role": "commissioner", "partner_kind": "officer"}).status_code == 403
    )
    assert client.post(f"/people/{admin.id}/deactivate").status_code == 403


def test_forgotten_password_does_the_same_work_whether_or_not_the_account_exists(client, app, partner, monkeypatch):
    """The request queues the same job, with nothing looked up, for a real and an unknown address; the
    worker alone finds the account, so only it (never the person asking) does more work for a real one."""
    from query_counter import count_queries

    from copro_tracker.jobs import huey

    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    queued = []
    monkeypatch.setattr(huey, "enqueue", queued.append)  # hold the jobs instead of running them at once

    def ask(email: str):
        before = len(queued)
        responses = []

        def post():
            responses.append(client.post("/forgotten-password", data={"email": email}))
            return responses[0]

        queries = count_queries(post)
        page = Page(responses[0]).check()
        (job,) = queued[before:]
        return queries, page.text(), job

    known = ask(partner.email.upper())
    unknown = ask("nobody@example.org")
    assert known[0] == unknown[0] == 0  # the request reads nothing, for either address
    assert known[1] == unknown[1]
    assert type(known[2]) is type(unknown[2])  # the same job: send_password_reset
    assert [type(a) for a in known[2].args] == [type(a) for a in unknown[2].args]
    assert known[2].args[0] == partner.email and unknown[2].args[0] == "nobody@example.org"

    monkeypatch.undo()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    for job in (known[2], unknown[2]):
        huey.execute(job)  # what the worker does
    (message,) = app.extensions["outbox"]  # only the real account is sent a link
    assert message["To"] == partner.email
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AccountToken)) == 1


def test_any_password_change_revokes_every_outstanding_reset_link(client, app, admin, partner, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")

    def emailed_link() -> str:
        client.post("/forgotten-password", data={"email": partner.email})
        body = app.extensions["outbox"][-1].get_content()
        return link_path(next(line for line in body.splitlines() if "/reset-password/" in line))

    first, second = emailed_link(), emailed_link()
    assert client.post(first, data={"password": NEW_PASSWORD}).status_code == 302
    assert client.get(second).status_code == 410  # reset: the other link is dead

    third = emailed_link()
    client.post("/sign-in", data={"email": admin.email, "password": PASSWORD})
    fourth = link_path(
        post_page(client, f"/people/{partner.id}/reset-link", {}).soup.select_one("#reset-link").get_text(strip=True)
    )
    client.post("/sign-out")
    client.post("/sign-in", data={"email": partner.email, "password": NEW_PASSWORD})
    response = client.post(
        "/profile/password", data={"current_password": NEW_PASSWORD, "password": "orchard violin pebble 7731"}
    )
    assert response.status_code == 302
    client.post("/sign-out")
    assert client.get(third).status_code == 410  # change: the emailed link is dead
    assert client.get(fourth).status_code == 410  # and so is the one the admin made
    actions = list(db.session.scalars(sa.select(AuditEvent.action)))
    assert actions.count("password_reset.revoked") == 3


def test_opening_an_invitation_while_signed_in_asks_before_signing_out(client, app, commissioner, partner, monkeypatch):
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    _page, link = invite(client)
    client.post("/sign-out")
    client.post("/sign-in", data={"email": partner.email, "password": PASSWORD})
    path = link_path(link)

    asked = get_page(client, path)
    assert "You are already signed in" in asked.text("h1")
    assert f"You are signed in as {partner.display_name}" in asked.text()
    assert asked.soup.select_one("#display_name") is None  # no acceptance form while signed in
    assert client.get("/dashboard").status_code == 200  # the GET signed no one out
    # Posting the acceptance form while signed in does not sign out or create anything either.
    client.post(path, data={"display_name": "Nia", "password": NEW_PASSWORD, "preferred_language": "en"})
    assert client.get("/dashboard").status_code == 200
    assert db.session.scalar(sa.select(User).where(User.email == "new.partner@example.org")) is None

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"{path}/sign-out").status_code == 400  # no CSRF token: refused
    assert client.get("/dashboard").status_code == 200
    token = get_page(client, path).soup.select_one("input[name=csrf_token]")["value"]
    response = client.post(f"{path}/sign-out", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(path)
    assert client.get("/dashboard").status_code == 302  # now signed out
    assert get_page(client, path).soup.select_one("#display_name")["value"] == "Nia Newcomer"
    assert "auth.logout" in db.session.scalars(sa.select(AuditEvent.action)).all()


def test_invite_form_does_not_say_whether_an_email_has_an_account_in_another_council(
    client, app, commissioner, outsider, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})

    def invited(email: str) -> tuple[int, str, str]:
        response = client.post(
            "/people/invite",
            data={"display_name": "Someone", "email": email, "role": "citizen_partner", "partner_kind": "carer"},
        )
        page = Page(response).check()
        link = page.soup.select_one("#invitation-link").get_text(strip=True)
        return response.status_code, page.text().replace(link, "LINK").replace(email, "EMAIL"), link

    elsewhere = invited(outsider.email)
    new = invited("brand.new@example.org")
    assert elsewhere[:2] == new[:2]
    assert "Invitation created" in new[1]
    assert {m["To"] for m in app.extensions["outbox"]} == {outsider.email, "brand.new@example.org"}

    # Whoever opens the link learns of the clash, and no second account is made.
    client.post("/sign-out")
    page = get_page(client, link_path(elsewhere[2]), status=409)
    assert "There is already an account with the email address" in page.text()
    response = client.post(
        link_path(elsewhere[2]), data={"display_name": "X", "password": NEW_PASSWORD, "preferred_language": "en"}
    )
    assert response.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email == outsider.email)) == 1
