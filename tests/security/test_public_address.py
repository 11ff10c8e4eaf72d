"""Links that leave the page come from BASE_URL, never from the request's Host; production refuses
foreign hosts, per-worker rate-limit counting and cookies without the __Host- prefix."""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import PASSWORD, Page, link_path

from config import ProductionConfig
from copro_tracker import create_app
from copro_tracker.audit import ledger
from copro_tracker.extensions import limiter

EVIL = "http://evil.example"
PUBLIC = "https://copro.example.gov.uk"
REDIS = "redis://127.0.0.1:6379/0"


def production_settings(app, **overrides) -> dict:
    ledger.load_or_create_private_key(Path(app.config["AUDIT_KEY_FILE"]))  # production refuses to start without it
    settings = {
        "SECRET_KEY": "production-test-secret",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "BASE_URL": PUBLIC,
        "RATELIMIT_STORAGE_URI": REDIS,
        "AUDIT_KEY_FILE": app.config["AUDIT_KEY_FILE"],
    }
    settings.update(overrides)
    return settings


@pytest.fixture
def production(app) -> Iterator:
    """Production apps built from the test database. The limiter is one shared object, so the session app's
    in-memory store is put back afterwards (and nothing is ever reset in the shared Redis)."""
    made = []

    def build(**overrides):
        made.append(create_app(ProductionConfig, **production_settings(app, **overrides)))
        return made[-1]

    yield build
    limiter.init_app(app)
    for built in made:
        with built.app_context():
            built.extensions["sqlalchemy"].engines[None].dispose()


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


# --- H1: links come from BASE_URL -------------------------------------------------------------------------------


def test_reset_email_link_ignores_a_forged_host_header(client, app, partner, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    response = client.post("/forgotten-password", data={"email": partner.email}, base_url=EVIL)
    assert response.status_code == 200
    (message,) = app.extensions["outbox"]
    body = message.get_content()
    assert "evil.example" not in body
    link = next(line for line in body.splitlines() if "/reset-password/" in line)
    assert link.startswith(app.config["BASE_URL"] + "/reset-password/")
    assert client.post(link_path(link), data={"password": "meadow lantern quietly 1987"}).status_code == 302


def test_invitation_and_admin_reset_links_ignore_a_forged_host_header(client, app, admin, partner, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    client.post("/sign-in", data={"email": admin.email, "password": PASSWORD}, base_url=EVIL)
    response = client.post(
        "/people/invite",
        data={"display_name": "Nia", "email": "nia@example.org", "role": "citizen_partner", "partner_kind": "carer"},
        base_url=EVIL,
    )
    shown = Page(response).check().soup.select_one("#invitation-link").get_text(strip=True)
    (message,) = app.extensions["outbox"]
    assert shown.startswith(app.config["BASE_URL"] + "/invitations/") and shown in message.get_content()
    response = client.post(f"/people/{partner.id}/reset-link", data={}, base_url=EVIL)
    reset = Page(response).check().soup.select_one("#reset-link").get_text(strip=True)
    assert reset.startswith(app.config["BASE_URL"] + "/reset-password/")


def test_no_view_builds_an_absolute_link_from_the_request():
    package = Path(__file__).resolve().parents[2] / "copro_tracker"
    built_from_host = re.compile(r"(?<![a-z])_external\s*=\s*True")
    files = [*package.rglob("*.py"), *(package.parent / "templates").rglob("*.html")]
    offenders = [str(p) for p in files if built_from_host.search(p.read_text())]
    assert offenders == []


def test_production_refuses_to_start_without_a_public_https_address(app):
    with pytest.raises(RuntimeError, match="set BASE_URL in the environment"):
        create_app(ProductionConfig, **production_settings(app, BASE_URL=None))
    with pytest.raises(RuntimeError, match="BASE_URL must start with https:// in production"):
        create_app(ProductionConfig, **production_settings(app, BASE_URL="http://copro.example.gov.uk"))
    with pytest.raises(RuntimeError, match="BASE_URL must be the service's public address"):
        create_app(ProductionConfig, **production_settings(app, BASE_URL="copro.example.gov.uk"))


def test_production_refuses_requests_for_another_host(production):
    prod = production()
    client = prod.test_client()
    assert client.get("/sign-in", base_url=PUBLIC).status_code == 200
    refused = client.get("/sign-in", base_url="https://evil.example")
    assert refused.status_code == 400
    assert "evil.example" not in refused.get_data(as_text=True)
    assert client.post("/forgotten-password", data={"email": "a@b.example"}, base_url=EVIL).status_code == 400


# --- L1: one rate-limit count for every worker ------------------------------------------------------------------


def test_production_refuses_a_rate_limit_store_each_worker_keeps_to_itself(app):
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI must be a store every worker shares"):
        create_app(ProductionConfig, **production_settings(app, RATELIMIT_STORAGE_URI="memory://"))
    with pytest.raises(RuntimeError, match="set RATELIMIT_STORAGE_URI in the environment"):
        create_app(ProductionConfig, **production_settings(app, RATELIMIT_STORAGE_URI=None))


@pytest.mark.skipif(not redis_available(), reason="needs Redis on 127.0.0.1:6379 (the config check above always runs)")
def test_two_production_workers_share_one_sign_in_count_in_redis(production, app):
    # Two app instances stand for two gunicorn workers; each builds its own store from the same URI.
    prefix = f"copro-test-{uuid.uuid4().hex}"
    workers = [production(RATELIMIT_KEY_PREFIX=prefix), production(RATELIMIT_KEY_PREFIX=prefix)]
    statuses = []
    for n in range(22):
        worker = workers[n % 2].test_client()
        form = BeautifulSoup(worker.get("/sign-in", base_url=PUBLIC).get_data(as_text=True), "html.parser")
        token = form.select_one("input[name=csrf_token]")["value"]
        response = worker.post(
            "/sign-in",
            data={"email": "nobody@example.org", "password": "x" * 12, "csrf_token": token},
            base_url=PUBLIC,
            headers={"Referer": f"{PUBLIC}/sign-in"},  # Flask-WTF checks it on HTTPS
        )
        statuses.append(response.status_code)
    assert statuses[:20] == [200] * 20 and statuses[20:] == [429, 429]


# --- L9: __Host- cookies ----------------------------------------------------------------------------------------


def test_production_session_cookie_has_the_host_prefix(production):
    prod = production()
    assert prod.config["REMEMBER_COOKIE_NAME"].startswith("__Host-") and prod.config["REMEMBER_COOKIE_SECURE"]
    response = prod.test_client().get("/sign-in", base_url=PUBLIC)
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if "session=" in c]
    assert cookie.startswith("__Host-session=")
    attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
    assert "secure" in attributes and "path=/" in attributes
    assert not any(a.startswith("domain=") for a in attributes)


def test_development_and_testing_links_default_to_the_local_server(app):
    from config import DevelopmentConfig, TestingConfig

    assert TestingConfig.BASE_URL == "http://127.0.0.1:5000"
    assert re.fullmatch(r"https?://\S+", DevelopmentConfig.BASE_URL)


def test_share_link_is_built_from_base_url(client, app, commissioner):
    from initiative_factories import make_initiative

    initiative = make_initiative(commissioner)
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD}, base_url=EVIL)
    response = client.post(
        f"/reports/share-links/new?kind=initiative&initiative={initiative.id}",
        data={"expiry_days": "7"},
        base_url=EVIL,
    )
    url = Page(response).check().soup.select_one("#share-link").get_text(strip=True)
    assert url.startswith(app.config["BASE_URL"] + "/shared/")
