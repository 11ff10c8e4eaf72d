"""The Huey instance, set up from the app's settings, and the decorators that run each job in an app context.

Huey was chosen (over RQ, Celery and Dramatiq) because it alone keeps `make run` free of extra servers
(its SQLite storage needs nothing but a file) while running the same code on Redis in production; it has
an immediate mode for tests that goes through the same code paths as the worker, periodic tasks for the
nightly jobs, priorities, retries, and no dependencies of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, PriorityRedisStorage, SqliteStorage

log = logging.getLogger(__name__)


class AppQueue(Huey):
    """Huey, with its storage and immediate mode taken from the Flask app in context (init_app sets them).

    So each app keeps its own queue even when one process makes several (the tests build production
    apps beside the suite's): nothing global changes when an app is made. Outside any app context (the
    worker's processes) the queue set by `set_worker_app` is used.
    """

    _default_storage: Any = None
    _default_immediate = True

    @staticmethod
    def _setting(name: str) -> Any:
        if has_app_context():
            return current_app.extensions.get(name)
        return None

    @property
    def storage(self) -> Any:
        found = self._setting("jobs.storage")
        return found if found is not None else self._default_storage

    @storage.setter
    def storage(self, value: Any) -> None:
        self._default_storage = value

    @property
    def _immediate(self) -> bool:  # the attribute Huey itself reads when a job is queued
        found = self._setting("jobs.immediate")
        return found if found is not None else self._default_immediate

    @_immediate.setter
    def _immediate(self, value: bool) -> None:
        self._default_immediate = value


# Until an app is in context, the queue keeps jobs in memory and runs them at once: importing the app
# never touches a file or a Redis server.
huey = AppQueue("copro-tracker", immediate=True, results=False)

# Priorities: higher runs first. Emails carry a link someone is waiting for; reports and checks can wait.
URGENT = 10
BACKGROUND = 0

# Every module that defines jobs: imported by init_app so that the worker knows every job by name.
TASK_MODULES = (
    "copro_tracker.mail",
    "copro_tracker.auth.jobs",
    "copro_tracker.activities.jobs",
    "copro_tracker.criteria.jobs",
    "copro_tracker.reports.rendering",
    "copro_tracker.audit.jobs",
    "copro_tracker.retention.jobs",
    "copro_tracker.notifications.jobs",
)

_PENDING = "jobs.after_commit"
_worker_app: Flask | None = None


def storage_for(url: str | None, instance_path: str) -> tuple[type, dict[str, Any]]:
    """Huey's storage class and its arguments for a JOBS_URL (see the package's docstring)."""
    if not url:
        return SqliteStorage, {"filename": str(Path(instance_path) / "jobs.sqlite")}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return PriorityRedisStorage, {"url": url}
    if url.startswith("sqlite:///"):
        return SqliteStorage, {"filename": url.removeprefix("sqlite:///")}
    raise RuntimeError(
        f"Refusing to start: JOBS_URL must be redis://host:port/db or sqlite:////path/jobs.sqlite (got {url!r})."
    )


def init_app(app: Flask) -> None:
    import importlib

    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    if immediate:
        storage = MemoryStorage(huey.name)
    else:
        storage_class, storage_kwargs = storage_for(app.config.get("JOBS_URL"), app.instance_path)
        storage = storage_class(app.config.get("JOBS_QUEUE_NAME") or huey.name, **storage_kwargs)
    app.extensions["jobs.storage"] = storage
    app.extensions["jobs.immediate"] = immediate
    for name in TASK_MODULES:
        importlib.import_module(name)
    from flask_sqlalchemy.session import Session

    if not sa.event.contains(Session, "after_commit", _enqueue_pending):
        sa.event.listen(Session, "after_commit", _enqueue_pending)
        sa.event.listen(Session, "after_soft_rollback", _drop_pending)


def set_worker_app(app: Flask) -> None:
    """The worker's app: its queue is the one the worker's processes read, and jobs they run make their
    app context from it (there is no request to borrow one from)."""
    global _worker_app
    _worker_app = app
    huey.storage = app.extensions["jobs.storage"]
    huey._immediate = app.extensions["jobs.immediate"]


def _app() -> Flask:
    return _worker_app if _worker_app is not None else current_app._get_current_object()


def _in_app_context(func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        # A context of its own, so the job has its own db.session, even when (in tests) it runs inside the
        # request that queued it: its commit or rollback never touches the request's transaction.
        with _app().app_context():
            return func(*args, **kwargs)

    return run


def task(*, priority: int = BACKGROUND, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Make a function a job: calling it queues it (see the package docstring). Options are Huey's
    (retries, retry_delay, expires, ...)."""

    def decorator(func: Callable[..., Any]) -> Any:
        return huey.task(priority=priority, name=func.__name__, **options)(_in_app_context(func))

    return decorator


def periodic(schedule: Callable[[Any], bool], **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """A job the worker queues on a schedule (`jobs.crontab(...)`, in UTC)."""

    def decorator(func: Callable[..., Any]) -> Any:
        return huey.periodic_task(schedule, name=func.__name__, **options)(_in_app_context(func))

    return decorator


def after_commit(job: Any, *args: Any, **kwargs: Any) -> None:
    """Queue `job(*args, **kwargs)` once the current transaction commits; forget it on rollback."""
    from ..extensions import db

    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any query still forgets it
    session.info.setdefault(_PENDING, []).append((job, args, kwargs))


def _enqueue_pending(session: Any) -> None:
    for job, args, kwargs in session.info.pop(_PENDING, []):
        try:
            job(*args, **kwargs)
        except Exception:
            # The commit has happened; a queue that is down must not turn it into an error page.
            log.exception("Could not queue %s after commit", getattr(job, "name", job))


def _drop_pending(session: Any, *args: Any) -> None:
    session.info.pop(_PENDING, None)
