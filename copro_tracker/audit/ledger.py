"""The audit ledger's pure core: canonical payloads, the hash chain, the Merkle tree and signed checkpoints.

Standard library and `cryptography` only (no Flask, no SQLAlchemy), so the offline verifier
(`verify.py`) can be handed to an inspector together with this one file.

Byte layout
===========
Everything an outsider needs to reimplement verification. SHA-256 throughout, ``‖`` is concatenation,
hex is lowercase, "seq" starts at 1 and increases by exactly 1 per event within one organisation.

Canonical payload
    UTF-8 JSON with object keys sorted by Unicode code point, separators ``,`` and ``:`` and no
    whitespace, non-ASCII characters written literally (not as ``\\u`` escapes), and only null,
    true/false, integers, strings, arrays and objects (floats and NaN are refused). The database and
    the export bundle keep these exact bytes; verifiers hash the stored bytes and never re-encode.

Event hash (one hash that is both the chain link and the Merkle leaf)
    ``hash = SHA-256( 0x00 ‖ "copro-audit-event/1" ‖ 0x00 ‖ prev_hash ‖ payload )``

    ``prev_hash`` is the 32 raw bytes of the previous event's hash; for seq 1 it is 32 zero bytes
    (``GENESIS_HASH``). The first byte 0x00 is RFC 6962's leaf prefix, so the event hash *is* the
    RFC 6962 leaf hash of the entry ``"copro-audit-event/1" ‖ 0x00 ‖ prev_hash ‖ payload``: the
    Merkle leaf input is the canonical payload bound to its place in the chain, not the payload
    alone. Two reasons: a leaf proven by an inclusion proof then also pins the chain link, and each
    event costs one SHA-256 instead of two, which is what keeps verifying a million events fast.
    The tag and the fixed-length ``prev_hash`` make the encoding unambiguous.

Merkle tree
    RFC 6962 §2.1 / RFC 9162 §2.1.1 Merkle Tree Hash over the event hashes in seq order (leaf index
    = seq - 1). With the leaf hashes already computed:
    ``MTH([]) = SHA-256("")``, ``MTH([h]) = h``, and for n > 1 with k the largest power of two
    smaller than n: ``MTH(D[0:n]) = SHA-256( 0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]) )``.
    Inclusion and consistency proofs are exactly those of RFC 9162 §2.1.3 and §2.1.4 (the same as
    RFC 6962 §2.1.1 and §2.1.2): lists of 32-byte node hashes, innermost first.

Checkpoint
    Signed bytes = canonical JSON of
    ``{"format": "copro-audit-checkpoint/1", "issued_at": …, "organisation": …, "root_hash": hex,
    "tree_size": int}``; ``issued_at`` is ISO 8601 UTC ending in ``Z``. The signature is Ed25519
    over those bytes, written in standard padded base64 (RFC 4648 §4).

Report statement
    What ties an evidence report's data to a checkpoint without a new checkpoint per download: signed bytes =
    canonical JSON of ``{"format": "copro-report-statement/1", "issued_at": …, "organisation": …,
    "report_sha256": hex, "root_hash": hex, "tree_size": int}``, where ``tree_size`` and ``root_hash`` are the
    checkpoint's the report's proofs lead to. Same key and signature encoding as a checkpoint; the distinct
    "format" keeps either from passing for the other.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Literal, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

if __package__:
    from ..domain.messages import Message
else:
    # An inspector's copy beside verify.py, without the app: verify.py checks a bundle with sentences of its
    # own and never builds a Failure, whose sentences are message ids in the app's catalogue.
    Message = None  # type: ignore[assignment,misc]

__all__ = [
    "CHECKPOINT_FORMAT",
    "EMPTY_ROOT",
    "EVENT_TAG",
    "GENESIS_HASH",
    "GENESIS_HEX",
    "Checkpoint",
    "REPORT_STATEMENT_FORMAT",
    "ReportStatement",
    "EventLike",
    "EventRecord",
    "EventRow",
    "Failure",
    "Frontier",
    "NODE_LEVEL",
    "FailureKind",
    "MerkleTree",
    "StreamingMerkle",
    "VerifyResult",
    "build_chain",
    "canonical_json",
    "consistency_proof",
    "event_hash",
    "inclusion_proof",
    "leaf_hash",
    "load_or_create_private_key",
    "load_private_key_pem",
    "load_public_key_pem",
    "merkle_root",
    "needed_for_proof",
    "node_hash",
    "perfect_from",
    "perfect_pieces",
    "proof_from_state",
    "proof_ranges",
    "range_root",
    "public_key_id",
    "public_key_pem",
    "sign_checkpoint",
    "sign_statement",
    "utc_now_iso",
    "verify_against_checkpoint",
    "verify_chain",
    "verify_checkpoint",
    "verify_statement",
    "verify_consistency",
    "verify_inclusion",
]

_sha256 = hashlib.sha256

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EVENT_TAG = b"copro-audit-event/1\x00"
_EVENT_PREFIX = LEAF_PREFIX + EVENT_TAG
GENESIS_HASH = bytes(32)
GENESIS_HEX = GENESIS_HASH.hex()
EMPTY_ROOT = _sha256(b"").digest()
CHECKPOINT_FORMAT = "copro-audit-checkpoint/1"
REPORT_STATEMENT_FORMAT = "copro-report-statement/1"

# Bounds the type walk so a self-referencing structure fails fast instead of looping.
_MAX_DEPTH = 200
# Leaves are reduced a whole aligned power-of-two block at a time: level-by-level list comprehensions
# run several times faster than pushing single leaves through a Python-level stack.
_BLOCK = 1024
# Events verified per batch: large enough to amortise the per-batch list work, small enough to
# keep memory flat over millions of events.
_VERIFY_BATCH = 1024


# --- canonical encoding ------------------------------------------------------------------------


def canonical_json(obj: object) -> bytes:
    """Encode `obj` deterministically (see the module docstring). Raises TypeError on floats or other types."""
    _check_json_types(obj)
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def _check_json_types(obj: object) -> None:
    stack: list[tuple[object, int]] = [(obj, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, float):
            # Float formatting differs between languages and versions; a verifier must be able to
            # reproduce every byte, so quantities travel as integers or strings.
            raise TypeError(f"floats are not allowed in canonical JSON: {item!r}")
        if item is None or isinstance(item, str | int):
            continue
        if depth >= _MAX_DEPTH:
            raise ValueError("structure nested too deeply (or circular) for canonical JSON")
        if isinstance(item, dict):
            for key, value in item.items():
                if not isinstance(key, str):
                    # json.dumps would silently turn 1 into "1", so {1: x} and {"1": x} would collide.
                    raise TypeError(f"canonical JSON object keys must be strings, not {type(key).__name__}")
                stack.append((value, depth + 1))
        elif isinstance(item, list | tuple):
            stack.extend((value, depth + 1) for value in item)
        else:
            raise TypeError(f"{type(item).__name__} is not allowed in canonical JSON")


# --- hashes --------------------------------------------------------------------------------------


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962 leaf hash: SHA-256(0x00 ‖ data)."""
    return _sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right)."""
    return _sha256(NODE_PREFIX + left + right).digest()


def event_hash(prev_hash: bytes, payload: bytes) -> bytes:
    """The event's chain hash, which is also its Merkle leaf hash (layout in the module docstring)."""
    if len(prev_hash) != 32:
        raise ValueError("prev_hash must be 32 raw bytes")
    return _sha256(_EVENT_PREFIX + prev_hash + payload).digest()


# --- Merkle tree ---------------------------------------------------------------------------------


def _largest_power_of_two_below(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def _perfect_root(level: list[bytes]) -> bytes:
    """Root of a perfect subtree: len(level) must be a power of two."""
    sha = _sha256
    prefix = NODE_PREFIX
    while len(level) > 1:
        pairs = iter(level)
        level = [sha(prefix + left + right).digest() for left, right in zip(pairs, pairs, strict=False)]
    return level[0]


def _fold(subtrees: list[bytes]) -> bytes:
    """Combine perfect subtrees (largest, leftmost first) the way RFC 6962 nests an unbalanced tree."""
    if not subtrees:
        return EMPTY_ROOT
    acc = subtrees[-1]
    for left in reversed(subtrees[:-1]):
        acc = node_hash(left, acc)
    return acc


class StreamingMerkle:
    """Incremental RFC 6962 tree root in O(n) time and O(log n + block) memory.

    A tree of n leaves is a row of perfect subtrees, one per set bit of n, largest first. Completed
    blocks of `_BLOCK` leaves are folded into a binary-counter stack of those subtrees; the partial
    block is only reduced when a root is asked for.
    """

    __slots__ = ("_pending", "_size", "_stack")

    def __init__(self) -> None:
        self._pending: list[bytes] = []
        self._stack: list[tuple[int, bytes]] = []  # (width, root), widths strictly decreasing
        self._size = 0

    @property
    def size(self) -> int:
        return self._size

    def append(self, leaf: bytes) -> None:
        self._pending.append(leaf)
        self._size += 1
        if len(self._pending) >= _BLOCK:
            self._flush()

    def extend(self, leaves: Iterable[bytes]) -> None:
        pending = self._pending
        if not pending and type(leaves) is list and len(leaves) == _BLOCK:
            self._push(_perfect_root(leaves))
            self._size += _BLOCK
            return
        before = len(pending)
        pending.extend(leaves)
        self._size += len(pending) - before
        if len(pending) >= _BLOCK:
            self._flush()

    def _flush(self) -> None:
        pending = self._pending
        full = len(pending) - len(pending) % _BLOCK
        for start in range(0, full, _BLOCK):
            self._push(_perfect_root(pending[start : start + _BLOCK]))
        del pending[:full]

    def _push(self, digest: bytes) -> None:
        """Add the root of the next aligned block, merging equal-width subtrees like a binary counter."""
        stack = self._stack
        width = _BLOCK
        while stack and stack[-1][0] == width:
            digest = node_hash(stack.pop()[1], digest)
            width *= 2
        stack.append((width, digest))

    def root(self) -> bytes:
        subtrees = [digest for _, digest in self._stack]
        pending = self._pending
        start = 0
        width = _BLOCK >> 1
        # len(pending) < _BLOCK, so walking the widths downwards visits exactly its set bits.
        while width:
            if len(pending) - start >= width:
                subtrees.append(_perfect_root(pending[start : start + width]))
                start += width
            width >>= 1
        return _fold(subtrees)


def merkle_root(leaf_hashes: Sequence[bytes]) -> bytes:
    """RFC 6962 Merkle Tree Hash over already-hashed leaves; SHA-256(b"") for an empty tree."""
    tree = StreamingMerkle()
    tree.extend(leaf_hashes)
    return tree.root()


class MerkleTree:
    """Every level of the tree kept in memory, for answering many proofs over one tree.

    An odd node at the end of a level is carried up unchanged, so node j of level L is the RFC 6962
    hash of leaves [j·2^L, min((j+1)·2^L, n)): every subtree the RFC's recursions ask for is a
    stored node. Building costs O(n); each proof is then O(log n).
    """

    def __init__(self, leaf_hashes: Iterable[bytes]) -> None:
        level = list(leaf_hashes)
        self._levels = [level]
        sha = _sha256
        prefix = NODE_PREFIX
        while len(level) > 1:
            paired = len(level) & ~1
            above = [
                sha(prefix + left + right).digest()
                for left, right in zip(level[0:paired:2], level[1:paired:2], strict=True)
            ]
            if len(level) & 1:
                above.append(level[-1])
            self._levels.append(above)
            level = above

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def root(self) -> bytes:
        return self._levels[-1][0] if self.size else EMPTY_ROOT

    def _subtree(self, start: int, end: int) -> bytes:
        height = (end - start - 1).bit_length()
        assert start % (1 << height) == 0 and end == min(start + (1 << height), self.size)
        return self._levels[height][start >> height]

    def inclusion_proof(self, index: int) -> list[bytes]:
        """RFC 9162 PATH(index, D[n]): sibling hashes from the leaf upwards."""
        if not 0 <= index < self.size:
            raise IndexError(f"leaf index {index} is outside a tree of size {self.size}")
        proof = []
        for level in self._levels[:-1]:
            sibling = index ^ 1
            if sibling < len(level):
                proof.append(level[sibling])
            index >>= 1
        return proof

    def consistency_proof(self, old_size: int) -> list[bytes]:
        """RFC 9162 PROOF(old_size, D[n]): shows the first old_size leaves are unchanged in this tree."""
        size = self.size
        if not 0 <= old_size <= size:
            raise ValueError(f"old size {old_size} is outside 0..{size}")
        if old_size in (0, size):
            return []
        start, end, remaining, whole = 0, size, old_size, True
        outer_first: list[bytes] = []
        while remaining != end - start:
            half = _largest_power_of_two_below(end - start)
            if remaining <= half:
                outer_first.append(self._subtree(start + half, end))
                end = start + half
            else:
                outer_first.append(self._subtree(start, start + half))
                start += half
                remaining -= half
                whole = False
        if not whole:
            # The old tree's root is not a node of the new tree here, so the verifier needs this subtree.
            outer_first.append(self._subtree(start, end))
        return outer_first[::-1]


# --- Merkle state kept beside the chain ----------------------------------------------------------
#
# So that proofs and checkpoints never re-read a whole chain, the app keeps two things as events are
# appended: the frontier (the roots of the perfect subtrees a tree of n leaves splits into, one per set
# bit of n, largest first), from which the root of the whole tree follows in O(log n); and the root of
# every complete, aligned subtree of 2**NODE_LEVEL leaves or more ("stored nodes"). Any subtree a
# proof needs is then a stored node, or is hashed from at most 2**NODE_LEVEL stored event hashes.

NODE_LEVEL = 8


class Frontier:
    """The compact state of a growing RFC 6962 tree: `size` leaves and the roots of its perfect subtrees."""

    __slots__ = ("roots", "size")

    def __init__(self, size: int = 0, roots: Sequence[bytes] = ()) -> None:
        if len(roots) != bin(size).count("1"):
            raise ValueError(f"a tree of {size} leaves has {bin(size).count('1')} perfect subtrees, not {len(roots)}")
        self.size = size
        self.roots = list(roots)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add the next leaf; returns the subtrees it completes as (level, index, root), lowest first."""
        completed = []
        digest = leaf
        level = 0
        position = self.size
        while position >> level & 1:
            digest = node_hash(self.roots.pop(), digest)
            level += 1
            completed.append((level, ((position + 1) >> level) - 1, digest))
        self.roots.append(digest)
        self.size += 1
        return completed

    def root(self) -> bytes:
        return _fold(self.roots)

    def encode(self) -> str:
        return "".join(root.hex() for root in self.roots)

    @classmethod
    def decode(cls, size: int, text: str) -> Frontier:
        if len(text) % 64:
            raise ValueError("a stored frontier is a whole number of 64-character hex hashes")
        return cls(size, [bytes.fromhex(text[i : i + 64]) for i in range(0, len(text), 64)])


def perfect_pieces(start: int, end: int) -> list[tuple[int, int]]:
    """The aligned perfect subtrees (level, index) that leaves [start, end) split into, largest first.

    For every range an RFC 9162 proof asks about, MTH of the range is these pieces folded right to left.
    """
    pieces = []
    position = start
    while position < end:
        level = (end - position).bit_length() - 1
        while position & ((1 << level) - 1):
            level -= 1
        pieces.append((level, position >> level))
        position += 1 << level
    return pieces


def proof_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges whose subtree roots form RFC 9162 PATH(index, D[size]), innermost first."""
    start, end = 0, size
    outer_first = []
    while end - start > 1:
        half = _largest_power_of_two_below(end - start)
        if index < start + half:
            outer_first.append((start + half, end))
            end = start + half
        else:
            outer_first.append((start, start + half))
            start += half
    return outer_first[::-1]


def range_root(start: int, end: int, perfect: Callable[[int, int], bytes]) -> bytes:
    """MTH(D[start:end]) for a range a proof asks about, from `perfect(level, index)` subtree roots."""
    return _fold([perfect(level, index) for level, index in perfect_pieces(start, end)])


def proof_from_state(index: int, size: int, perfect: Callable[[int, int], bytes]) -> list[bytes]:
    """RFC 9162 PATH(index, D[size]) from subtree roots: equal to MerkleTree(leaves).inclusion_proof(index)."""
    if not 0 <= index < size:
        raise IndexError(f"leaf index {index} is outside a tree of size {size}")
    return [range_root(start, end, perfect) for start, end in proof_ranges(index, size)]


def needed_for_proof(index: int, size: int) -> tuple[set[tuple[int, int]], set[int]]:
    """What proof_from_state(index, size) will ask for: stored nodes (level >= NODE_LEVEL) and leaf indexes."""
    nodes: set[tuple[int, int]] = set()
    leaves: set[int] = {index}
    for start, end in proof_ranges(index, size):
        for level, position in perfect_pieces(start, end):
            if level >= NODE_LEVEL:
                nodes.add((level, position))
            else:
                leaves.update(range(position << level, (position + 1) << level))
    return nodes, leaves


def perfect_from(nodes: Mapping[tuple[int, int], bytes], leaves: Mapping[int, bytes]) -> Callable[[int, int], bytes]:
    """A `perfect(level, index)` that reads stored nodes and hashes smaller subtrees from leaves."""

    def perfect(level: int, index: int) -> bytes:
        if level >= NODE_LEVEL:
            return nodes[(level, index)]
        first = index << level
        return _perfect_root([leaves[first + offset] for offset in range(1 << level)])

    return perfect


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """Audit path for the leaf at 0-based `index` (= seq - 1). O(n); use MerkleTree for many proofs."""
    return MerkleTree(leaf_hashes).inclusion_proof(index)


def consistency_proof(old_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """Proof that the tree of the first `old_size` leaves is a prefix of the tree of all of them."""
    return MerkleTree(leaf_hashes).consistency_proof(old_size)


def _all_hashes(items: Iterable[object]) -> bool:
    return all(isinstance(item, bytes) and len(item) == 32 for item in items)


def verify_inclusion(leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does `proof` place `leaf_hash` at `index` in the tree of `tree_size` with `root`?"""
    if not 0 <= index < tree_size or not _all_hashes([leaf_hash, root, *proof]):
        return False
    position, last = index, tree_size - 1
    digest = leaf_hash
    for sibling in proof:
        if last == 0:
            return False  # more proof than tree
        if position & 1 or position == last:
            digest = node_hash(sibling, digest)
            # A node with no right sibling is carried up unhashed; skip the levels it climbs alone.
            while position and not position & 1:
                position >>= 1
                last >>= 1
        else:
            digest = node_hash(digest, sibling)
        position >>= 1
        last >>= 1
    return last == 0 and digest == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: is the tree (old_size, old_root) a prefix of (new_size, new_root)?"""
    if not 0 <= old_size <= new_size or not _all_hashes([old_root, new_root, *proof]):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        # The old tree is a perfect subtree of the new one, so its root is the proof's starting node.
        path.insert(0, old_root)
    position, last = old_size - 1, new_size - 1
    while position & 1:
        position >>= 1
        last >>= 1
    old_digest = new_digest = path[0]
    for sibling in path[1:]:
        if last == 0:
            return False
        if position & 1 or position == last:
            old_digest = node_hash(sibling, old_digest)
            new_digest = node_hash(sibling, new_digest)
            while position and not position & 1:
                position >>= 1
                last >>= 1
        else:
            new_digest = node_hash(new_digest, sibling)
        position >>= 1
        last >>= 1
    return last == 0 and old_digest == old_root and new_digest == new_root


# --- checkpoints and keys ------------------------------------------------------------------------


def utc_now_iso() -> str:
    """Current time as ISO 8601 UTC to the second, e.g. 2025-01-31T09:15:00Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement that `organisation`'s log had `tree_size` events with Merkle root `root_hash`."""

    organisation: str
    tree_size: int
    root_hash: str
    issued_at: str

    def signing_bytes(self) -> bytes:
        return canonical_json(
            {
                "format": CHECKPOINT_FORMAT,
                "organisation": self.organisation,
                "tree_size": self.tree_size,
                "root_hash": self.root_hash,
                "issued_at": self.issued_at,
            }
        )

    def to_dict(self) -> dict[str, str | int]:
        return {
            "organisation": self.organisation,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "issued_at": self.issued_at,
        }


@dataclass(frozen=True, slots=True)
class ReportStatement:
    """A signed statement that `organisation` produced the report whose data hashes to `report_sha256`, citing
    events proven against its checkpoint of `tree_size` events with root `root_hash`."""

    organisation: str
    report_sha256: str
    tree_size: int
    root_hash: str
    issued_at: str

    def signing_bytes(self) -> bytes:
        return canonical_json({"format": REPORT_STATEMENT_FORMAT, **self.to_dict()})

    def to_dict(self) -> dict[str, str | int]:
        return {
            "organisation": self.organisation,
            "report_sha256": self.report_sha256,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "issued_at": self.issued_at,
        }


def sign_statement(private_key: Ed25519PrivateKey, statement: ReportStatement) -> str:
    """Ed25519 signature over `statement.signing_bytes()`, as standard padded base64."""
    return base64.b64encode(private_key.sign(statement.signing_bytes())).decode("ascii")


def verify_statement(public_key: Ed25519PublicKey, statement: ReportStatement, signature: str) -> bool:
    try:
        public_key.verify(base64.b64decode(signature, validate=True), statement.signing_bytes())
    except (InvalidSignature, binascii.Error, ValueError, TypeError):
        return False
    return True


def sign_checkpoint(private_key: Ed25519PrivateKey, checkpoint: Checkpoint) -> str:
    """Ed25519 signature over `checkpoint.signing_bytes()`, as standard padded base64."""
    return base64.b64encode(private_key.sign(checkpoint.signing_bytes())).decode("ascii")


def verify_checkpoint(public_key: Ed25519PublicKey, checkpoint: Checkpoint, signature: str) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
        public_key.verify(raw, checkpoint.signing_bytes())
    except (InvalidSignature, binascii.Error, ValueError, TypeError):
        return False
    return True


def load_private_key_pem(data: bytes | str) -> Ed25519PrivateKey:
    """Load an unencrypted PKCS#8 PEM Ed25519 private key."""
    raw = data.encode("ascii") if isinstance(data, str) else data
    key = serialization.load_pem_private_key(raw, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise TypeError("the checkpoint signing key must be an Ed25519 key")
    return key


def load_public_key_pem(data: bytes | str) -> Ed25519PublicKey:
    """Load a SubjectPublicKeyInfo PEM Ed25519 public key."""
    raw = data.encode("ascii") if isinstance(data, str) else data
    key = serialization.load_pem_public_key(raw)
    if not isinstance(key, Ed25519PublicKey):
        raise TypeError("the checkpoint verification key must be an Ed25519 key")
    return key


def public_key_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def public_key_id(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Stable 64-hex-character identifier: SHA-256 of the raw 32-byte public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return _sha256(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).hexdigest()


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    """Load the signing key at `path`, or create it (PEM, mode 0600, parent directory made 0700)."""
    path = Path(path)
    try:
        return load_private_key_pem(path.read_bytes())
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # Write a private temporary file and hard-link it into place: the key is never visible half
    # written or with wider permissions, and if another process created one meanwhile, theirs wins.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return load_private_key_pem(path.read_bytes())
    finally:
        temporary.unlink(missing_ok=True)
    return key


# --- chain verification ----------------------------------------------------------------------------


class EventLike(Protocol):
    """Anything with these attributes can be verified: an EventRecord, an ORM row, a result row."""

    @property
    def seq(self) -> int: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def payload(self) -> bytes | str: ...


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One stored event: hashes as lowercase hex, payload as the exact canonical bytes."""

    seq: int
    prev_hash: str
    hash: str
    payload: bytes


FailureKind = Literal[
    "gap",
    "prev_hash_mismatch",
    "hash_mismatch",
    "truncated",
    "root_mismatch",
    "bad_signature",
    "wrong_organisation",
    "checkpoint_order",  # checkpoints whose size or time goes backwards (set by the app's service layer)
    "head_mismatch",  # the stored chain head disagrees with the events (set by the app's service layer)
    "value_mismatch",  # an erasable value no longer hashes to the reference in its event (service layer)
    "value_missing",  # an event refers to an erasable value whose row is gone (service layer)
    "unguarded",  # an audit table's append-only trigger is missing or disabled (service layer)
    "rollback",  # fewer events than a checkpoint kept outside the database signed (service layer)
    "fork",  # the first events are not the ones a checkpoint kept outside signed (service layer)
    "outside_unreadable",  # the checkpoint copies kept outside cannot be read (service layer)
]


@dataclass(frozen=True, slots=True)
class Failure:
    """The first thing found wrong. `seq` is None when no single event is to blame."""

    seq: int | None
    kind: FailureKind
    # A message id with values, not text: the finding is stored and shown later in each reader's language.
    said: Message

    @property
    def message(self) -> str:
        """In English, as `flask audit verify` prints it."""
        return self.said.render()


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    size: int  # events verified, i.e. up to and excluding the first failure
    root: str  # Merkle root (hex) of those `size` events
    failure: Failure | None
    head_hash: str = GENESIS_HEX  # hash of the last verified event
    roots: dict[int, str] = field(default_factory=dict)  # sizes asked for in record_roots_at -> root hex


def build_chain(payloads: Iterable[bytes], *, start_seq: int = 1, prev_hash: bytes = GENESIS_HASH) -> list[EventRecord]:
    """Chain canonical payloads into events (for tests, fixtures and benchmarks)."""
    events = []
    seq = start_seq
    for payload in payloads:
        digest = event_hash(prev_hash, payload)
        events.append(EventRecord(seq, prev_hash.hex(), digest.hex(), payload))
        prev_hash = digest
        seq += 1
    return events


EventRow = tuple[int, str, str, bytes | str]  # (seq, prev_hash, hash, payload), e.g. straight from a DB cursor


def _columns(batch: list) -> tuple[Sequence[int], Sequence[str], Sequence[str], Sequence[bytes | str]]:
    """Split a batch into its seq, prev_hash, hash and payload columns.

    Plain tuples (rows from a database cursor) are transposed by zip in C; attribute access on objects
    costs several times more per event, which matters at a million events.
    """
    if type(batch[0]) is tuple:
        seqs, prevs, hashes, payloads = zip(*batch, strict=True)
        return seqs, prevs, hashes, payloads
    return (
        [event.seq for event in batch],
        [event.prev_hash for event in batch],
        [event.hash for event in batch],
        [event.payload for event in batch],
    )


def _chain_digests(prev: bytes, payloads: Sequence[bytes | str]) -> list[bytes]:
    """Recompute a run of event hashes, each chained to the previous *recomputed* hash.

    Using the recomputed hash (instead of decoding each stored prev_hash) is sound because the caller
    also checks stored prev_hash[i] == stored hash[i-1] == recomputed hash[i-1].
    """
    sha = _sha256
    prefix = _EVENT_PREFIX
    try:
        return [prev := sha(prefix + prev + payload).digest() for payload in payloads]  # type: ignore[operator]
    except TypeError:
        pass  # some payloads are str (e.g. straight from a Text column); rare, so handled off the hot path
    digests = []
    for payload in payloads:
        prev = sha(prefix + prev + (payload.encode("utf-8") if isinstance(payload, str) else payload)).digest()
        digests.append(prev)
    return digests


def _batch_intact(
    seqs: Sequence[int],
    prevs: Sequence[str],
    hashes: Sequence[str],
    first_seq: int,
    prev_hex: str,
    digests: list[bytes],
) -> bool:
    """True when every event in the batch passes every check; a fast, all-or-nothing test.

    Hex strings are compared joined with a separator that cannot occur in hex, which is equivalent to
    comparing them one by one (a malformed 63- or 65-character value cannot line up by accident).
    """
    if list(seqs) != list(range(first_seq, first_seq + len(seqs))):
        return False
    computed = b"".join(digests).hex(",", 32)
    try:
        stored_hashes = ",".join(hashes)
        stored_prevs = ",".join(prevs)
    except TypeError:
        return False
    # The expected prev_hash column is the previous head followed by every hash but the last.
    return computed == stored_hashes and stored_prevs == f"{prev_hex},{computed}"[:-65]


def _gap_failure(expected: int, found: int) -> Failure:
    if expected == 1:
        where = Message.of("audit.gap.where.start", num=found)
    else:
        where = Message.of("audit.gap.where.after", before=expected - 1, num=found)
    why = Message.of("audit.gap.why.deleted" if found > expected else "audit.gap.why.disorder")
    return Failure(expected, "gap", Message.of("audit.gap", seq=expected, where=where, why=why))


def _link_failure(seq: int) -> Failure:
    if seq == 1:
        return Failure(seq, "prev_hash_mismatch", Message.of("audit.link.genesis"))
    return Failure(seq, "prev_hash_mismatch", Message.of("audit.link.broken", seq=seq, before=seq - 1))


def _hash_failure(seq: int) -> Failure:
    return Failure(seq, "hash_mismatch", Message.of("audit.hash", seq=seq))


def verify_chain(
    events: Iterable[EventLike] | Iterable[EventRow], record_roots_at: Collection[int] = ()
) -> VerifyResult:
    """Recompute one organisation's chain from seq 1, stopping at the first broken event.

    Checks, per event in order: seq is the previous + 1 ("gap"), prev_hash equals the previous
    event's hash ("prev_hash_mismatch"), hash equals the hash of prev_hash and payload
    ("hash_mismatch"). The result carries the Merkle root of everything verified and, for each size
    in `record_roots_at` that was reached, the root of the first that-many events (pass checkpoint
    sizes here, then call `verify_against_checkpoint`). Payloads may be bytes or str (UTF-8). Events may be
    objects with the EventLike attributes or plain (seq, prev_hash, hash, payload) tuples, the fastest
    form (e.g. rows from a database cursor), but not a mixture of the two.
    """
    wanted = sorted({size for size in record_roots_at if size >= 0})
    roots: dict[int, str] = {}
    tree = StreamingMerkle()
    source = iter(events)
    size = 0
    prev_digest = GENESIS_HASH
    prev_hex = GENESIS_HEX
    failure: Failure | None = None
    next_wanted = 0
    while True:
        while next_wanted < len(wanted) and wanted[next_wanted] == size:
            roots[size] = tree.root().hex()
            next_wanted += 1
        limit = _VERIFY_BATCH if next_wanted == len(wanted) else min(_VERIFY_BATCH, wanted[next_wanted] - size)
        batch = list(islice(source, limit))
        if not batch:
            break
        seqs, prevs, hashes, payloads = _columns(batch)
        digests = _chain_digests(prev_digest, payloads)
        if _batch_intact(seqs, prevs, hashes, size + 1, prev_hex, digests):
            tree.extend(digests)
            size += len(batch)
            prev_digest = digests[-1]
            prev_hex = hashes[-1]
            continue
        # Something in this batch is wrong: walk it event by event to name the first problem.
        for seq, prev, stored, digest in zip(seqs, prevs, hashes, digests, strict=True):
            expected = size + 1
            if seq != expected:
                failure = _gap_failure(expected, seq)
            elif prev != prev_hex:
                failure = _link_failure(seq)
            elif digest.hex() != stored:
                failure = _hash_failure(seq)
            if failure is not None:
                break
            tree.append(digest)
            size += 1
            prev_digest = digest
            prev_hex = stored
        if failure is not None:
            break
    return VerifyResult(
        ok=failure is None,
        size=size,
        root=tree.root().hex(),
        failure=failure,
        head_hash=prev_hex,
        roots=roots,
    )


def verify_against_checkpoint(
    result: VerifyResult,
    checkpoint: Checkpoint,
    signature: str,
    public_key: Ed25519PublicKey,
    *,
    organisation: str | None = None,
) -> Failure | None:
    """Compare a verified chain with a signed checkpoint; None when they agree.

    `result` must come from `verify_chain(..., record_roots_at=[checkpoint.tree_size])` unless the
    checkpoint covers the whole chain. If the chain itself broke before the checkpoint's size, that
    chain failure is returned, since the checkpoint cannot be compared past it.
    """
    if not verify_checkpoint(public_key, checkpoint, signature):
        return Failure(
            None,
            "bad_signature",
            Message.of("audit.checkpoint.bad_signature", size=checkpoint.tree_size, time=checkpoint.issued_at),
        )
    if organisation is not None and checkpoint.organisation != organisation:
        return Failure(
            None,
            "wrong_organisation",
            Message.of("audit.checkpoint.wrong_organisation", found=checkpoint.organisation, expected=organisation),
        )
    size = checkpoint.tree_size
    if size > result.size:
        if result.failure is not None:
            return result.failure
        return Failure(
            result.size + 1,
            "truncated",
            Message.of(
                "audit.checkpoint.truncated",
                last=result.size,
                time=checkpoint.issued_at,
                size=size,
                first=result.size + 1,
            ),
        )
    if size == result.size:
        root = result.root
    elif size in result.roots:
        root = result.roots[size]
    else:
        raise ValueError(f"verify_chain was not asked to record the root at size {size} (record_roots_at)")
    if root != checkpoint.root_hash:
        return Failure(
            None,
            "root_mismatch",
            Message.of("audit.checkpoint.rewritten", size=size, time=checkpoint.issued_at),
        )
    return None
