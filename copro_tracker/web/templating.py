"""Template globals and filters: navigation, labels for coded values, dates in plain English."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import labels
from ..permissions import can


def nav_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    items = [(_("Dashboard"), "main.dashboard"), (_("Initiatives"), "initiatives.list_initiatives")]
    if can(current_user, "coverage.view"):
        items.append((_("Coverage"), "criteria.coverage"))
    if can(current_user, "report.portfolio"):
        items.append((_("Reports"), "reports.index"))
    if can(current_user, "members.view"):
        items.append((_("People"), "admin.members"))
    if can(current_user, "audit.admin"):
        items.append((_("Audit trail"), "audit.admin_audit"))
    items.append((_("Your profile"), "auth.profile"))
    current = request.endpoint or ""
    return [
        {
            "text": text,
            "href": url_for(endpoint),
            "active": current.startswith(endpoint.rsplit(".", 1)[0] + ".") and current == endpoint,
        }
        for text, endpoint in items
    ]


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B %Y')}"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{format_date(value)} at {value.strftime('%H:%M')} UTC"


def init_template_helpers(app: Flask) -> None:
    app.add_template_global(nav_items)
    app.add_template_global(can)
    app.add_template_global(labels, "labels")
    app.add_template_global(lambda: str(get_locale() or "en"), "current_locale")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(lambda key, mapping: labels.label(mapping, key), "label")
