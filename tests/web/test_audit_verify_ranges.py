"""`flask audit verify` on a long chain shares it between worker processes (audit/ranges.py): the result is
the one-process result, and an event tampered with in any range, or at a boundary between two, is still
caught and named exactly as before."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest
import sqlalchemy as sa
from test_audit_integrity import run, set_event, triggers_lifted

from copro_tracker.audit import ledger, ranges, service
from copro_tracker.extensions import db
from copro_tracker.models import AuditChainHead, AuditEvent, AuditValue, Organisation

BLOCK = ranges.BLOCK
SIZE = 3 * BLOCK + 200
# Three processes split SIZE events at 1..1024, 1025..2048 and 2049..SIZE (see _range_starts).
STARTS = [1, BLOCK + 1, 2 * BLOCK + 1]


def _payload(seq: int) -> bytes:
    body: dict = {"seq": seq, "action": "bench.event", "v": 1}
    if seq % 4 == 0:
        body["changes"] = {"title": {"before": None, "after": {"ref": hashlib.sha256(b"%d" % seq).hexdigest()}}}
    return ledger.canonical_json(body)


@pytest.fixture
def long_chain(app):
    """An organisation with SIZE events bulk-loaded (as bench/audit_db.py does), a head and a checkpoint."""
    if db.engine.dialect.name == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("worker processes need a database they can open themselves")
    with db.engine.begin() as conn:  # in Core, so nothing is captured before the bulk-loaded chain
        org_id = conn.execute(
            sa.insert(Organisation.__table__)
            .values(name="Long Chain Council", slug="long-chain", nation="england", created_at=datetime(2026, 1, 1))
            .returning(Organisation.__table__.c.id)
        ).scalar_one()
    org = db.session.get(Organisation, org_id)
    events = ledger.build_chain(_payload(seq) for seq in range(1, SIZE + 1))
    occurred = datetime(2026, 1, 1)
    with db.engine.begin() as conn:
        conn.execute(
            sa.insert(AuditEvent.__table__),
            [
                {
                    "organisation_id": org.id,
                    "seq": event.seq,
                    "occurred_at": occurred,
                    "action": "bench.event",
                    "entity_type": "bench",
                    "entity_id": event.seq,
                    "payload": event.payload.decode(),
                    "prev_hash": event.prev_hash,
                    "hash": event.hash,
                }
                for event in events
            ],
        )
        conn.execute(sa.insert(AuditChainHead.__table__).values(organisation_id=org.id, seq=SIZE, hash=events[-1].hash))
        refs = [ref.decode() for event in events for ref in ranges._REF.findall(event.payload)]
        conn.execute(
            sa.insert(AuditValue.__table__),
            [
                {"ref": ref, "organisation_id": org.id, "salt": None, "value": None, "erased_at": occurred}
                for ref in refs
            ],
        )
    service.make_checkpoint(org)
    app.config.update(AUDIT_VERIFY_PROCESSES=3, AUDIT_VERIFY_PARALLEL_FROM=0)
    return org


@pytest.fixture
def spied(monkeypatch):
    """Records the worker processes started and what joining the ranges gave."""
    seen: dict[str, list] = {"starts": [], "joined": []}
    start, join = service._start_worker, ranges.join

    def start_worker(task):
        seen["starts"].append(task.start)
        return start(task)

    def joined(parts, wanted=()):
        result = join(parts, wanted)
        seen["joined"].append(result)
        return result

    monkeypatch.setattr(service, "_start_worker", start_worker)
    monkeypatch.setattr(ranges, "join", joined)
    return seen


def test_a_long_chain_is_verified_in_worker_processes_with_the_one_process_result(app, long_chain, spied):
    result, failure = service.verify_organisation(long_chain, record=False)
    assert failure is None and result.ok
    assert spied["starts"] == STARTS[1:]
    assert spied["joined"][-1] is not None  # the ranges' own answer, not the one-process fallback
    app.config["AUDIT_VERIFY_PROCESSES"] = 1
    alone, failure_alone = service.verify_organisation(long_chain, record=False)
    assert failure_alone is None
    assert (result.size, result.root, result.head_hash, result.roots) == (
        alone.size,
        alone.root,
        alone.head_hash,
        alone.roots,
    )
    code, output = run(app, "verify", "--org", long_chain.slug)
    assert code == 0, output
    assert f"{SIZE + 1:,} events" in output  # with the checkpoint's own event


# The first event, the middle of the first range, each boundary's last and first events, and the last event.
PLACES = [1, 500, BLOCK, BLOCK + 1, 2 * BLOCK, 2 * BLOCK + 1, SIZE]


@pytest.mark.parametrize("seq", PLACES)
def test_an_edited_event_in_any_range_is_caught_and_named(app, long_chain, spied, seq):
    with triggers_lifted() as conn:
        payload = conn.scalar(
            sa.text("SELECT payload FROM audit_event WHERE organisation_id = :o AND seq = :s"),
            {"o": long_chain.id, "s": seq},
        )
        set_event(conn, long_chain.id, seq, payload=payload.replace('"v":1', '"v":2'))
    result, failure = service.verify_organisation(long_chain, record=False)
    assert spied["starts"] == STARTS[1:] and spied["joined"] == [None]
    assert failure is not None and (failure.seq, failure.kind) == (seq, "hash_mismatch")
    assert result.size == seq - 1


@pytest.mark.parametrize("seq", [BLOCK + 1, 2 * BLOCK + 1])
def test_a_forged_link_at_a_boundary_is_caught_and_named(app, long_chain, spied, seq):
    """Only the join sees this: each range on its own starts from whatever its first prev_hash says."""
    with triggers_lifted() as conn:
        set_event(conn, long_chain.id, seq, prev_hash="0" * 64)
    _, failure = service.verify_organisation(long_chain, record=False)
    assert spied["joined"] == [None]
    assert failure is not None and (failure.seq, failure.kind) == (seq, "prev_hash_mismatch")


@pytest.mark.parametrize("seq", [BLOCK, 2 * BLOCK + 7])
def test_a_deleted_event_at_the_end_of_a_range_is_caught_and_named(app, long_chain, spied, seq):
    with triggers_lifted() as conn:
        conn.execute(
            sa.text("DELETE FROM audit_event WHERE organisation_id = :o AND seq = :s"), {"o": long_chain.id, "s": seq}
        )
    _, failure = service.verify_organisation(long_chain, record=False)
    assert spied["joined"] == [None]
    assert failure is not None and (failure.seq, failure.kind) == (seq, "gap")


def test_a_removed_value_row_is_caught_when_verifying_in_ranges(app, long_chain, spied):
    with triggers_lifted() as conn:
        conn.execute(
            sa.text("DELETE FROM audit_value WHERE ref = :r"),
            {"r": hashlib.sha256(b"%d" % (2 * BLOCK + 4)).hexdigest()},
        )
    _, failure = service.verify_organisation(long_chain, record=False)
    assert spied["joined"][-1] is not None  # the chain itself is intact
    assert failure is not None and (failure.seq, failure.kind) == (2 * BLOCK + 4, "value_missing")


def test_a_worker_that_cannot_run_leaves_the_one_process_verification(app, long_chain, monkeypatch):
    monkeypatch.setattr(service, "_start_worker", lambda task: None)
    result, failure = service.verify_organisation(long_chain, record=False)
    assert failure is None and result.size == SIZE + 1  # with the checkpoint's own event


def _insert_event(conn: sa.Connection, organisation_id: int, seq: int) -> None:
    conn.execute(
        sa.insert(AuditEvent.__table__).values(
            organisation_id=organisation_id,
            seq=seq,
            occurred_at=datetime(2026, 1, 2),
            action="bench.event",
            entity_type="bench",
            entity_id=seq,
            payload=f'{{"seq":{seq}}}',
            prev_hash="0" * 64,
            hash="0" * 64,
        )
    )


def test_an_event_beyond_the_chain_head_is_verified_in_one_pass_and_named(app, long_chain, spied):
    """The ranges read seqs 1..head without reading seq; a row past the head is left to the one-process pass."""
    head = db.session.scalar(sa.select(AuditChainHead.seq).where(AuditChainHead.organisation_id == long_chain.id))
    with triggers_lifted() as conn:
        _insert_event(conn, long_chain.id, head + 1)
    _, failure = service.verify_organisation(long_chain, record=False)
    assert spied["starts"] == [] and spied["joined"] == []
    assert failure is not None and (failure.seq, failure.kind) == (head + 1, "prev_hash_mismatch")


def test_an_event_numbered_below_one_is_verified_in_one_pass_and_named(app, long_chain, spied):
    with triggers_lifted() as conn:
        _insert_event(conn, long_chain.id, 0)
    _, failure = service.verify_organisation(long_chain, record=False)
    assert spied["starts"] == [] and spied["joined"] == []
    assert failure is not None and (failure.seq, failure.kind) == (1, "gap")


def test_the_unique_index_on_organisation_and_seq_is_recognised(app, long_chain):
    assert service._seq_is_unique()


def test_without_the_unique_index_a_renumbered_event_is_still_caught(app, long_chain, spied):
    """Counting rows stands for reading seq only while no seq can occur twice. With the constraint dropped, an
    event renumbered onto its predecessor's seq keeps every count and link right; the one-process pass,
    which reads seq, must take over and name it."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite cannot drop a table's unique constraint (it would take rebuilding the table)")
    seq = BLOCK + 300
    with triggers_lifted() as conn:
        conn.execute(sa.text("ALTER TABLE audit_event DROP CONSTRAINT uq_audit_event_org_seq"))
        set_event(conn, long_chain.id, seq, seq=seq - 1)
    try:
        assert not service._seq_is_unique()
        _, failure = service.verify_organisation(long_chain, record=False)
        assert spied["starts"] == [] and spied["joined"] == []
        assert failure is not None and failure.seq in (seq - 1, seq)
        assert failure.kind in ("gap", "prev_hash_mismatch")
    finally:
        db.session.rollback()
        with triggers_lifted() as conn:
            conn.execute(
                sa.text("UPDATE audit_event SET seq = :s WHERE organisation_id = :o AND seq = :d AND entity_id = :s"),
                {"s": seq, "d": seq - 1, "o": long_chain.id},
            )
            conn.execute(
                sa.text("ALTER TABLE audit_event ADD CONSTRAINT uq_audit_event_org_seq UNIQUE (organisation_id, seq)")
            )
    assert service._seq_is_unique()
