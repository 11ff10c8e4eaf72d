"""The nightly evidence store sweep: files whose rows never committed (a worker killed mid-upload) or were
disposed of are removed, staged files whose rows did commit are published, and rows whose file is missing
are reported (sweep_evidence_store). Start-up runs the same sweep (gunicorn.conf.py), but servers can run
for weeks, so the worker also runs it every night; `flask storage sweep` runs it now.
"""

from __future__ import annotations

import logging

from flask import current_app

from .. import jobs
from .service import sweep_evidence_store

log = logging.getLogger(__name__)


@jobs.periodic(jobs.crontab(hour="4", minute="0"))
def nightly_evidence_sweep() -> None:
    """Safe to run twice, or on two workers at once: a file already removed or published is left as it is,
    and a file younger than the grace (STORAGE_SWEEP_GRACE_MINUTES) may be an upload in flight on any server."""
    report = sweep_evidence_store(grace_seconds=current_app.config["STORAGE_SWEEP_GRACE_MINUTES"] * 60)
    log.info(
        "Evidence store sweep: %s published, %s unfinished uploads and %s files without a row removed",
        len(report.published),
        len(report.removed_temporaries),
        len(report.removed_orphans),
    )
    for key in report.missing:
        log.error("Evidence file %s is missing from the store: its row exists but the file is nowhere", key)
    for name in report.failed:
        log.error("The evidence store sweep could not tidy %s", name)
