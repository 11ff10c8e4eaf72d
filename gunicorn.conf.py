"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (FLASK_CONFIG=production).

Run it under a supervisor that stops the whole process group (README, "Running in production"), so a
restart never meets workers orphaned by a killed master still holding the port.
"""

import gc
import os

wsgi_app = "copro_tracker:create_app()"
# Load the app once in the master and fork the workers from it: each worker starts without importing and
# building the app again, and the master's objects (frozen in when_ready) are shared copy-on-write instead of
# being walked by every worker's garbage collector. Safe because the master closes every connection before
# forking (when_ready) and each worker forgets any its pool still names (post_fork).
preload_app = True
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one worker; the database's own timeouts keep any one from waiting long.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2 + 1)))

# A worker silent this long is killed. Kept above the database's statement timeout (15 s), lock
# timeout (5 s) and connect timeout (5 s), so a slow or locked request ends with the app's own "busy"
# page and a rolled-back transaction, not a killed worker and a bare 500.
timeout = 30
# On restart or reload, requests in flight get this long to finish before their worker is stopped.
graceful_timeout = 25
keepalive = 5
# Replace each worker after about a thousand requests (the jitter stops them all restarting at once):
# memory a worker gained from a large report or upload is returned to the system.
max_requests = 1000
max_requests_jitter = 200

accesslog = "-"
errorlog = "-"
# The proxy in front terminates TLS and sets X-Forwarded-*; trust it only from this machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's runtime control socket is one fixed path per user: two instances on one machine would share
# it. Nothing here uses it; restarts go through the supervisor.
control_socket_disable = True


def on_starting(server):
    """Before any worker starts: make the evidence store agree with the database (storage.sweep).

    Files left by workers that were killed mid-upload are removed (after the grace period), staged files
    whose rows were committed are published. A failure is logged and does not stop the service starting.
    """
    try:
        from copro_tracker import create_app
        from copro_tracker.activities.service import sweep_evidence_store
        from copro_tracker.cli import describe_sweep
        from copro_tracker.extensions import db

        app = create_app()
        with app.app_context():
            report = sweep_evidence_store(grace_seconds=app.config["STORAGE_SWEEP_GRACE_MINUTES"] * 60)
            db.engine.dispose()  # the master keeps no connection; each worker opens its own
        server.log.info("Evidence store sweep at start-up:\n%s", describe_sweep(report))
    except Exception:
        server.log.exception("Evidence store sweep at start-up failed; starting anyway")


def _release_connections(app, *, close: bool) -> None:
    """Drop the database pools' connections and the job queue's own SQLite connection. In the master
    (`close`) they are closed: no worker may inherit a socket or SQLite handle another process uses. In a
    worker they are only forgotten (`close=False` leaves the parent's, if any, alone) and reopened on use."""
    from copro_tracker.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=close)
        storage = app.extensions.get("jobs.storage")
        if close and hasattr(storage, "close"):
            storage.close()


def when_ready(server):
    """The master, with the app loaded and before the first worker is forked: close what it opened while
    loading, then freeze the objects it made, so the workers' collectors never scan or touch them."""
    _release_connections(server.app.wsgi(), close=True)
    gc.freeze()


def post_fork(server, worker):
    _release_connections(server.app.wsgi(), close=False)
