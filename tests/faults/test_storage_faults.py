"""Evidence files and their rows stay in step whatever fails: a full or read-only store, a database that
gives up mid-upload, a worker killed between writing the file and committing the row."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from activity_fixtures import team_fixture  # noqa: F401
from conftest import Page, login

from copro_tracker import storage
from copro_tracker.activities.service import sweep_evidence_store
from copro_tracker.audit import capture
from copro_tracker.extensions import db
from copro_tracker.models import AuditEvent, Evidence
from copro_tracker.storage import local

from .conftest import store_files

pytestmark = pytest.mark.faults

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
DESCRIPTION = "Notes from the March workshop\nwith everyone's changes"


@pytest.fixture
def store(app, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "evidence"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(folder))
    return folder


def _upload(client, team):
    return client.post(
        f"/initiatives/{team.initiative.id}/evidence/new",
        data={"file": (io.BytesIO(PDF), "minutes.pdf"), "consent": "anonymised", "description": DESCRIPTION},
        content_type="multipart/form-data",
    )


def _nothing_saved():
    assert db.session.scalar(sa.select(sa.func.count(Evidence.id))) == 0
    assert "evidence.uploaded" not in db.session.scalars(sa.select(AuditEvent.action)).all()


@pytest.mark.parametrize(
    ("failure", "where", "message"),
    [
        (errno.ENOSPC, "write", "the storage for evidence files is full"),
        (errno.EROFS, "open", "the storage for evidence files cannot be written to"),
        (errno.EACCES, "open", "the storage for evidence files cannot be written to"),
        (errno.EIO, "fsync", "the storage for evidence files is not working"),
    ],
)
def test_a_store_that_cannot_take_the_file_reshows_the_form(client, team, store, monkeypatch, failure, where, message):
    login(client, team.commissioner)
    real = getattr(os, where)

    def fail_after_some_bytes(fd, data):  # a disk that fills up part way through the file
        real(fd, bytes(data[:10]))
        raise OSError(failure, os.strerror(failure))

    def fail(*args, **kwargs):
        if where == "open" and not str(args[0]).endswith(storage.TEMP_SUFFIX):
            return real(*args, **kwargs)  # folders are opened to fsync them
        raise OSError(failure, os.strerror(failure))

    monkeypatch.setattr(local.os, where, fail_after_some_bytes if where == "write" else fail)
    response = _upload(client, team)
    monkeypatch.undo()
    assert response.status_code == 200
    page = Page(response).check()
    (error,) = page.errors()
    assert message in error and "Nothing has been saved" in error
    assert page.soup.select_one("textarea#description").text.strip() == DESCRIPTION
    assert page.soup.select_one("input[name=consent][value=anonymised][checked]")
    _nothing_saved()
    assert store_files(store) == []  # not even the part-written temporary file


def test_a_database_that_gives_up_mid_upload_leaves_no_file(impatient_app, team):
    """The issue's case: the chain lock was held, the worker was killed, and the file stayed without a row."""
    client = impatient_app.test_client()
    login(client, team.commissioner)
    folder = Path(impatient_app.config["EVIDENCE_DIR"])
    with db.engine.connect() as holder:
        holder.begin()
        capture.lock_chain_head(holder, team.commissioner.organisation_id)
        response = _upload(client, team)
        holder.rollback()
    assert response.status_code == 503
    page = Page(response).check()
    assert page.soup.select_one("main input[name=description]")["value"] == DESCRIPTION
    assert "Files you chose are not sent again" in page.text()
    _nothing_saved()
    assert store_files(folder) == []
    assert _upload(client, team).status_code == 302  # and it works once the lock is gone
    (evidence,) = db.session.scalars(sa.select(Evidence))
    assert store_files(folder) == [evidence.storage_key]


KILLED_MID_UPLOAD = textwrap.dedent(
    """
    import os, signal, sys
    sys.path[:0] = [{tests!r}, {root!r}]
    from copro_tracker import create_app
    from copro_tracker.activities import service
    from copro_tracker.extensions import db
    from copro_tracker.models import Initiative, User

    app = create_app("testing", SQLALCHEMY_DATABASE_URI={url!r}, EVIDENCE_DIR={store!r}, AUDIT_KEY_FILE={key!r})
    with app.app_context():
        def killed(*args, **kwargs):  # the file is written and synced; the worker dies before the commit
            os.kill(os.getpid(), signal.SIGKILL)
        db.session.commit = killed
        service.upload_evidence(
            db.session.get(User, {user}), db.session.get(Initiative, {initiative}), data={data!r},
            filename="minutes.pdf", consent="anonymised", description="lost", activity_id=None, decision_id=None,
        )
    """
)


def test_a_worker_killed_between_file_and_commit_leaves_a_temporary_file_the_sweep_removes(app, team, store):
    root = Path(__file__).parents[2]
    script = KILLED_MID_UPLOAD.format(
        tests=str(root / "tests"),
        root=str(root),
        url=app.config["SQLALCHEMY_DATABASE_URI"],
        store=str(store),
        key=app.config["AUDIT_KEY_FILE"],
        user=team.commissioner.id,
        initiative=team.initiative.id,
        data=PDF,
    )
    db.session.commit()
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120, check=False)
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()[-2000:]
    (leftover,) = store_files(store)
    assert leftover.endswith(storage.TEMP_SUFFIX)  # never published: nothing refers to it
    _nothing_saved()

    report = sweep_evidence_store(grace_seconds=3600)
    assert report.recent == [leftover] and store_files(store) == [leftover]  # maybe an upload in flight
    old = time.time() - 2 * 3600
    os.utime(next(store.rglob(leftover)), (old, old))
    report = sweep_evidence_store(grace_seconds=3600)
    assert report.removed_temporaries == [leftover] and report.ok
    assert store_files(store) == []


def test_the_sweep_publishes_committed_files_removes_orphans_and_reports_missing_ones(app, team, store):
    committed = storage.stage(PDF)  # a worker died after the commit, before the rename
    orphan = storage.stage(PDF)
    storage.publish(orphan.key)  # a file whose row is gone
    for key, filename in ((committed.key, "a.pdf"), ("ab" * 24, "missing.pdf")):
        db.session.add(
            Evidence(
                organisation_id=team.initiative.organisation_id,
                initiative_id=team.initiative.id,
                filename=filename,
                content_type="application/pdf",
                size=len(PDF),
                sha256="0" * 64,
                storage_key=key,
                description="",
                consent="anonymised",
                uploaded_by_id=team.commissioner.id,
            )
        )
    db.session.commit()
    old = time.time() - 2 * 3600
    for path in store.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))

    result = app.test_cli_runner().invoke(args=["storage", "sweep", "--dry-run"])
    assert result.exit_code == 1 and "1 file(s) without a row would be removed" in result.output
    assert len(store_files(store)) == 2  # a dry run changes nothing

    result = app.test_cli_runner().invoke(args=["storage", "sweep"])
    assert result.exit_code == 1, result.output  # a row's file is missing: someone must look
    assert f"MISSING  evidence file {'ab' * 24}" in result.output
    assert "1 staged file(s) published" in result.output and "1 file(s) without a row removed" in result.output
    assert store_files(store) == [committed.key]
