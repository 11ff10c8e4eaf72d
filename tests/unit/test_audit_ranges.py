"""The chain verified in independent ranges (audit/ranges.py) agrees with the sequential verifier, and
nothing tampered with in any range, or between two, gets through."""

from __future__ import annotations

import hashlib
import json

import pytest

from copro_tracker.audit import ledger, ranges

BLOCK = ranges.BLOCK


def _payload(seq: int) -> bytes:
    body: dict = {"seq": seq, "action": "x.changed", "n": seq * 7 % 13}
    if seq % 3 == 0:
        body["changes"] = {"title": {"before": None, "after": {"ref": hashlib.sha256(str(seq).encode()).hexdigest()}}}
    return ledger.canonical_json(body)


def _rows(count: int) -> list[tuple]:
    return [
        (e.seq, e.prev_hash, e.hash, e.payload) for e in ledger.build_chain(_payload(s) for s in range(1, count + 1))
    ]


def _split(rows: list[tuple], starts: list[int], wanted=(), batch: int = 700, end: int | None = None):
    """Verify rows (seq, prev_hash, hash, payload) in ranges as the service reads them: each range gets the
    rows whose seq lies within its bounds, in seq order, without the seq (the last range ends at `end`, by
    default the number of rows, as the chain head would say)."""
    parts = []
    ends = [start - 1 for start in starts[1:]] + [len(rows) if end is None else end]
    for start, last in zip(starts, ends, strict=True):
        chunk = sorted((row for row in rows if start <= row[0] <= last), key=lambda row: row[0])
        chunk = [row[1:] for row in chunk]
        batches = [chunk[i : i + batch] for i in range(0, len(chunk), batch)]
        parts.append(ranges.verify_range(batches, start, last, wanted))
    return ranges.join(parts, wanted)


def _tally(rows: list[tuple]) -> tuple[int, int]:
    refs = [int(ref, 16) for row in rows for ref in ranges._REF.findall(row[3])]
    return len(refs), sum(refs) % (1 << 256)


@pytest.mark.parametrize("count", [1, BLOCK - 1, BLOCK, 3 * BLOCK + 17, 5 * BLOCK])
def test_ranges_give_the_sequential_root_roots_and_tally(count):
    rows = _rows(count)
    wanted = sorted({0, 1, count // 2, count - 1, count, BLOCK, 2 * BLOCK + 5, count + 9})
    expected = ledger.verify_chain(rows, record_roots_at=wanted)
    starts = [1] + [s for s in (BLOCK + 1, 2 * BLOCK + 1) if s <= count]
    joined = _split(rows, starts, wanted)
    assert joined is not None
    result, found, total = joined
    assert result == expected
    assert (found, total) == _tally(rows)


def _tampered(rows: list[tuple], seq: int, how: str) -> list[tuple]:
    rows = list(rows)
    at = seq - 1
    s, prev, digest, payload = rows[at]
    if how == "payload":
        rows[at] = (s, prev, digest, payload.replace(b'"x.changed"', b'"x.forged!"'))
    elif how == "hash":
        rows[at] = (s, prev, ("0" if digest[0] != "0" else "1") + digest[1:], payload)
    elif how == "prev_hash":
        rows[at] = (s, ("0" if prev[0] != "0" else "1") + prev[1:], digest, payload)
    elif how == "deleted":
        del rows[at]
    elif how == "rehashed":
        # A forged event made to look consistent with its predecessor: only its successor's link betrays it.
        forged = payload.replace(b'"x.changed"', b'"x.forged!"')
        rows[at] = (s, prev, ledger.event_hash(bytes.fromhex(prev), forged).hex(), forged)
    return rows


N = 4 * BLOCK
STARTS = [1, BLOCK + 1, 2 * BLOCK + 1, 3 * BLOCK + 1]
# First event, the middle of a range, each range's last and first event (the boundaries), and the last event.
PLACES = [1, BLOCK // 2, BLOCK, BLOCK + 1, 2 * BLOCK, 2 * BLOCK + 1, 3 * BLOCK + 300, N]


# A rewritten last event has no successor to betray it: the checkpoints and the chain head catch that
# (tests/web/test_audit_integrity.py), for either path, since both return the same result.
CASES = [
    (seq, how)
    for seq in PLACES
    for how in ("payload", "hash", "prev_hash", "deleted", "rehashed")
    if not (seq == N and how in ("deleted", "rehashed"))
]


@pytest.mark.parametrize(("seq", "how"), CASES)
def test_a_tampered_event_in_any_range_or_at_a_boundary_is_not_passed(seq, how):
    tampered = _tampered(_rows(N), seq, how)
    assert not ledger.verify_chain(tampered).ok  # the sequential verifier sees it ...
    assert _split(tampered, STARTS, end=N) is None  # ... and so does the parallel path, which does not read seq


@pytest.mark.parametrize("seq", [BLOCK, 2 * BLOCK, 3 * BLOCK, N])
def test_a_range_short_of_its_last_event_is_not_passed(seq):
    """Without seq, a range knows a deleted event only by counting: the last event of a range has no successor
    in it, and the last of the chain none at all (the sequential verifier needs the chain head for that)."""
    rows = _tampered(_rows(N), seq, "deleted")
    assert _split(rows, STARTS, end=N) is None
    part = ranges.verify_range([[row[1:] for row in rows if row[0] > 3 * BLOCK]], 3 * BLOCK + 1, N)
    assert part.intact is (seq != N)


def test_a_duplicated_event_in_place_of_another_is_not_passed():
    """The count is right when one row stands in for a deleted one (a table without its unique index), but a
    copy cannot link to itself or to the event before the one it replaced."""
    rows = _rows(N)
    for at in (BLOCK // 2, BLOCK + 1, 3 * BLOCK + 300):
        duplicated = list(rows)
        duplicated[at - 1] = duplicated[at]  # event at + 1 twice, event at gone
        assert _split(duplicated, STARTS, end=N) is None
        duplicated = list(rows)
        duplicated[at] = duplicated[at - 1]  # event at twice, event at + 1 gone
        assert _split(duplicated, STARTS, end=N) is None


def test_an_extra_row_in_a_range_is_not_passed():
    rows = _rows(N)
    extra = [row[1:] for row in rows if BLOCK < row[0] <= 2 * BLOCK]
    extra.insert(100, extra[99])
    assert not ranges.verify_range([extra], BLOCK + 1, 2 * BLOCK).intact
    exact = [row[1:] for row in rows if BLOCK < row[0] <= 2 * BLOCK]
    assert ranges.verify_range([exact], BLOCK + 1, 2 * BLOCK).intact
    assert not ranges.verify_range([exact[:-1]], BLOCK + 1, 2 * BLOCK).intact


def test_the_reference_scan_finds_what_the_reference_pattern_finds():
    """ref_tally searches from the `r` (faster); in JSON it must find exactly the references _REF finds."""
    payloads = [row[3] for row in _rows(300)] + [
        b'{"a":{"ref":"' + b"b" * 64 + b'"},"b":[{"ref":"' + b"c" * 64 + b'"}],"ref":"' + b"d" * 64 + b'"}',
        b'{"xref":"' + b"e" * 64 + b'","ref":"' + b"f" * 63 + b'","c":"\\"ref\\":\\"' + b"0" * 64 + b'\\""}',
    ]
    assert all(isinstance(json.loads(payload), dict) for payload in payloads)
    refs = [int(ref, 16) for payload in payloads for ref in ranges._REF.findall(payload)]
    assert len(refs) == 100 + 3  # not "xref", not 63 digits, not inside a string
    assert ranges.ref_tally(payloads) == (len(refs), sum(refs) % (1 << 256))


def test_a_swapped_pair_of_events_across_a_boundary_is_not_passed():
    rows = _rows(2 * BLOCK)
    a, b = rows[BLOCK - 1], rows[BLOCK]
    rows[BLOCK - 1] = (a[0], b[1], b[2], b[3])
    rows[BLOCK] = (b[0], a[1], a[2], a[3])
    assert _split(rows, [1, BLOCK + 1]) is None


def test_a_whole_range_rewritten_consistently_still_has_to_match_the_boundary():
    rows = _rows(2 * BLOCK)
    forged = ledger.build_chain((_payload(s) + b" " for s in range(BLOCK + 1, 2 * BLOCK + 1)), start_seq=BLOCK + 1)
    rows[BLOCK:] = [(e.seq, e.prev_hash, e.hash, e.payload) for e in forged]  # chained from genesis, not event BLOCK
    assert _split(rows, [1, BLOCK + 1]) is None


def test_a_range_must_start_on_a_block_boundary():
    with pytest.raises(ValueError):
        ranges.verify_range([], 5, 10)


def test_the_reference_tally_takes_only_well_formed_references():
    good = "a" * 64
    payloads = [
        json.dumps({"c": {"ref": good}}, separators=(",", ":")).encode(),
        b'{"c":{"ref":"' + b"A" * 64 + b'"}}',  # upper case: not a reference capture.py writes
        b'{"c":{"ref":"abc"}}',
    ]
    assert ranges.ref_tally(payloads) == (1, int(good, 16))
    assert ranges.ref_tally([b"{}"]) == (0, 0)


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        (["a" * 64, "0123456789abcdef" * 4], True),
        (["a" * 64, "A" * 64], False),  # int(..., 16) would take upper case
        (["a" * 64, "a" * 63], False),
        (["a" * 32 + "," + "a" * 31, "a" * 64], False),  # a comma inside a reference
        (["a" * 63 + " ", "a" * 64], False),
        (["a" * 64, None], False),
        (["a" * 63 + "é"], False),
    ],
)
def test_value_references_are_checked_as_64_lowercase_hex_digits_a_batch_at_a_time(refs, expected):
    from copro_tracker.audit.service import _all_hex64

    assert _all_hex64(refs) is expected
