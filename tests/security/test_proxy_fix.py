"""Behind a reverse proxy (PROXY_FIX_*): X-Forwarded-For is believed only when configured, and then only as
many hops back as there are proxies, so the sign-in limit counts real client addresses and cannot be
dodged by sending a new made-up address with each attempt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from copro_tracker import create_app
from copro_tracker.extensions import db, limiter

ATTEMPT = {"email": "nobody@example.org", "password": "x" * 12}


@pytest.fixture
def behind_one_proxy(app) -> Iterator:
    """The test app's twin with PROXY_FIX_X_FOR=1. The limiter is one shared object: put the session app's back."""
    twin = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        AUDIT_KEY_FILE=app.config["AUDIT_KEY_FILE"],
        LOGIN_RATE_LIMIT="3 per minute",
        PROXY_FIX_X_FOR=1,
    )
    yield twin
    limiter.init_app(app)
    with twin.app_context():
        db.engine.dispose()


def _sign_in(client, forwarded_for: str | None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/sign-in", data=ATTEMPT, headers=headers).status_code


def test_without_proxy_settings_a_forwarded_address_is_ignored(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    # Each attempt claims a new address; all come from one connection, so one count holds them all.
    statuses = [_sign_in(client, f"198.51.100.{n}") for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_with_one_proxy_the_nearest_forwarded_address_is_the_client(behind_one_proxy):
    client = behind_one_proxy.test_client()
    assert [_sign_in(client, "203.0.113.5") for _ in range(4)] == [200, 200, 200, 429]
    assert _sign_in(client, "203.0.113.6") == 200  # another person behind the same proxy has their own count
    # A client that writes its own X-Forwarded-For gets the proxy's entry appended: only that one counts.
    assert _sign_in(client, "192.0.2.77, 203.0.113.5") == 429
    assert _sign_in(client, None) == 200  # no header: the proxy's own address, counted apart


def test_proxy_settings_must_be_whole_numbers(app):
    with pytest.raises(RuntimeError, match="PROXY_FIX_X_\\* settings must be whole numbers"):
        create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], PROXY_FIX_X_FOR=-1)
