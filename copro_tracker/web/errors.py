"""Friendly error pages in the service's own layout, for every status a person might meet."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from ..extensions import db

MESSAGES = {
    400: (
        _l("Sorry, there is a problem with that request"),
        _l("The page could not understand what was sent. Go back and try again."),
    ),
    403: (
        _l("You do not have permission to see this page"),
        _l("If you think you should, ask your organisation's admin."),
    ),
    404: (
        _l("Page not found"),
        _l("If you typed the web address, check it is correct. If you pasted it, check you copied all of it."),
    ),
    405: (_l("Sorry, that action is not allowed here"), _l("Go back and use the buttons on the page.")),
    413: (_l("The file is too large"), _l("Choose a smaller file and try again.")),
    429: (_l("Too many attempts"), _l("Wait a minute, then try again.")),
    500: (
        _l("Sorry, there is a problem with the service"),
        _l("Try again later. Nothing you had already saved has been lost."),
    ),
}


def init_error_pages(app: Flask) -> None:
    def render(code: int):
        title, body = MESSAGES[code]
        return render_template("errors/error.html", code=code, title=title, body=body), code

    for code in MESSAGES:
        if code == 500:
            continue
        app.register_error_handler(code, lambda e, code=code: render(code))

    @app.errorhandler(500)
    def internal_error(error: Exception):
        db.session.rollback()
        return render(500)

    @app.errorhandler(HTTPException)
    def other_http_error(error: HTTPException):
        code = error.code or 500
        if code in MESSAGES:
            return render(code)
        return error
