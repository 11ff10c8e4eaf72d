"""The application factory. Wiring only; no logic lives here."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request, session
from flask_login import current_user
from flask_sqlalchemy.session import Session as FlaskSession

from config import CONFIGS, PROXY_FIX_SETTINGS, Config

from .extensions import babel, csrf, db, limiter, migrate

ROOT = Path(__file__).resolve().parent.parent


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in ("en", "cy"):
        return chosen
    # The person's own choice lives in the database: an error page about the database must not ask it.
    if not g.get("database_unavailable"):
        try:
            # "Not asked yet" (None) falls through to the browser's preference.
            if current_user and current_user.is_authenticated and current_user.preferred_language:
                return current_user.preferred_language
        except sa.exc.SQLAlchemyError:
            g.database_unavailable = True
    return request.accept_languages.best_match(["en", "cy"]) or "en"


def create_app(config: str | type[Config] | None = None, **overrides: object) -> Flask:
    if config is None or isinstance(config, str):
        config = CONFIGS[config or os.environ.get("FLASK_CONFIG", "development")]
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config)
    app.config.update(overrides)
    config.validate(app.config)
    Path(app.instance_path).mkdir(exist_ok=True)
    _engine_options(app)
    _trust_proxies(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)

    from .audit import capture
    from .audit import service as audit_service
    from .auth.session import init_login

    init_login(app)
    capture.install(FlaskSession)
    audit_service.install(FlaskSession)
    from .criteria import stored as stored_findings

    stored_findings.install(app, FlaskSession)
    _configure_sqlite(app)
    _install_request_timeouts()

    from . import jobs

    jobs.init_app(app)

    from .web.errors import init_error_pages
    from .web.govuk import init_templating
    from .web.security import init_security_headers, refuse_untrusted_hosts
    from .web.templating import init_template_helpers

    init_templating(app, ROOT / "templates")
    init_template_helpers(app)
    init_security_headers(app)
    refuse_untrusted_hosts(app)
    init_error_pages(app)

    from .web.routing import DatabaseIdConverter

    # Every <int:...> in a URL is a database id: one too large for the column is simply not found.
    app.url_map.converters["int"] = DatabaseIdConverter

    from . import (
        activities,
        admin,
        auth,
        equality,
        initiatives,
        main,
        notifications,
        outputs,
        payments,
        people,
        retention,
    )
    from .audit import views as audit_views
    from .criteria import views as criteria_views
    from .reports import views as reports_views

    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(initiatives.bp)
    app.register_blueprint(activities.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(outputs.bp)
    app.register_blueprint(payments.bp)
    app.register_blueprint(criteria_views.bp)
    app.register_blueprint(reports_views.bp)
    app.register_blueprint(people.bp)
    app.register_blueprint(equality.bp)
    app.register_blueprint(retention.bp)
    app.register_blueprint(notifications.bp)
    app.extensions["invitation_hooks"] = [initiatives.service.attach_invitation]

    from .criteria.framework import default_library

    # Fail at start-up, naming file, criterion and problem, rather than on the first criteria page.
    app.extensions["criteria_library"] = default_library()

    from .cli import register_cli

    register_cli(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Take the client's address, scheme and host from X-Forwarded-* only as far back as the configured
    proxies set them (config.py, PROXY_FIX_*); with none configured the headers are ignored."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = {name.removeprefix("PROXY_FIX_").lower(): app.config.get(name, 0) for name in PROXY_FIX_SETTINGS}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)  # type: ignore[method-assign]


# Requests that change something: on SQLite their transactions take the write lock when they begin.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _begin_sqlite(connection: sa.Connection) -> None:
    """BEGIN IMMEDIATE for a write request's transactions on SQLite; every other transaction stays deferred.

    A deferred transaction reads first and asks for the write lock at its first write. If another writer
    committed since its first read, SQLite refuses the upgrade at once ("database is locked"): busy_timeout
    cannot help, since waiting would not make its snapshot current. Taking the write lock at BEGIN makes
    concurrent write requests queue on busy_timeout instead, each then reading the other's committed rows.
    Reads (and the command line, and migrations, which manage their own BEGIN) keep deferred transactions,
    which under WAL never wait for a writer. Python's sqlite3 sees the open transaction and adds no BEGIN.
    Not when jobs run at once (JOBS_IMMEDIATE, the test suite): a job queued by the request then runs inside
    it on a connection of its own, and would wait for the request's write lock until busy_timeout.
    """
    if has_request_context() and request.method in WRITE_METHODS and not current_app.extensions.get("jobs.immediate"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _configure_sqlite(app: Flask) -> None:
    """WAL and foreign keys for SQLite: readers do not block the writer, and references are enforced;
    write requests take the write lock when their transaction begins (_begin_sqlite)."""
    import sqlalchemy as sa

    with app.app_context():
        engine = db.engine
        if engine.dialect.name != "sqlite":
            return
        sa.event.listen(engine, "begin", _begin_sqlite)

        @sa.event.listens_for(engine, "connect")
        def on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if engine.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
            # Writers wait this long for each other, then the request answers "busy, try again".
            cursor.execute(f"PRAGMA busy_timeout={int(app.config['DB_LOCK_TIMEOUT_MS'])}")
            cursor.close()


def _engine_options(app: Flask) -> None:
    """A PostgreSQL that does not answer is given up on after DB_CONNECT_TIMEOUT_S, not the OS's minutes."""
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or ""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})  # never mutate the class's dict
    if str(url).startswith("postgresql"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", app.config["DB_CONNECT_TIMEOUT_S"])
        options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _set_request_timeouts(_session, _transaction, connection) -> None:
    """PostgreSQL lock, statement and idle-in-transaction timeouts for each transaction a web request opens.

    Set with set_config(..., is_local => true), so they end with the transaction and never reach the
    command line's work on a pooled connection. SQLite's equivalent (busy_timeout) is set per connection.
    """
    from flask import current_app, has_request_context

    if connection.dialect.name != "postgresql" or not has_request_context():
        return
    config = current_app.config
    connection.exec_driver_sql(
        "SELECT set_config('lock_timeout', %(lock)s, true), set_config('statement_timeout', %(statement)s, true), "
        "set_config('idle_in_transaction_session_timeout', %(idle)s, true)",
        {
            "lock": str(int(config["DB_LOCK_TIMEOUT_MS"])),
            "statement": str(int(config["DB_STATEMENT_TIMEOUT_MS"])),
            "idle": str(int(config["DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"])),
        },
    )


def _install_request_timeouts() -> None:
    import sqlalchemy as sa

    # One listener for the session class, however many apps a process makes (tests make several).
    if not sa.event.contains(FlaskSession, "after_begin", _set_request_timeouts):
        sa.event.listen(FlaskSession, "after_begin", _set_request_timeouts)
