"""Small helpers shared by views for showing service errors GOV.UK-style on a form."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for
from wtforms import Form


def add_error(form: Form, message: str, field: str | None = None) -> None:
    """Attach a message to a field so it appears inline and in the error summary, linked to the field."""
    target = form._fields.get(field) if field else None
    if target is None:
        target = next(f for f in form if f.type not in ("CSRFTokenField", "SubmitField", "HiddenField"))
    target.errors = [*list(target.errors or []), message]


def safe_next(default_endpoint: str = "main.dashboard") -> str:
    """Only follow a ?next= that stays on this site (no open redirects)."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme:
        return target
    return url_for(default_endpoint)
