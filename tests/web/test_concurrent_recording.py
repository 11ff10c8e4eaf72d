"""Two people recording activities in the same stage at the same moment both succeed: the second waits for
the first instead of failing the stage's version check (every new activity stamps the stage, so that
approvals given before it are asked for again)."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
import sqlalchemy as sa
from activity_fixtures import team_fixture  # noqa: F401

from copro_tracker.activities import service as activities
from copro_tracker.extensions import db
from copro_tracker.models import Activity, Initiative, User


def _waiting_for_a_lock(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
        ).scalar_one()


def test_a_recorder_waits_for_another_in_the_same_stage_instead_of_failing(app, team):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serialises writers for the whole database)")
    stage_id = team.initiative.stages[0].id
    initiative_id, actor_id, partner_id = team.initiative.id, team.commissioner.id, team.partner.id
    db.session.commit()
    errors: list[BaseException] = []

    def record() -> None:
        try:
            with app.app_context():
                actor = db.session.get(User, actor_id)
                initiative = db.session.get(Initiative, initiative_id)
                _ = initiative.stages[0].version  # read before the other recorder commits, as a request would
                activities.record_activity(
                    actor,
                    initiative,
                    activities.ActivityDetails(
                        stage_id=stage_id,
                        kind="workshop",
                        occurred_on=date(2025, 3, 27),
                        title="Second workshop",
                        notes="",
                        attendee_ids=[actor_id, partner_id],
                        guests=[],
                        guests_are_citizens=False,
                    ),
                )
        except BaseException as error:  # reported by the test below
            errors.append(error)

    # Another recorder holds the stage row, as its own transaction would while saving an activity.
    with db.engine.connect() as other:
        other.execute(sa.text("SELECT id FROM stage WHERE id = :id FOR UPDATE"), {"id": stage_id})
        thread = threading.Thread(target=record)
        thread.start()
        deadline = time.monotonic() + 10
        while _waiting_for_a_lock(db.engine) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting_for_a_lock(db.engine) >= 1, "the second recorder never waited for the stage"
        other.execute(
            sa.text("UPDATE stage SET version = version + 1, activities_changed_at = now() WHERE id = :id"),
            {"id": stage_id},
        )
        other.commit()
    thread.join(timeout=30)

    assert not errors, errors
    assert db.session.scalars(sa.select(Activity.title)).all() == ["Second workshop"]


def test_two_recorders_who_both_inserted_before_locking_the_stage_do_not_deadlock(app, team):
    """Each recorder inserts its activity (a key-share lock on the stage row, through the foreign key) before
    it locks the stage. With both inserts in, a FOR UPDATE lock would wait for the other's key-share lock in
    both transactions: a deadlock, one recorder failing. FOR NO KEY UPDATE does not conflict with it."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serialises writers for the whole database)")
    stage_id = team.initiative.stages[0].id
    initiative_id, actor_id, partner_id = team.initiative.id, team.commissioner.id, team.partner.id
    db.session.commit()
    both_inserted = threading.Barrier(2, timeout=20)
    recorders: set[int] = set()
    errors: list[BaseException] = []

    def hold_before_the_lock(conn, cursor, statement, parameters, context, executemany) -> None:
        if threading.get_ident() in recorders and statement.startswith("SELECT stage.") and "FOR " in statement:
            recorders.discard(threading.get_ident())
            both_inserted.wait()  # both activities are in; now both ask for the stage

    def record(title: str) -> None:
        recorders.add(threading.get_ident())
        try:
            with app.app_context():
                activities.record_activity(
                    db.session.get(User, actor_id),
                    db.session.get(Initiative, initiative_id),
                    activities.ActivityDetails(
                        stage_id=stage_id,
                        kind="workshop",
                        occurred_on=date(2025, 3, 27),
                        title=title,
                        notes="",
                        attendee_ids=[actor_id, partner_id],
                        guests=[],
                        guests_are_citizens=False,
                    ),
                )
        except BaseException as error:  # reported by the test below
            errors.append(error)
            both_inserted.abort()

    sa.event.listen(db.engine, "before_cursor_execute", hold_before_the_lock)
    try:
        threads = [threading.Thread(target=record, args=(title,)) for title in ("Morning", "Afternoon")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", hold_before_the_lock)

    assert not errors, errors
    assert sorted(db.session.scalars(sa.select(Activity.title))) == ["Afternoon", "Morning"]
