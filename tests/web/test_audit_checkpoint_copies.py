"""Checkpoint copies kept outside the database go through the file store (area "checkpoints"), on the local
folder and on an S3-compatible bucket (a moto server process spoken to over HTTP) alike, and `flask audit
verify` reads them back to catch a truncated chain, a rollback to an older backup and a fork."""

from __future__ import annotations

import json
import logging

import pytest
import sqlalchemy as sa
from initiative_factories import make_initiative
from test_audit_integrity import assert_caught, events_of, run, triggers_lifted

from copro_tracker import storage
from copro_tracker.audit import capture, copies, ledger, service
from copro_tracker.extensions import db
from copro_tracker.models import AuditChainHead, AuditCheckpoint


@pytest.fixture
def chain(org, commissioner, partner):
    """An organisation with a real chain of events, made by the services."""
    make_initiative(commissioner, partner)
    return org


@pytest.fixture(params=["local", "s3"])
def backend(request, app, tmp_path, monkeypatch) -> str:
    """Each test runs once on a fresh local folder and once on a fresh bucket, with copies on."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    else:
        monkeypatch.setitem(app.config, "STORAGE_BACKEND", "local")
        monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
        monkeypatch.setitem(app.config, "STORAGE_DIR", str(tmp_path / "storage"))
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_COPIES", True)
    return request.param


def stored_copies(organisation_id: int) -> list[dict]:
    prefix = copies.organisation_prefix(organisation_id)
    return [json.loads(storage.read(key, area=copies.AREA)) for key in storage.keys(area=copies.AREA, prefix=prefix)]


def wind_back(organisation_id: int, keep: int, *, drop_checkpoints_above: int | None = None) -> None:
    """Make the database look like an older backup: events after `keep` gone, the chain head and its Merkle
    state wound back, and the checkpoints that signed more than `drop_checkpoints_above` events gone."""
    with triggers_lifted() as conn:
        kept = events_of(conn, organisation_id)[:keep]
        conn.execute(
            sa.text("DELETE FROM audit_checkpoint WHERE organisation_id = :o AND tree_size > :k"),
            {"o": organisation_id, "k": drop_checkpoints_above or 0},
        )
        conn.execute(
            sa.text("DELETE FROM audit_event WHERE organisation_id = :o AND seq > :k"),
            {"o": organisation_id, "k": keep},
        )
        frontier = ledger.Frontier()
        for row in kept:
            frontier.append(bytes.fromhex(row.hash))
        conn.execute(
            sa.update(AuditChainHead)
            .where(AuditChainHead.organisation_id == organisation_id)
            .values(seq=keep, hash=kept[-1].hash, frontier=frontier.encode())
        )


def test_a_copy_goes_through_the_store_only_once_its_checkpoint_commits(backend, chain):
    service.make_checkpoint(chain, commit=False)
    assert storage.keys(area=copies.AREA) == []
    db.session.rollback()
    db.session.commit()
    assert storage.keys(area=copies.AREA) == []  # a rolled-back checkpoint leaves no copy

    checkpoint = service.make_checkpoint(chain)
    assert stored_copies(chain.id) == [
        {
            **service.checkpoint_record(chain, checkpoint).to_dict(),
            "signature": checkpoint.signature,
            "key_id": checkpoint.key_id,
        }
    ]
    # Nothing else lands in the evidence area, and the key starts with the organisation and tree size.
    assert storage.keys() == []
    (key,) = storage.keys(area=copies.AREA)
    assert key.startswith(copies.key_prefix(chain.id, checkpoint.tree_size)) and storage.is_key(key)


def test_verify_reads_the_newest_copy_back_and_says_so(backend, app, chain):
    service.make_checkpoint(chain)
    later = service.make_checkpoint(chain)
    assert len(stored_copies(chain.id)) == 2
    code, output = run(app, "verify", "--org", chain.slug)
    assert code == 0, output
    assert f"It holds all {later.tree_size:,} events of the newest checkpoint copy kept outside the database" in output


def test_deleted_checkpoints_and_a_cut_chain_end_are_a_rollback(backend, app, chain):
    checkpoint = service.make_checkpoint(chain)
    size = checkpoint.tree_size
    keep = size - 3
    wind_back(chain.id, keep)  # every checkpoint in the database is gone too
    output = assert_caught(app, chain.slug, keep + 1, "rollback")
    assert f"the database has {keep} events but the checkpoint kept outside it" in output
    (key,) = storage.keys(area=copies.AREA)
    assert f"signed {size}" in output and f"Outside copy {key} in " in output


def test_a_restored_older_backup_is_a_rollback_and_writing_to_it_since_is_a_fork(backend, app, chain):
    """The database's own older checkpoint still matches a restored backup; only the copy of the newer one
    kept outside the database knows what was lost."""
    older = service.make_checkpoint(chain).tree_size
    service.make_checkpoint(chain)  # the night before the restore
    newer = service.make_checkpoint(chain).tree_size
    wind_back(chain.id, older, drop_checkpoints_above=older)
    output = assert_caught(app, chain.slug, older + 1, "rollback")
    assert f"signed {newer}" in output

    # The restored database is used again: its chain grows past the copy, with different events.
    for _ in range(newer - older + 2):
        capture.record(db.session, "audit.verified", chain.id, "organisation", chain.id, ok=True, events_checked=0)
        db.session.commit()
    output = assert_caught(app, chain.slug, None, "fork")
    assert "two different histories exist" in output


def test_a_forged_copy_is_named_not_trusted(backend, app, chain):
    checkpoint = service.make_checkpoint(chain)
    forged = {**service.checkpoint_record(chain, checkpoint).to_dict(), "signature": checkpoint.signature}
    forged["tree_size"] = checkpoint.tree_size + 50  # claims more than was signed
    stored = storage.save(
        json.dumps(forged).encode(), area=copies.AREA, prefix=copies.key_prefix(chain.id, forged["tree_size"])
    )
    output = assert_caught(app, chain.slug, None, "bad_signature")
    assert stored.key in output


def test_an_organisation_the_database_lost_is_named(backend, app, chain):
    checkpoint = service.make_checkpoint(chain)
    (key,) = storage.keys(area=copies.AREA)
    lost_id = chain.id + 1000
    storage.save(
        storage.read(key, area=copies.AREA), area=copies.AREA, prefix=copies.key_prefix(lost_id, checkpoint.tree_size)
    )
    code, output = run(app, "verify")
    assert code == 1, output
    assert f"(id {lost_id}), and the database no longer has it at all" in output
    assert f"signed {checkpoint.tree_size:,} events" in output


def test_a_store_that_cannot_be_read_fails_the_check_and_a_failed_copy_does_not_fail_the_checkpoint(
    backend, app, chain, monkeypatch, caplog
):
    def unavailable(*args, **kwargs):
        raise storage.StoreUnavailable("unavailable", OSError("the store does not answer"))

    monkeypatch.setattr(storage, "save", unavailable)
    with caplog.at_level(logging.ERROR, logger="copro_tracker.audit.copies"):
        checkpoint = service.make_checkpoint(chain)
    assert db.session.get(AuditCheckpoint, checkpoint.id) is not None
    assert "Could not copy the audit checkpoint" in caplog.text

    monkeypatch.setattr(storage, "keys", unavailable)
    output = assert_caught(app, chain.slug, None, "outside_unreadable")
    assert "the store does not answer" in output


def test_the_old_checkpoint_folder_is_still_honoured(app, chain, tmp_path, monkeypatch):
    """AUDIT_CHECKPOINT_DIR from before: new copies land in it through the store, and the copies it already
    holds in the old layout still catch a rollback."""
    folder = tmp_path / "checkpoints"
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "local")
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_DIR", str(folder))
    monkeypatch.setitem(app.config, "STORAGE_AREA_DIRS", {"checkpoints": str(folder)})
    old = service.make_checkpoint(chain).tree_size
    (key,) = storage.keys(area=copies.AREA)
    assert (folder / key[:2] / key).is_file()

    # A copy written by the previous version, in its layout, signing more events than the store's copy.
    bigger = service.make_checkpoint(chain)
    storage.delete(storage.keys(area=copies.AREA)[-1], area=copies.AREA)
    legacy = folder / chain.slug / f"{bigger.tree_size:012d}-{bigger.issued_at.replace(':', '')}.json"
    legacy.parent.mkdir()
    statement = service.checkpoint_record(chain, bigger)
    legacy.write_text(json.dumps({**statement.to_dict(), "signature": bigger.signature, "key_id": bigger.key_id}))
    bigger_size = bigger.tree_size
    wind_back(chain.id, old, drop_checkpoints_above=old)
    output = assert_caught(app, chain.slug, old + 1, "rollback")
    assert f"signed {bigger_size}" in output and str(legacy) in output
