"""Two app servers, one service: two gunicorn processes (production config) share the test's database
(SQLite or PostgreSQL), Redis (database 2) for the rate limits and a local S3 server for files. The test
plays the reverse proxy in front of them (servers.Browser), so a person may reach either server on any
request, as behind a load balancer. A separate `flask jobs worker` process does the background work
(emails, report PDFs) the servers queue in Redis."""

from __future__ import annotations

import hashlib
import re
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from activity_fixtures import team_fixture  # noqa: F401
from conftest import PASSWORD
from servers import AppServer, Browser, JobWorker, free_port

from copro_tracker.audit import ledger
from copro_tracker.codes import TokenPurpose
from copro_tracker.extensions import db
from copro_tracker.models import AccountToken, Evidence, ReportRender

pytestmark = pytest.mark.multi_instance

PUBLIC = "https://copro.example.test"
REDIS = "redis://127.0.0.1:6379/2"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Cluster:
    one: AppServer
    two: AppServer
    worker: JobWorker
    bucket: str


@pytest.fixture(scope="module")
def cluster(app, s3_server, tmp_path_factory) -> Iterator[Cluster]:
    if not redis_available():
        pytest.skip("needs Redis on 127.0.0.1:6379 (every machine of this project's kind runs one)")
    ledger.load_or_create_private_key(Path(app.config["AUDIT_KEY_FILE"]))  # production never makes one
    folder = tmp_path_factory.mktemp("servers")
    bucket = s3_server.new_bucket()
    env = {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": f"shared-{uuid.uuid4().hex}",  # the same on both, as an operator must set it
        "BASE_URL": PUBLIC,
        "RATELIMIT_STORAGE_URI": REDIS,
        "RATELIMIT_KEY_PREFIX": f"copro-test-{uuid.uuid4().hex}",  # this run's counters only
        "PROXY_FIX_X_FOR": "1",
        "PROXY_FIX_X_PROTO": "1",
        "AUDIT_KEY_FILE": app.config["AUDIT_KEY_FILE"],
        "EVIDENCE_DIR": str(folder / "no-local-evidence"),  # files must go to the bucket, not here
        "JOBS_URL": REDIS,
        # Mail "configured" so the forgotten-password job is queued; nothing listens, so sending (a job of
        # its own, after the link is issued) fails and is retried: no email leaves the test.
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(free_port()),
        "MAIL_USE_TLS": "0",
        "JOBS_QUEUE_NAME": f"coprotest{uuid.uuid4().hex}",  # this run's jobs only (Huey keeps letters and digits)
        **s3_server.settings(bucket),
    }
    started: list[AppServer | JobWorker] = []
    try:
        web = [AppServer(folder, env, name=name) for name in ("web-1", "web-2")]
        started.extend(web)
        worker = JobWorker(folder, env)
        started.append(worker)
        yield Cluster(web[0].wait_until_serving(), web[1].wait_until_serving(), worker, bucket)
    finally:
        for process in started:
            process.stop()
        # Jobs still waiting to be retried (the email nobody receives) go with this run's queue.
        import redis

        store = redis.Redis.from_url(REDIS)
        leftovers = list(store.scan_iter(match=f"*{env['JOBS_QUEUE_NAME']}*"))
        if leftovers:
            store.delete(*leftovers)


def test_the_sign_in_limit_holds_across_both_servers(cluster):
    one, two = cluster.one, cluster.two
    browser = Browser(PUBLIC, address="203.0.113.10")
    tokens = {server.port: browser.csrf_token(server, "/sign-in") for server in (one, two)}
    statuses = []
    for attempt in range(22):  # LOGIN_RATE_LIMIT is 20 per minute per client address
        server = (one, two)[attempt % 2]
        fields = {"email": "nobody@example.org", "password": "x" * 12, "csrf_token": tokens[server.port]}
        statuses.append(browser.post(server, "/sign-in", fields).status)
    assert statuses == [200] * 20 + [429, 429]
    # Counted per client address (PROXY_FIX_X_FOR=1): someone else behind the same proxy can still sign in.
    other = Browser(PUBLIC, address="203.0.113.11")
    fields = {"email": "nobody@example.org", "password": "x" * 12, "csrf_token": other.csrf_token(two, "/sign-in")}
    assert other.post(one, "/sign-in", fields).status == 200


def _sign_in(browser: Browser, server: AppServer, user) -> None:
    token = browser.csrf_token(server, "/sign-in")
    response = browser.post(server, "/sign-in", {"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status == 302, response.data[-2000:]


def test_signed_in_on_one_server_the_person_carries_on_on_the_other(cluster, commissioner):
    db.session.commit()  # the servers read committed rows
    browser = Browser(PUBLIC, address="203.0.113.20")
    assert browser.get(cluster.two, "/dashboard").status == 302  # not signed in yet: sent to sign in
    _sign_in(browser, cluster.one, commissioner)
    for server in (cluster.two, cluster.one, cluster.two):
        page = browser.get(server, "/dashboard")
        assert page.status == 200 and commissioner.display_name in page.data.decode()


def test_a_file_uploaded_on_one_server_downloads_from_the_other(cluster, team, s3_server):
    db.session.commit()
    browser = Browser(PUBLIC, address="203.0.113.21")
    _sign_in(browser, cluster.two, team.commissioner)
    form = f"/initiatives/{team.initiative.id}/evidence/new"
    fields = {
        "csrf_token": browser.csrf_token(cluster.two, form),
        "file": ("minutes.pdf", PDF, "application/pdf"),
        "consent": "anonymised",
        "description": "Notes from the March workshop",
    }
    response = browser.post(cluster.one, form, fields, multipart=True)  # the form came from the other server
    assert response.status == 302, response.data[-2000:]
    (evidence,) = db.session.scalars(sa.select(Evidence))
    assert s3_server.objects(cluster.bucket) == [f"evidence/{evidence.storage_key}"]  # in the shared bucket
    download = browser.get(cluster.two, f"/initiatives/{team.initiative.id}/evidence/{evidence.id}/download")
    assert download.status == 200 and download.data == PDF


def test_a_job_queued_by_one_server_is_done_by_the_worker(cluster, partner):
    """The forgotten-password request only queues a job (in Redis); the separate worker process issues the link."""
    db.session.commit()
    browser = Browser(PUBLIC, address="203.0.113.22")
    token = browser.csrf_token(cluster.two, "/forgotten-password")
    response = browser.post(cluster.one, "/forgotten-password", {"email": partner.email, "csrf_token": token})
    assert response.status == 200
    deadline = time.monotonic() + 90
    issued = None
    while issued is None and time.monotonic() < deadline:
        db.session.rollback()  # a fresh snapshot each time
        issued = db.session.scalar(
            sa.select(AccountToken).where(
                AccountToken.user_id == partner.id, AccountToken.purpose == TokenPurpose.PASSWORD_RESET
            )
        )
        time.sleep(0.5)
    assert issued is not None, "the worker did not run the job"


def test_a_pdf_asked_for_on_one_server_is_made_by_the_worker_and_downloads_from_the_other(cluster, team, s3_server):
    """The request only queues the render (in Redis); the separate worker lays the PDF out and stores it in
    the shared bucket; the "Your report PDF" page on the other server follows it and serves the file."""
    db.session.commit()
    browser = Browser(PUBLIC, address="203.0.113.23")
    _sign_in(browser, cluster.one, team.commissioner)
    asked = browser.get(cluster.one, f"/initiatives/{team.initiative.id}/report/pdf")
    assert asked.status == 302, asked.data[-2000:]
    status_path = re.sub(r"^https?://[^/]+", "", asked.headers["Location"])
    assert re.fullmatch(r"/reports/pdf/\d+", status_path), status_path
    deadline = time.monotonic() + 120
    while True:
        page = browser.get(cluster.two, status_path)
        assert page.status == 200, page.data[-2000:]
        text = page.data.decode()
        if "Your report is ready" in text or "could not be made" in text or time.monotonic() > deadline:
            break
        assert "Preparing your report" in text
        time.sleep(0.5)
    assert "Your report is ready" in text, cluster.worker.log.read_text()[-3000:]
    download = browser.get(cluster.two, f"{status_path}/file")
    assert download.status == 200 and download.headers["Content-Type"] == "application/pdf"
    assert download.data.startswith(b"%PDF-")
    db.session.rollback()
    render = db.session.scalar(sa.select(ReportRender).where(ReportRender.initiative_id == team.initiative.id))
    assert render.sha256 == hashlib.sha256(download.data).hexdigest()
    assert f"reports/{render.storage_key}" in s3_server.objects(cluster.bucket)  # in the shared bucket
    # Laid out by the worker, not by either web server (which run no jobs).
    worker_log = cluster.worker.log.read_text()
    assert re.search(r"huey INFO Executing copro_tracker\.reports\.rendering\.render_pdf_job", worker_log)
    for server in (cluster.one, cluster.two):
        assert "render_pdf_job" not in server.log.read_text()
