"""The migrations build exactly the schema the models describe, with the audit tables' guards in place."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from config import database_url
from copro_tracker import create_app
from copro_tracker.extensions import db


@pytest.fixture
def fresh_url(tmp_path, worker_id):
    base = database_url(os.environ.get("TEST_DATABASE_URL"))
    if not base:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    url = sa.make_url(base)
    name = f"{url.database}_mig_{worker_id}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_match_the_models_and_guard_the_audit_table(fresh_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            assert diff == [], diff
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO organisation (name, slug, nation, created_at) "
                    "VALUES ('A', 'a', 'england', '2026-01-01')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO audit_event (organisation_id, seq, occurred_at, action, entity_type, "
                    "payload, prev_hash, hash) VALUES (1, 1, '2026-01-01', 'x', 'y', '{}', 'p', 'h')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO audit_checkpoint (organisation_id, tree_size, root_hash, issued_at, signature, "
                    "key_id, created_at) VALUES (1, 1, 'r', '2026-01-01T00:00:00Z', 's', 'k', '2026-01-01')"
                )
            )
        for statement in (
            "UPDATE audit_event SET action = 'rewritten'",
            "DELETE FROM audit_event",
            "UPDATE audit_checkpoint SET tree_size = 0",
            "DELETE FROM audit_checkpoint",
        ):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
                conn.execute(sa.text(statement))
        db.engine.dispose()
