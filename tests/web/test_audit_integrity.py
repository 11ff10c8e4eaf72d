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
from conftest import Page, get_page, make_org, make_user
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from initiative_factories import make_initiative

from copro_tracker.audit import ledger, service
from copro_tracker.codes import OrgRole
from copro_tracker.extensions import db
from copro_tracker.models import AuditChainHead, AuditCheckpoint, AuditEvent, AuditValue, AuditVerification
from copro_tracker.models.audit import APPEND_ONLY_TABLES, create_trigger_statements, sqlite_trigger_names

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def triggers_lifted(tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> Iterator[sa.Connection]:
    """A connection on which the audit tables accept UPDATE and DELETE, as for an attacker with DBA rights."""
    db.session.commit()
    engine = db.engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in tables:
                conn.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            yield conn
            for table in tables:
                conn.execute(sa.text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        else:
            for table in tables:
                for name in sqlite_trigger_names(table):
                    conn.execute(sa.text(f"DROP TRIGGER {name}"))
            yield conn
            for table in tables:
                for statement in create_trigger_statements(table, "sqlite"):
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
    # Verifying appended `audit.verified`, and then `audit.checkpoint_made` for the first checkpoint, after it counted.
    size = service.chain_size(chain) - 2
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
    assert f"The chain has {keep} events but checkpoint #1 (issued {checkpoint.issued_at}) signed {size}" in output


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


def test_admin_buttons_make_a_checkpoint_and_verify_with_the_result_shown(
    app, client, chain, admin, login_as, monkeypatch
):
    """The buttons queue the integrity job (run at once in tests); its result is what the page shows, and a
    failure is also emailed to every admin of the organisation."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    other_admin = make_user(chain, OrgRole.ADMIN)
    login_as(admin)
    response = client.post("/admin/audit/verify")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/audit")
    page = get_page(client, "/admin/audit")
    assert "A check of the whole audit trail has been asked for" in page.text()
    assert "Passed" in page.text("dl") and "verified: every link and hash is intact" in page.text("dl")
    assert client.post("/admin/audit/checkpoint").status_code == 302
    page = get_page(client, "/admin/audit")
    checkpoint = service.latest_checkpoint(chain)
    assert "A checkpoint has been asked for" in page.text()
    assert checkpoint.root_hash in page.text("dl") and "Passed" in page.text("dl")
    actions = dict(
        db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.actor_id).where(AuditEvent.action.like("audit.%"))
        ).all()
    )
    assert actions == {"audit.verified": admin.id, "audit.checkpoint_made": admin.id}
    assert app.extensions["outbox"] == []  # nothing to tell anyone

    with triggers_lifted() as conn:
        conn.execute(sa.text("DELETE FROM audit_event WHERE organisation_id = :o AND seq = 2"), {"o": chain.id})
    client.post("/admin/audit/verify")
    page = get_page(client, "/admin/audit")
    assert "Event 2 is missing" in page.text("dl") and "Failed" in page.text("dl")
    told = sorted(message["To"] for message in app.extensions["outbox"])
    assert told == sorted([admin.email, other_admin.email])
    assert "Event 2 is missing" in app.extensions["outbox"][0].get_content()
    made = db.session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint))
    client.post("/admin/audit/checkpoint")
    assert "No checkpoint was made, because the audit trail failed its check" in page_text_dl(client)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) == made


def page_text_dl(client) -> str:
    return get_page(client, "/admin/audit").text("dl")


def test_the_nightly_job_signs_and_verifies_every_organisation(app, chain, admin, monkeypatch):
    from copro_tracker.audit import jobs as audit_jobs
    from copro_tracker.jobs import huey

    other = make_org("Glanyrafon County Council", slug="glan")
    make_user(other, OrgRole.ADMIN)
    assert "copro_tracker.audit.jobs.nightly_integrity" in {
        huey._registry.task_to_string(task) for task in huey._registry._periodic_tasks
    }
    audit_jobs.nightly_integrity()
    for organisation in (chain, other):
        assert service.latest_checkpoint(organisation) is not None
        verification = db.session.scalar(
            sa.select(AuditVerification).where(AuditVerification.organisation_id == organisation.id)
        )
        assert verification.ok
    nightly = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "audit.checkpoint_made")).all()
    assert nightly and all(event.actor_id is None for event in nightly)


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


# --- values, checkpoint guards, truncation without a checkpoint, outside copies (issue 9 M4) ---------------


def _a_value(organisation_id: int, field: str) -> tuple[int, str, AuditValue]:
    """The seq and the ref of the first event whose `field` change refers to an erasable value."""
    for event in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.organisation_id == organisation_id).order_by(AuditEvent.seq)
    ):
        change = json.loads(event.payload).get("changes", {}).get(field)
        if change and isinstance(change.get("after"), dict) and "ref" in change["after"]:
            ref = change["after"]["ref"]
            return event.seq, ref, db.session.get(AuditValue, ref)
    raise AssertionError(f"no value for {field}")


def test_an_edited_audit_value_is_named_with_its_event_and_field(app, chain):
    seq, ref, value = _a_value(chain.id, "title")
    assert value.value == "Redesigning day opportunities"
    db.session.execute(sa.update(AuditValue).where(AuditValue.ref == ref).values(value="Closing the day centre"))
    db.session.commit()
    output = assert_caught(app, chain.slug, seq, "value_mismatch")
    assert "field 'title'" in output and "no longer matches" in output


def test_a_value_given_a_new_salt_or_removed_is_named(app, chain):
    seq, ref, _ = _a_value(chain.id, "summary")
    db.session.execute(sa.update(AuditValue).where(AuditValue.ref == ref).values(salt="00" * 16))
    db.session.commit()
    assert_caught(app, chain.slug, seq, "value_mismatch")
    db.session.execute(sa.delete(AuditValue).where(AuditValue.ref == ref))
    db.session.commit()
    output = assert_caught(app, chain.slug, seq, "value_missing")
    assert "field 'summary'" in output


def test_erased_values_still_verify(app, chain):
    _, ref, _ = _a_value(chain.id, "title")
    assert service.erase_values(chain, {ref}) == 1
    code, output = run(app, "verify", "--org", chain.slug)
    assert code == 0, output


def test_checkpoints_are_append_only_in_the_database(app, chain):
    checkpoint = service.make_checkpoint(chain)
    checkpoint_id, root = checkpoint.id, checkpoint.root_hash
    db.session.commit()  # and hold no lock on the table: TRUNCATE would wait for it on PostgreSQL
    statements = [
        f"UPDATE audit_checkpoint SET root_hash = '{'0' * 64}' WHERE id = {checkpoint_id}",
        f"DELETE FROM audit_checkpoint WHERE id = {checkpoint_id}",
    ]
    if db.engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_checkpoint")
    for statement in statements:
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert db.session.get(AuditCheckpoint, checkpoint_id).root_hash == root


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_a_missing_append_only_trigger_is_named(app, chain, table):
    service.make_checkpoint(chain)
    db.session.commit()
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            conn.execute(sa.text(f"DROP TRIGGER {sqlite_trigger_names(table)[0]}"))
    try:
        output = assert_caught(app, chain.slug, None, "unguarded")
        assert f"{table} is not append-only" in output
    finally:
        db.session.rollback()  # hold no lock the ALTER TABLE below would wait for
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(sa.text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
            else:
                conn.execute(sa.text(create_trigger_statements(table, "sqlite")[0]))


def test_an_organisation_without_a_checkpoint_is_named_and_given_one(app, chain, admin, client, login_as):
    login_as(admin)
    assert "truncation cannot be detected" in get_page(client, "/admin/audit").text()
    code, output = run(app, "verify", "--org", chain.slug)
    assert code == 0, output
    assert f"WARN  {chain.slug}: no checkpoint: truncation cannot be detected" in output
    checkpoint = service.latest_checkpoint(chain)
    assert checkpoint is not None and f"made checkpoint #1 of {checkpoint.tree_size} events" in output
    assert "truncation cannot be detected" not in get_page(client, "/admin/audit").text()
    # From now on a careful truncation (head wound back too) is caught.
    keep = checkpoint.tree_size - 2
    with triggers_lifted() as conn:
        last_kept = events_of(conn, chain.id)[keep - 1]
        conn.execute(
            sa.text("DELETE FROM audit_event WHERE organisation_id = :o AND seq > :k"), {"o": chain.id, "k": keep}
        )
        conn.execute(
            sa.update(AuditChainHead)
            .where(AuditChainHead.organisation_id == chain.id)
            .values(seq=keep, hash=last_kept.hash)
        )
    assert_caught(app, chain.slug, keep + 1, "truncated")


def test_a_welsh_admin_reads_the_findings_in_welsh_and_an_english_one_in_english(
    app, client, chain, admin, login_as, monkeypatch
):
    """The check stores its findings as message ids with values, so each reader gets them in their language:
    the page in the reader's, the failure email in each admin's own; `flask audit verify` stays English."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    admin.preferred_language = "cy"
    english_admin = make_user(chain, OrgRole.ADMIN)
    english_admin.preferred_language = "en"
    db.session.commit()
    login_as(admin)
    with client.session_transaction() as session:
        session["lang"] = "cy"
    assert client.post("/admin/audit/verify").status_code == 302
    page = Page(client.get("/admin/audit"))
    checked = db.session.scalar(sa.select(AuditVerification.events_checked).order_by(AuditVerification.id.desc()))
    assert "Wedi pasio" in page.text("dl")
    assert f"Wedi dilysu: {checked} cofnod. Mae pob cyswllt a stwnsh yn gyfan." in page.text("dl")
    assert "verified" not in page.text("dl") and not page.soup.select("[data-untranslated]")

    with triggers_lifted() as conn:
        conn.execute(sa.text("DELETE FROM audit_event WHERE organisation_id = :o AND seq = 2"), {"o": chain.id})
    client.post("/admin/audit/verify")
    page = Page(client.get("/admin/audit"))
    assert "Wedi methu" in page.text("dl")
    assert (
        "Mae cofnod 2 ar goll: ar ôl cofnod 1, y cofnod nesaf sydd wedi'i storio yw 3 "
        "(cafodd cofnodion eu dileu neu eu haildrefnu)." in page.text("dl")
    )
    assert "Event 2" not in page.text("dl") and not page.soup.select("[data-untranslated]")
    # The row keeps the English too: the command line prints it, and it is what older rows hold.
    stored = db.session.scalar(sa.select(AuditVerification).order_by(AuditVerification.id.desc()))
    assert stored.message.startswith("Event 2 is missing: after event 1 the next stored event is 3")
    mail = {message["To"]: message.get_content() for message in app.extensions["outbox"]}
    assert "Mae cofnod 2 ar goll: ar ôl cofnod 1" in mail[admin.email] and "Event 2" not in mail[admin.email]
    assert "Event 2 is missing: after event 1" in mail[english_admin.email]
    assert "Mae cofnod" not in mail[english_admin.email]

    # Refused checkpoint: the refusal and the chain's finding inside it, both in Welsh.
    client.post("/admin/audit/checkpoint")
    page = Page(client.get("/admin/audit"))
    assert (
        "Ni chafodd pwynt gwirio ei greu, oherwydd methodd y trywydd archwilio ei wiriad: Mae cofnod 2 ar goll"
        in page.text("dl")
    )

    # An English reader reads the same findings in English, with nothing marked.
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = get_page(client, "/admin/audit")
    assert "No checkpoint was made, because the audit trail failed its check: Event 2 is missing" in page.text("dl")
    assert not page.soup.select("[data-untranslated]")


def test_a_verification_stored_as_english_text_only_is_still_shown(client, chain, admin, login_as):
    """Rows from before the findings were kept as messages have only their English text: an English page shows it,
    a Welsh one the outcome in Welsh and the text as written, marked as English."""
    db.session.add(
        AuditVerification(organisation_id=chain.id, ok=False, events_checked=0, message="Event 7 is missing: old.")
    )
    db.session.commit()
    login_as(admin)
    assert "Event 7 is missing: old." in get_page(client, "/admin/audit").text("dl")
    with client.session_transaction() as session:
        session["lang"] = "cy"
    page = Page(client.get("/admin/audit"))
    assert "Daeth y gwiriad o hyd i broblem yn y trywydd archwilio." in page.text("dl")
    (details,) = page.soup.select('dl [data-untranslated="audit"]')
    assert details["lang"] == "en" and details.text == "Event 7 is missing: old."
