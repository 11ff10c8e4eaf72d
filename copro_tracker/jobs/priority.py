"""How much CPU background work may take from people's pages.

A PDF render keeps a core busy for seconds to minutes. Lowering the worker's nice value still gives it a
share of a core whenever a web worker also wants it (about a tenth at nice 10), which on a 2-core server
is enough to slow every page while two large reports render. Linux's SCHED_IDLE class runs the worker
only on CPU time no normal process is asking for, so pages keep their idle latency and the renders take
what is left. The cost: on a server whose web workers are busy all the time, jobs wait until they are
not; a council's traffic has quiet moments every minute, and emails and PDFs tolerate seconds.
"""

from __future__ import annotations

import os

POLICIES = ("idle", "nice")


def lower_cpu_priority(policy: str, nice: int) -> str:
    """Lower this process's CPU priority (inherited by the processes it forks); says what was applied."""
    if policy not in POLICIES:
        raise ValueError(f"JOBS_CPU_POLICY must be one of {', '.join(POLICIES)}, not {policy!r}")
    applied = []
    if nice:
        os.nice(nice)
        applied.append(f"nice {nice}")
    if policy == "idle":
        if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            applied.append("SCHED_IDLE")
        else:  # not Linux: the nice value is all the platform offers
            applied.append("SCHED_IDLE unavailable on this platform")
    return ", ".join(applied) or "normal priority"
