"""Outage and held-lock measurement: what 16 concurrent people see when PostgreSQL goes away, and when one
session holds the audit chain lock, with gunicorn as configured by gunicorn.conf.py; and that nothing is lost.

    .venv/bin/python bench/outage.py --url postgresql://postgres@127.0.0.1:5432/copro_outage_bench

The database named in --url is DROPPED and recreated. The app reaches it through a loopback TCP proxy
(tests/faults/tcp_proxy.py), never stopping the shared PostgreSQL: cutting the proxy closes every live
connection and refuses new ones, as a stopped server does. Timeline (--seconds, default 60):

    0-15 s   normal            15-25 s  database unreachable (proxy cut)
    25-35 s  normal            35-55 s  another session holds the organisation's chain-head lock
    55-60 s  normal

Each of --clients threads signs in (a real POST with its CSRF token) and loops, bounded by the clock:
read the dashboard, open the new-initiative form, create an initiative with a unique title, and every
third round upload a small PDF to it. Every response is classed: the service's own page (200/302, or 503
"unavailable"/"busy" with Retry-After), or anything else (a bare 500, a reset connection...). Afterwards
the database is compared with what each person was told: a 302 means saved (the row must exist: else a
lost write), a 503 means not saved (the row must not exist: else a phantom write); evidence files are
checked against their rows, and `flask audit verify --read-only` checks the chain. Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from faults.tcp_proxy import TcpProxy  # noqa: E402

HOST = "127.0.0.1"
EMAIL = "commissioner@northshire.example"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def phase_of(t: float, args: argparse.Namespace) -> str:
    if args.outage_at <= t < args.outage_at + args.outage_seconds:
        return "outage"
    if args.lock_at <= t < args.lock_at + args.lock_seconds:
        return "lock"
    return "normal"


class Client:
    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.cookie = ""

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read().decode("utf-8", "replace")
            for key, value in response.getheaders():
                if key.lower() == "set-cookie" and "session=" in value.split(";", 1)[0]:
                    self.cookie = value.split(";", 1)[0]
            return response.status, dict(response.getheaders()), data
        finally:
            connection.close()


def classify(status: int, headers: dict, body: str) -> str:
    if status in (200, 302):
        return str(status)
    if status == 503 and "Retry-After" in headers:
        if "the service is unavailable" in body:
            return "503 unavailable (service page)"
        if "the service is busy" in body:
            return "503 busy (service page)"
    if status == 500 and "Sorry, there is a problem with the service" in body:
        return "500 (service page)"
    return f"{status} OTHER"


def multipart(fields: dict[str, str], file: tuple[str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    filename, data = file
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def worker(number: int, args, started: float, records: list, claims: list, lock: threading.Lock, port: int) -> None:
    client = Client(port, timeout=args.client_timeout)
    password = args.password

    def record(kind: str, outcome: str, began: float) -> None:
        now = time.monotonic()
        with lock:
            records.append((began - started, phase_of(began - started, args), kind, outcome, now - began))

    def call(kind: str, method: str, path: str, body=None, content_type=None):
        began = time.monotonic()
        try:
            status, headers, text = client.request(method, path, body, content_type)
        except (OSError, http.client.HTTPException) as error:
            record(kind, f"no response ({error.__class__.__name__})", began)
            return None, {}, ""
        record(kind, classify(status, headers, text), began)
        return status, headers, text

    deadline = started + args.seconds
    # Sign in (retrying through an outage, bounded by the run's clock).
    while time.monotonic() < deadline:
        status, _, page = call("sign-in page", "GET", "/sign-in")
        token = TOKEN.search(page or "")
        if status == 200 and token:
            status, _, _ = call(
                "sign-in",
                "POST",
                "/sign-in",
                urlencode({"csrf_token": token.group(1), "email": EMAIL, "password": password}).encode(),
                "application/x-www-form-urlencoded",
            )
            if status == 302:
                break
        time.sleep(0.5)
    round_ = 0
    while time.monotonic() < deadline:
        round_ += 1
        call("read", "GET", "/dashboard")
        status, _, page = call("read", "GET", "/initiatives/new")
        token = TOKEN.search(page or "")
        if status != 200 or not token:
            time.sleep(0.2)
            continue
        title = f"Outage bench {number}-{round_}-{uuid.uuid4().hex[:6]}"
        began = time.monotonic() - started
        status, headers, _ = call(
            "write",
            "POST",
            "/initiatives/new",
            urlencode(
                {
                    "csrf_token": token.group(1),
                    "title": title,
                    "summary": "Written by bench/outage.py",
                    "service_area": "Day opportunities",
                    "statutory_functions": "information_advice",
                    "level": "collective",
                },
                doseq=True,
            ).encode(),
            "application/x-www-form-urlencoded",
        )
        with lock:
            claims.append(("initiative", title, status, phase_of(began, args)))
        if status != 302 or round_ % 3:
            continue
        location = headers.get("Location", "")
        match = re.search(r"/initiatives/(\d+)", location)
        if not match:
            continue
        initiative = match.group(1)
        status, _, page = call("read", "GET", f"/initiatives/{initiative}/evidence/new")
        token = TOKEN.search(page or "")
        if status != 200 or not token:
            continue
        description = f"Evidence {title}"
        body, content_type = multipart(
            {"csrf_token": token.group(1), "consent": "anonymised", "description": description},
            ("minutes.pdf", PDF),
        )
        began = time.monotonic() - started
        status, _, _ = call("upload", "POST", f"/initiatives/{initiative}/evidence/new", body, content_type)
        with lock:
            claims.append(("evidence", description, status, phase_of(began, args)))


def recreate(url: sa.URL) -> None:
    admin = sa.create_engine(
        url.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "copro_tracker", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="postgresql://… (this database is dropped and recreated)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--outage-at", type=float, default=15)
    parser.add_argument("--outage-seconds", type=float, default=10)
    parser.add_argument("--lock-at", type=float, default=35)
    parser.add_argument("--lock-seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--client-timeout", type=float, default=60)
    args = parser.parse_args()

    url = sa.make_url(args.url)
    if url.get_backend_name() != "postgresql" or url.host not in (None, "127.0.0.1", "localhost"):
        sys.exit("--url must be a PostgreSQL database on this machine (127.0.0.1)")
    recreate(url)
    proxy = TcpProxy(url.host or HOST, url.port or 5432).start()
    via_proxy = url.set(host=HOST, port=proxy.port).render_as_string(hide_password=False)
    direct = url.render_as_string(hide_password=False)
    scratch = Path(tempfile.mkdtemp(prefix="copro-outage-"))
    env = dict(
        os.environ,
        FLASK_CONFIG="development",  # production's HTTPS-only cookies and Redis rate limits do not fit loopback
        SECRET_KEY="outage-bench-not-secret",
        DATABASE_URL=via_proxy,
        EVIDENCE_DIR=str(scratch / "evidence"),
        AUDIT_KEY_FILE=str(scratch / "audit-key.pem"),
        GUNICORN_BIND=f"{HOST}:{args.port}",
        WEB_CONCURRENCY=str(args.workers),
    )
    for step in (("db", "upgrade"), ("demo",), ("audit", "public-key", "--create"), ("audit", "checkpoint")):
        result = flask(env, *step)
        if result.returncode:
            sys.exit(f"flask {' '.join(step)} failed: {result.stderr[-2000:]}")
    from copro_tracker.demo import DEMO_PASSWORD

    args.password = DEMO_PASSWORD
    log = (scratch / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped whole at the end
    )
    try:
        for _ in range(120):
            try:
                Client(args.port, 5).request("GET", "/")
                break
            except OSError:
                time.sleep(0.5)
        else:
            sys.exit("gunicorn did not start")
        records: list = []
        claims: list = []
        lock = threading.Lock()
        started = time.monotonic()
        threads = [
            threading.Thread(target=worker, args=(n, args, started, records, claims, lock, args.port), daemon=True)
            for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()

        engine = sa.create_engine(direct.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as conn:
            org = conn.execute(sa.text("SELECT id FROM organisation WHERE slug = 'northshire'")).scalar_one()
        events = []

        def at(t: float) -> None:
            time.sleep(max(0.0, started + t - time.monotonic()))

        at(args.outage_at)
        proxy.stop()
        events.append(("database cut", time.monotonic() - started))
        at(args.outage_at + args.outage_seconds)
        proxy.start()
        events.append(("database back", time.monotonic() - started))
        at(args.lock_at)
        holder = engine.connect()
        holder.begin()
        holder.execute(sa.text("SELECT seq FROM audit_chain_head WHERE organisation_id = :o FOR UPDATE"), {"o": org})
        events.append(("chain lock taken", time.monotonic() - started))
        at(args.lock_at + args.lock_seconds)
        holder.rollback()
        holder.close()
        events.append(("chain lock released", time.monotonic() - started))
        for thread in threads:
            thread.join(timeout=args.seconds + args.client_timeout + 30)
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
        proxy.stop()

    # What was saved, against what people were told.
    with engine.connect() as conn:
        titles = set(conn.execute(sa.text("SELECT title FROM initiative WHERE title LIKE 'Outage bench %'")).scalars())
        evidence = {
            row.description: row.storage_key
            for row in conn.execute(sa.text("SELECT description, storage_key FROM evidence"))
        }
    engine.dispose()
    lost = phantom = unknown = 0
    for kind, name, status, _phase in claims:
        present = name in (titles if kind == "initiative" else evidence)
        if status == 302 and not present:
            lost += 1
        elif status != 302 and present:
            phantom += 1 if status is not None else 0
            unknown += 1 if status is None else 0
    store = scratch / "evidence"
    files = [p for p in store.rglob("*") if p.is_file()] if store.exists() else []
    published = {p.name for p in files if not p.name.endswith(".part")}
    staged = [p.name for p in files if p.name.endswith(".part")]
    rows_without_files = sorted(set(evidence.values()) - published)
    files_without_rows = sorted(published - set(evidence.values()))
    env["DATABASE_URL"] = direct
    verify = flask(env, "audit", "verify", "--read-only")

    by_phase: dict[str, Counter] = defaultdict(Counter)
    slowest: dict[str, float] = defaultdict(float)
    durations: dict[str, list[float]] = defaultdict(list)
    for _t, phase, kind, outcome, seconds in records:
        by_phase[phase][f"{kind}: {outcome}"] += 1
        slowest[phase] = max(slowest[phase], seconds)
        durations[phase].append(seconds)
    report = {
        "clients": args.clients,
        "gunicorn_workers": args.workers,
        "seconds": round(elapsed, 1),
        "events": [(name, round(t, 1)) for name, t in events],
        "responses": {phase: dict(sorted(counter.items())) for phase, counter in by_phase.items()},
        "median_seconds": {phase: round(statistics.median(v), 3) for phase, v in durations.items()},
        "slowest_seconds": {phase: round(v, 2) for phase, v in slowest.items()},
        "writes_claimed_saved": sum(1 for c in claims if c[2] == 302),
        "writes_told_not_saved": sum(1 for c in claims if c[2] not in (302, None)),
        "lost_writes": lost,
        "phantom_writes": phantom,
        "no_response_but_saved": unknown,
        "evidence_rows": len(evidence),
        "evidence_rows_without_files": len(rows_without_files),
        "evidence_files_without_rows": len(files_without_rows),
        "staged_files_left": len(staged),
        "audit_verify": (verify.stdout + verify.stderr).strip().splitlines()[-3:],
        "audit_verify_exit": verify.returncode,
        "gunicorn_log": str(scratch / "gunicorn.log"),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
