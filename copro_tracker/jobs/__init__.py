"""Background jobs: work that outlives a request (emails, PDF reports, nightly audit checks).

The queue is Huey. Where its messages wait is one setting, JOBS_URL:
    unset                     a SQLite file, instance/jobs.sqlite: no extra server (`make run`)
    sqlite:////path/jobs.db   a SQLite file of your choosing (one machine only)
    redis://host:6379/1       Redis: several web servers and workers share one queue (production)
The same code runs either way. Tests set JOBS_IMMEDIATE, so a job runs at once, inside the call that
queues it, on an in-memory queue: nothing to start, and a test sees the job's effect straight away.
The worker is `flask jobs worker` (README, "Running in production"); `make run` starts one beside the
web server.

Adding a job (the whole API)
    from copro_tracker import jobs

    @jobs.task()                       # or @jobs.task(priority=jobs.URGENT, retries=2, retry_delay=60)
    def send_reminder(user_id: int) -> None:
        ...                            # runs in an app context of its own, with its own db.session

    send_reminder(user.id)             # queues it; returns at once (immediately runs it in tests)

    @jobs.periodic(jobs.crontab(hour="2", minute="30"))   # scheduled by the worker, UTC
    def nightly() -> None: ...

Rules that keep jobs correct
- Pass plain values (ids, strings), never model objects: the job reads fresh rows in its own session.
- Queue a job after the commit whose rows it reads (the worker may start before a later commit lands);
  `jobs.after_commit(send_reminder, user.id)` queues it when the current transaction commits, and
  drops it on rollback.
- A job does its own commit, like a service. Make it safe to run twice (a retried job, or a worker
  killed half way, runs again); look things up in the job, not in the request, when the lookup itself
  would tell the person something (see auth/jobs.py: forgotten password).
- Modules that define jobs are listed in queue.TASK_MODULES so that the worker knows them.
"""

from __future__ import annotations

from huey import crontab

from .queue import BACKGROUND, URGENT, after_commit, huey, init_app, periodic, task

__all__ = ["BACKGROUND", "URGENT", "after_commit", "crontab", "huey", "init_app", "periodic", "task"]
