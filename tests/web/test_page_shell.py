"""The cost every page pays before its own content: start-up, the signed-in user, the navigation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from conftest import login

from copro_tracker.auth import passwords
from copro_tracker.extensions import db
from copro_tracker.web import templating

ROOT = Path(__file__).resolve().parents[2]


def test_importing_and_creating_the_app_hashes_no_password():
    # Each gunicorn worker and CLI command used to pay ~0.3 s of scrypt for the login timing dummy.
    probe = (
        "import hashlib, werkzeug.security as ws\n"
        "calls = []\n"
        "real_scrypt, real_generate = hashlib.scrypt, ws.generate_password_hash\n"
        "hashlib.scrypt = lambda *a, **k: (calls.append('scrypt'), real_scrypt(*a, **k))[1]\n"
        "ws.generate_password_hash = lambda *a, **k: (calls.append('generate'), real_generate(*a, **k))[1]\n"
        "from copro_tracker import create_app\n"
        "create_app('testing')\n"
        "assert not calls, calls\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_unknown_email_dummy_hash_costs_what_a_real_one_does():
    method = passwords.hash_password("a throwaway password 123").split("$", 1)[0]
    assert passwords.DUMMY_HASH.split("$", 1)[0] == method
    assert not passwords.check_password(None, "not-a-real-password-0000")


def test_a_signed_in_page_loads_the_user_and_organisation_in_one_statement(client, admin):
    login(client, admin)
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/profile").status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    # /profile shows only the person: its whole cost is the shell (user with organisation) and nothing else.
    # (On PostgreSQL each request also sets its lock and statement timeouts.)
    selects = [s for s in statements if "set_config" not in s]
    assert len(selects) == 1 and "organisation" in selects[0] and "user_account" in selects[0]


def test_the_navigation_is_worked_out_once_per_request(client, admin, monkeypatch):
    login(client, admin)
    checks: list[str] = []
    real_can = templating.can

    def counting_can(user, action, obj=None):
        checks.append(action)
        return real_can(user, action, obj)

    monkeypatch.setattr(templating, "can", counting_can)
    page = client.get("/profile").get_data(as_text=True)
    # One role-level check per optional item, once: the layout used to render the header twice.
    assert sorted(checks) == ["audit.admin", "coverage.view", "members.view", "payment.export", "report.portfolio"]
    assert page.count('id="navigation"') == 1
    assert 'aria-current="page"' in page
