"""Invitations and resets as notifications. Someone with an account here, invited to (or added to) another
initiative, needs no link: they are added and told in the app, and by email only if they chose emails, from
the queue, in their language. Someone without an account still gets the invitation email, their only
channel. A reset link is always emailed, whatever the person chose, from the queue, in their language."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from conftest import get_page, login, make_org, make_user
from initiative_factories import make_initiative

from copro_tracker.codes import Nation, NotificationKind, OrgRole
from copro_tracker.extensions import db
from copro_tracker.jobs import huey
from copro_tracker.models import AccountToken, Initiative, Membership, Notification, User
from copro_tracker.notifications import service


@pytest.fixture
def mail(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    return app.extensions["outbox"]


@pytest.fixture
def held(monkeypatch):
    """Jobs are held instead of run at once; `run()` does what the worker does until none is left, and
    returns the names of the jobs it ran."""
    queue: list = []
    monkeypatch.setattr(huey, "enqueue", queue.append)

    def run() -> list[str]:
        names = []
        while queue:
            job = queue.pop(0)
            names.append(job.name)
            huey.execute(job)
        return names

    return run


def _to(outbox, user: User) -> list:
    return [message for message in outbox if message["To"] == user.email]


def _invite(client, initiative: Initiative, email: str, role: str = "co_lead"):
    return client.post(
        f"/initiatives/{initiative.id}/members/invite",
        data={
            "display_name": "Whoever",
            "email": email,
            "role": "citizen_partner",
            "partner_kind": "carer",
            "initiative_role": role,
        },
    )


def _invitations(user: User) -> list[Notification]:
    return db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id, Notification.kind == NotificationKind.INVITATION)
    ).all()


def test_an_account_holder_invited_to_another_initiative_is_added_and_told_in_the_app_and_by_email(
    client, commissioner, partner, mail, held
):
    initiative = make_initiative(commissioner, title="Short breaks for carers")
    login(client, commissioner)
    response = _invite(client, initiative, partner.email.upper())
    assert response.status_code == 302 and response.location.endswith(f"/initiatives/{initiative.id}/members")
    assert db.session.scalar(sa.select(AccountToken)) is None, "no link to join: they have an account"
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == partner.id))
    assert membership.initiative_id == initiative.id and membership.role.value == "co_lead"
    assert (
        "they have been added to this initiative and told"
        in get_page(client, f"/initiatives/{initiative.id}/members").text()
    )

    # The email goes from the queue, as every notification's does.
    assert _to(mail, partner) == []
    ran = held()
    assert ran.index("email_notification") < ran.index("send_email"), ran
    (message,) = _to(mail, partner)
    assert message["Subject"] == "You have been added to an initiative: Short breaks for carers (your role: Co-lead)"
    assert f"/initiatives/{initiative.id}\n" in message.get_content()
    assert "/profile/notifications" in message.get_content()

    login(client, partner)
    page = get_page(client, "/notifications")
    assert page.soup.select_one(".govuk-service-navigation .app-count").get_text(" ").split()[0] == "1"
    links = [a["href"] for a in page.soup.select(".app-notifications a")]
    assert f"/initiatives/{initiative.id}" in links
    assert "Short breaks for carers" in page.text("main")

    # Removed again, the invitation no longer needs them (and is not counted).
    login(client, commissioner)
    assert client.post(f"/initiatives/{initiative.id}/members/{membership.id}/remove").status_code == 302
    assert [line.waiting for line in service.lines(db.session.get(User, partner.id))] == [False]


def test_someone_added_from_the_members_page_is_told_in_the_app_only_when_they_chose_no_emails(
    client, commissioner, partner, mail
):
    partner.email_notifications = False
    db.session.commit()
    initiative = make_initiative(commissioner)
    login(client, commissioner)
    response = client.post(f"/initiatives/{initiative.id}/members", data={"user_id": str(partner.id), "role": "member"})
    assert response.status_code == 302
    assert len(_invitations(partner)) == 1
    assert _to(mail, partner) == [], "they chose no emails"
    login(client, partner)
    assert "You have been added to an initiative: Redesigning day opportunities (your role: Member)" in get_page(
        client, "/notifications"
    ).text("main")


def _english_words(message) -> list[str]:
    """The Welsh crawl's check on an email's subject and body; links are not words, people's text is theirs."""
    from tests.i18n.english_text import english_words
    from tests.i18n.entered import entered_text

    text = re.sub(r"https?://\S+", " ", f"{message['Subject']}\n{message.get_content()}")
    return english_words(text, entered_text())


def test_a_welsh_speaker_is_told_in_welsh_in_the_app_and_by_email(client, mail):
    org = make_org("Cyngor Sir Ynys Môn", Nation.WALES)
    commissioner = make_user(org, OrgRole.COMMISSIONER, name="Rhys Swyddog", preferred_language="en")
    partner = make_user(org, OrgRole.CITIZEN_PARTNER, name="Nia Evans", preferred_language="cy")
    initiative = make_initiative(commissioner, title="Seibiannau byr")
    login(client, commissioner)
    assert _invite(client, initiative, partner.email, role="member").status_code == 302
    (message,) = _to(mail, partner)
    assert message["Subject"] == "Rydych chi wedi cael eich ychwanegu at fenter: Seibiannau byr (eich rôl: Aelod)"
    assert "Helo Nia Evans" in message.get_content() and "Hello" not in message.get_content()
    assert not _english_words(message)
    login(client, partner)
    page = get_page(client, "/notifications")
    assert "Rydych chi wedi cael eich ychwanegu at fenter: Seibiannau byr" in page.text("main")


def test_someone_without_an_account_still_gets_the_invitation_by_email_bilingually_in_wales(client, mail):
    org = make_org("Cyngor Sir Ynys Môn", Nation.WALES)
    commissioner = make_user(org, OrgRole.COMMISSIONER, name="Rhys Swyddog", preferred_language="en")
    initiative = make_initiative(commissioner, title="Seibiannau byr")
    login(client, commissioner)
    response = _invite(client, initiative, "newcomer@example.org")
    assert response.status_code == 200 and "We have emailed the link" in response.get_data(as_text=True)
    (message,) = [m for m in mail if m["To"] == "newcomer@example.org"]
    body = message.get_content()
    assert body.index("Agorwch") < body.index("Open this link"), "Welsh first, then English"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0, "no account to list it in"
    assert service.wants_email(None, NotificationKind.INVITATION), "the email is their only channel"


def test_a_reset_link_is_always_emailed_from_the_queue_in_the_persons_language(client, org, mail, held):
    partner = make_user(org, OrgRole.CITIZEN_PARTNER, name="Nia Evans", preferred_language="cy")
    partner.email_notifications = False  # they chose no emails about what waits: a reset is not one of those
    db.session.commit()
    response = client.post("/forgotten-password", data={"email": partner.email})
    assert response.status_code in (200, 302)
    assert _to(mail, partner) == []
    assert held() == ["send_password_reset", "send_email"]
    (message,) = _to(mail, partner)
    assert message["Subject"] == "Ailosod eich cyfrinair ar gyfer Traciwr Cyd-gynhyrchu"
    assert not _english_words(message)
    assert service.wants_email(partner, NotificationKind.PASSWORD_RESET)
    assert not service.wants_email(partner, NotificationKind.INVITATION), "an invitation follows their choice"
