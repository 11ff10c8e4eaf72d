"""`flask jobs worker`: the process that runs queued jobs and the scheduled ones.

Each worker is a process of its own running one job at a time, so a PDF render never shares a process
(nor its memory) with another render. The worker lowers its own CPU priority (JOBS_CPU_POLICY, JOBS_NICE:
see priority.py) so that, on a machine it shares with the web server, people's pages come first and long
renders take the spare time.
"""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .priority import lower_cpu_priority
from .queue import huey, set_worker_app

jobs_group = AppGroup("jobs", help="Background jobs: run the worker, see what is waiting.")


@jobs_group.command("worker")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes (default JOBS_WORKERS, 2): how many jobs run at once.",
)
def worker_command(workers: int | None) -> None:
    """Run queued and scheduled jobs until stopped (SIGINT finishes the jobs running; SIGTERM stops at once)."""
    app = current_app._get_current_object()
    if huey.immediate:
        raise click.ClickException(
            "JOBS_IMMEDIATE is set, so jobs run inside the request that queues them and a worker has nothing to do."
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    set_worker_app(app)
    # The worker processes are forked from this one: none may inherit an open database connection.
    db.session.remove()
    db.engine.dispose()
    try:
        applied = lower_cpu_priority(app.config.get("JOBS_CPU_POLICY", "idle"), int(app.config.get("JOBS_NICE", 10)))
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    logging.getLogger(__name__).info("Worker CPU priority: %s", applied)
    consumer = huey.create_consumer(
        workers=workers or int(app.config.get("JOBS_WORKERS", 2)),
        worker_type="process",
        periodic=True,
        # A process is replaced after this many jobs: memory a large render took goes back to the system.
        max_tasks=int(app.config.get("JOBS_MAX_TASKS_PER_WORKER", 20)),
        check_worker_health=True,
    )
    consumer.run()


@jobs_group.command("pending")
def pending_command() -> None:
    """How many jobs are waiting to run."""
    click.echo(f"{huey.pending_count()} job(s) waiting, {huey.scheduled_count()} scheduled for later.")
