"""CPU per event of `flask audit verify` on a kept bench database: this process's and its range workers'.

Wall time on a shared machine mostly measures the other load; CPU time (time.process_time for this process,
getrusage(RUSAGE_CHILDREN) for the workers it waited for) is what a change to the verifier moves. Make the
database once with bench/audit_db.py --keep, then run this from each checkout to compare, alternating:

    .venv/bin/python bench/audit_db.py --events 1000000 --repeat 1 --keep /tmp/audit-1m.sqlite
    .venv/bin/python bench/audit_verify_cpu.py /tmp/audit-1m.sqlite /tmp/audit-db-bench-XXXX/audit-signing-key.pem

(the key is in the temporary folder bench/audit_db.py printed). Run it from the checkout being measured:
range workers are started from the package of the process that starts them. Each round appends one
`audit.verified` event to the file's chain.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from copro_tracker import create_app  # noqa: E402
from copro_tracker.extensions import db  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path)
    parser.add_argument("key", type=Path, help="the signing key bench/audit_db.py made for that database")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--org", default="bench")
    args = parser.parse_args()
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{args.database}",
        AUDIT_KEY_FILE=str(args.key),
        AUDIT_CHECKPOINT_DIR=tempfile.mkdtemp(prefix="audit-cpu-checkpoints-"),
    )
    runner = app.test_cli_runner()

    def verify() -> int:
        with app.app_context():
            result = runner.invoke(args=["audit", "verify", "--org", args.org])
            assert result.exit_code == 0, (result.output, result.exception)
            db.session.remove()
        return int(result.output.split(f"{args.org}: ")[1].split(" events")[0].replace(",", ""))

    verify()  # warms the page cache
    for _ in range(args.rounds):
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu, wall = time.process_time(), time.perf_counter()
        events = verify()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        per = 1e6 / events
        print(
            f"{events:,} events: wall {wall:.3f} s; CPU per event {cpu * per:.3f} µs here + {workers * per:.3f} µs "
            f"in workers = {(cpu + workers) * per:.3f} µs; load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
