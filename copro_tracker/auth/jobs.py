"""Account jobs: the "forgotten password" email.

The request that asks for a reset link only queues this job with the address typed, whatever it is:
it looks nothing up, so it takes the same path and the same time whether or not an account exists.
Here, in the worker, the address is looked up; only a real, active account gets a link (stored) and
the email.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import jobs, labels, mail
from ..web.urls import external_url


def reset_email(secret: str) -> tuple[str, str]:
    """Subject and body of the reset email, in the current locale."""
    return (
        _("Reset your %(service)s password", service=labels.service_name()),
        ngettext(
            "Open this link to choose a new password. It works once, for %(num)s hour:\n%(link)s\n\n"
            "If you did not ask for this, you can ignore this email.",
            "Open this link to choose a new password. It works once, for %(num)s hours:\n%(link)s\n\n"
            "If you did not ask for this, you can ignore this email.",
            current_app.config["RESET_HOURS"],
            link=external_url("auth.reset_password", token=secret),
        ),
    )


@jobs.task(priority=jobs.URGENT)
def send_password_reset(email: str, language: str) -> None:
    """Issue a reset link for the account with this address, if there is an active one, and email it.

    The email is in the person's own language when they chose one, otherwise in the language of the page
    they asked from. Sending is a job of its own, so an unreachable mail server is retried without
    issuing a second link.
    """
    from ..codes import NotificationKind
    from ..notifications.service import wants_email
    from . import service

    user = service.find_user_by_email(email)
    # A reset link is always emailed (whatever the person chose for other emails); only to an active account.
    if user is None or not user.active or not wants_email(user, NotificationKind.PASSWORD_RESET):
        return
    _token, secret = service.issue_password_reset(user, actor=None)
    languages = mail.languages_for(user.preferred_language or language, None)
    subject, body = mail.compose(languages, lambda: reset_email(secret))
    mail.send_email(user.email, subject, body)
