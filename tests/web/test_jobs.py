"""The job queue: a real worker process picks up a job queued by the app; the queue's settings; after_commit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import conftest
import pytest
import sqlalchemy as sa
from flask import Flask

from copro_tracker import create_app, jobs
from copro_tracker.codes import TokenPurpose
from copro_tracker.extensions import db
from copro_tracker.jobs.queue import storage_for
from copro_tracker.models import AccountToken

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def queue_app(app: Flask, fresh_url: str, tmp_path: Path):
    """An app on its own database whose jobs go to a SQLite queue file, as under `make run`."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": fresh_url,
        "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite'}",
        "JOBS_IMMEDIATE": False,
        "AUDIT_KEY_FILE": str(tmp_path / "key.pem"),
    }
    other = create_app("testing", **settings)
    with other.app_context():
        db.create_all()
        yield other, settings
        db.session.remove()
        db.engine.dispose()
    assert jobs.huey.immediate  # the suite's app, in context again, runs jobs at once


def test_a_worker_process_runs_the_job_the_app_queued(queue_app):
    from copro_tracker.auth.jobs import send_password_reset

    _app, settings = queue_app
    person = conftest.make_user(conftest.make_org())
    send_password_reset(person.email, "en")
    assert jobs.huey.pending_count() == 1
    assert db.session.scalar(sa.select(AccountToken)) is None  # queued, not run

    env = {
        **os.environ,
        "FLASK_APP": "copro_tracker",
        "FLASK_CONFIG": "testing",
        "TEST_DATABASE_URL": settings["SQLALCHEMY_DATABASE_URI"],
        "JOBS_URL": settings["JOBS_URL"],
        "JOBS_IMMEDIATE": "0",
        "JOBS_NICE": "0",
        # A test worker shares the CPU with the test run itself: SCHED_IDLE could leave it waiting.
        "JOBS_CPU_POLICY": "nice",
        "AUDIT_KEY_FILE": settings["AUDIT_KEY_FILE"],
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "jobs", "worker", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120  # a busy shared machine starts Python slowly
        token = None
        while token is None and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
            db.session.rollback()
            token = db.session.scalar(sa.select(AccountToken))
    finally:
        worker.send_signal(signal.SIGINT)  # finish the job in hand, then stop
        output = worker.communicate(timeout=30)[0]
    assert token is not None, output
    assert token.user_id == person.id and token.purpose == TokenPurpose.PASSWORD_RESET
    assert jobs.huey.pending_count() == 0
    assert worker.returncode == 0, output


def test_jobs_url_chooses_the_queue(tmp_path):
    from huey.storage import PriorityRedisStorage, SqliteStorage

    assert storage_for(None, str(tmp_path)) == (SqliteStorage, {"filename": str(tmp_path / "jobs.sqlite")})
    assert storage_for("redis://127.0.0.1:6379/1", "x") == (PriorityRedisStorage, {"url": "redis://127.0.0.1:6379/1"})
    assert storage_for("sqlite:////var/lib/copro/jobs.db", "x")[1] == {"filename": "/var/lib/copro/jobs.db"}
    with pytest.raises(RuntimeError, match="JOBS_URL must be"):
        storage_for("amqp://elsewhere", "x")


ran: list[str] = []


@jobs.task()
def _note(word: str) -> None:
    ran.append(word)


def test_after_commit_queues_on_commit_and_forgets_on_rollback(org):
    ran.clear()
    jobs.after_commit(_note, "rolled back")
    db.session.rollback()
    jobs.after_commit(_note, "committed")
    assert ran == []
    db.session.commit()
    assert ran == ["committed"]
