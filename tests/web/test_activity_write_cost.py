"""Recording an activity does the least work in its transaction: the stage-gate recompute reads the
stage's contributing attendees, not every activity of the initiative, so its cost does not grow; the
stage row is locked only after the new rows are in; and the redirect reloads nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import login
from huey.storage import MemoryStorage

from copro_tracker.codes import StageStatus
from copro_tracker.extensions import db
from copro_tracker.models import Activity, Initiative

# Every statement of one POST of two attendees, from loading the signed-in person to the commit: the person,
# the initiative with its stages, its members, the activity and its attendance (one row per statement on
# SQLite, one statement on PostgreSQL), the stage lock and stamp, the gate (2), invalidating stored
# findings and figures (2 on SQLite; 1 on PostgreSQL, both deletes in one statement), the audit trail (4).
# SQLite adds its BEGIN IMMEDIATE (a write request takes the write lock when it begins); PostgreSQL the
# request's timeouts and the findings' advisory lock. Nothing after the
# commit: it used to reload the initiative, its stages and members, and the activity.
BUDGET = {"sqlite": 17, "postgresql": 16}


def _form(team, title: str) -> dict:
    return {
        "stage_id": str(team.initiative.stages[0].id),
        "kind": "workshop",
        "occurred_on": ["27", "3", "2025"],
        "title": title,
        "notes": "",
        "attendees": [str(team.commissioner.id), str(team.partner.id)],
        "guests": "",
        "on_behalf_of": "",
        "languages": ["en"],
    }


@pytest.fixture
def queued_jobs(app):
    """Jobs wait in a queue, as they do in production, so a count shows the request's own statements
    (in tests the findings refresh queued after the commit would otherwise run inside the request)."""
    saved = app.extensions["jobs.immediate"], app.extensions["jobs.storage"]
    app.extensions["jobs.immediate"], app.extensions["jobs.storage"] = False, MemoryStorage("write-cost")
    yield
    app.extensions["jobs.immediate"], app.extensions["jobs.storage"] = saved


def _statements(action) -> list[str]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return statements


def test_new_activity_costs_the_same_statements_with_few_or_many_activities(client, team, queued_jobs):
    login(client, team.commissioner)
    url = f"/initiatives/{team.initiative.id}/activities/new"
    forms = {title: _form(team, title) for title in ("First", "Second", "Sixty-fourth")}

    def post(title: str):
        response = client.post(url, data=forms[title])
        assert response.status_code == 302, response.status_code
        return response

    make_activity(team, title="A partner contributed")  # the stage's evidence is there from the start
    post("First")  # the gate is recomputed: the stage now awaits sign-off
    db.session.expire_all()
    small = _statements(lambda: post("Second"))
    for n in range(60):
        make_activity(team, title=f"Earlier {n}")
    db.session.expire_all()
    loaded: list[int] = []

    def on_load(target, context):
        loaded.append(target.id)

    sa.event.listen(Activity, "load", on_load)
    try:
        large = _statements(lambda: post("Sixty-fourth"))
    finally:
        sa.event.remove(Activity, "load", on_load)
    assert len(small) == len(large), (small, large)
    assert len(large) <= BUDGET[db.engine.dialect.name], large
    # No activity is read, not even the new one for the redirect: the 63 others stay in the database.
    assert loaded == [], loaded
    # The stage row is locked after the activity and its attendance are inserted, so other recorders of
    # the stage do not wait for those inserts; the gate is read under the lock.
    insert = next(i for i, s in enumerate(large) if s.startswith("INSERT INTO activity "))
    lock = next(i for i, s in enumerate(large) if s.startswith("SELECT stage.id") and "WHERE stage.id =" in s)
    gate = next(i for i, s in enumerate(large) if s.startswith("SELECT DISTINCT") and "FROM attendance" in s)
    assert insert < lock < gate, large
    if db.engine.dialect.name == "postgresql":
        assert large[lock].endswith("FOR NO KEY UPDATE"), large[lock]
    assert db.session.query(Activity).count() == 64
    # The gate still moves on the stage's evidence: a partner contributed, so it awaits sign-off.
    assert db.session.get(Initiative, team.initiative.id).stages[0].status == StageStatus.AWAITING_SIGNOFF
