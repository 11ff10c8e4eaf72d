"""Friendly error pages in the service's own words, for every status a person might meet.

Server errors (500, and 503 when the database is unreachable or busy) render in a minimal layout
that never loads the signed-in person, their organisation or the navigation: those all come from the
database, and an error page that needs the database turns an outage into the web server's bare
"Internal Server Error". The 4xx pages keep the full layout while it can be rendered, and fall back
to the minimal one when it cannot.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from ..extensions import db, login_manager

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
    # Something the service needs other than its database (the file store) is not answering.
    503: (
        _l("Sorry, the service is unavailable"),
        _l("Part of the service is not working at the moment. Try again in a few minutes."),
    ),
}

# What a person is told when the database cannot answer, and how long a browser or script should wait.
UNAVAILABLE = {
    "unavailable": (
        _l("Sorry, the service is unavailable"),
        _l("The service is unavailable at the moment because it cannot reach its records. Try again in a minute."),
        30,
    ),
    "busy": (
        _l("Sorry, the service is busy"),
        _l("Someone else was saving to the same records and the service could not wait any longer. Try again."),
        5,
    ),
}

# SQLite reports every failure as OperationalError; only these mean "try again later" rather than a bug
# (a missing table or a syntax error is a bug and stays a 500).
_SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")
_SQLITE_UNAVAILABLE = (
    "unable to open database",
    "disk i/o error",
    "database or disk is full",
    "readonly database",
    "locking protocol",
)
# PostgreSQL SQLSTATEs that mean "we gave up waiting": lock_timeout, statement_timeout, a serialisation
# failure and a deadlock. Every other OperationalError from psycopg is a lost or refused connection,
# a server shutting down or out of resources: the database is unavailable.
_POSTGRES_BUSY = {"55P03", "57014", "40001", "40P01"}


def database_fault(error: BaseException) -> str | None:
    """'busy' or 'unavailable' for a database error that will pass if tried again later; None for a bug."""
    if isinstance(error, sa.exc.TimeoutError):  # no pooled connection freed up in time
        return "busy"
    if isinstance(error, sa.exc.InterfaceError):
        return "unavailable"
    if not isinstance(error, sa.exc.DBAPIError):
        return None
    if error.connection_invalidated:
        return "unavailable"
    if not isinstance(error, sa.exc.OperationalError):
        return None
    original = error.orig
    if isinstance(original, sqlite3.Error):
        text = str(original).lower()
        if any(marker in text for marker in _SQLITE_BUSY):
            return "busy"
        if any(marker in text for marker in _SQLITE_UNAVAILABLE):
            return "unavailable"
        return None
    return "busy" if getattr(original, "sqlstate", None) in _POSTGRES_BUSY else "unavailable"


def _forget_database_work() -> None:
    """End the failed transaction without letting a dead connection raise again."""
    try:
        db.session.rollback()
    except Exception:  # noqa: S110 - the connection is already gone; the pool discards it
        pass


def _typed_values() -> list[tuple[str, str]]:
    """What the person typed into the form they sent (not the CSRF token), to re-send or copy."""
    if request.method != "POST":
        return []
    try:
        items = request.form.items(multi=True)
        return [(name, value) for name, value in items if name != "csrf_token"]
    except Exception:  # an unreadable body has nothing to keep
        return []


def render_minimal(code: int, title: str, body: str, **context: object) -> Response:
    # Flask-Login's template context (and anything else that asks for current_user from here on) loads
    # the person from the database unless one is already set: set nobody, so nothing tries.
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()
    response = current_app.make_response(
        (
            render_template("errors/minimal.html", code=code, title=title, body=body, **context),
            code,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def unavailable_response(kind: str) -> Response:
    g.database_unavailable = True
    title, body, retry_after = UNAVAILABLE[kind]
    typed = _typed_values()
    response = render_minimal(
        503,
        str(title),
        str(body),
        kind=kind,
        typed=typed,
        had_files=request.method == "POST" and bool(request.files),
        retry_url=request.full_path if request.method == "GET" else request.path,
        csrf_value=request.form.get("csrf_token", "") if request.method == "POST" else "",
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


def init_error_pages(app: Flask) -> None:
    def render(code: int):
        title, body = MESSAGES[code]
        if code >= 500 or g.get("database_unavailable"):
            return render_minimal(code, str(title), str(body))
        try:
            return render_template("errors/error.html", code=code, title=title, body=body), code
        except Exception:  # the full layout needs the database (the signed-in person, the menu)
            app.logger.warning("Error page %s fell back to the minimal layout", code, exc_info=True)
            _forget_database_work()
            g.database_unavailable = True
            return render_minimal(code, str(title), str(body))

    for code in MESSAGES:
        if code == 500:
            continue
        app.register_error_handler(code, lambda e, code=code: render(code))

    @app.errorhandler(500)
    def internal_error(error: Exception):
        _forget_database_work()
        return render(500)

    def database_error(error: sa.exc.SQLAlchemyError):
        kind = database_fault(error)
        if kind is None:
            raise error  # a bug, not an outage: logged and shown as the 500 page
        _forget_database_work()
        app.logger.warning("Database %s on %s %s: %s", kind, request.method, request.path, error.__class__.__name__)
        return unavailable_response(kind)

    for error_class in (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError):
        app.register_error_handler(error_class, database_error)

    # Registered after Flask-SQLAlchemy's, so it runs first. A connection lost after the response was made
    # (the session's closing ROLLBACK fails) must not turn that finished page into the server's bare 500.
    @app.teardown_appcontext
    def end_session(_error: BaseException | None) -> None:
        try:
            db.session.remove()
        except sa.exc.SQLAlchemyError as error:
            if database_fault(error) is None:
                raise
            app.logger.warning("Database connection lost while ending a request: %s", error.__class__.__name__)
            db.session.registry.clear()

    @app.errorhandler(HTTPException)
    def other_http_error(error: HTTPException):
        code = error.code or 500
        if code in MESSAGES:
            return render(code)
        return error
