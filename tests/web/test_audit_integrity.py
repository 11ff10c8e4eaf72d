"""Tamper-evidence end to end: rows changed behind the app's back by raw SQL (with the append-only triggers
lifted inside the test) are caught by `flask audit verify`, which names the exact seq and failure kind; and
the checkpoint, proof and export tools, the admin buttons and the signing-key rules work as documented."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import get_page, make_org, make_user
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from initiative_factories import make_initiative

from copro_tracker.audit import ledger, service
from copro_tracker.codes import OrgRole
from copro_tracker.extensions import db
from copro_tracker.models import AuditChainHead, AuditCheckpoint, AuditEvent, AuditValue, AuditVerification
from copro_tracker.models.audit import SQLITE_TRIGGERS

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def triggers_lifted() -> Iterator[sa.Connection]:
    """A connection on which audit_event accepts UPDATE and DELETE, as for an attacker with DBA rights."""
    db.session.commit()
    engine = db.engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
            yield conn
            conn.execute(sa.text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        else:
            conn.execute(sa.text("DROP TRIGGER audit_event_no_update"))
            conn.execute(sa.text("DROP TRIGGER audit_event_no_delete"))
            yield conn
            for statement in SQLITE_TRIGGERS:
                conn.execute(sa.text(statement))
    db.session.rollback()  # forget anything the session read meanwhile: it must see the tampering


def events_of(conn: sa.Connection, organisation_id: int) -> list[sa.Row]:
    return list(
        conn.execute(
            sa.text(
                "SELECT id, seq, prev_hash, hash, payload FROM audit_event WHERE organisation_id = :org ORDER BY seq"
            ),
            {"org": organisation_id},
        )
    )


def set_event(conn: sa.Connection, organisation_id: int, at_seq: int, /, **values: object) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    conn.execute(
        sa.text(f"UPDATE audit_event SET {assignments} WHERE organisation_id = :where_org AND seq = :where_seq"),
        {**values, "where_org": organisation_id, "where_seq": at_seq},
    )


def rehash(prev_hash: str, payload: str) -> str:
    return ledger.event_hash(bytes.fromhex(prev_hash), payload.encode()).hex()


def run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["audit", *args])
    return result.exit_code, result.output


def assert_caught(app: Flask, slug: str, seq: int | None, kind: str) -> str:
    code, output = run(app, "verify", "--org", slug)
    assert code == 1, output
    where = f"event {seq} " if seq is not None else ""
    assert f"FAIL  {slug}: {where}[{kind}]" in output, output
    db.session.rollback()
    latest = db.session.scalar(sa.select(AuditVerification).order_by(AuditVerification.id.desc()))
    assert latest is not None and not latest.ok and latest.message in output
    return output


@pytest.fixture
def chain(org, commissioner, partner):
    """An organisation with a real chain of ten or so events, made by the services."""
    make_initiative(commissioner, partner)
    size = service.chain_size(org)
    assert size >= 8
    return org


def test_an_untouched_chain_verifies(app, chain):
    code, output = run(app, "verify", "--org", chain.slug)
    assert code == 0, output
    size = service.chain_size(chain) - 1  # verifying appended `audit.verified` after it counted
    assert f"OK    {chain.slug}: {size:,} events" in output
    assert "every link and hash is intact" in output


def test_edited_payload_is_named(app, chain):
    with triggers_lifted() as conn:
        row = events_of(conn, chain.id)[2]
        set_event(conn, chain.id, 3, payload=row.payload.replace('"v":1', '"v":2'))
    output = assert_caught(app, chain.slug, 3, "hash_mismatch")
    assert "stored hash does not match its contents" in output


def test_edit_with_its_own_hash_recomputed_breaks_the_next_link(app, chain):
    with triggers_lifted() as conn:
        row = events_of(conn, chain.id)[3]
        payload = row.payload.replace('"v":1', '"v":2')
        set_event(conn, chain.id, 4, payload=payload, hash=rehash(row.prev_hash, payload))
    assert_caught(app, chain.slug, 5, "prev_hash_mismatch")


def test_deleted_row_is_named(app, chain):
    with triggers_lifted() as conn:
        conn.execute(sa.text("DELETE FROM audit_event WHERE organisation_id = :o AND seq = 4"), {"o": chain.id})
    output = assert_caught(app, chain.slug, 4, "gap")
    assert "Event 4 is missing" in output


def test_reordered_rows_are_named(app, chain):
    with triggers_lifted() as conn:
        set_event(conn, chain.id, 3, seq=-3)
        set_event(conn, chain.id, 4, seq=3)
        set_event(conn, chain.id, -3, seq=4)
    assert_caught(app, chain.slug, 3, "prev_hash_mismatch")


def test_truncated_tail_after_a_checkpoint_is_named(app, chain):
    checkpoint = service.make_checkpoint(chain)
    size = checkpoint.tree_size
    keep = size - 3
    with triggers_lifted() as conn:
        last_kept = events_of(conn, chain.id)[keep - 1]
        conn.execute(
            sa.text("DELETE FROM audit_event WHERE organisation_id = :o AND seq > :k"), {"o": chain.id, "k": keep}
        )
        # A careful attacker also winds the chain head back, so only the signed checkpoint remembers.
        conn.execute(
            sa.update(AuditChainHead)
            .where(AuditChainHead.organisation_id == chain.id)
            .values(seq=keep, hash=last_kept.hash)
        )
    output = assert_caught(app, chain.slug, keep + 1, "truncated")
    assert f"events {keep + 1} to {size} are missing" in output


def test_truncated_tail_before_any_checkpoint_is_caught_by_the_chain_head(app, chain):
    size = service.chain_size(chain)
    with triggers_lifted() as conn:
        conn.execute(sa.text("DELETE FROM audit_event WHERE organisation_id = :o AND seq > 5"), {"o": chain.id})
    output = assert_caught(app, chain.slug, 6, "truncated")
    assert f"its head records {size} events" in output


def test_forged_prev_hash_is_named(app, chain):
    with triggers_lifted() as conn:
        row = events_of(conn, chain.id)[5]
        forged = "ab" * 32
        set_event(conn, chain.id, 6, prev_hash=forged, hash=rehash(forged, row.payload))
    output = assert_caught(app, chain.slug, 6, "prev_hash_mismatch")
    assert "its link to event 5 is broken" in output


def test_consistent_rewrite_of_the_whole_chain_is_caught_by_the_checkpoint(app, chain):
    service.make_checkpoint(chain)
    with triggers_lifted() as conn:
        prev = ledger.GENESIS_HEX
        for row in events_of(conn, chain.id):
            payload = row.payload.replace('"v":1', '"v":2') if row.seq == 2 else row.payload
            digest = rehash(prev, payload)
            set_event(conn, chain.id, row.seq, payload=payload, prev_hash=prev, hash=digest)
            prev = digest
        conn.execute(sa.update(AuditChainHead).where(AuditChainHead.organisation_id == chain.id).values(hash=prev))
    output = assert_caught(app, chain.slug, None, "root_mismatch")
    assert "history up to that checkpoint was rewritten" in output


def test_forged_checkpoint_signature_is_named(app, chain):
    checkpoint = service.make_checkpoint(chain)
    forger = Ed25519PrivateKey.generate()
    statement = service.checkpoint_record(chain, checkpoint)
    with triggers_lifted() as conn:
        conn.execute(
            sa.update(AuditCheckpoint)
            .where(AuditCheckpoint.id == checkpoint.id)
            .values(signature=ledger.sign_checkpoint(forger, statement))
        )
    output = assert_caught(app, chain.slug, None, "bad_signature")
    assert "does not carry a valid signature" in output


def test_altered_checkpoint_root_is_named(app, chain):
    checkpoint = service.make_checkpoint(chain)
    with triggers_lifted() as conn:
        conn.execute(sa.update(AuditCheckpoint).where(AuditCheckpoint.id == checkpoint.id).values(root_hash="0" * 64))
    assert_caught(app, chain.slug, None, "bad_signature")


def test_verify_all_checks_every_organisation_and_fails_if_any_fails(app, chain, other_org):
    make_initiative(make_user(other_org, OrgRole.COMMISSIONER))
    with triggers_lifted() as conn:
        row = events_of(conn, chain.id)[1]
        set_event(conn, chain.id, 2, payload=row.payload + " ")
    code, output = run(app, "verify")
    assert code == 1
    assert f"FAIL  {chain.slug}: event 2 [hash_mismatch]" in output
    assert f"OK    {other_org.slug}:" in output


def test_checkpoint_refuses_to_sign_a_tampered_chain(app, chain):
    with triggers_lifted() as conn:
        conn.execute(sa.text("DELETE FROM audit_event WHERE organisation_id = :o AND seq = 2"), {"o": chain.id})
    code, output = run(app, "checkpoint", "--org", chain.slug)
    assert code == 1
    assert f"FAIL  {chain.slug}: not signed, event 2 [gap]" in output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) == 0


def test_checkpoint_covers_the_events_existing_when_it_started(app, chain):
    before = service.chain_size(chain)
    code, output = run(app, "checkpoint", "--org", chain.slug)
    assert code == 0, output
    checkpoint = service.latest_checkpoint(chain)
    assert checkpoint.tree_size == before
    announced = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "audit.checkpoint_made"))
    assert announced.seq == before + 1 and announced.actor_id is None  # the CLI acts as the system
    assert json.loads(announced.payload)["details"] == {
        "tree_size": before,
        "root_hash": checkpoint.root_hash,
        "key_id": checkpoint.key_id,
    }
    result, failure = service.verify_organisation(chain)
    assert failure is None and result.size == before + 1


def test_proof_command_prints_a_proof_that_checks_out(app, chain):
    code, output = run(app, "proof", "--org", chain.slug, "--event", "3")
    assert code == 0, output
    document = json.loads(output)
    checkpoint = ledger.Checkpoint(
        **{k: document["checkpoint"][k] for k in ("organisation", "tree_size", "root_hash", "issued_at")}
    )
    public = service.signing_key().public_key()
    assert ledger.verify_checkpoint(public, checkpoint, document["checkpoint"]["signature"])
    proof = [bytes.fromhex(node) for node in document["proof"]]
    assert ledger.verify_inclusion(
        bytes.fromhex(document["leaf_hash"]), 2, checkpoint.tree_size, proof, bytes.fromhex(checkpoint.root_hash)
    )
    # The checkpoint made for the proof is reused by the next proof it covers.
    assert json.loads(run(app, "proof", "--org", chain.slug, "--event", "1")[1])["checkpoint"] == document["checkpoint"]
    code, output = run(app, "proof", "--org", chain.slug, "--event", "999")
    assert code == 1 and "has no event 999" in output


def test_exported_bundles_pass_the_offline_verifier_and_tampering_fails_it(app, chain, tmp_path):
    public = tmp_path / "key.pem"
    public.write_text(ledger.public_key_pem(service.signing_key()))
    cited, whole = tmp_path / "cited.json", tmp_path / "whole.json"
    assert run(app, "export", "--org", chain.slug, "--events", "1,3,5", "--out", str(cited))[0] == 0
    assert run(app, "export", "--org", chain.slug, "--out", str(whole))[0] == 0
    assert len(json.loads(cited.read_text())["events"]) == 3
    exported = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "audit.bundle_exported")).all()
    assert len(exported) == 2

    def offline(path: Path) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "copro_tracker.audit.verify", str(path), "--public-key", str(public)]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)

    for path in (cited, whole):
        checked = offline(path)
        assert checked.returncode == 0, checked.stdout
        assert "RESULT: PASSED" in checked.stdout
    bundle = json.loads(whole.read_text())
    bundle["events"][1]["payload"] = bundle["events"][1]["payload"].replace('"v":1', '"v":2')
    whole.write_text(json.dumps(bundle))
    checked = offline(whole)
    assert checked.returncode == 1 and "Event 2: stored hash does not match" in checked.stdout
    code, output = run(app, "export", "--org", chain.slug, "--events", "1,x", "--out", str(cited))
    assert code == 2 and "event numbers" in output


def test_service_proofs_match_the_ledger_for_every_leaf_of_small_trees():
    for size in range(1, 34):
        leaves = [ledger.leaf_hash(str(n).encode()) for n in range(size)]
        for index in range(size):
            leaf, proof = service.streamed_inclusion_proof(iter(leaves), index, size)
            assert leaf == leaves[index]
            assert proof == ledger.inclusion_proof(index, leaves), (size, index)


def test_service_proof_streams_across_whole_blocks():
    leaves = [ledger.leaf_hash(n.to_bytes(4, "big")) for n in range(3000)]
    tree = ledger.MerkleTree(leaves)
    for index in (0, 1023, 1024, 2047, 2999):
        assert service.streamed_inclusion_proof(leaves, index, 3000) == (leaves[index], tree.inclusion_proof(index))


def test_export_and_proofs_refuse_a_checkpoint_the_events_no_longer_reproduce(app, chain):
    checkpoint = service.make_checkpoint(chain)
    with triggers_lifted() as conn:
        set_event(conn, chain.id, 2, hash="cd" * 32)
    checkpoint = db.session.get(AuditCheckpoint, checkpoint.id)
    with pytest.raises(service.AuditIntegrityError):
        service.inclusion_proof(chain, 1, checkpoint)
    with pytest.raises(service.AuditIntegrityError):
        service.export_bundle(chain, [1], checkpoint)


def test_erasing_a_persons_values_leaves_the_chain_valid(app, org, admin):
    person = make_user(org, OrgRole.CITIZEN_PARTNER, name="Erin Erasable", email="erin@example.org")
    from copro_tracker.auth import service as accounts

    accounts.change_role(admin, person, OrgRole.COMMISSIONER, person.partner_kind)  # audited as the system here
    db.session.commit()
    service.make_checkpoint(org)
    refs = service.value_refs(org, "user", person.id)
    values = db.session.scalars(sa.select(AuditValue.value).where(AuditValue.ref.in_(refs))).all()
    assert "Erin Erasable" in values and "erin@example.org" in values
    assert service.erase_values(org, refs) == len(refs)
    rows = db.session.scalars(sa.select(AuditValue).where(AuditValue.ref.in_(refs))).all()
    assert all(row.value is None and row.salt is None and row.erased_at for row in rows)
    code, output = run(app, "verify", "--org", org.slug)
    assert code == 0, output
    payloads = " ".join(db.session.scalars(sa.select(AuditEvent.payload)))
    assert "Erin" not in payloads and "erin@example.org" not in payloads


def test_admin_buttons_make_a_checkpoint_and_verify_with_the_result_shown(app, client, chain, admin, login_as):
    login_as(admin)
    response = client.post("/admin/audit/verify")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/audit")
    page = get_page(client, "/admin/audit")
    assert "The audit trail passed" in page.text() and "Passed" in page.text("dl")
    assert client.post("/admin/audit/checkpoint").status_code == 302
    page = get_page(client, "/admin/audit")
    checkpoint = service.latest_checkpoint(chain)
    assert f"Checkpoint made: {checkpoint.tree_size} entries signed" in page.text()
    assert checkpoint.root_hash in page.text("dl")
    actions = dict(
        db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.actor_id).where(AuditEvent.action.like("audit.%"))
        ).all()
    )
    assert actions == {"audit.verified": admin.id, "audit.checkpoint_made": admin.id}

    with triggers_lifted() as conn:
        conn.execute(sa.text("DELETE FROM audit_event WHERE organisation_id = :o AND seq = 2"), {"o": chain.id})
    client.post("/admin/audit/verify")
    page = get_page(client, "/admin/audit")
    assert "The audit trail failed its check: Event 2 is missing" in page.text()
    assert "Failed" in page.text("dl")
    client.post("/admin/audit/checkpoint")
    assert "No checkpoint was made, because the audit trail failed its check" in get_page(client, "/admin/audit").text()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) == 1


def test_admin_buttons_need_a_csrf_token(app, client, chain, admin, login_as):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        login_as(admin)
        assert client.post("/admin/audit/verify").status_code == 400
        assert client.post("/admin/audit/checkpoint").status_code == 400
        assert 'name="csrf_token"' in client.get("/admin/audit").get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditVerification)) == 0


def test_admin_buttons_act_on_their_own_organisation_only(app, client, chain, admin, login_as):
    other = make_org("Glanyrafon County Council", slug="glan")
    other_admin = make_user(other, OrgRole.ADMIN)
    login_as(other_admin)
    client.post("/admin/audit/checkpoint")
    assert service.latest_checkpoint(chain) is None
    assert service.latest_checkpoint(other) is not None


def test_signing_key_comes_from_config_then_file(app, tmp_path):
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        ledger.serialization.Encoding.PEM,
        ledger.serialization.PrivateFormat.PKCS8,
        ledger.serialization.NoEncryption(),
    ).decode()
    saved = {name: app.config[name] for name in ("AUDIT_SIGNING_KEY", "AUDIT_KEY_FILE", "AUDIT_CREATE_KEY")}
    try:
        app.config.update(AUDIT_SIGNING_KEY=pem, AUDIT_KEY_FILE=str(tmp_path / "unused.pem"))
        assert ledger.public_key_id(service.signing_key()) == ledger.public_key_id(key)
        assert not (tmp_path / "unused.pem").exists()
        app.config.update(AUDIT_SIGNING_KEY="not a key")
        with pytest.raises(service.AuditKeyError, match="AUDIT_SIGNING_KEY is not"):
            service.signing_key()
        app.config.update(AUDIT_SIGNING_KEY=None, AUDIT_KEY_FILE=str(tmp_path / "missing.pem"), AUDIT_CREATE_KEY=False)
        with pytest.raises(service.AuditKeyError, match="does not exist.*flask audit public-key --create"):
            service.signing_key()
        code, output = run(app, "verify")
        assert code == 1 and "does not exist" in output
        code, output = run(app, "public-key", "--create")
        assert code == 0 and "BEGIN PUBLIC KEY" in output
        assert (tmp_path / "missing.pem").stat().st_mode & 0o777 == 0o600
        assert ledger.public_key_pem(service.signing_key()) in output
        app.config.update(AUDIT_KEY_FILE=str(tmp_path / "created.pem"), AUDIT_CREATE_KEY=True)
        first = ledger.public_key_id(service.signing_key())
        assert (tmp_path / "created.pem").exists() and ledger.public_key_id(service.signing_key()) == first
    finally:
        app.config.update(saved)


def test_checkpoints_signed_by_another_key_are_named(app, chain, tmp_path):
    service.make_checkpoint(chain)
    saved = app.config["AUDIT_KEY_FILE"]
    app.config["AUDIT_KEY_FILE"] = str(tmp_path / "rotated.pem")
    try:
        output = assert_caught(app, chain.slug, None, "bad_signature")
        assert "not the configured key" in output
    finally:
        app.config["AUDIT_KEY_FILE"] = saved


def test_checkpoints_going_back_in_time_are_named(app, chain):
    first = service.make_checkpoint(chain)
    service.make_checkpoint(chain)
    with triggers_lifted() as conn:
        conn.execute(
            sa.update(AuditCheckpoint).where(AuditCheckpoint.id != first.id).values(issued_at="2000-01-01T00:00:00Z")
        )
    assert_caught(app, chain.slug, None, "checkpoint_order")
