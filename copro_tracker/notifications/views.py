"""The person's notifications: the list, marking read, and how they hear of them. Thin: form → permission →
service. Every route is the signed-in person's own; someone else's notification is not found (404)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..models import Notification
from ..permissions import authorize, requires
from ..tenancy import parse_id
from ..web.forms import safe_next
from ..web.paging import pagination, paging
from . import bp, messages, service
from .forms import MarkReadForm, PreferencesForm

PAGE_SIZE = 20


@bp.get("/notifications")
@requires("notifications.own")
def index():
    person = current_user._get_current_object()
    page = paging(service.count(person.id), PAGE_SIZE)
    lines = service.lines(person, page)
    return render_template(
        "notifications/index.html",
        lines=[(line, messages.headline(line), messages.target(line)) for line in lines],
        page=page,
        pages=pagination(page, _("Pages of your notifications")),
        form=MarkReadForm(),
    )


def _own_or_404(notification_id: int) -> Notification:
    ident = parse_id(notification_id)
    notification = (
        db.session.scalar(
            sa.select(Notification).where(Notification.id == ident, Notification.user_id == current_user.id)
        )
        if ident is not None
        else None
    )
    if notification is None:
        abort(404)
    authorize("notifications.own", notification)
    return notification


@bp.post("/notifications/<int:notification_id>/read")
@requires("notifications.own")
def mark_read(notification_id: int):
    notification = _own_or_404(notification_id)
    if MarkReadForm().validate_on_submit():
        service.mark_read(notification)
        flash(_("Marked as read."), "success")
    return redirect(safe_next("notifications.index"))


@bp.post("/notifications/read")
@requires("notifications.own")
def mark_all_read():
    if MarkReadForm().validate_on_submit():
        service.mark_all_read(current_user._get_current_object())
        flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/profile/notifications", methods=["GET", "POST"])
@requires("notifications.own")
def preferences():
    person = current_user._get_current_object()
    form = PreferencesForm()
    if request.method == "GET":
        form.email.data = "yes" if person.email_notifications else "no"
        form.digest.data = "yes" if person.weekly_digest else "no"
    if form.validate_on_submit():
        service.set_preferences(person, email=form.email.data == "yes", digest=form.digest.data == "yes")
        flash(_("Your choices have been saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form)
