"""A notification whose item no longer waits (withdrawn, stage closed, or done) stays in the person's list
as "No longer needs you", without its link; the unread count leaves it out; its email, if not gone yet, is
not sent; the daily job and the weekly summary leave it out (waiting.py's rule, asked again each time)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import get_page, login

from copro_tracker.activities.withdraw import withdraw
from copro_tracker.codes import NotificationKind, StageStatus
from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import Activity, Initiative, Notification, User
from copro_tracker.notifications import jobs, service


@pytest.fixture
def mail(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    return app.extensions["outbox"]


def _to(outbox, user: User) -> list:
    return [message for message in outbox if message["To"] == user.email]


def _count(page) -> str | None:
    count = page.soup.select_one(".govuk-service-navigation .app-count")
    return count.get_text(" ").split()[0] if count is not None else None


def test_a_record_withdrawn_after_its_notification_is_made_no_longer_needs_anyone(client, team, mail):
    initiative_id = team.initiative.id
    activity = make_activity(team, title="Phone call with Amira", on_behalf_of=team.partner, people=[team.partner])
    # The daily job's first half: the notifications are made; their emails are still in the queue.
    made = service.notify_everyone(date.today())
    assert len(made) == 2, "confirm and rate, both for the partner"
    login(client, team.partner)
    page = get_page(client, "/notifications")
    assert _count(page) == "2"
    assert "Phone call with Amira" in get_page(client, "/dashboard").text("main")
    confirm = f"/initiatives/{initiative_id}/activities/{activity.id}/confirm"
    assert confirm in [a["href"] for a in page.soup.select(".app-notifications a")]

    login(client, team.commissioner)
    url = f"/initiatives/{initiative_id}/activities/{activity.id}/withdraw"
    assert client.post(url, data={"reason": "Recorded for the wrong person"}).status_code == 302

    login(client, team.partner)
    page = get_page(client, "/notifications")
    assert _count(page) is None, "nothing needs them: the header counts nothing"
    items = page.soup.select(".app-notifications li")
    assert len(items) == 2, "what they were told stays in their list"
    for item in items:
        text = " ".join(item.get_text(" ").split())
        assert "No longer needs you" in text and "Phone call with Amira" in text and "Unread" not in text
        assert item.select("a") == [], "no link to a record that has nothing for them"
        assert item.select("form") == [], "nothing to mark as read"
    assert "Mark all as read" not in page.text("main")
    # The dashboard's "Waiting for you", the same rule, no longer lists it either.
    assert "Phone call with Amira" not in get_page(client, "/dashboard").text("main")

    # The queued emails run now: they find nothing to send, and a later run does not send them either.
    for notification_id in made:
        jobs.email_notification(notification_id)
    assert _to(mail, team.partner) == []
    assert db.session.scalars(sa.select(Notification.emailed_at).where(Notification.id.in_(made))).all() == [
        None,
        None,
    ]
    assert jobs.send_due() == 0
    assert _to(mail, team.partner) == []

    # The weekly summary has nothing to say to them.
    team.partner.weekly_digest = True
    db.session.commit()
    assert jobs.send_digests() == 0
    jobs.send_digest(team.partner.id, "2026-W01")
    assert _to(mail, team.partner) == []


def test_the_summary_lists_only_what_still_waits(team, mail):
    make_activity(team, title="Workshop one")  # the partner and the commissioner attended: each rates it
    gone = make_activity(team, title="Recorded twice", people=[team.partner])
    team.partner.email_notifications = False
    team.partner.weekly_digest = True
    db.session.commit()
    jobs.send_due()
    withdraw(team.commissioner, db.session.get(Activity, gone.id), "Recorded twice")
    assert jobs.send_digests() == 1
    (summary,) = _to(mail, team.partner)
    body = summary.get_content()
    assert "Workshop one" in body and "Recorded twice" not in body
    assert summary["Subject"].endswith("1 thing waiting for you")


def test_a_closed_stage_and_a_sign_off_given_leave_the_count(client, team, mail):
    make_activity(team, title="Workshop one")
    initiative = db.session.get(Initiative, team.initiative.id)
    initiatives.refresh_stage(initiative.stages[0])
    db.session.commit()
    assert initiative.stages[0].status == StageStatus.AWAITING_SIGNOFF
    jobs.send_due()
    kinds = {NotificationKind.SIGN_OFF, NotificationKind.RATE}
    for person in (team.partner, team.commissioner):
        assert {line.notification.kind for line in service.lines(person)} == kinds
    login(client, team.partner)
    assert _count(get_page(client, "/notifications")) == "2"

    # The partner signs off: done, so their reminder no longer needs them; the commissioner's still does.
    initiatives.sign_off(team.partner, db.session.get(Initiative, initiative.id).stages[0], "approve", "")
    page = get_page(client, "/notifications")
    assert _count(page) == "1"
    assert "No longer needs you" in page.text("main")
    assert [line.waiting for line in service.lines(team.commissioner) if line.notification.kind == "sign_off"] == [True]
    # The commissioner signs off too and the stage closes: nobody is asked any more.
    initiatives.sign_off(team.commissioner, db.session.get(Initiative, initiative.id).stages[0], "approve", "")
    assert db.session.get(Initiative, initiative.id).stages[0].status == StageStatus.COMPLETE
    assert [line.waiting for line in service.lines(team.commissioner) if line.notification.kind == "sign_off"] == [
        False
    ]
    login(client, team.commissioner)
    assert _count(get_page(client, "/notifications")) == "1", "only the activity to rate"
