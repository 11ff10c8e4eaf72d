"""Offline verifier for an exported audit evidence bundle.

Run it where the app does not exist, with only Python 3.11+ and the `cryptography` package:

    python -m copro_tracker.audit.verify BUNDLE.json [--public-key KEY.pem] [--files-dir DIR] [--report FILE]
    python verify.py BUNDLE.json ...        # this file copied next to ledger.py also works

It prints one plain-English line per check ("OK: …", "FAIL: …", "NOTE: …") and exits 0 when every
check passed, 1 when any failed, 2 when the bundle (or the key given) could not be read. Pass the
organisation's published public key with --public-key: a bundle can carry any key, so the embedded
one only proves the bundle is self-consistent, not who signed it.

Bundle format ("copro-audit-bundle/1")
======================================
A UTF-8 JSON object::

    {
      "format": "copro-audit-bundle/1",
      "organisation": "<organisation slug>",
      "public_key": "<Ed25519 public key, SubjectPublicKeyInfo PEM>",
      "checkpoint": {
        "organisation": "<slug>", "tree_size": <int>, "root_hash": "<64 hex>",
        "issued_at": "<ISO 8601 UTC, e.g. 2025-01-31T09:15:00Z>", "signature": "<base64 Ed25519>"
      },
      "events": [
        {"seq": <int>, "prev_hash": "<64 hex>", "hash": "<64 hex>",
         "payload": "<the canonical payload JSON, as a string holding its exact text>"}
      ],
      "inclusion_proofs": [
        {"seq": <int>, "leaf_hash": "<64 hex>", "proof": ["<64 hex>", ...]}
      ],
      "files": [{"name": "<file name next to the bundle>", "sha256": "<64 hex>"}],   (optional)
      "report_sha256": "<64 hex>",                                                  (optional)
      "report": {...},    (optional: an evidence report's data; report_sha256 is the SHA-256 of its
                           canonical JSON, and must be recorded in an event the checkpoint covers or
                           signed in report_statement)
      "report_statement": {                                                         (optional)
        "organisation": "<slug>", "report_sha256": "<64 hex>", "tree_size": <int>, "root_hash": "<64 hex>",
        "issued_at": "<ISO 8601 UTC>", "signature": "<base64 Ed25519>"
      }
    }

An evidence report's download reuses the latest checkpoint that covers the events it cites, so the event
recording the download itself comes after that checkpoint. Its data is tied to the signed log by the report
statement instead: the organisation's key signs the report's SHA-256 together with the checkpoint (size
and root) its proofs lead to (ledger.py, "Report statement"). The download is also recorded in the audit
log (report.generated, with the same SHA-256), which the organisation's next checkpoint covers.

`events` holds either the whole chain from seq 1 to the checkpoint's tree_size, or only the events an
evidence report cites, each with an inclusion proof (an event may instead be tied to the checkpoint
through the next event's prev_hash, when that one is proven). Hashes, the Merkle tree, the checkpoint
signing bytes and the proofs are defined in `ledger.py`'s docstring: the leaf for event `seq` is its
`hash`, at leaf index seq - 1, and proofs follow RFC 9162 §2.1.3.

What is checked: the checkpoint signature (with --public-key, which must match the embedded key, or
else the embedded key); every event's hash from its prev_hash and payload bytes (UTF-8 of the
"payload" string); links between consecutive bundled events; each inclusion proof against the
checkpoint root; that every bundled event is tied to the checkpoint; with the whole chain present,
that it reproduces the checkpoint root; and any listed files present in --files-dir (default: the
bundle's directory) and the --report file against their SHA-256; and that the report data is tied to the
signed log (its SHA-256 in a covered event, or in a report statement signed by the key for this checkpoint).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

if __package__:
    from . import ledger
else:
    # Run as a plain script next to ledger.py, e.g. by an inspector without the app; with -I or -P
    # Python leaves the script's own directory off the path, so put it there.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import ledger  # type: ignore[no-redef]

__all__ = ["BUNDLE_FORMAT", "BundleError", "Check", "build_bundle", "load_bundle", "main", "verify_bundle"]

BUNDLE_FORMAT = "copro-audit-bundle/1"
# A thoroughly tampered bundle could otherwise print a line per event.
_MAX_LINES_PER_CHECK = 20


class BundleError(ValueError):
    """The bundle (or a key given with it) cannot be read or is not shaped like a bundle."""


@dataclass(frozen=True, slots=True)
class Check:
    status: Literal["ok", "fail", "note"]
    message: str

    @property
    def ok(self) -> bool:
        return self.status != "fail"

    @property
    def line(self) -> str:
        return f"{self.status.upper()}: {self.message}"


# --- reading -------------------------------------------------------------------------------------


def _field(obj: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in obj:
        raise BundleError(f"{where} has no {key!r}")
    value = obj[key]
    # bool is an int subclass, and a JSON true is never a valid sequence number or size.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BundleError(f"{where}: {key!r} should be {kind.__name__}, not {type(value).__name__}")
    return value


def _hex32(value: str) -> bytes | None:
    if len(value) != 64:
        return None
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        return None
    return raw if raw.hex() == value else None  # lowercase only, as the ledger writes it


@dataclass(frozen=True, slots=True)
class _Event:
    seq: int
    prev_hash: str
    hash: str
    payload: str


@dataclass(frozen=True, slots=True)
class _Proof:
    seq: int
    leaf_hash: str
    proof: list[str]


def _read_events(bundle: Mapping[str, Any]) -> list[_Event]:
    events = []
    for number, item in enumerate(_field(bundle, "events", list, "the bundle"), start=1):
        where = f"events[{number}]"
        if not isinstance(item, dict):
            raise BundleError(f"{where} is not an object")
        events.append(
            _Event(
                _field(item, "seq", int, where),
                _field(item, "prev_hash", str, where),
                _field(item, "hash", str, where),
                _field(item, "payload", str, where),
            )
        )
    return events


def _read_proofs(bundle: Mapping[str, Any]) -> list[_Proof]:
    proofs = []
    for number, item in enumerate(bundle.get("inclusion_proofs") or [], start=1):
        where = f"inclusion_proofs[{number}]"
        if not isinstance(item, dict):
            raise BundleError(f"{where} is not an object")
        path = _field(item, "proof", list, where)
        if not all(isinstance(node, str) for node in path):
            raise BundleError(f"{where}: 'proof' should be a list of hex strings")
        proofs.append(_Proof(_field(item, "seq", int, where), _field(item, "leaf_hash", str, where), path))
    return proofs


def load_bundle(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BundleError(f"cannot read {path}: {error}") from error
    if not isinstance(data, dict):
        raise BundleError(f"{path} does not hold a JSON object")
    return data


# --- checking ------------------------------------------------------------------------------------


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class _Report:
    def __init__(self) -> None:
        self.checks: list[Check] = []

    def ok(self, message: str) -> None:
        self.checks.append(Check("ok", message))

    def note(self, message: str) -> None:
        self.checks.append(Check("note", message))

    def fail(self, message: str) -> None:
        self.checks.append(Check("fail", message))

    def fail_many(self, messages: list[str], what: str) -> None:
        for message in messages[:_MAX_LINES_PER_CHECK]:
            self.fail(message)
        if len(messages) > _MAX_LINES_PER_CHECK:
            self.fail(f"... and {len(messages) - _MAX_LINES_PER_CHECK} more {what}.")


def _choose_key(bundle: Mapping[str, Any], public_key_pem: str | None, report: _Report) -> Ed25519PublicKey | None:
    embedded_pem = bundle.get("public_key")
    embedded = None
    if isinstance(embedded_pem, str):
        try:
            embedded = ledger.load_public_key_pem(embedded_pem)
        except (ValueError, TypeError):
            report.fail("The public key inside the bundle is not a readable Ed25519 PEM key.")
    if public_key_pem is not None:
        try:
            pinned = ledger.load_public_key_pem(public_key_pem)
        except (ValueError, TypeError) as error:
            raise BundleError(f"the public key given is not an Ed25519 PEM key: {error}") from error
        if embedded is not None and ledger.public_key_id(embedded) != ledger.public_key_id(pinned):
            report.fail(
                "The public key inside the bundle is not the key you supplied; everything below is checked "
                "against the key you supplied."
            )
        return pinned
    if embedded is None:
        report.fail("The bundle carries no usable public key and none was supplied, so nothing can be trusted.")
        return None
    report.note(
        f"Checked against the key inside the bundle (fingerprint {ledger.public_key_id(embedded)}). Compare that "
        "fingerprint with the one the organisation publishes, or pass --public-key, before relying on the result."
    )
    return embedded


def _check_checkpoint(
    bundle: Mapping[str, Any], key: Ed25519PublicKey | None, report: _Report
) -> tuple[ledger.Checkpoint, bytes | None]:
    raw = _field(bundle, "checkpoint", dict, "the bundle")
    checkpoint = ledger.Checkpoint(
        organisation=_field(raw, "organisation", str, "checkpoint"),
        tree_size=_field(raw, "tree_size", int, "checkpoint"),
        root_hash=_field(raw, "root_hash", str, "checkpoint"),
        issued_at=_field(raw, "issued_at", str, "checkpoint"),
    )
    signature = _field(raw, "signature", str, "checkpoint")
    described = (
        f"checkpoint for {checkpoint.organisation!r} covering {checkpoint.tree_size} events, "
        f"issued at {checkpoint.issued_at}"
    )
    if key is not None:
        if ledger.verify_checkpoint(key, checkpoint, signature):
            report.ok(f"checkpoint signature valid ({described}, key {ledger.public_key_id(key)}).")
        else:
            report.fail(f"The {described} does not carry a valid signature from this key (forged or altered).")
    organisation = bundle.get("organisation")
    if organisation != checkpoint.organisation:
        report.fail(
            f"The bundle says organisation {organisation!r} but its checkpoint is for {checkpoint.organisation!r}."
        )
    root = _hex32(checkpoint.root_hash)
    if root is None or checkpoint.tree_size < 0:
        report.fail("The checkpoint's root hash or size is malformed.")
    return checkpoint, root


def _check_events(events: list[_Event], checkpoint: ledger.Checkpoint, report: _Report) -> dict[int, _Event]:
    """Returns the events whose own hash verified, by seq."""
    by_seq: dict[int, _Event] = {}
    problems: list[str] = []
    for event in events:
        if event.seq in by_seq:
            problems.append(f"Event {event.seq} appears more than once in the bundle.")
            continue
        if not 1 <= event.seq <= checkpoint.tree_size:
            problems.append(
                f"Event {event.seq} is outside the checkpoint, which covers events 1 to {checkpoint.tree_size}."
            )
            continue
        prev, digest = _hex32(event.prev_hash), _hex32(event.hash)
        if prev is None or digest is None:
            problems.append(f"Event {event.seq}: its hash or previous hash is not a 64-character lowercase hex value.")
            continue
        if ledger.event_hash(prev, event.payload.encode("utf-8")) != digest:
            problems.append(f"Event {event.seq}: stored hash does not match its contents (the event was altered).")
            continue
        if event.seq == 1 and prev != ledger.GENESIS_HASH:
            problems.append("Event 1: its previous hash is not the genesis value.")
            continue
        by_seq[event.seq] = event
    report.fail_many(problems, "event problems")
    if by_seq and len(by_seq) == len(events):
        report.ok(f"all {len(events)} bundled events match their hashes.")
    elif by_seq:
        report.note(f"{len(by_seq)} of {len(events)} bundled events match their hashes.")
    elif not events:
        report.note("The bundle holds no events.")

    links = 0
    broken = []
    for seq, event in by_seq.items():
        following = by_seq.get(seq + 1)
        if following is not None:
            if following.prev_hash == event.hash:
                links += 1
            else:
                broken.append(
                    f"Event {seq + 1}: its link to event {seq} is broken (the stored previous hash does not match "
                    f"event {seq}'s hash)."
                )
    report.fail_many(broken, "broken links")
    if links and not broken:
        report.ok(f"{_count(links, 'link')} between consecutive bundled events intact.")
    return by_seq


def _check_proofs(
    proofs: list[_Proof],
    verified: dict[int, _Event],
    bundled_seqs: set[int],
    checkpoint: ledger.Checkpoint,
    root: bytes | None,
    report: _Report,
) -> set[int]:
    """Returns the seqs of bundled, hash-verified events proven to be in the checkpoint's tree."""
    proven: set[int] = set()
    problems = []
    hash_only: list[int] = []
    passed = 0
    for item in proofs:
        leaf = _hex32(item.leaf_hash)
        path = [_hex32(node) for node in item.proof]
        if leaf is None or any(node is None for node in path):
            problems.append(f"The inclusion proof for event {item.seq} contains a malformed hash.")
            continue
        nodes = [node for node in path if node is not None]
        if root is None or not ledger.verify_inclusion(leaf, item.seq - 1, checkpoint.tree_size, nodes, root):
            problems.append(
                f"Event {item.seq}: its inclusion proof does not lead to the checkpoint's root (the event or the "
                "proof was altered, or it is not part of the signed log)."
            )
            continue
        event = verified.get(item.seq)
        if event is not None and event.hash != item.leaf_hash:
            problems.append(f"Event {item.seq}: the proof is for a different event than the one in the bundle.")
            continue
        passed += 1
        if event is not None:
            proven.add(item.seq)
        elif item.seq not in bundled_seqs:
            hash_only.append(item.seq)
    if len(hash_only) == 1:
        report.note(f"The inclusion proof for event {hash_only[0]} is valid, but that event is not in the bundle.")
    elif hash_only:
        # An anonymised report's bundle proves the events it relies on by hash alone: their contents (who did
        # what, by internal id) are left out, and the signed report statement ties the data to the checkpoint.
        report.note(
            f"{len(hash_only)} events are proven by their hash only (valid inclusion proofs; their contents are "
            "not in the bundle, as in an anonymised report)."
        )
    report.fail_many(problems, "failed proofs")
    if passed and not problems:
        report.ok(f"{_count(passed, 'inclusion proof')} verified against the checkpoint root.")
    return proven


def _check_full_chain(
    events: list[_Event], verified: dict[int, _Event], checkpoint: ledger.Checkpoint, root: bytes | None
) -> bool | None:
    """None if the bundle does not hold the whole chain; otherwise whether it reproduces the root."""
    size = checkpoint.tree_size
    if size == 0 or sorted(event.seq for event in events) != list(range(1, size + 1)):
        return None
    if len(verified) != size:
        return False
    leaves = [bytes.fromhex(verified[seq].hash) for seq in range(1, checkpoint.tree_size + 1)]
    return root is not None and ledger.merkle_root(leaves) == root


def _check_anchoring(verified: dict[int, _Event], proven: set[int], report: _Report) -> set[int]:
    """An event is tied to the checkpoint if proven, or if the next event links to it and is tied."""
    anchored = set(proven)
    for seq in sorted(verified, reverse=True):
        following = verified.get(seq + 1)
        if seq not in anchored and following is not None and seq + 1 in anchored:
            if following.prev_hash == verified[seq].hash:
                anchored.add(seq)
    loose = [seq for seq in sorted(verified) if seq not in anchored]
    report.fail_many(
        [
            f"Event {seq} is not tied to the checkpoint: it has no inclusion proof and no later linked event has one."
            for seq in loose
        ],
        "events not tied to the checkpoint",
    )
    if verified and not loose:
        report.ok(f"all {len(verified)} verified events are tied to the signed checkpoint.")
    return anchored


def _sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _check_files(bundle: Mapping[str, Any], files_dir: Path | None, report: _Report) -> None:
    listed = bundle.get("files") or []
    if not isinstance(listed, list):
        raise BundleError("'files' should be a list")
    if listed and files_dir is None:
        report.note(f"{len(listed)} attached files are listed but were not checked (no directory given).")
        return
    for number, item in enumerate(listed, start=1):
        where = f"files[{number}]"
        if not isinstance(item, dict):
            raise BundleError(f"{where} is not an object")
        name, expected = _field(item, "name", str, where), _field(item, "sha256", str, where)
        assert files_dir is not None
        base = files_dir.resolve()
        target = (base / name).resolve()
        if not name or not target.is_relative_to(base):
            report.fail(f"Attached file name {name!r} points outside the bundle's directory; not checked.")
        elif not target.is_file():
            report.note(f"Attached file {name!r} is not present, so it was not checked.")
        elif _sha256_file(target) == expected:
            report.ok(f"attached file {name!r} matches its SHA-256.")
        else:
            report.fail(f"Attached file {name!r} does not match the SHA-256 in the bundle (it was changed).")


def _check_statement(
    bundle: Mapping[str, Any],
    expected: str | None,
    key: Ed25519PublicKey | None,
    checkpoint: ledger.Checkpoint,
    report: _Report,
) -> bool | None:
    """None without a report statement; else whether it is signed by the key, for this report_sha256 and for
    the bundle's checkpoint."""
    raw = bundle.get("report_statement")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise BundleError("'report_statement' should be an object")
    where = "report_statement"
    statement = ledger.ReportStatement(
        organisation=_field(raw, "organisation", str, where),
        report_sha256=_field(raw, "report_sha256", str, where),
        tree_size=_field(raw, "tree_size", int, where),
        root_hash=_field(raw, "root_hash", str, where),
        issued_at=_field(raw, "issued_at", str, where),
    )
    signature = _field(raw, "signature", str, where)
    if key is None:
        return False  # already failed: no key to check anything with
    if not ledger.verify_statement(key, statement, signature):
        report.fail("The report statement does not carry a valid signature from this key (forged or altered).")
        return False
    if statement.report_sha256 != expected:
        report.fail(
            "The signed report statement is for a different report than the bundle's report_sha256, so the report "
            "data is not tied to the signed log (the data or its report_sha256 was changed)."
        )
        return False
    signed_for = (statement.organisation, statement.tree_size, statement.root_hash)
    if signed_for != (checkpoint.organisation, checkpoint.tree_size, checkpoint.root_hash):
        report.fail("The signed report statement is for a different checkpoint than the one in the bundle.")
        return False
    report.ok(
        f"the report's SHA-256 is signed together with the checkpoint its proofs lead to (report statement issued "
        f"at {statement.issued_at})."
    )
    return True


def _check_report(
    bundle: Mapping[str, Any],
    report_path: Path | None,
    anchored: dict[int, _Event],
    report: _Report,
    key: Ed25519PublicKey | None,
    checkpoint: ledger.Checkpoint,
) -> None:
    expected = bundle.get("report_sha256")
    embedded = bundle.get("report")
    if expected is None:
        if report_path is not None:
            report.fail("A report file was given but the bundle records no report_sha256 to check it against.")
        if embedded is not None:
            report.fail("The bundle carries report data but no report_sha256, so the data cannot be checked.")
        if bundle.get("report_statement") is not None:
            report.fail("The bundle carries a signed report statement but no report_sha256 to check it against.")
        return
    if not isinstance(expected, str):
        raise BundleError("'report_sha256' should be a hex string")
    if embedded is not None:
        # An evidence report's JSON download embeds its data: report_sha256 is the SHA-256 of its canonical JSON.
        try:
            actual_embedded = hashlib.sha256(ledger.canonical_json(embedded)).hexdigest()
        except (TypeError, ValueError) as error:
            raise BundleError(f"the embedded report data is not plain JSON: {error}") from error
        if actual_embedded == expected:
            report.ok("the report data in the bundle matches its report_sha256.")
        else:
            report.fail("The report data in the bundle does not match its report_sha256 (the data was changed).")
    if report_path is not None:
        try:
            actual = _sha256_file(report_path)
        except OSError as error:
            raise BundleError(f"cannot read the report {report_path}: {error}") from error
        if actual == expected:
            report.ok(f"the report {report_path.name!r} matches the bundle's report_sha256.")
        else:
            report.fail(f"The report {report_path.name!r} does not match the bundle's report_sha256 (it was changed).")
    elif embedded is None:
        report.note(f"The bundle records report SHA-256 {expected}; pass --report FILE to check a copy of the report.")
    signed = _check_statement(bundle, expected, key, checkpoint, report)
    recorded = [seq for seq, event in sorted(anchored.items()) if expected in event.payload]
    if recorded:
        report.ok(f"the report's SHA-256 is recorded in audit event {recorded[0]}, which the checkpoint covers.")
    elif embedded is not None and signed is None:
        report.fail(
            "No audit event covered by the checkpoint records the report's SHA-256, so the report data is not "
            "tied to the signed log (the data or its report_sha256 was changed)."
        )


def verify_bundle(
    bundle: Mapping[str, Any],
    public_key_pem: str | None = None,
    *,
    files_dir: Path | None = None,
    report_path: Path | None = None,
) -> list[Check]:
    """Check everything the bundle holds; see the module docstring. Raises BundleError if it is malformed."""
    if not isinstance(bundle, Mapping):
        raise BundleError("the bundle is not a JSON object")
    if bundle.get("format") != BUNDLE_FORMAT:
        raise BundleError(f"not a {BUNDLE_FORMAT} bundle (format is {bundle.get('format')!r})")
    report = _Report()
    key = _choose_key(bundle, public_key_pem, report)
    checkpoint, root = _check_checkpoint(bundle, key, report)
    events = _read_events(bundle)
    proofs = _read_proofs(bundle)

    verified = _check_events(events, checkpoint, report)
    proven = _check_proofs(proofs, verified, {event.seq for event in events}, checkpoint, root, report)
    whole = _check_full_chain(events, verified, checkpoint, root)
    if whole is None and events and not proofs:
        # Without proofs only the whole chain can be tied to the root; say what is missing, once.
        present = {event.seq for event in events}
        missing = [seq for seq in range(1, checkpoint.tree_size + 1) if seq not in present]
        listed = ", ".join(map(str, missing[:10])) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        report.fail(
            f"The bundle has no inclusion proofs and is not the whole chain of {checkpoint.tree_size} events "
            f"(missing: {listed}), so its events are not tied to the checkpoint."
        )
        anchored_seqs = set()
    elif whole is None:
        anchored_seqs = _check_anchoring(verified, proven, report)
    elif whole:
        report.ok(f"the bundle holds the whole chain of {checkpoint.tree_size} events and it reproduces the root.")
        anchored_seqs = set(verified)
    else:
        report.fail(
            f"The {checkpoint.tree_size} events in the bundle do not reproduce the checkpoint's root "
            "(history was altered or rewritten, or the checkpoint belongs to a different log)."
        )
        anchored_seqs = set()
    if not events and not proofs:
        report.fail("The bundle holds neither events nor inclusion proofs, so it shows nothing.")
    _check_files(bundle, files_dir, report)
    _check_report(bundle, report_path, {seq: verified[seq] for seq in anchored_seqs}, report, key, checkpoint)
    return report.checks


# --- building (for the app's exporter) -----------------------------------------------------------


def build_bundle(
    organisation: str,
    events: Iterable[ledger.EventLike],
    checkpoint: ledger.Checkpoint,
    signature: str,
    public_key: Ed25519PublicKey | Ed25519PrivateKey | str,
    cited_seqs: Iterable[int] | None = None,
    *,
    files: Mapping[str, str] | None = None,
    report_sha256: str | None = None,
) -> dict[str, Any]:
    """Assemble a bundle from the organisation's chain (seq 1 onwards, in order).

    With `cited_seqs` None the bundle carries the whole chain up to the checkpoint; otherwise only
    the cited events, each with its inclusion proof. `files` maps attached file names to SHA-256 hex.
    Raises ValueError if the events do not reproduce the checkpoint, so a bad export never leaves.
    """
    if checkpoint.organisation != organisation:
        raise ValueError("the checkpoint belongs to a different organisation")
    chain = list(islice(events, checkpoint.tree_size))
    if [event.seq for event in chain] != list(range(1, checkpoint.tree_size + 1)):
        raise ValueError(f"need events 1 to {checkpoint.tree_size} in order to build the bundle")
    leaves = [bytes.fromhex(event.hash) for event in chain]
    if cited_seqs is None:
        included = chain
        proofs: list[dict[str, Any]] = []
        root = ledger.merkle_root(leaves)
    else:
        wanted = sorted(set(cited_seqs))
        if wanted and not 1 <= wanted[0] <= wanted[-1] <= checkpoint.tree_size:
            raise ValueError(f"cited events must lie within 1 to {checkpoint.tree_size}")
        tree = ledger.MerkleTree(leaves)
        root = tree.root()
        included = [chain[seq - 1] for seq in wanted]
        proofs = [
            {
                "seq": seq,
                "leaf_hash": chain[seq - 1].hash,
                "proof": [node.hex() for node in tree.inclusion_proof(seq - 1)],
            }
            for seq in wanted
        ]
    if root.hex() != checkpoint.root_hash:
        raise ValueError("the events do not reproduce the checkpoint's root hash")
    return assemble_bundle(
        organisation, included, proofs, checkpoint, signature, public_key, files=files, report_sha256=report_sha256
    )


def assemble_bundle(
    organisation: str,
    included: Sequence[ledger.EventLike],
    proofs: list[dict[str, Any]],
    checkpoint: ledger.Checkpoint,
    signature: str,
    public_key: Ed25519PublicKey | Ed25519PrivateKey | str,
    *,
    files: Mapping[str, str] | None = None,
    report_sha256: str | None = None,
    report_statement: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The bundle dict from events and proofs already made (and checked) by the caller; `report_statement` is
    a signed ledger.ReportStatement's fields with its "signature"."""
    pem = public_key if isinstance(public_key, str) else ledger.public_key_pem(public_key)
    bundle: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "organisation": organisation,
        "public_key": pem,
        "checkpoint": {**checkpoint.to_dict(), "signature": signature},
        "events": [
            {
                "seq": event.seq,
                "prev_hash": event.prev_hash,
                "hash": event.hash,
                "payload": event.payload if isinstance(event.payload, str) else event.payload.decode("utf-8"),
            }
            for event in included
        ],
        "inclusion_proofs": proofs,
    }
    if files:
        bundle["files"] = [{"name": name, "sha256": digest} for name, digest in files.items()]
    if report_sha256 is not None:
        bundle["report_sha256"] = report_sha256
    if report_statement is not None:
        bundle["report_statement"] = dict(report_statement)
    return bundle


# --- command line --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m copro_tracker.audit.verify",
        description="Verify a Co-production Tracker audit evidence bundle offline.",
    )
    parser.add_argument("bundle", type=Path, help="the bundle JSON file")
    parser.add_argument("--public-key", type=Path, help="the organisation's published Ed25519 public key (PEM)")
    parser.add_argument("--files-dir", type=Path, help="where attached files are (default: the bundle's directory)")
    parser.add_argument("--report", type=Path, help="a copy of the report to check against report_sha256")
    args = parser.parse_args(argv)
    try:
        bundle = load_bundle(args.bundle)
        key_pem = None
        if args.public_key is not None:
            try:
                key_pem = args.public_key.read_text(encoding="ascii")
            except (OSError, UnicodeDecodeError) as error:
                raise BundleError(f"cannot read the public key {args.public_key}: {error}") from error
        files_dir = args.files_dir if args.files_dir is not None else args.bundle.resolve().parent
        checks = verify_bundle(bundle, key_pem, files_dir=files_dir, report_path=args.report)
    except BundleError as error:
        print(f"ERROR: {error}")
        return 2
    for check in checks:
        print(check.line)
    failed = sum(not check.ok for check in checks)
    if failed:
        print(f"RESULT: FAILED ({failed} problem{'s' if failed != 1 else ''} found).")
        return 1
    print("RESULT: PASSED (everything in the bundle verified).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
