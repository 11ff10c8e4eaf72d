"""Backup → restore → verify: the database, evidence files and public key come back together; a read-only
verify writes nothing; a checkpoint kept outside names the restored copy's rollback, and then its fork."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
import sqlalchemy as sa
from activity_fixtures import team_fixture  # noqa: F401
from conftest import login

from copro_tracker import create_app, storage
from copro_tracker.extensions import db
from copro_tracker.models import AuditEvent, AuditVerification, Evidence, Initiative

from .test_database_outage import FORM

pytestmark = pytest.mark.faults

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _run(app, *args: str, code: int = 0) -> str:
    # Flask's commands use the current app when there is one: the test's own context holds the suite's.
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
    assert result.exit_code == code, (args, result.exit_code, result.output, result.exception)
    return result.output


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
        verifications = db.session.scalar(sa.select(sa.func.count(AuditVerification.id)))
        db.session.remove()
    return events, verifications


@pytest.fixture
def restored(app, fresh_url, tmp_path):
    other = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=fresh_url,
        EVIDENCE_DIR=str(tmp_path / "restored-evidence"),
        AUDIT_KEY_FILE=app.config["AUDIT_KEY_FILE"],
    )
    other.test_client_class = app.test_client_class
    other.extensions["outbox"] = []
    yield other
    with other.app_context():
        db.engine.dispose()


def test_backup_restore_verify_round_trip_names_the_rollback_and_the_fork(app, team, restored, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    client = app.test_client()
    login(client, team.commissioner)
    response = client.post(
        f"/initiatives/{team.initiative.id}/evidence/new",
        data={"file": (io.BytesIO(PDF), "minutes.pdf"), "consent": "anonymised", "description": "Minutes"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    slug = team.commissioner.organisation.slug
    early, later = tmp_path / "early.json", tmp_path / "later.json"
    _run(app, "audit", "checkpoint", "--out", str(early))

    output = _run(app, "backup", "--to", str(tmp_path / "backups"), "--archive")
    assert "1 evidence file(s), the audit public key" in output
    (archive,) = (tmp_path / "backups").glob("copro-backup-*.tar.gz")

    # Life goes on after the backup, and a checkpoint of it is kept outside the database.
    assert client.post("/initiatives/new", data=FORM).status_code == 302
    _run(app, "audit", "checkpoint", "--out", str(later))
    assert (
        json.loads(later.read_text())["checkpoints"][0]["tree_size"]
        > json.loads(early.read_text())["checkpoints"][0]["tree_size"]
    )

    output = _run(restored, "restore", str(archive))
    assert "1 evidence file(s)" in output and "0 file(s) without a row removed" in output
    with restored.app_context():
        (evidence,) = db.session.scalars(sa.select(Evidence))
        assert hashlib.sha256(storage.read(evidence.storage_key)).hexdigest() == evidence.sha256
        assert db.session.scalar(sa.select(sa.func.count(Initiative.id))) == 1  # the later one is not there
        db.session.remove()

    # Read-only verification writes nothing, and the restored trail verifies on its own terms...
    before = _counts(restored)
    assert f"OK    {slug}" in _run(restored, "audit", "verify", "--read-only")
    assert "holds all" in _run(restored, "audit", "verify", "--read-only", "--against", str(early))
    # ...but the checkpoint kept outside shows it is older than what was signed later: a rollback.
    output = _run(restored, "audit", "verify", "--read-only", "--against", str(later), code=1)
    assert "[rollback] ROLLBACK" in output
    assert _counts(restored) == before

    # Restoring over data is refused unless forced; forced, the old evidence store is kept aside.
    assert "Not restored: the database has data" in _run(restored, "restore", str(archive), code=1)
    assert "is now" in _run(restored, "restore", str(archive), "--force")

    # The restored copy is written to: its history now differs from the signed one, a fork.
    restored_client = restored.test_client()
    login(restored_client, team.commissioner)
    size = json.loads(later.read_text())["checkpoints"][0]["tree_size"]
    for attempt in range(10):
        with restored.app_context():
            current = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
            db.session.remove()
        if current >= size:
            break
        data = dict(FORM, title=f"Written after the restore {attempt}")
        assert restored_client.post("/initiatives/new", data=data).status_code == 302
    output = _run(restored, "audit", "verify", "--read-only", "--against", str(later), code=1)
    assert "[fork] FORK" in output


def test_a_damaged_backup_is_refused_before_anything_is_touched(app, restored, tmp_path):
    _run(app, "backup", "--to", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").glob("copro-backup-*")
    database = next(p for p in folder.iterdir() if p.name.startswith("database."))
    database.write_bytes(database.read_bytes()[:-10])
    assert "is damaged" in _run(restored, "restore", str(folder), code=1)
    with restored.app_context():
        assert sa.inspect(db.engine).get_table_names() == []


def test_backup_lists_every_part_with_its_hash_and_never_the_private_key(app, tmp_path):
    _run(app, "audit", "public-key", "--create")
    output = _run(app, "backup", "--to", str(tmp_path / "b"))
    (folder,) = (tmp_path / "b").glob("copro-backup-*")
    manifest = json.loads((folder / "manifest.json").read_text())
    paths = {part["path"] for part in manifest["parts"]}
    assert "audit-public-key.pem" in paths and manifest["database"]["file"] in paths
    assert "PRIVATE" not in (folder / "audit-public-key.pem").read_text()
    assert "Backed up to" in output
    for part in manifest["parts"]:
        assert hashlib.sha256((folder / part["path"]).read_bytes()).hexdigest() == part["sha256"]


def _upload(app, team) -> None:
    client = app.test_client()
    login(client, team.commissioner)
    response = client.post(
        f"/initiatives/{team.initiative.id}/evidence/new",
        data={"file": (io.BytesIO(PDF), "minutes.pdf"), "consent": "anonymised", "description": "Minutes"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


@pytest.mark.parametrize("source", ["local", "s3"])
def test_files_in_a_bucket_are_backed_up_and_restored_into_an_empty_bucket(
    app, team, restored, tmp_path, monkeypatch, s3_server, source
):
    """From a bucket to a bucket, and from the local folder to a bucket: the way to move to S3."""
    if source == "s3":
        for name, value in s3_server.settings().items():
            monkeypatch.setitem(app.config, name, value)
    else:
        monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    _upload(app, team)
    assert "1 evidence file(s)" in _run(app, "backup", "--to", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").glob("copro-backup-*")

    target = s3_server.settings()
    for name, value in target.items():
        monkeypatch.setitem(restored.config, name, value)
    output = _run(restored, "restore", str(backup))
    assert "1 evidence file(s)" in output and "0 file(s) without a row removed" in output
    with restored.app_context():
        (evidence,) = db.session.scalars(sa.select(Evidence))
        assert storage.read(evidence.storage_key) == PDF
        db.session.remove()
    assert s3_server.objects(target["S3_BUCKET"]) == [f"evidence/{evidence.storage_key}"]

    # A bucket cannot be moved aside: restoring over one with files is refused, even with --force.
    output = _run(restored, "restore", str(backup), "--force", code=1)
    assert "a bucket cannot be moved aside" in output
    assert s3_server.objects(target["S3_BUCKET"]) == [f"evidence/{evidence.storage_key}"]
