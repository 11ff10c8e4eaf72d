"""In-process timings of the heavy pages at council scale: one request at a time through Flask's test client.

    .venv/bin/python bench/generate.py --url sqlite:////tmp/copro-bench.sqlite --scale full
    .venv/bin/python bench/pages_inprocess.py --url sqlite:////tmp/copro-bench.sqlite
    .venv/bin/python bench/pages_inprocess.py --url sqlite:////tmp/copro-bench.sqlite --pages coverage portfolio

No HTTP server, so this measures the app's own work per page (loading, findings, rendering) without
gunicorn or wrk, and counts the SQL statements each request runs. Signed in as the benchmark
commissioner (bench/generate.py) on their busiest initiative still in evaluation, as bench/http_pages.py.
Each page: a first request (timed apart: it may store findings the data set was loaded without, as the
first view of a day does), then --repeat timed requests; prints median and minimum milliseconds,
CPU milliseconds (time.process_time: the machine is shared, so wall time is noisy), statements and
response size. --profile FILE writes a cProfile of the timed requests (`python -m pstats FILE`). Downloads (CSV,
JSON) are disclosures and append an audit event each time, as they do in production.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import EMAIL  # noqa: E402
from bench.http_pages import page_paths  # noqa: E402
from config import database_url  # noqa: E402

PAGES = (
    "dashboard",
    "initiatives",
    "overview",
    "activity",
    "history",
    "notifications",
    "coverage",
    "portfolio",
    "criteria",
    "report",
    "report-csv",
    "report-json",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the database bench/generate.py filled")
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", metavar="FILE", help="also write a cProfile of the timed requests (pstats)")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.url
    from copro_tracker import create_app
    from copro_tracker.extensions import db
    from copro_tracker.models import User

    paths = page_paths(args.url)
    report = paths["report"]
    paths |= {
        "portfolio": "/reports/portfolio",
        "report-csv": f"{report}/csv",
        "report-json": f"{report}/json",
        "notifications": "/notifications",
    }
    app = create_app("development", SQLALCHEMY_DATABASE_URI=database_url(args.url))
    client = app.test_client()
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == EMAIL))
        user_id = user.get_id()
        engine = db.engine
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_id, True
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    profiler = cProfile.Profile() if args.profile else None
    header = f"{'page':<13} {'first ms':>9} {'median ms':>10} {'min ms':>8} {'CPU ms':>7} {'SQL':>4} {'bytes':>9}  path"
    print(header)
    for name in args.pages:
        path = paths[name]
        start = time.perf_counter()
        warm = client.get(path)
        first = (time.perf_counter() - start) * 1000
        if warm.status_code != 200:
            raise SystemExit(f"{path}: {warm.status_code}")
        times, cpu, size, counts = [], [], 0, []
        for _ in range(args.repeat):
            statements.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            if profiler is not None:
                profiler.enable()
            response = client.get(path)
            if profiler is not None:
                profiler.disable()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            counts.append(len(statements))
            size = len(response.data)
        median, fastest = statistics.median(times), min(times)
        figures = (
            f"{first:>9.1f} {median:>10.1f} {fastest:>8.1f} {statistics.median(cpu):>7.1f} {max(counts):>4} {size:>9,}"
        )
        print(f"{name:<13} {figures}  {path}", flush=True)
    if profiler is not None:
        profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
