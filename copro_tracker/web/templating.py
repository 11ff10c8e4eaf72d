"""Template globals and filters: navigation, labels for coded values, dates (from ..formatting)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, g, request, url_for
from flask_babel import force_locale, get_locale, get_translations, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from .. import labels
from ..criteria.framework import has_welsh, welsh_or_english
from ..domain.payments import pounds
from ..extensions import db
from ..formatting import format_date, format_datetime, format_number
from ..permissions import can

# The service navigation: (text, endpoint, the role-level action that shows it, or None for everyone).
_NAV = (
    (_l("Dashboard"), "main.dashboard", None),
    (_l("Initiatives"), "initiatives.list_initiatives", None),
    (_l("Coverage"), "criteria.coverage", "coverage.view"),
    (_l("Reports"), "reports.index", "report.portfolio"),
    (_l("Payments"), "payments.finance_export", "payment.export"),
    (_l("People"), "admin.members", "members.view"),
    (_l("Audit trail"), "audit.admin_audit", "audit.admin"),
    (_l("Notifications"), "notifications.index", None),
    (_l("Your profile"), "auth.profile", None),
)


def unread_notifications() -> int:
    """The signed-in person's unread notifications: read with the person by the sign-in loader (no statement
    of its own); counted here once only when the person was signed in some other way during the request."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        from ..notifications.service import unread_count_of

        g.unread_notifications = db.session.scalar(sa.select(unread_count_of(current_user._get_current_object())))
    return g.unread_notifications


def nav_items() -> list[dict]:
    """The signed-in person's navigation, worked out once per request (layouts may ask more than once)."""
    if "nav_items" in g:
        return g.nav_items
    items: list[dict] = []
    if current_user.is_authenticated:
        current = request.endpoint or ""
        for text, endpoint, action in _NAV:
            if action is None or can(current_user, action):
                item = {"text": str(text), "href": url_for(endpoint), "active": current == endpoint, "count": 0}
                if endpoint == "notifications.index":
                    item["count"] = unread_notifications()
                items.append(item)
    g.nav_items = items
    return items


def catalogue():
    """The request's translations, found once per language per request for the templates' `_` and `ngettext`.

    Flask-Babel's own template callables look the catalogue up again on every call (four context lookups and
    the locale's name spelled out): a third of rendering the overview's 100-row table. The cache is kept on
    Flask-Babel's request context beside the locale object it was found for, so `force_locale` (a new locale
    object) and `refresh` (which drops the locale) get a fresh catalogue."""
    context = g.get("_flask_babel")
    locale = getattr(context, "babel_locale", None)
    cached = getattr(context, "copro_catalogue", None)
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    context = g.get("_flask_babel")
    if context is not None:
        context.copro_catalogue = (get_locale(), translations)
    return translations


def in_language(code: str, text: str) -> str:
    """`text` translated into `code`, whatever the page's language (for the bilingual language offer)."""
    with force_locale(code):
        return gettext(text)


def localized_text(item: object, name: str) -> str:
    """A framework's or criterion's text in the page's language (for attributes: no markup)."""
    return welsh_or_english(item, name, str(get_locale() or "en")) or ""


def localized(item: object, name: str) -> Markup:
    """The same text for the page body. When the Welsh text is not written yet, the English shown in its
    place is marked lang="en", so screen readers pronounce it as English and the Welsh check can tell
    untranslated content from interface words that were missed."""
    text = localized_text(item, name)
    if str(get_locale() or "en") == "cy" and text and not has_welsh(item, name):
        return Markup('<span lang="en" data-untranslated="framework">%s</span>') % text
    return Markup.escape(text)


def english(text: object) -> Markup:
    """Text that exists only in English (the names of English-language laws and guidance, as cited), marked
    lang="en" on a Welsh page so it is read out as English and not mistaken for an untranslated word."""
    if str(get_locale() or "en") == "cy" and text:
        return Markup('<span lang="en" data-untranslated="source">%s</span>') % text
    return Markup.escape(text or "")


# Stands for the row's id while a table's link is built: no real id is this large.
_ROW_ID = 987_654_321_987


@dataclass(frozen=True)
class RowUrl:
    """A table's link to each row's record, as the text around the row's id: `row_url(id)`."""

    before: str
    after: str

    def __call__(self, row_id: int) -> str:
        return f"{self.before}{int(row_id)}{self.after}"


def row_url(endpoint: str, row_id: str, **values: object) -> RowUrl:
    """The URL of `endpoint` for each row of a table, built once per table: url_for on every row was a large
    share of rendering a long list (URL building goes through the routing map each time). `row_id` names
    the integer argument the rows differ by; the others are the same for every row. Integer ids need no
    quoting, so joining the text around one gives exactly what url_for would."""
    url = url_for(endpoint, **values, **{row_id: _ROW_ID})
    before, found, after = url.partition(str(_ROW_ID))
    if not found or str(_ROW_ID) in after:
        raise ValueError(f"{row_id} is not once in the URL of {endpoint}")
    return RowUrl(before, after)


def init_template_helpers(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: catalogue().ugettext(text),
        ngettext=lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, text: catalogue().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(context, singular, plural, n),
    )
    app.add_template_global(nav_items)
    app.add_template_global(row_url)
    app.add_template_global(unread_notifications)
    app.add_template_global(can)
    app.add_template_global(labels, "labels")
    app.add_template_global(labels.service_name)
    app.add_template_global(in_language)
    app.add_template_filter(localized)
    app.add_template_filter(localized_text)
    app.add_template_filter(english)
    app.add_template_global(lambda: str(get_locale() or "en"), "current_locale")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(lambda key, mapping: labels.label(mapping, key), "label")
    app.add_template_filter(labels.message, "message")
    app.add_template_filter(labels.reason_text, "reason_text")
    app.add_template_filter(pounds, "pounds")
