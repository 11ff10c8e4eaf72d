"""Configuration refuses unsafe production starts; the CLI creates organisations, users and demo data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from config import ProductionConfig
from copro_tracker import create_app
from copro_tracker.demo import DEMO_PASSWORD
from copro_tracker.extensions import db
from copro_tracker.models import Organisation, User


def test_production_refuses_to_start_without_secret_and_database(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY, SQLALCHEMY_DATABASE_URI"):
        create_app("production")


def _production(app, **overrides) -> dict:
    settings = {
        "SECRET_KEY": "production-test-secret",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "BASE_URL": "https://copro.example.gov.uk",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "AUDIT_SIGNING_KEY": None,
    }
    settings.update(overrides)
    return settings


def test_production_refuses_to_start_without_an_audit_signing_key(app, tmp_path):
    missing = tmp_path / "no-such-key.pem"
    with pytest.raises(RuntimeError, match="Refusing to start: there is no audit signing key") as refused:
        create_app(ProductionConfig, **_production(app, AUDIT_KEY_FILE=str(missing)))
    assert str(missing) in str(refused.value) and "audit public-key --create" in str(refused.value)
    assert not missing.exists()  # production never makes a key of its own
    with pytest.raises(RuntimeError, match="not an unencrypted Ed25519 private key"):
        create_app(ProductionConfig, **_production(app, AUDIT_SIGNING_KEY="not a key"))
    not_a_key = tmp_path / "not-a-key.pem"
    not_a_key.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(RuntimeError, match="not an unencrypted Ed25519 private key"):
        create_app(ProductionConfig, **_production(app, AUDIT_KEY_FILE=str(not_a_key)))


def test_production_starts_with_a_signing_key_file(app, tmp_path):
    from copro_tracker.audit import ledger
    from copro_tracker.extensions import limiter

    key_file = tmp_path / "audit-signing-key.pem"
    ledger.load_or_create_private_key(key_file)
    try:
        production = create_app(ProductionConfig, **_production(app, AUDIT_KEY_FILE=str(key_file)))
        assert production.config["AUDIT_KEY_FILE"] == str(key_file)
    finally:
        limiter.init_app(app)  # the limiter is one shared object: give the suite's app its store back


def test_create_org_and_user_commands(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-org", "--name", "Eastmere Council", "--slug", "eastmere", "--nation", "england"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "create-user",
            "--org",
            "eastmere",
            "--email",
            "Ada@Eastmere.example",
            "--name",
            "Ada",
            "--role",
            "admin",
        ],
        input="orchard violin pebble 7731\norchard violin pebble 7731\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "ada@eastmere.example"))
    assert user.role.value == "admin"
    weak = runner.invoke(
        args=["create-user", "--org", "eastmere", "--email", "bob@eastmere.example", "--name", "Bob"],
        input="password123\npassword123\n",
    )
    assert weak.exit_code != 0 and "too easy to guess" in weak.output


def test_demo_data_loads_twice_without_duplicates(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert DEMO_PASSWORD in first.output and "partner@northshire.example" in first.output
    runner.invoke(args=["demo"])
    orgs = db.session.scalars(sa.select(Organisation).order_by(Organisation.slug)).all()
    assert [(o.slug, o.nation.value) for o in orgs] == [("glanyrafon", "wales"), ("northshire", "england")]
    for org in orgs:
        roles = sorted(u.role.value for u in db.session.scalars(sa.select(User).where(User.organisation_id == org.id)))
        assert roles == [
            "admin",
            "citizen_partner",
            "citizen_partner",
            "citizen_partner",
            "commissioner",
            "commissioner",
        ]


def test_demo_has_an_initiative_in_each_stage(app):
    from copro_tracker.models import Initiative

    app.test_cli_runner().invoke(args=["demo"])
    stages = {
        i.title.split(" / ")[0]: (i.current_stage.value, [s.status.value for s in i.stages])
        for i in db.session.scalars(sa.select(Initiative))
    }
    assert stages == {
        "Redesigning day opportunities with people with learning disabilities": (
            "delivery",
            ["complete", "awaiting_signoff", "not_started"],
        ),
        "Carers' information and advice plan": ("design", ["awaiting_signoff", "not_started", "not_started"]),
        "Shaping the home care market together": ("evaluation", ["complete", "complete", "in_progress"]),
    }
