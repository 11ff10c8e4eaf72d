"""Flask-Login wiring. The session carries "user id:session version"; a stale version is no session."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, g
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..extensions import db, login_manager
from ..models import User
from ..notifications.service import unread_count_of
from ..tenancy import parse_id


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Sign in to see this page")
    login_manager.login_message_category = "info"
    # Rotating the whole session at login (in the view) already defeats fixation; "strong" would
    # also tie the cookie to the IP address, which breaks people on mobile networks.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        ident, _, version = user_id.partition(":")
        if parse_id(ident) is None or not version.isdigit() or len(version) > 9:
            return None
        # The organisation and the unread notifications come in the same statement: every page's header
        # shows the organisation's name and the count.
        row = db.session.execute(
            sa.select(User, unread_count_of()).options(joinedload(User.organisation)).where(User.id == int(ident))
        ).first()
        if row is None:
            return None
        user, unread = row
        if not user.active or user.session_version != int(version):
            return None
        g.unread_notifications = unread
        return user
