"""The migrations build exactly the schema the models describe, with the audit tables' guards in place."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_org, make_user
from flask_migrate import upgrade

from copro_tracker import create_app
from copro_tracker.extensions import db


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


def test_an_earlier_cycles_notification_is_retired_keeping_the_newest_and_every_weekly_summary(fresh_url):
    """Before one notification per thing, a stage that asked again gained a second row; the migration keeps
    only the newest of each person's rows about the same thing (weekly summaries are one per week)."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_url)
    with app.app_context():
        upgrade(revision="9b1f3c5e7a20")
        person = make_user(make_org())
        org_id, user_id = person.organisation_id, person.id
        db.session.remove()
        with db.engine.begin() as conn:
            rows = [
                ("sign_off", 7, "round 1"),
                ("sign_off", 7, "round 1 after 2026-01-02 10:00:00"),
                ("sign_off", 7, "round 2"),
                ("sign_off", 8, "round 1"),
                ("review_due", 7, "2026-01-01"),
                ("digest", 1, "2026-W01"),
                ("digest", 1, "2026-W02"),
            ]
            for kind, subject, cycle in rows:
                conn.execute(
                    sa.text(
                        "INSERT INTO notification (organisation_id, user_id, kind, subject_id, cycle, created_at) "
                        "VALUES (:org, :user, :kind, :subject, :cycle, '2026-01-01')"
                    ),
                    {
                        "org": org_id,
                        "user": user_id,
                        "kind": kind,
                        "subject": subject,
                        "cycle": cycle,
                    },
                )
        upgrade()
        with db.engine.connect() as conn:
            left = conn.execute(sa.text("SELECT kind, subject_id, cycle FROM notification ORDER BY id")).all()
        assert [tuple(row) for row in left] == [
            ("sign_off", 7, "round 2"),
            ("sign_off", 8, "round 1"),
            ("review_due", 7, "2026-01-01"),
            ("digest", 1, "2026-W01"),
            ("digest", 1, "2026-W02"),
        ]
        db.engine.dispose()
