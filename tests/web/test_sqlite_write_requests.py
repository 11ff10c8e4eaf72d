"""On SQLite, write requests take the write lock when their transaction begins (BEGIN IMMEDIATE), so two
requests writing at once queue on busy_timeout and both succeed. With deferred transactions, a request
that had read before another committed a write was refused at its own first write ("database is locked"),
at once: busy_timeout does not apply to a stale snapshot. Reads stay deferred and never wait for a writer."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from huey.storage import MemoryStorage

from copro_tracker.extensions import db
from copro_tracker.models import Organisation

RENAME = sa.text("UPDATE organisation SET name = :name WHERE id = :id")


@pytest.fixture
def sqlite_file(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's transaction modes (PostgreSQL writers wait on row locks)")
    # Jobs queued, as in production: with jobs run at once (the suite's default) write requests stay deferred.
    saved = app.extensions["jobs.immediate"], app.extensions["jobs.storage"]
    app.extensions["jobs.immediate"], app.extensions["jobs.storage"] = False, MemoryStorage("sqlite-writes")
    yield
    app.extensions["jobs.immediate"], app.extensions["jobs.storage"] = saved


def _run(app, first_method: str, organisation_id: int) -> tuple[list[BaseException], bool]:
    """A first request reads, then writes only after a second request has tried to write and commit
    (or 2 s have passed); returns the errors and whether the second finished before the first wrote."""
    first_read, second_started, second_done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []
    finished_early: list[bool] = []

    def first() -> None:
        try:
            with app.test_request_context("/", method=first_method):
                db.session.scalar(sa.select(Organisation.name).where(Organisation.id == organisation_id))
                first_read.set()
                second_started.wait(10)
                finished_early.append(second_done.wait(2))
                if first_method == "POST":
                    db.session.execute(RENAME, {"name": "First", "id": organisation_id})
                db.session.commit()
        except BaseException as error:  # reported by the test
            errors.append(error)
            first_read.set()

    def second() -> None:
        try:
            first_read.wait(10)
            with app.test_request_context("/", method="POST"):
                second_started.set()
                db.session.execute(RENAME, {"name": "Second", "id": organisation_id})
                db.session.commit()
                second_done.set()
        except BaseException as error:
            errors.append(error)
            second_started.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors, finished_early[0] if finished_early else True


def test_two_write_requests_at_once_both_succeed_one_after_the_other(app, org, sqlite_file):
    errors, second_first = _run(app, "POST", org.id)
    assert not errors, errors  # deferred: the first request's write failed with "database is locked"
    # The second waited for the first's write lock, so it ran last and its name stays.
    assert not second_first
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).name == "Second"


def test_a_read_request_does_not_hold_up_a_write_request(app, org, sqlite_file):
    errors, second_first = _run(app, "GET", org.id)
    assert not errors, errors
    assert second_first  # the writer committed while the read's transaction was still open
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).name == "Second"
