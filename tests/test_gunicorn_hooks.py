"""gunicorn.conf.py loads the app in the master (preload) and forks workers from it: the master must hand
them no open database connection, and freeze its objects for the workers' garbage collectors."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa

from copro_tracker.extensions import db

CONF = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))


def _server(app):
    return SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app))


def test_the_master_preloads_and_forks_without_open_connections(app):
    assert CONF["preload_app"] is True
    db.session.execute(sa.text("SELECT 1"))
    db.session.commit()
    db.session.remove()
    assert db.engine.pool.checkedin() >= 1, "the pool keeps the connection the master used"
    try:
        CONF["when_ready"](_server(app))
        assert db.engine.pool.checkedin() == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert db.session.execute(sa.text("SELECT 1")).scalar() == 1, "a new connection is opened on use"


def test_a_worker_forgets_the_pool_it_inherited(app):
    db.session.execute(sa.text("SELECT 1"))
    db.session.commit()
    db.session.remove()
    inherited = db.engine.pool
    try:
        CONF["post_fork"](_server(app), SimpleNamespace())
        assert db.engine.pool is not inherited
        assert db.session.execute(sa.text("SELECT 1")).scalar() == 1
    finally:
        # A forked worker must leave the parent's sockets open; this test has no parent, so close what the
        # forgotten pool still holds rather than leave it to the garbage collector (a ResourceWarning, raised
        # as an error in whichever test happens to run then).
        inherited.dispose()
