"""Configuration classes, read from the environment.

`create_app()` picks one by name (FLASK_CONFIG or the argument). Production refuses to start
without SECRET_KEY, DATABASE_URL and BASE_URL, or with a rate-limit store that each worker keeps to
itself, rather than falling back to an insecure default.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"
# Rate-limit stores every worker and server share. memory:// counts per process, so N workers allow
# N times the limit.
SHARED_RATE_LIMIT_STORES = ("redis://", "rediss://", "redis+unix://", "redis+sentinel://", "redis+cluster://")

PROXY_FIX_SETTINGS = (
    "PROXY_FIX_X_FOR",
    "PROXY_FIX_X_PROTO",
    "PROXY_FIX_X_HOST",
    "PROXY_FIX_X_PORT",
    "PROXY_FIX_X_PREFIX",
)


def database_url(value: str | None) -> str | None:
    """Accept the usual postgresql:// form and use the psycopg 3 driver we install."""
    if value and value.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


class Config:
    SERVICE_NAME = "Co-production Tracker"
    # The public address people reach the service at. Every link in an email or shown for sharing is
    # built from it, never from the Host header a request happens to carry (web/urls.py).
    BASE_URL: str | None = os.environ.get("BASE_URL")
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # Nothing a request does may wait long: a held lock gives up after DB_LOCK_TIMEOUT_MS (PostgreSQL
    # lock_timeout, SQLite busy_timeout), any one statement after DB_STATEMENT_TIMEOUT_MS, and the person
    # sees "the service is busy, try again" (503) with nothing saved. Both stay well under gunicorn's worker
    # timeout (gunicorn.conf.py, 30 s), so the database gives up before the worker is killed mid-request.
    # They apply to web requests; the command line (migrations, backups, verify) may take longer.
    DB_LOCK_TIMEOUT_MS = int(os.environ.get("DB_LOCK_TIMEOUT_MS", "5000"))
    DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "15000"))
    # A transaction a stuck worker leaves open would hold its locks until the worker dies: end it sooner.
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = int(os.environ.get("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", "20000"))
    DB_CONNECT_TIMEOUT_S = int(os.environ.get("DB_CONNECT_TIMEOUT_S", "5"))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "copro_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; logout rotates both

    BABEL_DEFAULT_LOCALE = "en"
    # Times are stored in UTC and shown as people in the UK read a clock (GMT or BST).
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "copro_tracker" / "translations")
    LANGUAGES = ("en", "cy")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Starts every counter's name in that store: services (or test runs) sharing one Redis keep apart.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "copro")
    # Behind a reverse proxy: how many proxies in front of the app set each X-Forwarded-* header (werkzeug's
    # ProxyFix). 0, the default, ignores the header, so a client cannot pick its own address: the sign-in
    # limit counts per client address, and with X-Forwarded-For trusted blindly anyone could claim a new
    # one per attempt. Set PROXY_FIX_X_FOR=1 (and PROXY_FIX_X_PROTO=1) for one proxy, 2 for two (a load
    # balancer and nginx), and so on: exactly as many as there are.
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))
    PROXY_FIX_X_PROTO = int(os.environ.get("PROXY_FIX_X_PROTO", "0"))
    PROXY_FIX_X_HOST = int(os.environ.get("PROXY_FIX_X_HOST", "0"))
    PROXY_FIX_X_PORT = int(os.environ.get("PROXY_FIX_X_PORT", "0"))
    PROXY_FIX_X_PREFIX = int(os.environ.get("PROXY_FIX_X_PREFIX", "0"))
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

    # Background jobs (copro_tracker/jobs): where queued jobs wait. Unset: a SQLite file under instance/,
    # enough for one machine; redis://host:6379/1 when several servers share the work.
    JOBS_URL = os.environ.get("JOBS_URL") or None
    # The queue's name in that store: two services (or test runs) sharing one Redis keep their jobs apart.
    JOBS_QUEUE_NAME = os.environ.get("JOBS_QUEUE_NAME") or "copro-tracker"
    # Run each job at once inside the call that queues it (tests), instead of through a worker.
    JOBS_IMMEDIATE = os.environ.get("JOBS_IMMEDIATE", "0") == "1"
    JOBS_WORKERS = int(os.environ.get("JOBS_WORKERS", "2"))
    # The worker's CPU priority is lowered by this much (0 to 19): people's pages come before background work.
    JOBS_NICE = int(os.environ.get("JOBS_NICE", "10"))
    # "idle": Linux runs the worker only on CPU time the web workers leave (copro_tracker/jobs/priority.py);
    # "nice": the nice value alone, for a worker on a machine of its own that should not wait for others.
    JOBS_CPU_POLICY = os.environ.get("JOBS_CPU_POLICY", "idle")

    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024
    # An upload over MAX_CONTENT_LENGTH is read through (not kept) so its form comes back with what was typed;
    # beyond this the request is refused with the 413 page, so one upload cannot hold a worker for ever.
    UPLOAD_READ_CEILING = int(os.environ.get("UPLOAD_READ_CEILING_MB", "512")) * 1024 * 1024
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR", str(INSTANCE / "evidence"))
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(INSTANCE / "backups"))
    # `flask storage sweep` leaves files younger than this alone: an upload may be between writing its file
    # and committing its row on another worker. Far longer than any request may take (gunicorn's timeout).
    STORAGE_SWEEP_GRACE_MINUTES = float(os.environ.get("STORAGE_SWEEP_GRACE_MINUTES", "60"))
    # Where files are kept (copro_tracker/storage): "local" folders (EVIDENCE_DIR for evidence, STORAGE_DIR
    # for other areas), or "s3", an S3-compatible bucket every server shares. The S3 credentials may also
    # come from boto3's own chain (AWS_* variables, an instance or task role): leave the two keys unset.
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
    STORAGE_DIR = os.environ.get("STORAGE_DIR", str(INSTANCE / "storage"))
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None  # unset for AWS; MinIO and others: their URL
    S3_REGION = os.environ.get("S3_REGION") or None
    S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID") or None
    S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY") or None
    # Give up on a bucket that does not answer well inside gunicorn's 30 s worker timeout.
    S3_CONNECT_TIMEOUT_S = float(os.environ.get("S3_CONNECT_TIMEOUT_S", "5"))
    S3_READ_TIMEOUT_S = float(os.environ.get("S3_READ_TIMEOUT_S", "10"))
    # "path" or "virtual"; by default path-style with S3_ENDPOINT_URL (MinIO and most others), else boto3's choice
    S3_ADDRESSING_STYLE = os.environ.get("S3_ADDRESSING_STYLE") or None
    AUDIT_KEY_FILE = os.environ.get("AUDIT_KEY_FILE", str(INSTANCE / "audit-signing-key.pem"))
    AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY")  # PEM; wins over the key file
    AUDIT_CREATE_KEY = False
    # Every checkpoint is also copied into the file store's "checkpoints" area (audit/copies.py: the S3 bucket
    # in production). `flask audit verify` checks each chain against the newest copy, so deleting the
    # database's checkpoints and cutting the chain's end, or restoring an older backup, is still caught.
    AUDIT_CHECKPOINT_COPIES = os.environ.get("AUDIT_CHECKPOINT_COPIES", "1") == "1"
    # Before copies went through the store they were files in this folder. Still honoured: it keeps the
    # copies on, is the area's folder on the local backend, and the copies it already holds are still read.
    AUDIT_CHECKPOINT_DIR = os.environ.get("AUDIT_CHECKPOINT_DIR") or None
    # Local backend only: a folder of its own for an area, e.g. write-once storage for the checkpoint copies.
    STORAGE_AREA_DIRS = {"checkpoints": AUDIT_CHECKPOINT_DIR} if AUDIT_CHECKPOINT_DIR else {}
    # Verifying a long chain shares its events between this many processes (audit/ranges.py), from this
    # many events on: below it, starting a worker costs more than it saves. 1 verifies in one process.
    AUDIT_VERIFY_PROCESSES = int(os.environ.get("AUDIT_VERIFY_PROCESSES") or min(os.cpu_count() or 1, 4))
    AUDIT_VERIFY_PARALLEL_FROM = int(os.environ.get("AUDIT_VERIFY_PARALLEL_FROM", "100000"))

    SHARE_LINK_RATE_LIMIT = os.environ.get("SHARE_LINK_RATE_LIMIT", "60 per minute")

    REQUIRED: tuple[str, ...] = ()

    @classmethod
    def validate(cls, cfg: dict) -> None:
        """Refuse to start on a missing or unsafe setting, naming it; derive settings that follow from others."""
        missing = [name for name in cls.REQUIRED if not cfg.get(name)]
        if missing:
            raise RuntimeError(f"Refusing to start: set {', '.join(missing)} in the environment.")
        base = urlsplit(cfg.get("BASE_URL") or "")
        if base.scheme not in ("http", "https") or not base.hostname or base.query or base.fragment:
            raise RuntimeError(
                f"Refusing to start: BASE_URL must be the service's public address, like "
                f"https://copro.example.gov.uk (got {cfg.get('BASE_URL')!r})."
            )
        hops = {name: cfg.get(name, 0) for name in PROXY_FIX_SETTINGS}
        if not all(isinstance(value, int) and value >= 0 for value in hops.values()):
            raise RuntimeError(
                f"Refusing to start: the PROXY_FIX_X_* settings must be whole numbers from 0 (got {hops})."
            )
        backend = cfg.get("STORAGE_BACKEND") or "local"
        if backend not in ("local", "s3"):
            raise RuntimeError(f"Refusing to start: STORAGE_BACKEND must be local or s3 (got {backend!r}).")
        if backend == "s3" and not cfg.get("S3_BUCKET"):
            raise RuntimeError("Refusing to start: STORAGE_BACKEND is s3, so set S3_BUCKET in the environment.")


class DevelopmentConfig(Config):
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")  # where `make run` serves
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL")) or f"sqlite:///{INSTANCE / 'copro.sqlite'}"
    SESSION_COOKIE_SECURE = False
    MAIL_LOG_LINKS = True
    AUDIT_CREATE_KEY = True


class TestingConfig(Config):
    TESTING = True
    BASE_URL = "http://127.0.0.1:5000"
    SECRET_KEY = "test-only-not-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL")) or "sqlite://"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False  # a dedicated test turns it back on
    LOGIN_RATE_LIMIT = "10000 per minute"  # a dedicated test sets the real limit
    MAIL_SERVER = None
    AUDIT_SIGNING_KEY = None
    AUDIT_CREATE_KEY = True
    AUDIT_CHECKPOINT_COPIES = False  # dedicated tests turn them on
    AUDIT_CHECKPOINT_DIR = None
    STORAGE_AREA_DIRS: dict[str, str] = {}
    JOBS_IMMEDIATE = os.environ.get("JOBS_IMMEDIATE", "1") == "1"  # a dedicated test runs a real worker
    SERVER_NAME = None


class ProductionConfig(Config):
    REQUIRED = ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "BASE_URL", "RATELIMIT_STORAGE_URI")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI")

    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, for Path=/ and has no
    # Domain, so a sibling subdomain cannot plant or overwrite it.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    # Sign-in never sets Flask-Login's remember cookie; if it ever does, the same rules hold.
    REMEMBER_COOKIE_NAME = "__Host-remember"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_PATH = "/"
    REMEMBER_COOKIE_DOMAIN = None

    @classmethod
    def validate(cls, cfg: dict) -> None:
        super().validate(cfg)
        base = urlsplit(cfg["BASE_URL"])
        if base.scheme != "https":
            raise RuntimeError(
                f"Refusing to start: BASE_URL must start with https:// in production (got {cfg['BASE_URL']!r}); "
                "the session cookie is only ever sent over HTTPS."
            )
        if not cfg["RATELIMIT_STORAGE_URI"].startswith(SHARED_RATE_LIMIT_STORES):
            raise RuntimeError(
                "Refusing to start: RATELIMIT_STORAGE_URI must be a store every worker shares, like "
                f"redis://127.0.0.1:6379/0 (got {cfg['RATELIMIT_STORAGE_URI']!r}); "
                "with memory:// each worker counts separately and the sign-in limits multiply."
            )
        _require_audit_key(cfg)
        # A request for any other host is refused (400), so nothing can be built from a forged Host header.
        if cfg.get("TRUSTED_HOSTS") is None:
            cfg["TRUSTED_HOSTS"] = [base.hostname]


def _require_audit_key(cfg: dict) -> None:
    """Refuse to start without a usable audit signing key: every checkpoint and evidence report is signed
    with it, so without one each report page would fail rather than the service not starting."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pem = cfg.get("AUDIT_SIGNING_KEY")
    where = "AUDIT_SIGNING_KEY" if pem else f"the file {cfg.get('AUDIT_KEY_FILE')} (AUDIT_KEY_FILE)"
    make_one = (
        "Make one, outside the database and its backups, with "
        "'AUDIT_KEY_FILE=/etc/copro-tracker/audit-signing-key.pem flask --app copro_tracker audit public-key --create' "
        "(run without FLASK_CONFIG=production), then set AUDIT_KEY_FILE to it and publish the public key it prints."
    )
    try:
        data = pem.encode("ascii") if pem else Path(cfg.get("AUDIT_KEY_FILE") or "").read_bytes()
        key = serialization.load_pem_private_key(data, password=None)
    except (FileNotFoundError, IsADirectoryError):
        raise RuntimeError(
            "Refusing to start: there is no audit signing key (set AUDIT_SIGNING_KEY or AUDIT_KEY_FILE; "
            f"{where} does not exist). Every audit checkpoint and evidence report is signed with it. {make_one}"
        ) from None
    except OSError as error:
        raise RuntimeError(f"Refusing to start: cannot read the audit signing key in {where}: {error}.") from None
    except (ValueError, TypeError, UnicodeEncodeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(
            f"Refusing to start: {where} is not an unencrypted Ed25519 private key in PEM (PKCS#8) form. {make_one}"
        )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
