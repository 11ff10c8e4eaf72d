"""The application factory. Wiring only; no logic lives here."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, g, request, session
from flask_login import current_user
from flask_sqlalchemy.session import Session as FlaskSession

from config import CONFIGS, Config

from .extensions import babel, csrf, db, limiter, migrate

ROOT = Path(__file__).resolve().parent.parent


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in ("en", "cy"):
        return chosen
    # The person's own choice lives in the database: an error page about the database must not ask it.
    if not g.get("database_unavailable"):
        try:
            if current_user and current_user.is_authenticated:
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

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)

    from .audit import capture
    from .auth.session import init_login

    init_login(app)
    capture.install(FlaskSession)
    _configure_sqlite(app)

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

    from . import activities, admin, auth, initiatives, main, outputs, reports
    from .audit import views as audit_views
    from .criteria import views as criteria_views

    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(initiatives.bp)
    app.register_blueprint(activities.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(outputs.bp)
    app.register_blueprint(criteria_views.bp)
    app.register_blueprint(reports.bp)
    app.extensions["invitation_hooks"] = [initiatives.service.attach_invitation]

    from .criteria.framework import default_library

    # Fail at start-up, naming file, criterion and problem, rather than on the first criteria page.
    app.extensions["criteria_library"] = default_library()

    from .cli import register_cli

    register_cli(app)
    return app


def _configure_sqlite(app: Flask) -> None:
    """WAL and foreign keys for SQLite: readers do not block the writer, and references are enforced."""
    import sqlalchemy as sa

    with app.app_context():
        engine = db.engine
        if engine.dialect.name != "sqlite":
            return

        @sa.event.listens_for(engine, "connect")
        def on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if engine.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()
