"""The offline bundle verifier: building bundles, verifying them, tampering with them, and the CLI."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from copro_tracker.audit import ledger
from copro_tracker.audit.ledger import Checkpoint, EventRecord
from copro_tracker.audit.verify import BUNDLE_FORMAT, BundleError, Check, build_bundle, verify_bundle

ROOT = Path(__file__).resolve().parents[2]
SIZE = 40
CITED = [5, 6, 17, 40]


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def chain() -> list[EventRecord]:
    # A few events past the checkpoint, as in a live log that kept growing after the report.
    return ledger.build_chain(
        ledger.canonical_json({"seq": seq, "action": "stage.signed_off", "note": {"ref": f"{seq:064x}"}})
        for seq in range(1, SIZE + 6)
    )


@pytest.fixture(scope="module")
def signed(chain, key) -> tuple[Checkpoint, str]:
    root = ledger.merkle_root([bytes.fromhex(event.hash) for event in chain[:SIZE]]).hex()
    checkpoint = Checkpoint("leeds", SIZE, root, "2025-03-01T10:00:00Z")
    return checkpoint, ledger.sign_checkpoint(key, checkpoint)


@pytest.fixture
def cited(chain, signed, key) -> dict:
    checkpoint, signature = signed
    return build_bundle("leeds", chain, checkpoint, signature, key, CITED)


@pytest.fixture
def whole(chain, signed, key) -> dict:
    checkpoint, signature = signed
    return build_bundle("leeds", chain, checkpoint, signature, key.public_key())


def failures(checks: list[Check]) -> list[str]:
    return [check.message for check in checks if check.status == "fail"]


def passes(checks: list[Check]) -> bool:
    return all(check.ok for check in checks)


def public_pem(key: Ed25519PrivateKey) -> str:
    return ledger.public_key_pem(key)


def rebuild_event(event: dict, payload: str) -> None:
    event["payload"] = payload
    event["hash"] = ledger.event_hash(bytes.fromhex(event["prev_hash"]), payload.encode()).hex()


# --- good bundles ----------------------------------------------------------------------------------


def test_cited_bundle_shape(cited, chain):
    assert cited["format"] == BUNDLE_FORMAT
    assert [event["seq"] for event in cited["events"]] == CITED
    assert cited["events"][0]["payload"] == chain[4].payload.decode()
    assert [proof["seq"] for proof in cited["inclusion_proofs"]] == CITED
    assert json.loads(json.dumps(cited)) == cited


def test_good_cited_bundle_passes(cited, key):
    checks = verify_bundle(cited, public_pem(key))
    assert passes(checks), failures(checks)
    lines = [check.line for check in checks]
    assert lines[0].startswith("OK: checkpoint signature valid")
    assert "OK: 4 inclusion proofs verified against the checkpoint root." in lines
    assert "OK: all 4 verified events are tied to the signed checkpoint." in lines


def test_good_whole_bundle_passes_and_notes_an_unpinned_key(whole):
    checks = verify_bundle(whole)
    assert passes(checks), failures(checks)
    assert any(check.status == "note" and "fingerprint" in check.message for check in checks)
    assert any("whole chain of 40 events and it reproduces the root" in check.message for check in checks)


def test_event_tied_through_the_next_events_link(cited, key):
    cited["inclusion_proofs"] = [proof for proof in cited["inclusion_proofs"] if proof["seq"] != 5]
    checks = verify_bundle(cited, public_pem(key))
    assert passes(checks), failures(checks)


def test_empty_checkpoint_with_no_citations(chain, key):
    checkpoint = Checkpoint("leeds", 0, ledger.EMPTY_ROOT.hex(), "2025-03-01T10:00:00Z")
    bundle = build_bundle("leeds", chain, checkpoint, ledger.sign_checkpoint(key, checkpoint), key, [])
    assert failures(verify_bundle(bundle, public_pem(key))) == [
        "The bundle holds neither events nor inclusion proofs, so it shows nothing."
    ]


# --- tampering ------------------------------------------------------------------------------------------


def test_tampered_payload(cited, key):
    cited["events"][2]["payload"] = cited["events"][2]["payload"].replace("signed_off", "withdrawn")
    assert failures(verify_bundle(cited, public_pem(key))) == [
        "Event 17: stored hash does not match its contents (the event was altered).",
    ]


def test_tampered_payload_with_recomputed_hash_fails_its_proof(cited, key):
    event = cited["events"][2]
    rebuild_event(event, event["payload"].replace("signed_off", "withdrawn"))
    cited["inclusion_proofs"][2]["leaf_hash"] = event["hash"]
    problems = failures(verify_bundle(cited, public_pem(key)))
    assert problems[0].startswith("Event 17: its inclusion proof does not lead to the checkpoint's root")
    assert problems[1].startswith("Event 17 is not tied to the checkpoint")


def test_altered_event_keeping_the_original_proof(cited, key):
    event = cited["events"][2]
    rebuild_event(event, event["payload"].replace("signed_off", "withdrawn"))
    problems = failures(verify_bundle(cited, public_pem(key)))
    assert problems[0] == "Event 17: the proof is for a different event than the one in the bundle."
    assert problems[1].startswith("Event 17 is not tied to the checkpoint")


def test_tampered_proof(cited, key):
    node = cited["inclusion_proofs"][1]["proof"][0]
    cited["inclusion_proofs"][1]["proof"][0] = ("0" if node[0] != "0" else "1") + node[1:]
    problems = failures(verify_bundle(cited, public_pem(key)))
    assert problems[0].startswith("Event 6: its inclusion proof does not lead to the checkpoint's root")
    assert problems[1:] == [
        "Event 6 is not tied to the checkpoint: it has no inclusion proof and no later linked event has one."
    ]


def test_proof_moved_to_another_position(cited, key):
    # Event 40's leaf and path only verify at index 39, not as seq 17.
    cited["inclusion_proofs"][2]["leaf_hash"] = cited["inclusion_proofs"][3]["leaf_hash"]
    cited["inclusion_proofs"][2]["proof"] = cited["inclusion_proofs"][3]["proof"]
    problems = failures(verify_bundle(cited, public_pem(key)))
    assert problems[0].startswith("Event 17: its inclusion proof does not lead")


def test_tampered_signature(cited, key):
    signature = cited["checkpoint"]["signature"]
    cited["checkpoint"]["signature"] = ("A" if signature[0] != "A" else "B") + signature[1:]
    problems = failures(verify_bundle(cited, public_pem(key)))
    assert problems == [
        (
            "The checkpoint for 'leeds' covering 40 events, issued at 2025-03-01T10:00:00Z does not carry a valid "
            "signature from this key (forged or altered)."
        )
    ]


def test_tampered_checkpoint_fields(cited, key):
    cited["checkpoint"]["tree_size"] = 41
    problems = failures(verify_bundle(cited, public_pem(key)))
    assert "does not carry a valid signature" in problems[0]


def test_wrong_public_key(cited):
    mallory = Ed25519PrivateKey.generate()
    problems = failures(verify_bundle(cited, public_pem(mallory)))
    assert problems[0].startswith("The public key inside the bundle is not the key you supplied")
    assert "does not carry a valid signature" in problems[1]


def test_self_signed_forgery_passes_only_without_a_pinned_key(cited, key, chain):
    # Mallory rewrites event 17, rebuilds the tree and signs with her own key, embedding it.
    mallory = Ed25519PrivateKey.generate()
    events = list(chain[:SIZE])
    events[16] = dataclasses.replace(events[16], payload=b'{"action":"nothing happened"}')
    prev = bytes.fromhex(events[15].hash)
    for index in range(16, SIZE):
        digest = ledger.event_hash(prev, events[index].payload)
        events[index] = dataclasses.replace(events[index], prev_hash=prev.hex(), hash=digest.hex())
        prev = digest
    root = ledger.merkle_root([bytes.fromhex(event.hash) for event in events]).hex()
    checkpoint = Checkpoint("leeds", SIZE, root, "2025-03-01T10:00:00Z")
    forged = build_bundle("leeds", events, checkpoint, ledger.sign_checkpoint(mallory, checkpoint), mallory, CITED)
    assert passes(verify_bundle(forged))  # self-consistent, which is why the NOTE asks for the published key
    assert failures(verify_bundle(forged, public_pem(key)))


def test_whole_bundle_edited_event(whole, key):
    whole["events"][9]["payload"] = whole["events"][9]["payload"].replace("10", "11", 1)
    problems = failures(verify_bundle(whole, public_pem(key)))
    assert problems[0] == "Event 10: stored hash does not match its contents (the event was altered)."
    assert "do not reproduce the checkpoint's root" in problems[-1]


def test_whole_bundle_consistently_rewritten(whole, key):
    events = whole["events"]
    rebuild_event(events[29], events[29]["payload"].replace("signed_off", "withdrawn"))
    for index in range(30, SIZE):
        events[index]["prev_hash"] = events[index - 1]["hash"]
        rebuild_event(events[index], events[index]["payload"])
    problems = failures(verify_bundle(whole, public_pem(key)))
    assert problems == [
        (
            "The 40 events in the bundle do not reproduce the checkpoint's root (history was altered or rewritten, "
            "or the checkpoint belongs to a different log)."
        )
    ]


def test_broken_link_between_bundled_events(whole, key):
    whole["events"][21]["prev_hash"] = "ab" * 32
    rebuild_event(whole["events"][21], whole["events"][21]["payload"])  # re-hashed over the forged link
    problems = failures(verify_bundle(whole, public_pem(key)))
    assert problems[0].startswith("Event 22: its link to event 21 is broken")
    assert problems[1].startswith("Event 23: its link to event 22 is broken")  # event 22's hash changed too
    assert "do not reproduce the checkpoint's root" in problems[2]


def test_deleted_event_from_whole_bundle(whole, key):
    del whole["events"][12]
    problems = failures(verify_bundle(whole, public_pem(key)))
    assert problems == [
        (
            "The bundle has no inclusion proofs and is not the whole chain of 40 events (missing: 13), so its "
            "events are not tied to the checkpoint."
        )
    ]


def test_event_outside_the_checkpoint_and_untied_events(cited, key, chain):
    extra = chain[SIZE + 1]
    cited["events"].append(
        {"seq": extra.seq, "prev_hash": extra.prev_hash, "hash": extra.hash, "payload": extra.payload.decode()}
    )
    cited["inclusion_proofs"] = [proof for proof in cited["inclusion_proofs"] if proof["seq"] != 40]
    problems = failures(verify_bundle(cited, public_pem(key)))
    assert problems == [
        "Event 42 is outside the checkpoint, which covers events 1 to 40.",
        "Event 40 is not tied to the checkpoint: it has no inclusion proof and no later linked event has one.",
    ]


def test_duplicate_and_malformed_events(cited, key):
    cited["events"].append(dict(cited["events"][0]))
    cited["events"][1]["hash"] = cited["events"][1]["hash"].upper()
    problems = failures(verify_bundle(cited, public_pem(key)))
    assert "Event 5 appears more than once in the bundle." in problems
    assert "Event 6: its hash or previous hash is not a 64-character lowercase hex value." in problems


# --- files and the report ---------------------------------------------------------------------------------


def test_attached_files_and_report(cited, key, tmp_path):
    (tmp_path / "minutes.pdf").write_bytes(b"%PDF minutes")
    (tmp_path / "report.html").write_bytes(b"<html>report</html>")
    cited["files"] = [
        {"name": "minutes.pdf", "sha256": hashlib.sha256(b"%PDF minutes").hexdigest()},
        {"name": "missing.pdf", "sha256": "00" * 32},
        {"name": "../etc/passwd", "sha256": "00" * 32},
    ]
    cited["report_sha256"] = hashlib.sha256(b"<html>report</html>").hexdigest()
    checks = verify_bundle(cited, public_pem(key), files_dir=tmp_path, report_path=tmp_path / "report.html")
    lines = [check.line for check in checks]
    assert "OK: attached file 'minutes.pdf' matches its SHA-256." in lines
    assert "NOTE: Attached file 'missing.pdf' is not present, so it was not checked." in lines
    assert "OK: the report 'report.html' matches the bundle's report_sha256." in lines
    assert failures(checks) == [
        "Attached file name '../etc/passwd' points outside the bundle's directory; not checked."
    ]

    (tmp_path / "minutes.pdf").write_bytes(b"%PDF minutes, edited")
    (tmp_path / "report.html").write_bytes(b"<html>edited</html>")
    problems = failures(verify_bundle(cited, public_pem(key), files_dir=tmp_path, report_path=tmp_path / "report.html"))
    assert "Attached file 'minutes.pdf' does not match the SHA-256 in the bundle (it was changed)." in problems
    assert "The report 'report.html' does not match the bundle's report_sha256 (it was changed)." in problems


def test_report_hash_recorded_in_a_tied_event(key):
    digest = hashlib.sha256(b"report").hexdigest()
    events = ledger.build_chain([ledger.canonical_json({"action": "report.generated", "sha256": digest})])
    checkpoint = Checkpoint("leeds", 1, events[0].hash, "2025-03-01T10:00:00Z")
    bundle = build_bundle(
        "leeds", events, checkpoint, ledger.sign_checkpoint(key, checkpoint), key, [1], report_sha256=digest
    )
    lines = [check.line for check in verify_bundle(bundle, public_pem(key))]
    assert "OK: the report's SHA-256 is recorded in audit event 1, which the checkpoint covers." in lines


def _with_report(bundle: dict, key: Ed25519PrivateKey, **changes) -> dict:
    """The bundle carrying report data, its hash and a report statement signed by `key` (fields overridable)."""
    data = {"title": "Evidence report", "rows": [[1, "Planning session"]]}
    digest = hashlib.sha256(ledger.canonical_json(data)).hexdigest()
    checkpoint = bundle["checkpoint"]
    statement = ledger.ReportStatement(
        **{
            "organisation": checkpoint["organisation"],
            "report_sha256": digest,
            "tree_size": checkpoint["tree_size"],
            "root_hash": checkpoint["root_hash"],
            "issued_at": "2025-03-02T09:00:00Z",
            **changes,
        }
    )
    signed = {**statement.to_dict(), "signature": ledger.sign_statement(key, statement)}
    return {**bundle, "report": data, "report_sha256": digest, "report_statement": signed}


def test_report_tied_by_a_signed_statement_instead_of_a_covered_event(cited, key):
    bundle = _with_report(cited, key)
    lines = [check.line for check in verify_bundle(bundle, public_pem(key))]
    assert passes(verify_bundle(bundle, public_pem(key))), lines
    assert "OK: the report data in the bundle matches its report_sha256." in lines
    assert any(line.startswith("OK: the report's SHA-256 is signed together with the checkpoint") for line in lines)
    # An anonymised report's bundle: proofs by hash only, no events, still tied by the statement.
    assert passes(verify_bundle({**bundle, "events": []}, public_pem(key)))


def test_report_statement_tampering_fails(cited, key):
    # Data and hash changed together: the signed statement is for another report.
    forged = _with_report(cited, key)
    forged["report"] = {"title": "A different report"}
    forged["report_sha256"] = hashlib.sha256(ledger.canonical_json(forged["report"])).hexdigest()
    assert any("not tied to the signed log" in message for message in failures(verify_bundle(forged, public_pem(key))))
    # The statement's hash edited to match: its signature no longer checks.
    forged["report_statement"]["report_sha256"] = forged["report_sha256"]
    assert "The report statement does not carry a valid signature from this key (forged or altered)." in failures(
        verify_bundle(forged, public_pem(key))
    )
    # Signed by someone else's key.
    other = _with_report(cited, Ed25519PrivateKey.generate())
    assert "The report statement does not carry a valid signature from this key (forged or altered)." in failures(
        verify_bundle(other, public_pem(key))
    )
    # Genuinely signed, but for another checkpoint than the one the proofs lead to.
    elsewhere = _with_report(cited, key, tree_size=SIZE + 5)
    assert "The signed report statement is for a different checkpoint than the one in the bundle." in failures(
        verify_bundle(elsewhere, public_pem(key))
    )
    # A checkpoint signature is not a report statement's, and the other way round (distinct formats).
    swapped = _with_report(cited, key)
    swapped["report_statement"]["signature"] = swapped["checkpoint"]["signature"]
    assert failures(verify_bundle(swapped, public_pem(key)))
    # Without report_sha256 a statement checks nothing.
    bare = _with_report(cited, key)
    del bare["report_sha256"], bare["report"]
    assert "The bundle carries a signed report statement but no report_sha256 to check it against." in failures(
        verify_bundle(bare, public_pem(key))
    )


# --- malformed input and build errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.update(format="something-else/1"),
        lambda b: b.pop("checkpoint"),
        lambda b: b["events"][0].update(seq="5"),
        lambda b: b["events"][0].update(seq=True),
        lambda b: b["checkpoint"].pop("signature"),
        lambda b: b.update(events={}),
        lambda b: b["inclusion_proofs"][0].update(proof=[1, 2]),
    ],
)
def test_malformed_bundles_raise(cited, key, mutate):
    mutate(cited)
    with pytest.raises(BundleError):
        verify_bundle(cited, public_pem(key))


def test_unreadable_public_key(cited):
    with pytest.raises(BundleError):
        verify_bundle(cited, "not a key")


def test_build_bundle_refuses_inconsistent_input(chain, signed, key):
    checkpoint, signature = signed
    with pytest.raises(ValueError, match="root"):
        build_bundle("leeds", chain, dataclasses.replace(checkpoint, root_hash="00" * 32), signature, key, [1])
    with pytest.raises(ValueError, match="organisation"):
        build_bundle("york", chain, checkpoint, signature, key)
    with pytest.raises(ValueError, match="within 1 to 40"):
        build_bundle("leeds", chain, checkpoint, signature, key, [0, 3])
    with pytest.raises(ValueError, match="in order"):
        build_bundle("leeds", chain[:30], checkpoint, signature, key)


# --- command line -------------------------------------------------------------------------------------------


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "copro_tracker.audit.verify", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_exit_codes(cited, key, tmp_path):
    key_file = tmp_path / "council.pem"
    key_file.write_text(public_pem(key))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(cited))
    tampered = copy.deepcopy(cited)
    tampered["events"][0]["payload"] = tampered["events"][0]["payload"].replace("signed_off", "withdrawn")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tampered))
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")

    passed = run_cli(good, "--public-key", key_file)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.startswith("OK: checkpoint signature valid")
    assert passed.stdout.rstrip().endswith("RESULT: PASSED (everything in the bundle verified).")

    failed = run_cli(bad, "--public-key", key_file)
    assert failed.returncode == 1
    assert "FAIL: Event 5: stored hash does not match its contents (the event was altered)." in failed.stdout

    unreadable = run_cli(garbage)
    assert unreadable.returncode == 2
    assert unreadable.stdout.startswith("ERROR: cannot read")


def test_verify_py_runs_as_a_plain_script_next_to_ledger(cited, tmp_path):
    # What an inspector gets: two files and the `cryptography` package, no app.
    for name in ("verify.py", "ledger.py"):
        (tmp_path / name).write_bytes((ROOT / "copro_tracker" / "audit" / name).read_bytes())
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(cited))
    result = subprocess.run(
        [sys.executable, "-I", str(tmp_path / "verify.py"), str(bundle)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    absent = subprocess.run(
        [sys.executable, "-I", str(tmp_path / "verify.py"), str(tmp_path / "absent.json")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert absent.returncode == 2
    probe = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import verify; "
        "print(sorted(m for m in ('flask', 'sqlalchemy', 'copro_tracker') if m in sys.modules))"
    )
    imported = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True, check=True)
    assert imported.stdout.strip() == "[]"
