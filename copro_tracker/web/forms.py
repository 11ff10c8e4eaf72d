"""Small helpers shared by views for showing service errors GOV.UK-style on a form."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import request, url_for
from flask_babel import gettext as _
from wtforms import Form


def add_error(form: Form, message: str, field: str | None = None) -> None:
    """Attach a message to a field so it appears inline and in the error summary, linked to the field."""
    target = form._fields.get(field) if field else None
    if target is None:
        target = next(f for f in form if f.type not in ("CSRFTokenField", "SubmitField", "HiddenField"))
    target.errors = [*list(target.errors or []), message]


def show_conflict(form: Form, error: Exception, saved_version: int, field: str | None = None) -> None:
    """Someone else saved first: the form keeps what this person typed, takes the saved version (so the next
    save is checked against what they can now see) and says what happened."""
    form.version.data = str(saved_version)
    add_error(form, _("%(error)s. Check what is saved now, then save again.", error=_(str(error))), field)


def is_local_path(target: str) -> bool:
    """A path on this site and nothing else.

    Control characters (CR/LF would split the Location header) and backslashes (browsers read "/\\host"
    as "//host") make a target unsafe, however the rest of it looks.
    """
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(unicodedata.category(ch).startswith("C") for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.netloc and not parts.scheme


def safe_next(default_endpoint: str = "main.dashboard") -> str:
    """Only follow a ?next= that stays on this site (no open redirects); anything else goes to the default."""
    target = request.args.get("next", "")
    return target if is_local_path(target) else url_for(default_endpoint)
