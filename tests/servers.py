"""Server processes a test starts itself: a local S3-compatible store (moto's server mode) and app servers.

Each runs as its own process on a free loopback port and is spoken to over HTTP, as in production.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

# Dummy credentials: moto accepts any, and boto3 must sign its requests with something.
S3_CREDENTIALS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing", "S3_REGION": "us-east-1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server on port {port} exited early:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"Nothing answered on port {port} within {timeout} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen, how: int = signal.SIGTERM) -> None:
    """Stop a server this test run started (and its children: gunicorn's workers) by its own process group."""
    if process.poll() is None:
        os.killpg(process.pid, how)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


class S3Server:
    """`python -m moto.server` on a free port; `settings()` is the app config that points at a new bucket."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.log = folder / "moto.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for_port(self.port, self.process, self.log)
        self.url = f"http://127.0.0.1:{self.port}"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=S3_CREDENTIALS["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_CREDENTIALS["S3_SECRET_ACCESS_KEY"],
            region_name=S3_CREDENTIALS["S3_REGION"],
        )

    def new_bucket(self) -> str:
        name = f"copro-test-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def settings(self, bucket: str | None = None) -> dict[str, str]:
        return {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": bucket or self.new_bucket(),
            "S3_ENDPOINT_URL": self.url,
            "S3_PREFIX": "",
            **S3_CREDENTIALS,
        }

    def objects(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def stop(self) -> None:
        stop(self.process)


ROOT = Path(__file__).resolve().parents[1]


class AppServer:
    """The app under gunicorn (gunicorn.conf.py, FLASK_CONFIG=production, one worker) on a free port.

    `env` is the production environment: DATABASE_URL, SECRET_KEY, BASE_URL, RATELIMIT_STORAGE_URI and
    the rest, exactly as an operator sets them.
    """

    def __init__(self, folder: Path, env: dict[str, str], name: str = "web") -> None:
        self.port = free_port()
        self.log = folder / f"{name}-{self.port}.log"
        environment = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("FLASK_", "GUNICORN_", "S3_", "PROXY_FIX", "JOBS_"))
            },
            "FLASK_CONFIG": "production",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "1",
            "PYTHONPATH": str(ROOT),
            **env,
        }
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_until_serving(self) -> AppServer:
        """Started separately from waiting, so several servers boot side by side."""
        try:
            wait_for_port(self.port, self.process, self.log, timeout=120)
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        # Nothing of the test's is in flight and no state lives in the server: end it at once, workers and all.
        stop(self.process, signal.SIGKILL)


class Browser:
    """One person's browser talking to app servers through a reverse proxy this test plays: it sends the
    public Host, X-Forwarded-Proto https and X-Forwarded-For with the person's address (the servers run
    with PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1). Cookies are kept by hand: the session cookie is Secure,
    and the hop from the proxy to the app is plain HTTP, as behind a TLS-terminating proxy."""

    def __init__(self, public_url: str, address: str) -> None:
        from urllib.parse import urlsplit

        import urllib3

        self.public = public_url.rstrip("/")
        self.host = urlsplit(public_url).netloc
        self.address = address
        self.cookies: dict[str, str] = {}
        self.http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=5, read=60))

    def _headers(self, path: str) -> dict[str, str]:
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Referer": f"{self.public}{path}",  # Flask-WTF checks it on HTTPS
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers

    def _keep_cookies(self, response) -> None:
        for header in response.headers.getlist("Set-Cookie"):
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "expires=thu, 01 jan 1970" not in header.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)

    def request(self, method: str, server: AppServer, path: str, **kwargs):
        response = self.http.request(method, server.url + path, headers=self._headers(path), redirect=False, **kwargs)
        self._keep_cookies(response)
        return response

    def get(self, server: AppServer, path: str):
        return self.request("GET", server, path)

    def csrf_token(self, server: AppServer, path: str) -> str:
        from bs4 import BeautifulSoup

        page = self.get(server, path)
        assert page.status == 200, (path, page.status)
        return BeautifulSoup(page.data, "html.parser").select_one("input[name=csrf_token]")["value"]

    def post(self, server: AppServer, path: str, fields: dict, *, multipart: bool = False):
        return self.request("POST", server, path, fields=fields, encode_multipart=multipart)


class JobWorker:
    """`flask jobs worker` (one process) with the same production environment as the app servers."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.log = folder / "worker.log"
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "S3_", "PROXY_FIX", "JOBS_"))},
            "FLASK_CONFIG": "production",
            "PYTHONPATH": str(ROOT),
            "JOBS_NICE": "0",
            # A test worker shares the CPU with the test run itself: SCHED_IDLE could leave it waiting.
            "JOBS_CPU_POLICY": "nice",
            **env,
        }
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "copro_tracker", "jobs", "worker", "--workers", "1"],
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self) -> None:
        stop(self.process, signal.SIGKILL)
