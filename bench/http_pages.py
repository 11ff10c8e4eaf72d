"""HTTP benchmark: each page of the app under wrk, against a bare Flask "hello" in the same run.

Needs wrk (Debian: `apt-get install -y wrk`) and gunicorn (in the dev dependencies), and a database
filled by bench/generate.py:

    .venv/bin/python bench/generate.py --url sqlite:////tmp/copro-bench.sqlite --scale full
    .venv/bin/python bench/http_pages.py --url sqlite:////tmp/copro-bench.sqlite
    .venv/bin/python bench/http_pages.py --url sqlite:////tmp/copro-bench.sqlite --pages dashboard coverage

Serves the app (FLASK_CONFIG=development, debug off: production's HTTPS-only settings do not fit
loopback) and bench/hello_app.py, each with gunicorn, 2 sync workers, on loopback ports only. Signs in
as the benchmark commissioner with a real POST to /sign-in (CSRF token included) and replays that
session cookie. Then for each page, --repeat times: wrk on hello, then wrk on the page
(`wrk -t2 -c16 -d10s --latency` by default), so both see the same machine load. Prints per page the
median req/s, p50 and p99 of the repetitions, the number of non-2xx responses (a small Lua script
counts them: wrk's own counter lets redirects through) and the ratio page req/s / hello req/s, taken
per pair and then the median.

Every load loop is bounded: wrk runs for --duration seconds; start-up waits at most 60 s.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import EMAIL, MAIN_SLUG, PASSWORD  # noqa: E402
from config import database_url  # noqa: E402

HOST = "127.0.0.1"
HELLO_PORT = 8791
APP_PORT = 8792
PAGES = ("dashboard", "initiatives", "overview", "activity", "criteria", "report", "coverage", "history")

COUNT_STATUSES = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("non2xx: %d\\n", total))
end
"""


def _fail(message: str) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(2)


def page_paths(url: str) -> dict[str, str]:
    """Paths for the benchmark commissioner's pages: their busiest initiative still in evaluation."""
    engine = sa.create_engine(database_url(url) or url)
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT i.id AS initiative_id, MAX(a.id) AS activity_id FROM initiative i "
                "JOIN organisation o ON o.id = i.organisation_id "
                "JOIN user_account u ON u.id = i.created_by_id "
                "JOIN activity a ON a.initiative_id = i.id "
                "WHERE o.slug = :slug AND u.email = :email AND i.current_stage = 'evaluation' "
                "GROUP BY i.id ORDER BY COUNT(a.id) DESC, i.id LIMIT 1"
            ),
            {"slug": MAIN_SLUG, "email": EMAIL},
        ).first()
    engine.dispose()
    if row is None:
        _fail("No benchmark initiative found: run bench/generate.py on this database first.")
    initiative, activity = row.initiative_id, row.activity_id
    return {
        "dashboard": "/dashboard",
        "initiatives": "/initiatives",
        "overview": f"/initiatives/{initiative}",
        "activity": f"/initiatives/{initiative}/activities/{activity}",
        "criteria": f"/initiatives/{initiative}/criteria",
        "report": f"/initiatives/{initiative}/report",
        "coverage": "/coverage",
        "history": f"/initiatives/{initiative}/history",
    }


def _cookie(headers: list[tuple[str, str]]) -> str | None:
    for key, value in headers:
        if key.lower() == "set-cookie" and "session=" in value.split(";", 1)[0]:
            return value.split(";", 1)[0]
    return None


def sign_in(port: int) -> str:
    """POST the sign-in form like a browser; return the `Cookie` header value of the signed-in session."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/sign-in")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = _cookie(response.getheaders())
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    if cookie is None or token is None:
        _fail("The sign-in page did not set a session cookie and CSRF token.")
    body = urlencode({"csrf_token": token.group(1), "email": EMAIL, "password": PASSWORD})
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request(
        "POST",
        "/sign-in",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    response.read()
    signed_in = _cookie(response.getheaders())
    if response.status != 302 or signed_in is None:
        _fail(f"Signing in failed (HTTP {response.status}); is this a bench/generate.py database?")
    return signed_in


def _wait_ready(port: int, process: subprocess.Popen, path: str = "/") -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _fail(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    _fail(f"gunicorn on port {port} did not answer within 60 s")


def serve(app: str, port: int, env: dict[str, str], workers: int, config: Path) -> subprocess.Popen:
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    command = [
        str(gunicorn if gunicorn.exists() else shutil.which("gunicorn") or "gunicorn"),
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        # Not the production gunicorn.conf.py: its access log and worker recycling would be measured too.
        "--config",
        str(config),
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT),
        app,
    ]
    return subprocess.Popen(command, env=env, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url: str, args: argparse.Namespace, script: str, cookie: str | None) -> dict[str, float]:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=args.duration + 60, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    if re.search(r"^\s+0 requests in", output, re.M):
        # Nothing finished within the run: every request took longer than --duration seconds.
        return {"rps": 0.0, "p50": float("inf"), "p99": float("inf"), "non2xx": 0}
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    bad = int(re.search(r"non2xx: (\d+)", output).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": bad}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the database bench/generate.py filled")
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES))
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        _fail("wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu), then run this again.")

    folder = Path(tempfile.mkdtemp(prefix="bench-http-"))
    script = folder / "statuses.lua"
    script.write_text(COUNT_STATUSES)
    env = dict(os.environ)
    # The development configuration: production insists on HTTPS, a shared rate-limit store and a public
    # host name, none of which a loopback benchmark has; the code each request runs is the same.
    env.update(
        FLASK_CONFIG="development",
        SECRET_KEY="bench-only-not-secret",
        BASE_URL=f"http://{HOST}:{APP_PORT}",
        DATABASE_URL=args.url,
        AUDIT_KEY_FILE=str(folder / "audit-signing-key.pem"),
        RATELIMIT_STORAGE_URI="memory://",
    )
    from copro_tracker.audit import ledger

    ledger.load_or_create_private_key(folder / "audit-signing-key.pem")
    paths = page_paths(args.url)
    config = folder / "gunicorn.conf.py"
    config.write_text("")
    hello = serve("bench.hello_app:app", HELLO_PORT, env, args.workers, config)
    app = serve("copro_tracker:create_app()", APP_PORT, env, args.workers, config)
    try:
        _wait_ready(HELLO_PORT, hello)
        _wait_ready(APP_PORT, app, "/sign-in")
        cookie = sign_in(APP_PORT)
        print(
            f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, gunicorn {args.workers} sync "
            f"workers, {args.repeat} repetitions, database {sa.make_url(database_url(args.url)).get_backend_name()}"
        )
        header = f"{'page':<12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'hello/s':>8} {'ratio':>7}"
        print(header)
        for number, name in enumerate(args.pages):
            if number:
                # A fresh app server per page: requests a slow page left queued (wrk stops sending, the
                # workers do not stop serving) would otherwise be charged to the next page.
                stop(app)
                app = serve("copro_tracker:create_app()", APP_PORT, env, args.workers, config)
                _wait_ready(APP_PORT, app, "/sign-in")
            pairs = []
            for _ in range(args.repeat):
                base = run_wrk(f"http://{HOST}:{HELLO_PORT}/", args, str(script), None)
                page = run_wrk(f"http://{HOST}:{APP_PORT}{paths[name]}", args, str(script), cookie)
                pairs.append((base, page))
            median = statistics.median
            print(
                f"{name:<12} {median(p['rps'] for _, p in pairs):>8.1f} {median(p['p50'] for _, p in pairs):>8.1f} "
                f"{median(p['p99'] for _, p in pairs):>8.1f} {sum(p['non2xx'] for _, p in pairs):>8d} "
                f"{median(b['rps'] for b, _ in pairs):>8.0f} {median(p['rps'] / b['rps'] for b, p in pairs):>7.4f}",
                flush=True,
            )
        print("paths: " + ", ".join(f"{name}={paths[name]}" for name in args.pages))
    finally:
        stop(app)
        stop(hello)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
