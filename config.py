"""Configuration classes, read from the environment.

`create_app()` picks one by name (FLASK_CONFIG or the argument). Production refuses to start
without SECRET_KEY and DATABASE_URL rather than falling back to an insecure default.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"


def database_url(value: str | None) -> str | None:
    """Accept the usual postgresql:// form and use the psycopg 3 driver we install."""
    if value and value.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


class Config:
    SERVICE_NAME = "Co-production Tracker"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "copro_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; logout rotates both

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "copro_tracker" / "translations")
    LANGUAGES = ("en", "cy")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "20 per minute"
    LOCKOUT_THRESHOLD = 5
    LOCKOUT_MINUTES = 15

    INVITATION_DAYS = 7
    RESET_HOURS = 2

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_FROM = os.environ.get("MAIL_FROM", "no-reply@copro-tracker.invalid")
    MAIL_LOG_LINKS = False  # development only: write invitation/reset emails to the log

    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR", str(INSTANCE / "evidence"))
    AUDIT_KEY_FILE = os.environ.get("AUDIT_KEY_FILE", str(INSTANCE / "audit-signing-key.pem"))
    AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY")  # PEM; wins over the key file
    AUDIT_CREATE_KEY = False

    # Evidence reports: a PDF over these sizes is refused with a pointer to HTML and CSV (WeasyPrint lays
    # out ~4-9 pages/s, and a long render would hold a worker past gunicorn's timeout).
    REPORT_PDF_MAX_ACTIVITIES = int(os.environ.get("REPORT_PDF_MAX_ACTIVITIES", "300"))
    # About 11 table rows fit a page and layout time grows faster than the page count (bench/RESULTS.md):
    # 800 rows is roughly 75 pages, about 12 s on a quiet 2-core machine.
    REPORT_PDF_MAX_ROWS = int(os.environ.get("REPORT_PDF_MAX_ROWS", "800"))
    SHARE_LINK_RATE_LIMIT = os.environ.get("SHARE_LINK_RATE_LIMIT", "60 per minute")

    REQUIRED: tuple[str, ...] = ()

    @classmethod
    def validate(cls, cfg: dict) -> None:
        missing = [name for name in cls.REQUIRED if not cfg.get(name)]
        if missing:
            raise RuntimeError(f"Refusing to start: set {', '.join(missing)} in the environment.")


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL")) or f"sqlite:///{INSTANCE / 'copro.sqlite'}"
    SESSION_COOKIE_SECURE = False
    MAIL_LOG_LINKS = True
    AUDIT_CREATE_KEY = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL")) or "sqlite://"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False  # a dedicated test turns it back on
    LOGIN_RATE_LIMIT = "10000 per minute"  # a dedicated test sets the real limit
    MAIL_SERVER = None
    AUDIT_SIGNING_KEY = None
    AUDIT_CREATE_KEY = True
    SERVER_NAME = None


class ProductionConfig(Config):
    REQUIRED = ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
