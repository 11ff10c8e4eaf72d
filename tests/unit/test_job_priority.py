"""The worker's CPU priority (copro_tracker/jobs/priority.py), checked in a child process so the test run's
own priority is untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from copro_tracker.jobs.priority import lower_cpu_priority

ROOT = Path(__file__).resolve().parents[2]


def _in_child(policy: str, nice: int) -> list[str]:
    code = (
        "import os; from copro_tracker.jobs.priority import lower_cpu_priority; "
        f"print(lower_cpu_priority({policy!r}, {nice})); "
        "print(os.sched_getscheduler(0) == os.SCHED_IDLE); print(os.nice(0))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_idle_policy_runs_the_worker_only_on_time_the_web_leaves():
    applied, idle, nice = _in_child("idle", 10)
    assert applied == "nice 10, SCHED_IDLE"
    assert idle == "True"
    assert int(nice) >= 10


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_nice_policy_only_lowers_the_nice_value():
    applied, idle, nice = _in_child("nice", 5)
    assert applied == "nice 5"
    assert idle == "False"
    assert int(nice) >= 5


def test_an_unknown_policy_is_refused_by_name():
    with pytest.raises(ValueError, match="JOBS_CPU_POLICY must be one of idle, nice, not 'fast'"):
        lower_cpu_priority("fast", 0)
