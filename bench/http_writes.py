"""HTTP benchmark of an audited write: "record an activity", POSTed by many clients at once.

    .venv/bin/python bench/generate.py --url postgresql://postgres@127.0.0.1:5432/copro_perf_writes --scale small
    .venv/bin/python bench/http_writes.py --url postgresql://postgres@127.0.0.1:5432/copro_perf_writes

Serves the app with gunicorn (2 sync workers, loopback), signs in as the benchmark commissioner, reads the
new-activity form of their busiest initiative in evaluation (about 100 activities already) to fill it in
as a person would (CSRF token, the open stage, every member attending, English), then POSTs it with
`wrk -t2 -c16 -d10s --latency` (a Lua script sends the form and counts responses other than the 302 a
saved activity gets). Afterwards it counts the activities that were created and runs
`flask audit verify --org benchshire`, which must pass: every write is an audited change, and the chain
must have no gaps or forks after the load. Bounded by --duration; the database keeps what was written.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import MAIN_SLUG  # noqa: E402
from bench.http_pages import HOST, _cookie, page_paths, serve, sign_in, stop  # noqa: E402
from config import database_url  # noqa: E402

# Its own port, so it can run beside bench/http_pages.py.
APP_PORT = 8793

POST_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
function response(status, headers, body)
  if status ~= 302 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("non2xx: %d\\n", total))
end
"""


def form_body(page: str) -> str:
    """The new-activity form filled in the way a person would, from the page itself."""
    soup = BeautifulSoup(page, "html.parser")
    form = next(f for f in soup.select("form") if f.select_one("[name=title]"))
    today = date.today()
    data: list[tuple[str, str]] = []
    seen_radio: set[str] = set()
    for field in form.select("input, textarea, select"):
        name, kind = field.get("name"), field.get("type", "")
        if not name:
            continue
        if field.name == "textarea":
            data.append((name, ""))
        elif field.name == "select":
            data.append((name, ""))
        elif kind == "radio" and name not in seen_radio:
            seen_radio.add(name)
            data.append((name, field.get("value", "")))
        elif kind == "checkbox" and (name == "attendees" or (name == "languages" and field.get("value") == "en")):
            data.append((name, field.get("value", "")))
        elif kind == "hidden":
            data.append((name, field.get("value", "")))
        elif kind in ("text", "") and field.name == "input":
            part = field.get("id", "").rsplit("-", 1)[-1]
            if part in ("day", "month", "year"):
                data.append((name, str(getattr(today, part))))
            elif name == "title":
                data.append((name, "Drop-in session (load test)"))
    return urlencode(data)


def count_activities(url: str, initiative_id: int) -> int:
    engine = sa.create_engine(database_url(url) or url)
    with engine.connect() as conn:
        count = conn.scalar(sa.text("SELECT COUNT(*) FROM activity WHERE initiative_id = :i"), {"i": initiative_id})
    engine.dispose()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="a database bench/generate.py filled (it is written to)")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu), then run this again.")
    folder = Path(tempfile.mkdtemp(prefix="bench-writes-"))
    script = folder / "post.lua"
    script.write_text(POST_SCRIPT)
    config = folder / "gunicorn.conf.py"
    config.write_text("")
    # One key across runs: a checkpoint signed in one run must verify in the next.
    key = Path(tempfile.gettempdir()) / "copro-bench-audit-signing-key.pem"
    env = dict(os.environ)
    env.update(
        FLASK_CONFIG="development",
        SECRET_KEY="bench-only-not-secret",
        BASE_URL=f"http://{HOST}:{APP_PORT}",
        DATABASE_URL=args.url,
        AUDIT_KEY_FILE=str(key),
        RATELIMIT_STORAGE_URI="memory://",
    )
    overview = page_paths(args.url)["overview"]
    initiative_id = int(overview.rsplit("/", 1)[1])
    app = serve("copro_tracker:create_app()", APP_PORT, env, args.workers, config)
    try:
        from bench.http_pages import _wait_ready

        _wait_ready(APP_PORT, app, "/sign-in")
        cookie = sign_in(APP_PORT)
        conn = http.client.HTTPConnection(HOST, APP_PORT, timeout=30)
        conn.request("GET", f"{overview}/activities/new", headers={"Cookie": cookie})
        response = conn.getresponse()
        body = form_body(response.read().decode())
        cookie = _cookie(response.getheaders()) or cookie  # the form's CSRF secret lives in the session
        before = count_activities(args.url, initiative_id)
        command = [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--latency",
            "-s",
            str(script),
            "-H",
            f"Cookie: {cookie}",
            f"http://{HOST}:{APP_PORT}{overview}/activities/new",
        ]
        output = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=args.duration + 60,
            check=True,
            env={**env, "BENCH_BODY": body},
        ).stdout
    finally:
        stop(app)
    created = count_activities(args.url, initiative_id) - before
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)
    bad = re.search(r"non2xx: (\d+)", output).group(1)
    print(f"POST {overview}/activities/new, wrk -t{args.threads} -c{args.connections} -d{args.duration}s")
    print(f"req/s {rps}  p50 {p50}  p99 {p99}  responses other than 302: {bad}  activities created: {created}")
    verify = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "copro_tracker", "audit", "verify", "--org", MAIN_SLUG],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=ROOT,
    )
    # Every line: a first verify of a copied database warns (and makes its first checkpoint) after its OK line.
    print((verify.stdout + verify.stderr).strip())
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
