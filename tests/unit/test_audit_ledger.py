"""The pure audit ledger: canonical JSON, RFC 6962 tree and proofs, the chain, checkpoints and keys."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from copro_tracker.audit import ledger
from copro_tracker.audit.ledger import Checkpoint, EventRecord

# --- independent reference implementations (straight from the RFC's recursive definitions) ---------


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def ref_mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return sha(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return sha(b"\x01" + ref_mth(leaves[:k]) + ref_mth(leaves[k:]))


def ref_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return ref_path(m, leaves[:k]) + [ref_mth(leaves[k:])]
    return ref_path(m - k, leaves[k:]) + [ref_mth(leaves[:k])]


def ref_subproof(m: int, leaves: list[bytes], complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [ref_mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return ref_subproof(m, leaves[:k], complete) + [ref_mth(leaves[k:])]
    return ref_subproof(m - k, leaves[k:], False) + [ref_mth(leaves[:k])]


def leaves_of(n: int) -> list[bytes]:
    return [ledger.leaf_hash(f"entry {i}".encode()) for i in range(n)]


def flip(digest: bytes) -> bytes:
    return bytes([digest[0] ^ 1]) + digest[1:]


# --- canonical JSON ---------------------------------------------------------------------------------


def test_canonical_json_is_sorted_compact_utf8():
    obj = {"b": [1, True, None, "x"], "a": {"z": 1, "é": "café ☕"}, "A": -5}
    assert ledger.canonical_json(obj) == '{"A":-5,"a":{"z":1,"é":"café ☕"},"b":[1,true,null,"x"]}'.encode()


def test_canonical_json_is_independent_of_insertion_order():
    one = {"x": 1, "y": {"p": [1, 2], "q": "s"}}
    two = {"y": {"q": "s", "p": [1, 2]}, "x": 1}
    assert ledger.canonical_json(one) == ledger.canonical_json(two)
    assert ledger.canonical_json(("a", 1)) == ledger.canonical_json(["a", 1])


@pytest.mark.parametrize(
    "bad",
    [1.5, float("nan"), float("inf"), {"a": 0.0}, [1, [2, 3.25]], {"a": {"b": [float("-inf")]}}],
)
def test_canonical_json_rejects_floats(bad):
    with pytest.raises(TypeError, match="float"):
        ledger.canonical_json(bad)


@pytest.mark.parametrize("bad", [{1: "x"}, {None: 1}, {"a": b"bytes"}, {"a": {1, 2}}, object()])
def test_canonical_json_rejects_other_types_and_non_string_keys(bad):
    with pytest.raises(TypeError):
        ledger.canonical_json(bad)


def test_canonical_json_rejects_circular_structures():
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="nested too deeply"):
        ledger.canonical_json(loop)


# --- hashes and the documented byte layout -----------------------------------------------------------


def test_domain_separated_hashes():
    assert ledger.leaf_hash(b"abc") == sha(b"\x00abc")
    assert ledger.node_hash(b"L" * 32, b"R" * 32) == sha(b"\x01" + b"L" * 32 + b"R" * 32)
    assert ledger.GENESIS_HASH == bytes(32)
    assert ledger.EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_event_hash_layout_matches_the_docstring():
    payload = b'{"action":"x","seq":1}'
    expected = sha(b"\x00" + b"copro-audit-event/1" + b"\x00" + bytes(32) + payload)
    assert ledger.event_hash(ledger.GENESIS_HASH, payload) == expected
    assert ledger.event_hash(ledger.GENESIS_HASH, payload) == ledger.leaf_hash(ledger.EVENT_TAG + bytes(32) + payload)
    with pytest.raises(ValueError):
        ledger.event_hash(b"short", payload)


# --- Merkle tree --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", range(41))
def test_merkle_root_matches_reference(size):
    leaves = leaves_of(size)
    expected = ref_mth(leaves)
    assert ledger.merkle_root(leaves) == expected
    assert ledger.MerkleTree(leaves).root() == expected


def test_streaming_merkle_matches_reference_at_every_size_across_blocks():
    leaves = leaves_of(2 * 1024 + 70)
    checkpoints = {1, 2, 3, 1023, 1024, 1025, 1500, 2047, 2048, 2049, len(leaves)}
    tree = ledger.StreamingMerkle()
    assert tree.root() == ledger.EMPTY_ROOT
    for count, leaf in enumerate(leaves, start=1):
        tree.append(leaf)
        if count in checkpoints:
            assert tree.size == count
            assert tree.root() == ref_mth(leaves[:count]), count
    batched = ledger.StreamingMerkle()
    for start in range(0, len(leaves), 300):
        batched.extend(leaves[start : start + 300])
    batched.extend(leaves[:0])
    assert batched.root() == tree.root()
    aligned = ledger.StreamingMerkle()
    for start in range(0, 2048, 1024):
        aligned.extend(leaves[start : start + 1024])
    assert aligned.root() == ref_mth(leaves[:2048])


@pytest.mark.parametrize("size", range(1, 34))
def test_inclusion_proofs_for_every_index(size):
    leaves = leaves_of(size)
    root = ref_mth(leaves)
    tree = ledger.MerkleTree(leaves)
    for index in range(size):
        proof = ledger.inclusion_proof(index, leaves)
        assert proof == ref_path(index, leaves) == tree.inclusion_proof(index)
        assert ledger.verify_inclusion(leaves[index], index, size, proof, root)
        assert not ledger.verify_inclusion(flip(leaves[index]), index, size, proof, root)
        assert not ledger.verify_inclusion(leaves[index], index, size, proof, flip(root))
        # No size+1 case: one path can fit several tree sizes; the size is bound by the signed checkpoint.
        assert not ledger.verify_inclusion(leaves[index], index, size, [*proof, root], root)
        if size > 1:
            other = (index + 1) % size
            assert not ledger.verify_inclusion(leaves[index], other, size, proof, root)
            assert not ledger.verify_inclusion(leaves[index], index, size, proof[:-1], root)
            assert not ledger.verify_inclusion(leaves[index], index, size, [flip(proof[0]), *proof[1:]], root)
    assert not ledger.verify_inclusion(leaves[0], size, size, [], root)
    assert not ledger.verify_inclusion(leaves[0], -1, size, [], root)
    with pytest.raises(IndexError):
        tree.inclusion_proof(size)


def test_consistency_proofs_for_all_pairs_up_to_33():
    for new_size in range(1, 34):
        leaves = leaves_of(new_size)
        new_root = ref_mth(leaves)
        tree = ledger.MerkleTree(leaves)
        for old_size in range(1, new_size + 1):
            old_root = ref_mth(leaves[:old_size])
            proof = ledger.consistency_proof(old_size, leaves)
            expected = [] if old_size == new_size else ref_subproof(old_size, leaves, True)
            assert proof == expected == tree.consistency_proof(old_size), (old_size, new_size)
            assert ledger.verify_consistency(old_size, new_size, old_root, new_root, proof)
            assert not ledger.verify_consistency(old_size, new_size, flip(old_root), new_root, proof)
            assert not ledger.verify_consistency(old_size, new_size, old_root, flip(new_root), proof)
            for position in range(len(proof)):
                tampered = list(proof)
                tampered[position] = flip(tampered[position])
                assert not ledger.verify_consistency(old_size, new_size, old_root, new_root, tampered)
            if old_size < new_size:
                assert not ledger.verify_consistency(old_size, new_size, old_root, new_root, proof[:-1])
                assert not ledger.verify_consistency(old_size, new_size, old_root, new_root, [*proof, new_root])
            if old_size > 1:
                # The same proof must not vouch for a different (smaller) old tree.
                smaller = ref_mth(leaves[: old_size - 1])
                assert not ledger.verify_consistency(old_size - 1, new_size, smaller, new_root, proof)
    assert ledger.verify_consistency(0, 5, ledger.EMPTY_ROOT, ref_mth(leaves_of(5)), [])
    assert not ledger.verify_consistency(3, 2, b"\0" * 32, b"\0" * 32, [])


@settings(max_examples=60, deadline=None, database=None)
@given(data=st.data(), size=st.integers(min_value=1, max_value=600))
def test_property_proofs_round_trip(data, size):
    leaves = leaves_of(size)
    tree = ledger.MerkleTree(leaves)
    root = tree.root()
    assert root == ledger.merkle_root(leaves)
    index = data.draw(st.integers(min_value=0, max_value=size - 1), label="index")
    assert ledger.verify_inclusion(leaves[index], index, size, tree.inclusion_proof(index), root)
    old_size = data.draw(st.integers(min_value=1, max_value=size), label="old_size")
    old_root = ledger.merkle_root(leaves[:old_size])
    assert ledger.verify_consistency(old_size, size, old_root, root, tree.consistency_proof(old_size))


# --- the chain -------------------------------------------------------------------------------------


def make_chain(count: int) -> list[EventRecord]:
    return ledger.build_chain(
        ledger.canonical_json({"seq": seq, "action": "initiative.updated", "entity_id": seq * 7})
        for seq in range(1, count + 1)
    )


def leaves_from(events: list[EventRecord]) -> list[bytes]:
    return [bytes.fromhex(event.hash) for event in events]


def rehash_from(events: list[EventRecord], start: int) -> list[EventRecord]:
    """What a database administrator can do: recompute every hash from index `start` onwards."""
    fixed = events[:start]
    prev = bytes.fromhex(fixed[-1].hash) if fixed else ledger.GENESIS_HASH
    for event in events[start:]:
        digest = ledger.event_hash(prev, event.payload)
        fixed.append(dataclasses.replace(event, prev_hash=prev.hex(), hash=digest.hex()))
        prev = digest
    return fixed


@pytest.fixture(scope="module")
def chain() -> list[EventRecord]:
    return make_chain(40)


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def checkpoint_for(events: list[EventRecord], key: Ed25519PrivateKey, size: int) -> tuple[Checkpoint, str]:
    root = ledger.merkle_root(leaves_from(events[:size])).hex()
    checkpoint = Checkpoint("leeds", size, root, "2025-03-01T10:00:00Z")
    return checkpoint, ledger.sign_checkpoint(key, checkpoint)


def test_intact_chain_verifies_with_its_merkle_root(chain):
    result = ledger.verify_chain(chain)
    assert result.ok and result.failure is None
    assert result.size == 40
    assert result.root == ref_mth(leaves_from(chain)).hex()
    assert result.head_hash == chain[-1].hash


def test_empty_chain_verifies():
    result = ledger.verify_chain([])
    assert result.ok and result.size == 0 and result.root == ledger.EMPTY_ROOT.hex()
    assert result.head_hash == ledger.GENESIS_HEX


def test_str_payloads_are_accepted(chain):
    as_text = [dataclasses.replace(event, payload=event.payload.decode()) for event in chain]
    assert ledger.verify_chain(as_text).root == ledger.verify_chain(chain).root


def test_edited_payload_is_a_hash_mismatch_at_that_event(chain):
    events = list(chain)
    events[16] = dataclasses.replace(events[16], payload=events[16].payload.replace(b"119", b"120"))
    result = ledger.verify_chain(events)
    assert not result.ok
    assert (result.failure.seq, result.failure.kind) == (17, "hash_mismatch")
    assert result.failure.message == "Event 17: stored hash does not match its contents (the event was altered)."
    assert result.size == 16
    assert result.root == ref_mth(leaves_from(chain[:16])).hex()


def test_edit_with_recomputed_hash_breaks_the_next_link(chain):
    events = list(chain)
    edited = events[16].payload.replace(b"119", b"120")
    forged = ledger.event_hash(bytes.fromhex(events[16].prev_hash), edited).hex()
    events[16] = dataclasses.replace(events[16], payload=edited, hash=forged)
    result = ledger.verify_chain(events)
    assert (result.failure.seq, result.failure.kind) == (18, "prev_hash_mismatch")
    assert "Event 18" in result.failure.message and "event 17" in result.failure.message


def test_deleted_event_is_a_gap(chain):
    events = chain[:4] + chain[5:]
    result = ledger.verify_chain(events)
    assert (result.failure.seq, result.failure.kind) == (5, "gap")
    assert result.failure.message.startswith("Event 5 is missing: after event 4 the next stored event is 6")
    assert result.size == 4


def test_reordered_events_are_a_gap(chain):
    events = list(chain)
    events[2], events[3] = events[3], events[2]
    result = ledger.verify_chain(events)
    assert (result.failure.seq, result.failure.kind) == (3, "gap")
    assert result.size == 2


def test_duplicated_event_is_a_gap(chain):
    result = ledger.verify_chain(chain[:10] + chain[9:])
    assert (result.failure.seq, result.failure.kind) == (11, "gap")
    assert "out of order or duplicated" in result.failure.message


def test_chain_must_start_at_seq_one_from_genesis(chain):
    assert ledger.verify_chain(chain[1:]).failure.kind == "gap"
    assert ledger.verify_chain(chain[1:]).failure.seq == 1
    renumbered = [dataclasses.replace(event, seq=event.seq - 1) for event in chain[1:]]
    result = ledger.verify_chain(renumbered)
    assert (result.failure.seq, result.failure.kind) == (1, "prev_hash_mismatch")


def test_forged_prev_hash_is_caught(chain):
    events = list(chain)
    forged_prev = "ab" * 32
    events[9] = dataclasses.replace(events[9], prev_hash=forged_prev)
    assert ledger.verify_chain(events).failure.kind == "prev_hash_mismatch"
    # Even with the event's own hash recomputed over the forged link.
    recomputed = ledger.event_hash(bytes.fromhex(forged_prev), events[9].payload).hex()
    events[9] = dataclasses.replace(events[9], hash=recomputed)
    result = ledger.verify_chain(events)
    assert (result.failure.seq, result.failure.kind) == (10, "prev_hash_mismatch")
    assert result.size == 9


@pytest.mark.parametrize("bad_hash", ["AB" * 32, "ab" * 31 + "a", "", "zz" * 32])
def test_altered_or_malformed_stored_hash_is_a_hash_mismatch(chain, bad_hash):
    events = list(chain)
    events[0] = dataclasses.replace(events[0], hash=bad_hash)
    result = ledger.verify_chain(events)
    assert (result.failure.seq, result.failure.kind) == (1, "hash_mismatch")


def test_misaligned_hash_strings_cannot_cancel_out(chain):
    # 63 + 65 characters concatenate to the right 128; each must still be checked on its own.
    events = list(chain)
    first, second = events[0].hash, events[1].hash
    events[0] = dataclasses.replace(events[0], hash=first[:-1])
    events[1] = dataclasses.replace(events[1], prev_hash=first[:-1], hash=first[-1] + second)
    assert ledger.verify_chain(events).failure.seq == 1


def test_failures_in_later_batches_report_the_exact_seq():
    events = make_chain(5000)
    events[4321] = dataclasses.replace(events[4321], payload=b"{}")
    result = ledger.verify_chain(events, record_roots_at=[1024, 4096, 4500])
    assert (result.failure.seq, result.failure.kind) == (4322, "hash_mismatch")
    assert result.size == 4321
    leaves = leaves_from(events)
    assert result.root == ledger.merkle_root(leaves[:4321]).hex()
    assert set(result.roots) == {1024, 4096}
    assert result.roots[4096] == ledger.merkle_root(leaves[:4096]).hex()


def test_roots_are_recorded_at_requested_sizes():
    events = make_chain(2100)
    sizes = [0, 1, 5, 1023, 1024, 1025, 2048, 2100, 9999]
    result = ledger.verify_chain(iter(events), record_roots_at=sizes)
    assert result.ok and result.size == 2100
    leaves = leaves_from(events)
    for size in sizes[:-1]:
        assert result.roots[size] == ref_mth(leaves[:size]).hex(), size
    assert 9999 not in result.roots


def as_rows(events: list[EventRecord]) -> list[tuple]:
    """Events as plain (seq, prev_hash, hash, payload) tuples, the form a database cursor returns."""
    return [(event.seq, event.prev_hash, event.hash, event.payload) for event in events]


def test_plain_tuples_verify_exactly_like_event_objects():
    events = make_chain(2100)
    sizes = [7, 1024, 2000]
    assert ledger.verify_chain(as_rows(events), sizes) == ledger.verify_chain(events, sizes)
    text_rows = [(seq, prev, digest, payload.decode()) for seq, prev, digest, payload in as_rows(events)]
    assert ledger.verify_chain(text_rows).root == ledger.verify_chain(events).root
    tampered = list(events)
    tampered[1500] = dataclasses.replace(tampered[1500], payload=b"{}")
    del tampered[300]
    for shape in (tampered, as_rows(tampered)):
        failure = ledger.verify_chain(shape).failure
        assert (failure.seq, failure.kind) == (301, "gap")
    swapped = as_rows(events)
    swapped[10], swapped[11] = swapped[11], swapped[10]
    assert ledger.verify_chain(swapped).failure.seq == 11


# --- checkpoints -------------------------------------------------------------------------------------


def test_checkpoint_signing_bytes_are_canonical_and_tagged():
    checkpoint = Checkpoint("leeds", 3, "00" * 32, "2025-03-01T10:00:00Z")
    raw = checkpoint.signing_bytes()
    assert raw == ledger.canonical_json({**checkpoint.to_dict(), "format": "copro-audit-checkpoint/1"})
    assert json.loads(raw)["format"] == ledger.CHECKPOINT_FORMAT


def test_checkpoint_signature_round_trip_and_tamper(key):
    checkpoint = Checkpoint("leeds", 3, "00" * 32, ledger.utc_now_iso())
    signature = ledger.sign_checkpoint(key, checkpoint)
    public = key.public_key()
    assert ledger.verify_checkpoint(public, checkpoint, signature)
    assert not ledger.verify_checkpoint(public, dataclasses.replace(checkpoint, tree_size=4), signature)
    assert not ledger.verify_checkpoint(public, dataclasses.replace(checkpoint, organisation="york"), signature)
    assert not ledger.verify_checkpoint(public, checkpoint, "not base64!")
    assert not ledger.verify_checkpoint(public, checkpoint, "")
    assert not ledger.verify_checkpoint(Ed25519PrivateKey.generate().public_key(), checkpoint, signature)


def test_chain_matching_its_checkpoint(chain, key):
    checkpoint, signature = checkpoint_for(chain, key, 30)
    result = ledger.verify_chain(chain, record_roots_at=[checkpoint.tree_size])
    assert (
        ledger.verify_against_checkpoint(result, checkpoint, signature, key.public_key(), organisation="leeds") is None
    )
    whole, whole_signature = checkpoint_for(chain, key, 40)
    assert ledger.verify_against_checkpoint(result, whole, whole_signature, key.public_key()) is None


def test_truncation_is_caught_by_the_checkpoint(chain, key):
    checkpoint, signature = checkpoint_for(chain, key, 40)
    result = ledger.verify_chain(chain[:35])
    assert result.ok  # the shortened chain is self-consistent...
    failure = ledger.verify_against_checkpoint(result, checkpoint, signature, key.public_key())
    assert (failure.seq, failure.kind) == (36, "truncated")  # ...but the checkpoint remembers
    assert "events 36 to 40 are missing" in failure.message


def test_whole_chain_rewrite_is_caught_by_the_checkpoint(chain, key):
    checkpoint, signature = checkpoint_for(chain, key, 40)
    events = list(chain)
    events[4] = dataclasses.replace(events[4], payload=b'{"action":"nothing to see"}')
    rewritten = rehash_from(events, 4)
    result = ledger.verify_chain(rewritten, record_roots_at=[40])
    assert result.ok
    failure = ledger.verify_against_checkpoint(result, checkpoint, signature, key.public_key())
    assert (failure.seq, failure.kind) == (None, "root_mismatch")


def test_forged_checkpoint_signature_and_wrong_key(chain, key):
    checkpoint, signature = checkpoint_for(chain, key, 40)
    result = ledger.verify_chain(chain)
    forged = dataclasses.replace(checkpoint, tree_size=39, root_hash=ledger.merkle_root(leaves_from(chain[:39])).hex())
    failure = ledger.verify_against_checkpoint(result, forged, signature, key.public_key())
    assert failure.kind == "bad_signature"
    mallory = Ed25519PrivateKey.generate()
    failure = ledger.verify_against_checkpoint(result, checkpoint, signature, mallory.public_key())
    assert failure.kind == "bad_signature"
    self_signed = ledger.sign_checkpoint(mallory, checkpoint)
    assert ledger.verify_against_checkpoint(result, checkpoint, self_signed, key.public_key()).kind == "bad_signature"


def test_checkpoint_for_another_organisation(chain, key):
    checkpoint, signature = checkpoint_for(chain, key, 40)
    result = ledger.verify_chain(chain)
    failure = ledger.verify_against_checkpoint(result, checkpoint, signature, key.public_key(), organisation="york")
    assert failure.kind == "wrong_organisation"


def test_chain_broken_before_the_checkpoint_reports_the_break(chain, key):
    checkpoint, signature = checkpoint_for(chain, key, 40)
    result = ledger.verify_chain(chain[:20] + chain[21:])
    failure = ledger.verify_against_checkpoint(result, checkpoint, signature, key.public_key())
    assert (failure.seq, failure.kind) == (21, "gap")


def test_root_at_checkpoint_size_must_have_been_recorded(chain, key):
    checkpoint, signature = checkpoint_for(chain, key, 30)
    with pytest.raises(ValueError, match="record_roots_at"):
        ledger.verify_against_checkpoint(ledger.verify_chain(chain), checkpoint, signature, key.public_key())


# --- keys -----------------------------------------------------------------------------------------------


def test_load_or_create_private_key(tmp_path: Path):
    path = tmp_path / "keys" / "nested" / "audit.pem"
    created = ledger.load_or_create_private_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert not [p for p in path.parent.iterdir() if p.name != "audit.pem"]  # no temporary left behind
    loaded = ledger.load_or_create_private_key(path)
    assert ledger.public_key_id(loaded) == ledger.public_key_id(created)
    assert ledger.load_private_key_pem(path.read_text()).public_key() == created.public_key()


def test_public_key_pem_round_trip(key):
    pem = ledger.public_key_pem(key)
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert ledger.public_key_pem(ledger.load_public_key_pem(pem)) == pem
    assert ledger.load_public_key_pem(pem.encode()) == key.public_key()
    assert len(ledger.public_key_id(key)) == 64
    assert ledger.public_key_id(key) == ledger.public_key_id(key.public_key())


def test_non_ed25519_keys_are_refused():
    other = ec.generate_private_key(ec.SECP256R1())
    private_pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = other.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(TypeError):
        ledger.load_private_key_pem(private_pem)
    with pytest.raises(TypeError):
        ledger.load_public_key_pem(public_pem)
