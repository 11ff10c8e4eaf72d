"""Email delivery for invitations and resets: SMTP when configured, otherwise the link is shown in the app.

With a mail server configured in tests, messages collect in app.extensions["outbox"] instead of
being sent; in development they are also logged so the demo can be followed without a mail server.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send(to: str, subject: str, body: str) -> bool:
    """Send one message. Returns True when it was handed to a mail server (or the test outbox)."""
    cfg = current_app.config
    message = EmailMessage()
    message["From"] = cfg["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
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
