"""Benchmark: audit chain verification against raw SHA-256 over the same bytes.

Generates N realistic canonical audit payloads (about 290 bytes each, seeded), chains them, then times
(a) hashlib.sha256 over every payload and (b) `verify_chain` (chain links, event hashes and the Merkle
root). The ratio (b)/(a) in events per second is the figure of merit: the target is at least 0.40.

    .venv/bin/python bench/audit_verify.py [--events 1000000] [--repeat 5] [--seed 7]
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import random
import ssl
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from copro_tracker.audit.ledger import EventRecord, build_chain, canonical_json, verify_chain

ACTIONS = [
    "initiative.created",
    "initiative.updated",
    "stage.signed_off",
    "partner.invited",
    "evidence.attached",
    "meeting.recorded",
    "report.generated",
    "user.login",
]
ENTITIES = ["initiative", "stage", "partner", "evidence", "meeting", "report", "user"]
FIELDS = ["status", "title", "summary", "due_date", "owner_id", "stage", "visibility", "budget_pence"]
STATUSES = ["draft", "in_review", "approved", "active", "closed"]


def make_payloads(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    payloads = []
    for seq in range(1, count + 1):
        changes = {}
        for name in rng.sample(FIELDS, rng.randint(1, 2)):
            if name in ("title", "summary"):
                # Free text never enters the payload: it becomes a salted reference (see capture.py).
                changes[name] = {"before": None, "after": {"ref": rng.randbytes(32).hex()}}
            elif name in ("owner_id", "budget_pence"):
                changes[name] = {"before": rng.randint(1, 9999), "after": rng.randint(1, 9999)}
            else:
                changes[name] = {"before": rng.choice(STATUSES), "after": rng.choice(STATUSES)}
        body = {
            "v": 1,
            "org": 3,
            "seq": seq,
            "at": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
            f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z",
            "actor": rng.randint(1, 400),
            "action": rng.choice(ACTIONS),
            "entity": rng.choice(ENTITIES),
            "entity_id": rng.randint(1, 50_000),
            "changes": changes,
            "details": {"source": "web", "request_id": rng.randbytes(8).hex()},
        }
        payloads.append(canonical_json(body))
    return payloads


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def raw_loop(payloads: list[bytes]) -> None:
    sha = hashlib.sha256
    for payload in payloads:
        sha(payload).digest()


def raw_comprehension(payloads: list[bytes]) -> list[bytes]:
    sha = hashlib.sha256
    return [sha(payload).digest() for payload in payloads]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the best time of each contender counts")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    print(f"Python {platform.python_version()}, {ssl.OPENSSL_VERSION}, {platform.machine()}")
    start = time.perf_counter()
    payloads = make_payloads(args.events, args.seed)
    events: list[EventRecord] = build_chain(payloads)
    total = sum(map(len, payloads))
    print(
        f"generated {len(events):,} events in {time.perf_counter() - start:.1f} s; "
        f"payload mean {total / len(payloads):.0f} bytes, {total / 1e6:.1f} MB"
    )

    result = verify_chain(events)
    assert result.ok and result.size == args.events, result.failure
    # Rounds interleave the contenders and keep each one's best time, so a burst of load from another
    # process penalises whichever happened to be running rather than skewing the ratio one way. The
    # baseline is the faster of two idiomatic loops, so it is not flattered by a slow one.
    raw_seconds = verify_seconds = float("inf")
    for _ in range(args.repeat):
        raw_seconds = min(raw_seconds, timed(lambda: raw_loop(payloads)), timed(lambda: raw_comprehension(payloads)))
        verify_seconds = min(verify_seconds, timed(lambda: verify_chain(events)))

    raw_rate = args.events / raw_seconds
    verify_rate = args.events / verify_seconds
    print(f"(a) raw hashlib.sha256 over payloads : {raw_rate:12,.0f} events/s  ({raw_seconds:.3f} s)")
    print(f"(b) verify_chain incl. Merkle root   : {verify_rate:12,.0f} events/s  ({verify_seconds:.3f} s)")
    print(f"ratio (b)/(a) = {verify_rate / raw_rate:.3f}   (target >= 0.40)")
    print(f"root {result.root}")


if __name__ == "__main__":
    main()
