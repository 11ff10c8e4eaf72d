"""Verifying one organisation's chain in independent seq ranges, side by side (issue 11).

Each stored event carries its own hash and its predecessor's, so a range of events a..b can be checked
without reading the events before it: start from event a's stored prev_hash, recompute every hash in the
range and check every link inside it. Joining the ranges then checks what lies between them:

- the first range starts at event 1 from the genesis hash (checked inside the range);
- every range holds exactly b - a + 1 events, and the next one starts where it ended (the last ends at the
  chain head's seq);
- each range's first stored prev_hash equals the previous range's last stored hash.

seq itself is not read (it cost about a seventh of the work): a range's rows are those with a <= seq <= b
in seq order, and with (organisation, seq) unique, b - a + 1 of them are exactly a..b in order. The caller
checks that the unique index is there and that no event lies outside 1..head; otherwise it verifies in one
pass, reading seq. Together these are exactly the sequential checks of `ledger.verify_chain`. The Merkle root is put
together from the roots of the aligned blocks of `ledger._BLOCK` leaves each range reports (ranges start
on a block boundary), and the root at each checkpoint's size from the blocks before it plus the perfect
subtrees of the partial block the range it falls in reports.

This path only answers "all intact" (with the root, the roots at the sizes asked for and the tally of
erasable-value references) or "not intact". Whenever anything is wrong the caller verifies sequentially,
which names the first failure exactly as it always has; tampering costs a second pass, never a miss.

`python -m copro_tracker.audit.ranges` is the worker: it reads a `RangeTask` (pickle) on stdin, reads its
range straight from the DB-API driver and writes a `RangeSummary` (pickle) to stdout. It imports only
the standard library, the driver and `ledger`, so it starts in a few tens of milliseconds.
"""

from __future__ import annotations

import gc
import importlib
import pickle
import re
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from . import ledger

BLOCK = ledger._BLOCK
_MASK = (1 << 256) - 1
# A reference as capture.py writes it: `"ref":"` then 64 lowercase hex digits and the closing quote.
_REF = re.compile(rb'"ref":"([0-9a-f]{64})"')
# The same, searched for from the `r` with the opening quote checked behind it: a quote is the commonest byte
# in JSON, so a pattern that starts with one makes the search stop everywhere (about 15% slower per batch).
# It finds what _REF finds in any JSON; only in text like `"ref":"<hex>"ref":"<hex>"`, which no JSON
# contains, would it also take the second reference, whose opening quote closes the first.
_REF_SCAN = re.compile(rb'ref":"(?<="ref":")([0-9a-f]{64})"')


def ref_tally(payloads: Sequence[bytes]) -> tuple[int, int]:
    """How many value references the payloads hold, and the sum of their values (mod 2**256).

    One regex pass over the batch joined (a separator that cannot occur in JSON keeps references from
    running across payloads): a generator step per event would cost more than hashing it."""
    refs = _REF_SCAN.findall(b"\x00".join(payloads))
    return len(refs), sum(map(int, refs, repeat(16))) & _MASK


def subtrees(leaves: Sequence[bytes]) -> list[bytes]:
    """Roots of the perfect subtrees (largest first) of fewer than BLOCK leaves that start a block."""
    out = []
    start = 0
    width = BLOCK >> 1
    while width:
        if len(leaves) - start >= width:
            out.append(ledger._perfect_root(list(leaves[start : start + width])))
            start += width
        width >>= 1
    return out


@dataclass(frozen=True, slots=True)
class RangeSummary:
    """What a verified range tells the join. `intact` False means "verify sequentially to name it"."""

    start: int
    size: int
    intact: bool
    first_prev: str = ""
    last_hash: str = ""
    blocks: list[bytes] = field(default_factory=list)  # roots of the complete aligned blocks, in order
    tail: list[bytes] = field(default_factory=list)  # perfect subtrees of the leaves after the last block
    pieces: dict[int, list[bytes]] = field(default_factory=dict)  # size -> subtrees of its partial block
    ref_count: int = 0
    ref_total: int = 0


def _links_intact(prevs: Sequence[Any], hashes: Sequence[Any], prev_hex: str, digests: list[bytes]) -> bool:
    """Every stored hash is the recomputed one and every stored prev_hash the hash before it: all or nothing.

    `ledger._batch_intact` without the seq check (the range's row count stands for it, see `verify_range`).
    The hex strings are compared joined with a separator that cannot occur in hex, which is equivalent to
    comparing them one by one (a malformed 63- or 65-character value cannot line up by accident)."""
    computed = b"".join(digests).hex(",", 32)
    try:
        stored_hashes = ",".join(hashes)
        stored_prevs = ",".join(prevs)
    except TypeError:
        return False
    # The expected prev_hash column is the previous head followed by every hash but the last.
    return computed == stored_hashes and stored_prevs == f"{prev_hex},{computed}"[:-65]


def verify_range(
    batches: Iterable[Sequence[tuple[Any, ...]]], start: int, end: int, wanted: Collection[int] = ()
) -> RangeSummary:
    """Verify events `start`..`end`, given in seq order as batches of (prev_hash, hash, payload bytes).

    The seq column is not read: the rows must come from a query for exactly this organisation's events
    with `start <= seq <= end`, ordered by seq, on a table where (organisation, seq) is unique (the caller
    checks the index is there). Then `end - start + 1` rows means their seqs are exactly start..end in
    order, so a deleted event shows as a short range, and anything else as a broken link or hash; the
    one-process pass, which reads seq, names it.

    `start - 1` must be a multiple of BLOCK. `wanted` are tree sizes whose roots the join will need;
    those falling in this range get the subtrees of their partial block recorded."""
    if (start - 1) % BLOCK:
        raise ValueError(f"a range must start on a block boundary, not at {start}")
    want = sorted({size for size in wanted if size >= start - 1})
    next_want = 0
    pending: list[bytes] = []
    blocks: list[bytes] = []
    pieces: dict[int, list[bytes]] = {}
    size = count = total = 0
    first_prev = ""
    prev_digest, prev_hex = ledger.GENESIS_HASH, ledger.GENESIS_HEX
    perfect_root = ledger._perfect_root
    for batch in batches:
        if not batch:
            continue
        prevs, hashes, payloads = zip(*batch, strict=True)
        if not first_prev:
            first_prev = prevs[0]
            if start != 1:
                # Event 1 must follow the genesis hash; any other range trusts its first link until the join.
                try:
                    prev_digest = bytes.fromhex(first_prev)
                except (TypeError, ValueError):
                    return RangeSummary(start, size, False)
                if len(prev_digest) != 32 or prev_digest.hex() != first_prev:
                    return RangeSummary(start, size, False)
                prev_hex = first_prev
        try:
            digests = ledger._chain_digests(prev_digest, payloads)
        except (TypeError, AttributeError):
            return RangeSummary(start, size, False)
        if not _links_intact(prevs, hashes, prev_hex, digests):
            return RangeSummary(start, size, False)
        if type(payloads[0]) is not bytes:
            payloads = tuple(p.encode() if isinstance(p, str) else bytes(p) for p in payloads)
        found, refs = ref_tally(payloads)
        count += found
        total = (total + refs) & _MASK
        base = start - 1 + size
        batch_end = base + len(digests)
        while next_want < len(want) and want[next_want] <= batch_end:
            at = want[next_want]
            partial = at % BLOCK
            pieces[at] = subtrees((pending + digests[: at - base])[-partial:]) if partial else []
            next_want += 1
        if pending or len(digests) % BLOCK:
            pending.extend(digests)
            full = len(pending) - len(pending) % BLOCK
            blocks.extend(perfect_root(pending[i : i + BLOCK]) for i in range(0, full, BLOCK))
            del pending[:full]
        else:  # batches of whole blocks (how the callers fetch them): no copying through `pending`
            blocks.extend(perfect_root(digests[i : i + BLOCK]) for i in range(0, len(digests), BLOCK))
        size += len(digests)
        prev_digest, prev_hex = digests[-1], hashes[-1]
    if size != end - start + 1:
        return RangeSummary(start, size, False)  # events missing (or the range was misread): the one pass names it
    return RangeSummary(
        start, size, True, first_prev, prev_hex if size else "", blocks, subtrees(pending), pieces, count, total
    )


def join(parts: Sequence[RangeSummary], wanted: Collection[int] = ()) -> tuple[ledger.VerifyResult, int, int] | None:
    """The whole chain's result from its ranges in order, with the reference tally; None unless all intact."""
    expected_prev = ledger.GENESIS_HEX
    size = 0
    blocks: list[bytes] = []
    pieces: dict[int, list[bytes]] = {}
    count = total = 0
    for number, part in enumerate(parts):
        last = number == len(parts) - 1
        if not part.intact or part.size == 0 or part.start != size + 1 or part.first_prev != expected_prev:
            return None
        if not last and part.start + part.size != parts[number + 1].start:
            return None  # events missing at the end of this range: the sequential pass names them
        expected_prev = part.last_hash
        size += part.size
        blocks.extend(part.blocks)
        pieces.update(part.pieces)
        count += part.ref_count
        total = (total + part.ref_total) & _MASK
    stack: list[tuple[int, bytes]] = []
    pushed = 0

    def push_until(block_count: int) -> None:
        nonlocal pushed
        while pushed < block_count:
            digest, width = blocks[pushed], BLOCK
            while stack and stack[-1][0] == width:
                digest = ledger.node_hash(stack.pop()[1], digest)
                width *= 2
            stack.append((width, digest))
            pushed += 1

    roots: dict[int, str] = {}
    for at in sorted({want for want in wanted if 0 <= want <= size}):
        if at % BLOCK and at not in pieces:
            return None
        push_until(at // BLOCK)
        roots[at] = ledger._fold([digest for _, digest in stack] + pieces.get(at, [])).hex()
    push_until(len(blocks))
    root = ledger._fold([digest for _, digest in stack] + parts[-1].tail).hex()
    return ledger.VerifyResult(True, size, root, None, head_hash=expected_prev, roots=roots), count, total


@dataclass(frozen=True, slots=True)
class RangeTask:
    """What a worker process needs: how to connect, the query for its range and what to record."""

    dbapi: str
    connect_args: tuple[Any, ...]
    connect_kwargs: dict[str, Any]
    sql: str
    params: Any
    named_cursor: bool
    batch: int
    start: int
    end: int
    wanted: tuple[int, ...]


def run_task(task: RangeTask) -> RangeSummary:
    driver = importlib.import_module(task.dbapi)
    connection = driver.connect(*task.connect_args, **task.connect_kwargs)
    try:
        cursor = connection.cursor(name=f"audit_range_{task.start}") if task.named_cursor else connection.cursor()
        cursor.execute(task.sql, task.params)
        return verify_range(iter(lambda: cursor.fetchmany(task.batch), []), task.start, task.end, task.wanted)
    finally:
        connection.close()


def main() -> int:
    # A short-lived process that makes no reference cycles: collecting would only cost time.
    gc.disable()
    task = pickle.load(sys.stdin.buffer)  # noqa: S301 - written by the parent that started this process
    summary = run_task(task)
    pickle.dump(summary, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    # Through the package's own module, so what is pickled names copro_tracker.audit.ranges, not __main__.
    from copro_tracker.audit.ranges import main as worker

    sys.exit(worker())
