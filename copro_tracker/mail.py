"""Email delivery for invitations and resets: SMTP when configured, otherwise the link is shown in the app.

Every email is sent by a background job (`send`, or a job that calls `deliver`), never inside the
request: the page does not wait for the mail server, and how long a request takes cannot tell anyone
whether an email went out. With a mail server configured in tests, messages collect in
app.extensions["outbox"] instead of being sent; in development they are also logged so the demo can be
followed without a mail server.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale

from . import jobs


def languages_for(preferred: str | None, nation: object) -> tuple[str, ...]:
    """The languages an email is written in, first language first.

    The recipient's own choice when they have made one. Otherwise (an invitation, someone not yet asked)
    an organisation in Wales writes bilingually with Welsh first, as the Welsh Language Standards ask of
    correspondence; elsewhere in English.
    """
    if preferred in ("en", "cy"):
        return (preferred,)
    if getattr(nation, "value", nation) == "wales":
        return ("cy", "en")
    return ("en",)


def compose(languages: tuple[str, ...], write: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """Subject and body written by `write` in each language in turn (one text per language, in order)."""
    parts = []
    for language in languages:
        with force_locale(language):
            subject, body = write()
            parts.append((str(subject), str(body)))
    subject = " / ".join(subject for subject, _ in parts)
    body = "\n\n----------\n\n".join(body.rstrip("\n") + "\n" for _, body in parts)
    return subject, body


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def build(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def send(to: str, subject: str, body: str) -> bool:
    """Queue one message for the worker to send. Returns True when it will be sent (a mail server is
    configured); False tells the page to show the link instead."""
    if not mail_configured():
        if current_app.config.get("MAIL_LOG_LINKS"):
            current_app.logger.info("Email to %s (no mail server, not sent): %s\n%s", to, subject, body)
        return False
    send_email(to, subject, body)
    return True


class NotSent(RuntimeError):
    """The mail server did not take the message; the job is tried again later."""


@jobs.task(priority=jobs.URGENT, retries=3, retry_delay=120)
def send_email(to: str, subject: str, body: str) -> None:
    """The job: hand one message to the mail server, retrying a few minutes apart if it is unreachable."""
    if not deliver(build(to, subject, body)):
        raise NotSent(f"the mail server did not accept the message to {to}")


def deliver(message: EmailMessage) -> bool:
    """Hand a built message to the mail server (or the test outbox). Returns True when it was accepted."""
    cfg = current_app.config
    to, subject, body = message["To"], message["Subject"], message.get_content()
    if cfg.get("MAIL_LOG_LINKS"):
        current_app.logger.info("Email to %s: %s\n%s", to, subject, body)
    if not cfg.get("MAIL_SERVER"):
        return False
    if current_app.testing and "outbox" in current_app.extensions:
        current_app.extensions["outbox"].append(message)
        return True
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send email to %s", to)
        return False
    return True
