"""One contract for every file store: the local folder and an S3-compatible bucket (a moto server process
spoken to over HTTP) pass the same tests, through the same public interface (copro_tracker.storage)."""

from __future__ import annotations

import hashlib
import io
import time

import pytest
import sqlalchemy as sa
from activity_fixtures import team_fixture  # noqa: F401
from conftest import Page, login
from flask_sqlalchemy.session import Session as FlaskSession

from copro_tracker import storage
from copro_tracker.extensions import db
from copro_tracker.models import Evidence

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(params=["local", "s3"])
def backend(request, app, tmp_path, monkeypatch) -> str:
    """Each test runs once on a fresh local folder and once on a fresh bucket."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    else:
        monkeypatch.setitem(app.config, "STORAGE_BACKEND", "local")
        monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
        monkeypatch.setitem(app.config, "STORAGE_DIR", str(tmp_path / "storage"))
    return request.param


def _later(monkeypatch, seconds: float) -> None:
    """Move the sweep's clock forward, so files look that much older (S3 sets its own LastModified)."""
    now = time.time()
    monkeypatch.setattr(storage.time, "time", lambda: now + seconds)


def test_saved_bytes_come_back_by_key(backend):
    stored = storage.save(PDF)
    assert (stored.size, stored.sha256) == (len(PDF), hashlib.sha256(PDF).hexdigest())
    assert storage.is_key(stored.key) and storage.exists(stored.key)
    assert storage.read(stored.key) == PDF
    with storage.open(stored.key) as stream:
        assert stream.read(4) == b"%PDF" and stream.read() == PDF[4:]
    assert storage.keys() == [stored.key]
    assert storage.save(PDF).key != stored.key  # a new key every time, never a name someone chose


def test_a_staged_file_exists_before_publishing_and_goes_when_discarded(backend):
    stored = storage.stage(PDF)
    assert storage.exists(stored.key) and storage.keys() == [stored.key]
    storage.discard(stored.key)
    assert not storage.exists(stored.key) and storage.keys() == []
    with pytest.raises(storage.NotFound):
        storage.read(stored.key)


def test_a_staged_file_whose_row_committed_is_readable_even_unpublished(backend):
    stored = storage.stage(PDF)  # the worker died between the commit and publishing
    assert storage.read(stored.key) == PDF
    storage.publish(stored.key)
    storage.publish(stored.key)  # publishing twice (a sweep and the request) is harmless
    assert storage.read(stored.key) == PDF


def test_delete_removes_the_bytes_and_is_idempotent(backend):
    stored = storage.save(PDF)
    storage.delete(stored.key)
    assert not storage.exists(stored.key) and storage.keys() == []
    with pytest.raises(storage.NotFound):
        storage.open(stored.key)
    storage.delete(stored.key)
    staged = storage.stage(PDF)
    storage.delete(staged.key)  # a staged file too
    assert not storage.exists(staged.key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "AB" * 24, "", "ab/cd", "a" * 101])
def test_only_keys_the_store_made_are_accepted(backend, key):
    for use in (storage.read, storage.exists, storage.delete, storage.publish):
        with pytest.raises(ValueError, match="Not a storage key"):
            use(key)


def test_areas_are_kept_apart(backend):
    report = storage.save(b"report", area="reports")
    evidence = storage.save(PDF)
    assert storage.keys() == [evidence.key] and storage.keys(area="reports") == [report.key]
    assert not storage.exists(report.key) and storage.read(report.key, area="reports") == b"report"
    with pytest.raises(ValueError, match="Not a storage area"):
        storage.keys(area="../evidence")


def test_a_prefix_starts_the_key_and_lists_only_its_own_keys(backend):
    first = storage.save(b"one", area="checkpoints", prefix="0000002a" + "00000000000a")
    second = storage.save(b"two", area="checkpoints", prefix="0000002a" + "0000000000ff")
    other = storage.save(b"other", area="checkpoints", prefix="0000002b")
    assert first.key.startswith("0000002a00000000000a") and storage.is_key(first.key)
    assert storage.keys(area="checkpoints", prefix="0000002a") == [first.key, second.key]  # by tree size
    assert storage.keys(area="checkpoints", prefix="0000002b") == [other.key]
    assert storage.keys(area="checkpoints", prefix="ff") == []
    assert len(storage.keys(area="checkpoints")) == 3
    for prefix in ("../", "AB", "0" * (storage.MAX_PREFIX + 1)):
        with pytest.raises(ValueError, match="Not a key prefix"):
            storage.save(b"x", area="checkpoints", prefix=prefix)
        with pytest.raises(ValueError, match="Not a key prefix"):
            storage.keys(area="checkpoints", prefix=prefix)


def test_sweep_keeps_rows_files_leaves_recent_ones_removes_old_orphans_and_reports_missing(backend, monkeypatch):
    kept = storage.save(PDF)
    staged_with_row = storage.stage(PDF)
    orphan = storage.save(PDF)
    in_flight = storage.stage(PDF)
    missing = "cd" * 24
    rows = [kept.key, staged_with_row.key, missing]

    report = storage.sweep(lambda: rows, grace_seconds=3600)
    assert sorted(report.recent) == sorted(
        [orphan.key, in_flight.key + (storage.TEMP_SUFFIX if backend == "local" else "")]
    )
    assert report.missing == [missing] and not report.ok
    assert report.published == ([staged_with_row.key] if backend == "local" else [])
    assert storage.exists(orphan.key) and storage.exists(in_flight.key)

    _later(monkeypatch, 2 * 3600)
    dry = storage.sweep(lambda: rows, grace_seconds=3600, dry_run=True)
    assert len(dry.removed_orphans) + len(dry.removed_temporaries) == 2
    assert storage.exists(orphan.key) and storage.exists(in_flight.key)  # a dry run changes nothing

    report = storage.sweep(lambda: rows, grace_seconds=3600)
    removed = report.removed_orphans + report.removed_temporaries
    assert sorted(name.removesuffix(storage.TEMP_SUFFIX) for name in removed) == sorted([orphan.key, in_flight.key])
    assert storage.keys() == sorted([kept.key, staged_with_row.key])
    assert storage.read(staged_with_row.key) == PDF


def test_the_sweep_never_touches_other_areas_or_files_that_are_not_its_own(backend, monkeypatch, app, s3_server):
    other_area = storage.save(b"checkpoint", area="checkpoints")
    if backend == "s3":
        s3_server.client().put_object(Bucket=app.config["S3_BUCKET"], Key="evidence/README.txt", Body=b"ours?")
    _later(monkeypatch, 10 * 3600)
    report = storage.sweep(list, grace_seconds=0)
    assert report.ok and report.removed_orphans == []
    assert storage.read(other_area.key, area="checkpoints") == b"checkpoint"
    if backend == "s3":
        assert "evidence/README.txt" in s3_server.objects(app.config["S3_BUCKET"])


# --- through the web: an upload's file is stored before its row commits, then downloads -------------------------


def _upload(client, team, data=PDF):
    return client.post(
        f"/initiatives/{team.initiative.id}/evidence/new",
        data={"file": (io.BytesIO(data), "minutes.pdf"), "consent": "anonymised", "description": "Notes"},
        content_type="multipart/form-data",
    )


def test_an_upload_is_in_the_store_before_its_row_commits_and_downloads(backend, client, team, monkeypatch):
    stored_when_written: list[tuple[str, bool]] = []

    def after_flush(session, _context):  # the row is written, not yet committed
        for obj in session.new:
            if isinstance(obj, Evidence):
                stored_when_written.append((obj.storage_key, storage.exists(obj.storage_key)))

    sa.event.listen(FlaskSession, "after_flush", after_flush)
    try:
        login(client, team.commissioner)
        assert _upload(client, team).status_code == 302
    finally:
        sa.event.remove(FlaskSession, "after_flush", after_flush)
    (evidence,) = db.session.scalars(sa.select(Evidence))
    assert stored_when_written == [(evidence.storage_key, True)]
    response = client.get(f"/initiatives/{team.initiative.id}/evidence/{evidence.id}/download")
    assert response.status_code == 200 and response.data == PDF

    storage.delete(evidence.storage_key)  # the bytes gone (withdrawn, or lost): not found, never a 500
    response = client.get(f"/initiatives/{team.initiative.id}/evidence/{evidence.id}/download")
    assert response.status_code == 404


def test_the_sweep_command_tidies_the_bucket_too(backend, app, team, monkeypatch):
    login(app.test_client(), team.commissioner)
    orphan = storage.save(PDF)
    _later(monkeypatch, 2 * 3600)
    result = app.test_cli_runner().invoke(args=["storage", "sweep"])
    assert result.exit_code == 0, result.output
    assert "1 file(s) without a row removed" in result.output
    assert not storage.exists(orphan.key)


# --- an S3 store that does not answer --------------------------------------------------------------------------


@pytest.fixture
def s3_down(app, s3_storage, monkeypatch) -> None:
    from servers import free_port

    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens
    monkeypatch.setitem(app.config, "S3_CONNECT_TIMEOUT_S", 1)


def test_an_s3_store_that_does_not_answer_reshows_the_upload_form(s3_down, client, team):
    login(client, team.commissioner)
    response = _upload(client, team)
    assert response.status_code == 200
    (error,) = Page(response).check().errors()
    assert "the storage for evidence files is not working" in error and "Nothing has been saved" in error
    assert db.session.scalar(sa.select(sa.func.count(Evidence.id))) == 0


def test_a_download_while_the_s3_store_does_not_answer_is_a_503_page(app, s3_storage, client, team, monkeypatch):
    login(client, team.commissioner)
    assert _upload(client, team).status_code == 302
    (evidence,) = db.session.scalars(sa.select(Evidence))
    from servers import free_port

    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setitem(app.config, "S3_CONNECT_TIMEOUT_S", 1)
    response = client.get(f"/initiatives/{team.initiative.id}/evidence/{evidence.id}/download")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.get_data(as_text=True)


def test_only_the_storage_package_knows_where_files_live():
    """Views and services name files by key; paths, folders and buckets are the storage package's alone."""
    import re
    from pathlib import Path

    package = Path(storage.__file__).resolve().parents[1]
    settings = re.compile(r"EVIDENCE_DIR|STORAGE_DIR|S3_BUCKET|S3_ENDPOINT_URL|boto3")
    file_access = re.compile(r"pathlib|\bPath\(|(?<![.\w])open\(|send_file|send_from_directory|os\.path")
    offenders = []
    for module in package.rglob("*.py"):
        if module.parent.name == "storage":
            continue
        text = module.read_text()
        if settings.search(text):
            offenders.append(f"{module.relative_to(package)}: names where files are kept")
        if module.name == "views.py" and file_access.search(text):
            offenders.append(f"{module.relative_to(package)}: a view touches files directly")
    assert offenders == []


def test_the_worker_sweeps_the_store_every_night_and_a_second_run_finds_nothing(backend, app, team, monkeypatch):
    from copro_tracker.activities import jobs as activity_jobs
    from copro_tracker.jobs import huey

    assert "copro_tracker.activities.jobs.nightly_evidence_sweep" in {
        huey._registry.task_to_string(task) for task in huey._registry._periodic_tasks
    }
    kept = storage.save(PDF)
    db.session.add(
        Evidence(
            organisation_id=team.initiative.organisation_id,
            initiative_id=team.initiative.id,
            filename="minutes.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
            storage_key=kept.key,
            description="",
            consent="anonymised",
            uploaded_by_id=team.commissioner.id,
        )
    )
    db.session.commit()
    orphan = storage.save(PDF)
    activity_jobs.nightly_evidence_sweep()
    assert storage.exists(orphan.key), "younger than the grace: maybe an upload in flight"
    _later(monkeypatch, app.config["STORAGE_SWEEP_GRACE_MINUTES"] * 60 + 60)
    activity_jobs.nightly_evidence_sweep()
    assert storage.keys() == [kept.key]
    activity_jobs.nightly_evidence_sweep()
    assert storage.keys() == [kept.key] and storage.read(kept.key) == PDF
