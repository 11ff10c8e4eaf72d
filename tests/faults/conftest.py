"""Fixtures that break things on purpose: a database that goes away, a store that fills up.

Every test module here sets `pytestmark = pytest.mark.faults` (run by `make test` like the rest; `-m faults`
runs only these).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from copro_tracker import create_app
from copro_tracker.extensions import db

from .tcp_proxy import TcpProxy


class Outage:
    """A second app on the test database whose way to it can be cut and restored.

    PostgreSQL: the app connects through a loopback proxy; `cut()` closes it and every live connection,
    so the app meets real "connection refused" and "server closed the connection" errors.
    SQLite: the app opens the file through a symlinked folder; `cut()` removes the link and empties the
    app's pool (open SQLite connections would keep working on the file), so new connections fail with
    SQLite's real "unable to open database file".
    """

    def __init__(self, app: Flask, base: Flask, tmp_path: Path) -> None:
        self.base = base
        url = sa.make_url(base.config["SQLALCHEMY_DATABASE_URI"])
        self.proxy: TcpProxy | None = None
        self.link: Path | None = None
        if url.get_backend_name() == "postgresql":
            self.proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
            url = url.set(host="127.0.0.1", port=self.proxy.port)
        else:
            real = Path(url.database).resolve()
            self.link = tmp_path / "db-link"
            self.link.symlink_to(real.parent, target_is_directory=True)
            self.target = real.parent
            url = url.set(database=str(self.link / real.name))
        self.app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=url.render_as_string(hide_password=False),
            AUDIT_KEY_FILE=base.config["AUDIT_KEY_FILE"],
            EVIDENCE_DIR=str(tmp_path / "evidence"),
        )
        self.app.test_client_class = base.test_client_class
        self.app.extensions["outbox"] = []

    def cut(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        else:
            assert self.link is not None
            self.link.unlink()
            with self.app.app_context():
                db.engine.dispose()

    def restore(self) -> None:
        if self.proxy is not None:
            self.proxy.start()
        else:
            assert self.link is not None
            if not self.link.exists():
                self.link.symlink_to(self.target, target_is_directory=True)

    def close(self) -> None:
        self.restore()
        with self.app.app_context():
            db.engine.dispose()
        if self.proxy is not None:
            self.proxy.stop()


@pytest.fixture
def outage(app: Flask, tmp_path: Path) -> Iterator[Outage]:
    broken = Outage(app, app, tmp_path)
    try:
        yield broken
    finally:
        broken.close()


def on_postgres() -> bool:
    return bool(os.environ.get("TEST_DATABASE_URL"))


LOCK_TIMEOUT_MS = 1000


@pytest.fixture
def impatient_app(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """A second app on the same database that waits at most one second for a lock."""
    other = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        AUDIT_KEY_FILE=app.config["AUDIT_KEY_FILE"],
        EVIDENCE_DIR=str(tmp_path / "evidence"),
        DB_LOCK_TIMEOUT_MS=LOCK_TIMEOUT_MS,
    )
    other.test_client_class = app.test_client_class
    other.extensions["outbox"] = []
    yield other
    with other.app_context():
        db.engine.dispose()


def store_files(folder: Path) -> list[str]:
    """Every file in an evidence store, staged or published."""
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
