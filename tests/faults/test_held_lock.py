"""Another session holds the audit chain-head lock (or, on SQLite, the write lock): a request that needs it
gives up within the lock timeout with the service's "busy" page, nothing half-saved, what was typed kept,
while reads carry on. Before, one held lock froze every worker until gunicorn killed them (a bare 500)."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from conftest import Page, login

from copro_tracker.audit import capture
from copro_tracker.extensions import db
from copro_tracker.models import Initiative

from .conftest import LOCK_TIMEOUT_MS
from .test_database_outage import FORM

pytestmark = pytest.mark.faults


def test_a_request_gives_up_on_a_held_chain_lock_and_saves_nothing(impatient_app, commissioner):
    client = impatient_app.test_client()
    login(client, commissioner)
    with db.engine.connect() as holder:
        holder.begin()
        capture.lock_chain_head(holder, commissioner.organisation_id)  # as a slow writer of the same org would

        started = time.monotonic()
        response = client.post("/initiatives/new", data=FORM)
        waited = time.monotonic() - started
        assert response.status_code == 503, response.status_code
        assert response.headers["Retry-After"].isdigit()
        page = Page(response).check()
        assert "the service is busy" in page.text("h1").lower()
        assert "has not been saved" in page.text()
        kept = {field["name"]: field["value"] for field in page.soup.select("main form input[type=hidden]")}
        assert kept["title"] == FORM["title"] and kept["summary"] == FORM["summary"]
        # Gave up after the lock timeout: not at once, and nowhere near gunicorn's 30 s worker timeout.
        assert LOCK_TIMEOUT_MS / 1000 * 0.8 <= waited < 10, waited

        # Reading goes on while the lock is held.
        assert client.get("/initiatives").status_code == 200
        holder.rollback()

    assert db.session.scalar(sa.select(sa.func.count(Initiative.id))) == 0
    assert client.post("/initiatives/new", data=FORM).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Initiative.id))) == 1


def test_web_requests_get_lock_and_statement_timeouts_the_command_line_does_not(app):
    if db.engine.dialect.name != "postgresql":
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == app.config["DB_LOCK_TIMEOUT_MS"]
        return
    with app.test_request_context("/"):
        session = db.session
        assert session.execute(sa.text("SHOW lock_timeout")).scalar() == "5s"
        assert session.execute(sa.text("SHOW statement_timeout")).scalar() == "15s"
        session.rollback()
        # The settings end with the transaction: the pooled connection carries nothing onwards.
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "0"
    assert db.session.execute(sa.text("SHOW statement_timeout")).scalar() == "0"


def test_gunicorn_gives_the_database_time_to_give_up_first(app):
    import runpy
    from pathlib import Path

    settings = runpy.run_path(str(Path(__file__).parents[2] / "gunicorn.conf.py"))
    assert settings["timeout"] > app.config["DB_STATEMENT_TIMEOUT_MS"] / 1000 + 5
    assert settings["timeout"] > app.config["DB_CONNECT_TIMEOUT_S"] + app.config["DB_LOCK_TIMEOUT_MS"] / 1000
    assert settings["graceful_timeout"] >= settings["timeout"] / 2
    assert settings["max_requests"] > 0 and 0 < settings["max_requests_jitter"] < settings["max_requests"]
