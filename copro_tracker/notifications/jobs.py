"""The notification jobs: every morning, tell each person of what has come to wait for them (once each);
every Monday, a summary of what is still unread to those who asked for one. `flask notifications send-due`
and `flask notifications digest` run the same now.

Emails go out in the person's own language (mail.languages_for), each from a job of its own, so a mail
server that is down is retried (mail.send_email) without making a notification twice.
"""

from __future__ import annotations

import logging
from datetime import date

import sqlalchemy as sa

from .. import jobs, mail
from ..codes import NotificationKind
from ..extensions import db
from ..models import Membership, Notification, User, utcnow
from ..web.urls import external_url
from . import messages, service

log = logging.getLogger(__name__)


@jobs.periodic(jobs.crontab(hour="6", minute="15"))
def daily_notifications() -> None:
    send_due()


def send_due(today: date | None = None) -> int:
    """Make today's notifications and queue their emails; returns how many were made."""
    made = service.notify_everyone(today or date.today())
    for notification_id in made:
        email_notification(notification_id)
    return len(made)


def added_to_initiative(membership: Membership) -> None:
    """An account holder added to an initiative (their invitation): told in the app, and by email if they
    chose emails, from the queue like every other notification."""
    notification_id = service.notify_added(membership)
    if notification_id is not None:
        email_notification(notification_id)


@jobs.task(priority=jobs.URGENT)
def email_notification(notification_id: int) -> None:
    """Email one notification to its person, if they want emails and it has not gone already."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.emailed_at is not None:
        return
    person = db.session.get(User, notification.user_id)
    if not service.wants_email(person, notification.kind) or not mail.mail_configured():
        return
    line = service.line(notification_id, person)
    if line is None or not line.waiting:
        return  # what it asked no longer waits (withdrawn, closed, done): nothing to send, now or later
    endpoint, values = messages.target(line)
    link, settings = external_url(endpoint, **values), external_url("notifications.preferences")
    languages = mail.languages_for(person.preferred_language, person.organisation.nation)
    subject, body = mail.compose(languages, lambda: messages.email(line, person.display_name, link, settings))
    # Stamped before it is queued: the send job retries by itself, and a second run of this job must not
    # queue the same email again.
    notification.emailed_at = utcnow()
    db.session.commit()
    mail.send_email(person.email, subject, body)


@jobs.periodic(jobs.crontab(day_of_week="1", hour="7", minute="0"))
def weekly_digest() -> None:
    send_digests()


def send_digests(today: date | None = None) -> int:
    """Queue this week's summary for each person who asked for one and has something unread."""
    year, week, _day = (today or date.today()).isocalendar()
    people = db.session.scalars(
        sa.select(User.id)
        .where(User.active.is_(True), User.erased_at.is_(None), User.weekly_digest.is_(True))
        .where(service.unread_count_of() > 0)
        .order_by(User.id)
    ).all()
    for person_id in people:
        send_digest(person_id, f"{year}-W{week:02d}")
    return len(people)


@jobs.task()
def send_digest(person_id: int, week: str) -> None:
    """One person's summary for `week`: sent once, recorded as a (read) digest notification whose unique
    key is the week."""
    person = db.session.get(User, person_id)
    if person is None or not service.wants_email(person, NotificationKind.DIGEST) or not mail.mail_configured():
        return
    unread = service.lines(person, unread_only=True)
    if not unread:
        return
    if not service.record_digest(person, week):
        return  # this week's summary went already
    link, settings = external_url("notifications.index"), external_url("notifications.preferences")
    languages = mail.languages_for(person.preferred_language, person.organisation.nation)
    subject, body = mail.compose(
        languages, lambda: messages.digest(person.display_name, [messages.headline(x) for x in unread], link, settings)
    )
    mail.send_email(person.email, subject, body)
