"""Step-up authentication: before an irreversible or protective action (erasing a person, lifting a legal
hold) an admin types their password again, and it counts for a few minutes only.

The moment is kept in the signed session with the user id and session version it was made under, so a
session cookie of another person, or one from before a password change, never carries it over. Every
attempt, right or wrong, is an audit event; wrong ones are rate-limited with the sign-in limit.
"""

from __future__ import annotations

from datetime import timedelta

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

from ..audit import capture
from ..codes import N_
from ..extensions import db
from ..models import User, utcnow
from ..services import ServiceError
from . import passwords, service

WINDOW = timedelta(minutes=5)
LOCKED = N_("Too many wrong passwords: your account is locked for a few minutes. Try again later.")
KEY = "step_up"


def confirm(user: User, password: str) -> None:
    """Check the password; record the attempt either way; remember the moment when it is right.

    Wrong passwords count towards the same lock as wrong sign-ins (auth.service._reserve_attempt), so
    someone holding a stolen session cannot guess the password here any faster than at sign-in."""
    attempt = service._reserve_attempt(user.id, utcnow())
    if attempt is None:
        passwords.check_password(None, password or "")  # the same time taken whether locked or not
        capture.record(db.session, "auth.step_up", user.organisation_id, "user", user.id, actor_id=user.id, ok=False)
        db.session.commit()
        raise ServiceError(LOCKED, "password")
    db.session.refresh(user)
    ok = passwords.check_password(user.password_hash, password or "")
    if ok:
        user.failed_logins = 0
        user.locked_until = None
    capture.record(db.session, "auth.step_up", user.organisation_id, "user", user.id, actor_id=user.id, ok=ok)
    db.session.commit()
    if not ok:
        raise ServiceError(N_("Your password is not right"), "password")
    session[KEY] = {"user": user.id, "version": user.session_version, "at": utcnow().timestamp()}


def is_recent(user: User) -> bool:
    """The person confirmed their password in this session within the last few minutes."""
    mark = session.get(KEY)
    if not isinstance(mark, dict) or mark.get("user") != user.id or mark.get("version") != user.session_version:
        return False
    at = mark.get("at")
    if not isinstance(at, int | float):
        return False
    age = utcnow().timestamp() - at
    return 0 <= age <= WINDOW.total_seconds()


def ask(back_to: str) -> Response:
    """Send the person to confirm their password, then back to `back_to` (a path on this site)."""
    return redirect(url_for("auth.step_up", next=back_to))


def required(user: User, back_to: str | None = None) -> Response | None:
    """None when the person may go ahead; otherwise the redirect that asks for their password."""
    if is_recent(user):
        return None
    return ask(back_to or request.full_path.rstrip("?"))
