"""Shared fixtures: one app per test process, a clean database per test, factories and sign-in helpers.

Runs on SQLite in memory by default; with TEST_DATABASE_URL=postgresql://… the same suite runs on
PostgreSQL, each xdist worker in a database of its own.
"""

from __future__ import annotations

import contextvars
import itertools
import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from servers import S3Server

from config import database_url
from copro_tracker import create_app
from copro_tracker.auth import passwords
from copro_tracker.codes import Nation, OrgRole, PartnerKind
from copro_tracker.extensions import db, limiter
from copro_tracker.models import Organisation, User
from copro_tracker.models.audit import APPEND_ONLY_TABLES, create_trigger_statements, drop_trigger_statements

PASSWORD = "correct horse battery staple 42"
_PASSWORD_HASH = passwords.hash_password(PASSWORD)  # hashed once: scrypt is slow on purpose


def _database_url(worker: str, tmp_dir) -> str:
    base = database_url(os.environ.get("TEST_DATABASE_URL"))
    if not base:
        # A file, not :memory:, so requests and the test use separate connections as in production.
        return f"sqlite:///{tmp_dir / f'copro-{worker}.sqlite'}"
    url = sa.make_url(base)
    name = f"{url.database}_{worker}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def fresh_url(tmp_path, worker_id: str) -> Iterator[str]:
    """The URL of a new, empty database (no tables) of the kind the suite runs on."""
    base = database_url(os.environ.get("TEST_DATABASE_URL"))
    if not base:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite'}"
        return
    url = sa.make_url(base)
    name = f"{url.database}_fresh_{worker_id}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in an empty context, so it gets its own app context, `g` and database session,
    exactly as in production, even though the test itself holds an app context for its own queries."""

    def open(self, *args, **kwargs):
        # Read and close each response at once, as a server does once it has sent it: work deferred
        # until the response is closed has happened when the request returns.
        kwargs.setdefault("buffered", True)
        db.session.commit()
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            # End the test's own transaction so its next query sees what the request committed.
            db.session.rollback()


@pytest.fixture(scope="session")
def app(worker_id: str, tmp_path_factory) -> Iterator[Flask]:
    files = tmp_path_factory.mktemp("files")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=_database_url(worker_id, tmp_path_factory.mktemp("db")),
        # A checkpoint signing key per test run, made on first use, never the developer's instance/ key.
        AUDIT_KEY_FILE=str(tmp_path_factory.mktemp("audit-key") / "audit-signing-key.pem"),
        # Stored files of a test run stay out of the developer's instance/ folder.
        EVIDENCE_DIR=str(files / "evidence"),
        STORAGE_DIR=str(files / "storage"),
    )
    app.test_client_class = IsolatedClient
    app.extensions["outbox"] = []
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def wipe_database() -> None:
    """Empty every table. The audit tables refuse DELETE by design, so their guards are lifted briefly.

    With app servers running beside the tests (tests/test_multi_instance.py) a worker's job may read while
    TRUNCATE takes its locks one table at a time; PostgreSQL then ends one side as a deadlock. That side
    is retried: the job finishes, and the emptying goes through on the next attempt."""
    for attempt in range(5):
        try:
            _wipe_once()
            return
        except sa.exc.OperationalError as error:
            if "deadlock detected" not in str(error.orig) or attempt == 4:
                raise


def _wipe_once() -> None:
    engine = db.engine
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in APPEND_ONLY_TABLES:
                conn.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            for table in APPEND_ONLY_TABLES:
                conn.execute(sa.text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        else:
            for table in APPEND_ONLY_TABLES:
                for statement in drop_trigger_statements(table, "sqlite"):
                    conn.execute(sa.text(statement))
            for table in tables:
                conn.execute(sa.text(f"DELETE FROM {table}"))
            for table in APPEND_ONLY_TABLES:
                for statement in create_trigger_statements(table, "sqlite"):
                    conn.execute(sa.text(statement))


@pytest.fixture(autouse=True)
def _app_context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.remove()
        wipe_database()
    app.extensions["outbox"].clear()
    limiter.reset()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory) -> Iterator[S3Server]:
    """A local S3-compatible server (moto's server mode) in its own process, for this test process."""
    server = S3Server(tmp_path_factory.mktemp("s3"))
    yield server
    server.stop()


@pytest.fixture
def s3_storage(app: Flask, s3_server: S3Server, monkeypatch) -> str:
    """Switch the app's file store to a new, empty bucket on the local S3 server; returns the bucket's name."""
    settings = s3_server.settings()
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    return settings["S3_BUCKET"]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


_counter = itertools.count(1)


def make_org(name: str = "Northshire County Council", nation: Nation = Nation.ENGLAND, slug: str | None = None):
    organisation = Organisation(name=name, slug=slug or f"org-{next(_counter)}", nation=nation)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_user(
    organisation: Organisation,
    role: OrgRole = OrgRole.COMMISSIONER,
    *,
    name: str | None = None,
    email: str | None = None,
    partner_kind: PartnerKind | None = None,
    **fields,
) -> User:
    n = next(_counter)
    if partner_kind is None:
        partner_kind = PartnerKind.DRAWS_ON_CARE if role == OrgRole.CITIZEN_PARTNER else PartnerKind.OFFICER
    user = User(
        organisation_id=organisation.id,
        email=email or f"person{n}@example.org",
        display_name=name or f"Person {n}",
        password_hash=_PASSWORD_HASH,
        role=role,
        partner_kind=partner_kind,
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def org() -> Organisation:
    return make_org()


@pytest.fixture
def other_org() -> Organisation:
    return make_org("Glanyrafon County Council", Nation.WALES)


@pytest.fixture
def admin(org) -> User:
    return make_user(org, OrgRole.ADMIN, name="Priya Admin")


@pytest.fixture
def commissioner(org) -> User:
    return make_user(org, OrgRole.COMMISSIONER, name="Tom Commissioner")


@pytest.fixture
def partner(org) -> User:
    return make_user(org, OrgRole.CITIZEN_PARTNER, name="Amira Partner")


@pytest.fixture
def outsider(other_org) -> User:
    return make_user(other_org, OrgRole.COMMISSIONER, name="Olwen Outsider")


def login(client: FlaskClient, user: User) -> User:
    """Sign in by setting the Flask-Login session directly (fast; the real form has its own tests)."""
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
    return user


@pytest.fixture
def login_as(client):
    return lambda user: login(client, user)


class Page:
    """A parsed response that checks the invariants every page must keep."""

    def __init__(self, response) -> None:
        self.response = response
        self.html = response.get_data(as_text=True)
        self.soup = BeautifulSoup(self.html, "html.parser")

    def check(self) -> Page:
        h1s = self.soup.select("h1")
        assert len(h1s) == 1, f"expected one <h1>, got {len(h1s)}"
        title = " ".join(self.soup.title.text.split())
        h1 = " ".join(h1s[0].text.split())
        # A page with errors starts its title with "Error: " (Welsh "Gwall: ") before the heading.
        assert title.removeprefix("Error: ").removeprefix("Gwall: ").startswith(h1[:40]), (title, h1)
        ids = [el["id"] for el in self.soup.select("[id]")]
        assert len(ids) == len(set(ids)), "duplicate ids"
        for link in self.soup.select(".govuk-error-summary a[href^='#']"):
            target = self.soup.select_one(f"[id='{link['href'][1:]}']")
            assert target is not None and target.name in {"input", "select", "textarea"}, link
        return self

    def text(self, selector: str = "main") -> str:
        node = self.soup.select_one(selector)
        return " ".join(node.get_text(" ").split()) if node else ""

    def errors(self) -> list[str]:
        return [" ".join(a.text.split()) for a in self.soup.select(".govuk-error-summary a")]


def get_page(client: FlaskClient, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return Page(response).check()


def link_path(link: str) -> str:
    """The path of a link the app emailed or showed for sharing, after checking it points at BASE_URL."""
    from flask import current_app

    base = current_app.config["BASE_URL"].rstrip("/")
    assert link.startswith(base + "/"), (link, base)
    return link[len(base) :]


def post_page(client: FlaskClient, url: str, data: dict, status: int = 200) -> Page:
    response = client.post(url, data=data)
    assert response.status_code == status, (url, response.status_code, response.headers.get("Location"))
    return Page(response).check()
