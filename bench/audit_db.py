"""Benchmark: `flask audit verify` on a stored chain (the database path) against raw hashlib over the same bytes.

Generates N seeded canonical payloads shaped like capture.py's events (the same generator as
bench/audit_verify.py), chains them, bulk-inserts them into a fresh SQLite file with SQLAlchemy Core, then
times, best of --repeat rounds each:

  (a) raw hashlib.sha256 over every payload, held in memory as bytes;
  (b) `flask audit verify --org bench`, run in-process through the CLI runner: streams seq, prev_hash, hash
      and the payload bytes from SQLite (yield_per), recomputes every hash and link and the Merkle root,
      checks the checkpoint made after loading, stores the result and appends `audit.verified`;
  (c) the same command in a fresh process (`flask --app copro_tracker audit verify`), once, for wall time
      including start-up and the peak memory of that process (streaming keeps it flat).

The figure of merit is (b)/(a) in events per second.

    .venv/bin/python bench/audit_db.py --events 1000000          # full size (about 2 GB of RAM, several minutes)
    .venv/bin/python bench/audit_db.py --events 100000 --repeat 3  # what `make bench` runs
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from audit_verify import make_payloads, raw_comprehension, raw_loop, timed  # noqa: E402

from copro_tracker import create_app  # noqa: E402
from copro_tracker.audit import ledger, service  # noqa: E402
from copro_tracker.extensions import db  # noqa: E402
from copro_tracker.models import AuditChainHead, AuditEvent, AuditValue, Organisation  # noqa: E402

INSERT_BATCH = 20_000


def load(app, payloads: list[bytes]) -> None:
    """Chain the payloads and bulk-insert them with SQLAlchemy Core, as one organisation's chain."""
    with app.app_context():
        db.create_all()
        with db.engine.begin() as conn:
            organisation_id = conn.execute(
                sa.insert(Organisation.__table__)
                .values(name="Bench County Council", slug="bench", nation="england", created_at=datetime(2026, 1, 1))
                .returning(Organisation.__table__.c.id)
            ).scalar_one()
        events = ledger.build_chain(payloads)
        occurred = datetime(2026, 1, 1)
        table = AuditEvent.__table__
        for start in range(0, len(events), INSERT_BATCH):
            rows = [
                {
                    "organisation_id": organisation_id,
                    "seq": event.seq,
                    "occurred_at": occurred,
                    "actor_id": None,
                    "action": "bench.event",
                    "entity_type": "bench",
                    "entity_id": event.seq,
                    "initiative_id": None,
                    "payload": event.payload.decode(),
                    "prev_hash": event.prev_hash,
                    "hash": event.hash,
                }
                for event in events[start : start + INSERT_BATCH]
            ]
            with db.engine.begin() as conn:
                conn.execute(sa.insert(table), rows)
        with db.engine.begin() as conn:
            conn.execute(
                sa.insert(AuditChainHead.__table__).values(
                    organisation_id=organisation_id, seq=events[-1].seq, hash=events[-1].hash
                )
            )
        # The synthetic payloads' references have no values to re-hash: store them as erased, as after a
        # person's erasure, so verify finds a row for each (its check of erasable values then runs in full).
        refs = [ref.decode() for payload in payloads for ref in re.findall(rb'"ref":"([0-9a-f]{64})"', payload)]
        for start in range(0, len(refs), INSERT_BATCH):
            with db.engine.begin() as conn:
                conn.execute(
                    sa.insert(AuditValue.__table__),
                    [
                        {
                            "ref": ref,
                            "organisation_id": organisation_id,
                            "salt": None,
                            "value": None,
                            "erased_at": occurred,
                        }
                        for ref in refs[start : start + INSERT_BATCH]
                    ],
                )
        del events
        organisation = db.session.get(Organisation, organisation_id)
        checkpoint = service.make_checkpoint(organisation)  # so verify also checks a signature and a root
        print(f"checkpoint of {checkpoint.tree_size:,} events, root {checkpoint.root_hash}")
        db.session.remove()
        # Fold the write-ahead log into the database file, as SQLite does when a writer closes: reading
        # through a 600 MB WAL is slower than production ever would be.
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best time of each contender counts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the database here and keep it (default: a temporary file)")
    args = parser.parse_args()

    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, SQLAlchemy {sa.__version__}")
    workdir = Path(tempfile.mkdtemp(prefix="audit-db-bench-"))
    path = args.keep or workdir / "bench.sqlite"
    path.unlink(missing_ok=True)
    key_file = workdir / "audit-signing-key.pem"
    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", AUDIT_KEY_FILE=str(key_file), AUDIT_CREATE_KEY=True
    )

    started = time.perf_counter()
    payloads = make_payloads(args.events, args.seed)
    total = sum(map(len, payloads))
    seconds = time.perf_counter() - started
    print(f"generated {len(payloads):,} payloads in {seconds:.1f} s; mean {total / len(payloads):.0f} B")
    started = time.perf_counter()
    load(app, payloads)
    size_mb = path.stat().st_size / 1e6
    print(f"bulk-inserted into {path} ({size_mb:,.0f} MB) in {time.perf_counter() - started:.1f} s")
    gc.collect()

    runner = app.test_cli_runner()

    def verify() -> None:
        with app.app_context():
            result = runner.invoke(args=["audit", "verify", "--org", "bench"])
            assert result.exit_code == 0, (result.output, result.exception)
            db.session.remove()

    verify()  # warm the page cache, so every round reads the file from memory alike
    raw_seconds = verify_seconds = float("inf")
    for _ in range(args.repeat):
        raw_seconds = min(raw_seconds, timed(lambda: raw_loop(payloads)), timed(lambda: raw_comprehension(payloads)))
        verify_seconds = min(verify_seconds, timed(verify))
    raw_rate = args.events / raw_seconds
    verify_rate = args.events / verify_seconds
    print(f"(a) raw hashlib.sha256 over payloads     : {raw_rate:12,.0f} events/s  ({raw_seconds:.3f} s)")
    print(f"(b) flask audit verify (SQLite, streamed): {verify_rate:12,.0f} events/s  ({verify_seconds:.3f} s)")
    print(f"ratio (b)/(a) = {verify_rate / raw_rate:.3f}")

    payloads.clear()
    gc.collect()
    env = {
        **os.environ,
        "FLASK_CONFIG": "development",
        "DATABASE_URL": f"sqlite:///{path}",
        "AUDIT_KEY_FILE": str(key_file),
        # Its own place for checkpoint copies: the development default is shared with other benchmarks'
        # databases, whose organisation 1 is not this one.
        "AUDIT_CHECKPOINT_DIR": str(workdir / "checkpoints"),
    }
    flask = str(Path(sys.executable).parent / "flask")
    command = [flask, "--app", "copro_tracker", "audit", "verify", "--org", "bench"]
    # GNU time reports the command's own peak RSS. (getrusage(RUSAGE_CHILDREN) would count the forked copy
    # of this process, which holds every payload, before it execs.)
    timer = shutil.which("time", path="/usr/bin:/bin")
    report = workdir / "rss.txt"
    if timer:
        command = [timer, "-f", "%M", "-o", str(report), *command]
    started = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - started
    peak = f"{int(report.read_text().split()[-1]) / 1024:,.0f} MB" if timer and report.exists() else "not measured"
    print(f"(c) fresh process: exit {completed.returncode}, {wall:.2f} s wall incl. start-up, peak RSS {peak}")
    print("    " + (completed.stdout + completed.stderr).strip().replace("\n", "\n    "))
    if args.keep is None:
        path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
