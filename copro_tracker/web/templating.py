"""Template globals and filters: navigation, labels for coded values, dates (from ..formatting)."""

from __future__ import annotations

from flask import Flask, g, request, url_for
from flask_babel import force_locale, get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import labels
from ..formatting import format_date, format_datetime, format_number
from ..permissions import can

# The service navigation: (text, endpoint, the role-level action that shows it, or None for everyone).
_NAV = (
    (_l("Dashboard"), "main.dashboard", None),
    (_l("Initiatives"), "initiatives.list_initiatives", None),
    (_l("Coverage"), "criteria.coverage", "coverage.view"),
    (_l("Reports"), "reports.index", "report.portfolio"),
    (_l("People"), "admin.members", "members.view"),
    (_l("Audit trail"), "audit.admin_audit", "audit.admin"),
    (_l("Your profile"), "auth.profile", None),
)


def nav_items() -> list[dict]:
    """The signed-in person's navigation, worked out once per request (layouts may ask more than once)."""
    if "nav_items" in g:
        return g.nav_items
    items: list[dict] = []
    if current_user.is_authenticated:
        current = request.endpoint or ""
        for text, endpoint, action in _NAV:
            if action is None or can(current_user, action):
                items.append({"text": str(text), "href": url_for(endpoint), "active": current == endpoint})
    g.nav_items = items
    return items


def in_language(code: str, text: str) -> str:
    """`text` translated into `code`, whatever the page's language (for the bilingual language offer)."""
    with force_locale(code):
        return gettext(text)


def init_template_helpers(app: Flask) -> None:
    app.add_template_global(nav_items)
    app.add_template_global(can)
    app.add_template_global(labels, "labels")
    app.add_template_global(labels.service_name)
    app.add_template_global(in_language)
    app.add_template_global(lambda: str(get_locale() or "en"), "current_locale")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(lambda key, mapping: labels.label(mapping, key), "label")
    app.add_template_filter(labels.message, "message")
    app.add_template_filter(labels.reason_text, "reason_text")
