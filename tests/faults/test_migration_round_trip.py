"""Every revision's downgrade and upgrade keep the data that survives it and the audit tables' guards, on
SQLite and PostgreSQL; a downgrade that would delete data refuses unless forced.

Before: on SQLite, downgrading past 7ebb5f089839 and upgrading again silently dropped audit_event's
append-only triggers (batch drop_column rebuilds the table), and `downgrade base` deleted every row.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from config import database_url
from copro_tracker import create_app
from copro_tracker.demo import load_demo
from copro_tracker.extensions import db
from copro_tracker.migrating import DataWouldBeLost

pytestmark = pytest.mark.faults

MIGRATIONS = Path(__file__).parents[2] / "migrations"
REVISIONS = [script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()]  # head first
DOWN_TO = {
    script.revision: script.down_revision or "base" for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()
}


class Databases:
    """A seeded database at head, and throwaway copies of it (a file copy, or CREATE DATABASE … TEMPLATE)."""

    def __init__(self, tmp_path: Path, worker_id: str) -> None:
        self.tmp_path = tmp_path
        self.base = database_url(os.environ.get("TEST_DATABASE_URL"))
        self.worker_id = worker_id
        self.made: list[str] = []
        self.seeded = self.url("seeded")

    def _admin(self) -> sa.Engine:
        return sa.create_engine(sa.make_url(self.base).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def url(self, name: str, template: str | None = None) -> str:
        if not self.base:
            path = self.tmp_path / f"{name}.sqlite"
            if template is not None:
                shutil.copyfile(sa.make_url(template).database, path)
            return f"sqlite:///{path}"
        url = sa.make_url(self.base)
        database = f"{url.database}_rt_{name}_{self.worker_id}"
        admin = self._admin()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            source = f' TEMPLATE "{sa.make_url(template).database}"' if template else ""
            conn.execute(sa.text(f'CREATE DATABASE "{database}"{source}'))
        admin.dispose()
        self.made.append(database)
        return url.set(database=database).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self.base:
            return
        admin = self._admin()
        with admin.connect() as conn:
            for database in self.made:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def _app(url: str, tmp_path: Path):
    return create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        AUDIT_KEY_FILE=str(tmp_path / "key.pem"),
        EVIDENCE_DIR=str(tmp_path / "evidence"),
    )


def _tables(connection: sa.Connection) -> dict[str, list[str]]:
    inspector = sa.inspect(connection)
    return {
        table: sorted(column["name"] for column in inspector.get_columns(table))
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


def _rows(connection: sa.Connection, table: str, columns: list[str]) -> list[tuple]:
    quote = connection.dialect.identifier_preparer.quote
    listed = ", ".join(quote(column) for column in columns)
    return sorted(
        (tuple(map(repr, row)) for row in connection.execute(sa.text(f"SELECT {listed} FROM {quote(table)}"))),
    )


def _triggers(connection: sa.Connection) -> set[tuple[str, str]]:
    if connection.dialect.name == "postgresql":
        query = (
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D'"
        )
    else:
        query = "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"
    return {tuple(row) for row in connection.execute(sa.text(query))}


def _version(connection: sa.Connection) -> str | None:
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, worker_id) -> Iterator[tuple[Databases, dict, set]]:
    tmp_path = tmp_path_factory.mktemp("round-trip")
    databases = Databases(tmp_path, worker_id)
    app = _app(databases.seeded, tmp_path)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        load_demo()
        db.session.remove()
        with db.engine.connect() as connection:
            tables = _tables(connection)
            snapshot = {table: _rows(connection, table, columns) for table, columns in tables.items()}
            triggers = _triggers(connection)
        db.engine.dispose()
    assert {table for table, _ in triggers} >= {"audit_event"}
    assert snapshot["audit_event"] and snapshot["initiative"]
    yield databases, snapshot, triggers
    databases.drop_all()


@pytest.mark.parametrize("revision", REVISIONS)
def test_down_and_up_again_keeps_the_data_that_survives_and_every_trigger(seeded, revision, tmp_path):
    databases, snapshot, triggers = seeded
    url = databases.url(f"r{revision[:8]}", template=databases.seeded)
    app = _app(url, tmp_path)
    with app.app_context():
        downgrade(directory=str(MIGRATIONS), revision=DOWN_TO[revision], x_arg=["force=1"])
        with db.engine.connect() as connection:
            surviving = _tables(connection)
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as connection:
            assert _version(connection) == REVISIONS[0]
            assert _triggers(connection) == triggers  # none lost on the way down and up
            for table, columns in surviving.items():
                kept = [column for column in columns if column in _tables(connection)[table]]
                everything = _tables(connection)[table]
                positions = [everything.index(column) for column in kept]
                before = sorted(tuple(row[i] for i in positions) for row in snapshot[table])
                assert _rows(connection, table, kept) == before, table
            assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
        db.engine.dispose()


def test_a_downgrade_that_would_delete_data_refuses_unless_forced(seeded, tmp_path):
    databases, snapshot, triggers = seeded
    url = databases.url("refuse", template=databases.seeded)
    app = _app(url, tmp_path)
    with app.app_context():
        # Alembic's own command, so the error arrives as itself (`flask db` prints it and exits 1).
        config = app.extensions["migrate"].migrate.get_config(str(MIGRATIONS))
        with pytest.raises(DataWouldBeLost, match=r"Refusing to downgrade below revision .*--x-arg force=1"):
            command.downgrade(config, "base")
        with db.engine.connect() as connection:
            assert _version(connection) == REVISIONS[0]
            assert _triggers(connection) == triggers
            tables = _tables(connection)
            assert {table: _rows(connection, table, columns) for table, columns in tables.items()} == snapshot
        downgrade(directory=str(MIGRATIONS), revision="base", x_arg=["force=1"])
        with db.engine.connect() as connection:
            assert _tables(connection) == {}
        db.engine.dispose()


# State that is rebuilt from the chain itself, so dropping it loses nothing a person recorded.
DERIVED_ONLY = {
    "c3a9e1f2b7d4": "the audit Merkle state is recomputed from the stored event hashes",
    "e5f1a7c9b3d2": "stored findings are recomputed from the records on the next write or read",
    "48426a073b17": "stored participation figures are recomputed from the records with the findings, or on read",
    "0d521a97e645": "a report snapshot is made again from the records by the next report",
    "a3d5f7b9c1e2": "a check's findings as messages: the same findings stay in English in audit_verification.message",
}


def test_every_downgrade_that_drops_recorded_data_asks_first():
    """A new migration cannot quietly delete data on the way down: each downgrade that drops a table or a
    column guards it with refuse_to_drop_data, unless what it drops is derived state listed above."""
    unguarded = []
    for path in sorted(MIGRATIONS.glob("versions/*.py")):
        source = path.read_text()
        downgrade_body = source.split("def downgrade", 1)[1]
        revision = path.name.split("_", 1)[0]
        drops = "drop_column" in downgrade_body or "drop_table" in downgrade_body
        if drops and "refuse_to_drop_data" not in downgrade_body and revision not in DERIVED_ONLY:
            unguarded.append(path.name)
    assert unguarded == []
