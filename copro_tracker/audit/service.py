"""The audit chain as a whole: the signing key, checkpoints, verification, inclusion proofs, export bundles.

`capture.py` appends events; `ledger.py` is the pure maths; this module reads an organisation's
stored chain and applies the maths to it. Every public function takes the `Organisation` it works
on, so callers (the CLI, the admin page, evidence reports) never mix organisations.

Reading the chain
    Events are streamed in seq order with only the four columns the ledger needs (seq, prev_hash,
    hash and the payload as raw UTF-8 bytes, converted by the database), as plain tuples read in
    batches from the DB-API cursor (a server-side cursor on PostgreSQL). A million events never sit in
    memory, as ORM objects or otherwise; see bench/RESULTS.md for the speed.

Checkpoints and the event that records them
    `make_checkpoint` signs the chain as it stood when it started: it reads the highest seq N, verifies
    events 1..N (and that they still reproduce the previous checkpoint's root, so a rewritten or
    truncated history is never signed over), signs (organisation slug, N, root, time) and stores the
    checkpoint. Only then does it append `audit.checkpoint_made` (seq N + 1 or later), which
    therefore is NOT covered by the checkpoint it announces; the next checkpoint covers it. Events
    that other writers append while it works are likewise left for the next checkpoint.

Verification
    `verify_organisation` recomputes every event hash and link from seq 1 (ledger.verify_chain),
    checks each stored checkpoint's signature against the configured key, that its root matches the
    first `tree_size` events as they are now (which also proves every checkpoint consistent with every
    earlier one), that checkpoint sizes and times never go backwards, and that the chain-head row agrees
    with the last event (catching a truncated tail that no checkpoint covers yet). Then that the
    chain is as long as the newest checkpoint copy kept outside the database (copies.py) and
    reproduces its root (so deleting the database's checkpoints and cutting the chain's end is still
    caught); that every erasable value not yet erased still hashes to the reference its event signed
    (so editing `audit_value` cannot change what history shows); and that the append-only triggers on
    `audit_event` and `audit_checkpoint` are in place. It stores an `AuditVerification` row with a
    plain-English message and appends `audit.verified`.

    From AUDIT_VERIFY_PARALLEL_FROM events on, the events are shared between AUDIT_VERIFY_PROCESSES
    processes in seq ranges that are verified independently and joined (audit/ranges.py); this process
    takes the first range and scans the erasable values meanwhile. Anything not intact, or a worker that
    cannot run, means one sequential pass as before, which names the first failure.

Organisations without a checkpoint
    Until an organisation has a checkpoint, events cut from the end of its chain (with the chain head
    wound back too) leave no trace. Verifying such an organisation says so ("no checkpoint: truncation
    cannot be detected") and, when the chain verifies, makes its first checkpoint there and then; the
    admin audit page says it as long as there is none.

Outside copies of checkpoints
    Every checkpoint is also copied into the file store's "checkpoints" area once its transaction
    commits (copies.py: the S3 bucket in production), holding the signed statement, signature and key
    id. Verification trusts a copy only if its signature checks with the configured key.

Each public function that writes commits once, like the other services (pass commit=False to keep
the work in the caller's transaction).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import pickle
import re
import secrets
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain, islice, repeat
from pathlib import Path
from typing import Any, NamedTuple

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

from ..domain.messages import Message
from ..extensions import db
from ..models import (
    AuditChainHead,
    AuditCheckpoint,
    AuditEvent,
    AuditMerkleNode,
    AuditValue,
    AuditVerification,
    Organisation,
    utcnow,
)
from ..models.audit import APPEND_ONLY_TABLES, postgres_trigger_names, sqlite_trigger_names
from . import capture, ledger, ranges
from . import copies as checkpoint_copies
from . import outside as outside_copies
from .ledger import Failure, VerifyResult
from .verify import assemble_bundle, build_bundle

__all__ = [
    "AuditIntegrityError",
    "AuditKeyError",
    "chain_size",
    "checkpoint_record",
    "covering_checkpoint",
    "erase_values",
    "export_bundle",
    "inclusion_proof",
    "install",
    "latest_checkpoint",
    "make_checkpoint",
    "report_bundle",
    "signing_key",
    "value_refs",
    "verify_organisation",
]

# Rows fetched per round trip while streaming the chain.
STREAM_BATCH = 5000
# Rows fetched at a time when verifying in ranges: whole Merkle blocks. On SQLite (no round trips) few enough
# that a batch's rows, digests and joined hex stay in the CPU's cache (bench/RESULTS.md, "fourth round"); on
# PostgreSQL each fetch is a round trip, so about as many rows as before.
RANGE_BATCH = {"sqlite": 2 * ranges.BLOCK, "postgresql": 5 * ranges.BLOCK}
# Look-ups joined by UNION ALL in one statement (SQLite's limit on a compound SELECT is 500 terms).
UNION_TERMS = 400
# References looked up per query when checking erasable values (SQLite's oldest limit on parameters is 999).
VALUE_BATCH = 500
# This process's share of the events when verifying in ranges, against 1.0 for each worker process: it also
# starts the workers, reads the checkpoints and scans the erasable values. At 0.7 the worker was the longer
# of two (1.86-1.94 µs of CPU per chain event against 1.58-1.68 here, its start-up included, at 1,000,000
# events; bench/audit_verify_cpu.py, bench/RESULTS.md fourth round), so this process takes a little more.
_OWN_SHARE = 0.8
_REF = re.compile(r'"ref":"([0-9a-f]{64})"')
_REF_B = re.compile(rb'"ref":"([0-9a-f]{64})"')
_REF_BYTES = b'"ref":"'
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MASK = (1 << 256) - 1

log = logging.getLogger(__name__)


class AuditKeyError(RuntimeError):
    """The checkpoint signing key is missing or unusable; the message says what to do."""


class AuditIntegrityError(RuntimeError):
    """The stored chain does not verify, so it will not be signed over or exported."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


# --- the signing key ---------------------------------------------------------------------------


def signing_key(*, create: bool | None = None) -> Ed25519PrivateKey:
    """The Ed25519 key that signs checkpoints.

    AUDIT_SIGNING_KEY (a PEM string) wins; otherwise the PEM file at AUDIT_KEY_FILE, which is created
    on first use only when AUDIT_CREATE_KEY is true (development and tests). Keep the key outside
    the database: whoever holds it can sign a rewritten history.
    """
    config = current_app.config
    pem = config.get("AUDIT_SIGNING_KEY")
    if pem:
        try:
            return ledger.load_private_key_pem(pem)
        except (ValueError, TypeError) as error:
            raise AuditKeyError(
                "AUDIT_SIGNING_KEY is not an unencrypted Ed25519 private key in PEM (PKCS#8) form."
            ) from error
    path_setting = config.get("AUDIT_KEY_FILE")
    if not path_setting:
        raise AuditKeyError("No audit signing key is configured: set AUDIT_SIGNING_KEY or AUDIT_KEY_FILE.")
    path = Path(path_setting)
    try:
        if config.get("AUDIT_CREATE_KEY") if create is None else create:
            return ledger.load_or_create_private_key(path)
        return ledger.load_private_key_pem(path.read_bytes())
    except FileNotFoundError as error:
        raise AuditKeyError(
            f"The audit signing key file {path} does not exist. Create it with "
            "'flask audit public-key --create' (or set AUDIT_SIGNING_KEY), then publish the public key it prints."
        ) from error
    except OSError as error:
        raise AuditKeyError(f"Cannot read or create the audit signing key file {path}: {error}") from error
    except (ValueError, TypeError) as error:
        raise AuditKeyError(f"{path} does not hold an unencrypted Ed25519 private key in PEM (PKCS#8) form.") from error


# --- reading the chain ---------------------------------------------------------------------------


def _payload_bytes() -> sa.ColumnElement[bytes]:
    """The payload as the exact UTF-8 bytes that were hashed, converted by the database (no Python encode)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.convert_to(AuditEvent.payload, "UTF8", type_=sa.LargeBinary).label("payload")
    return sa.cast(AuditEvent.payload, sa.LargeBinary).label("payload")


def _range_statement(
    columns: Sequence[sa.ColumnElement[Any]], organisation_id: int, upto: int | None = None, since: int | None = None
) -> sa.Select[Any]:
    stmt = sa.select(*columns).where(AuditEvent.organisation_id == organisation_id).order_by(AuditEvent.seq)
    if since is not None:
        stmt = stmt.where(AuditEvent.seq >= since)
    if upto is not None:
        stmt = stmt.where(AuditEvent.seq <= upto)
    return stmt


def _driver_sql(stmt: sa.Executable, dialect: sa.Dialect) -> tuple[str, Any]:
    """The statement as the DB-API driver takes it: SQL text and its parameters."""
    compiled = stmt.compile(dialect=dialect)
    params: Any = compiled.construct_params()
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup or ())
    return str(compiled), params


@contextmanager
def _batches(stmt: sa.Select[Any], size: int = STREAM_BATCH) -> Iterator[Iterator[list[tuple[Any, ...]]]]:
    """Stream a select's rows as lists of plain tuples, `size` at a time, on the session's connection.

    Straight from the DB-API cursor: a server-side (named) cursor on PostgreSQL, SQLite's own lazy
    cursor otherwise. Skipping SQLAlchemy's Row objects more than halves the cost per event, which is
    most of the cost of verifying from the database.
    """
    connection = db.session.connection()
    dialect = connection.dialect
    if dialect.name not in ("postgresql", "sqlite"):
        result = connection.execute(stmt.execution_options(yield_per=size))
        try:
            yield (list(map(tuple, part)) for part in result.partitions())
        finally:
            result.close()
        return
    sql, params = _driver_sql(stmt, dialect)
    driver = connection.connection.driver_connection
    assert driver is not None
    named = dialect.name == "postgresql"
    cursor = driver.cursor(name=f"audit_stream_{secrets.token_hex(6)}") if named else driver.cursor()
    try:
        cursor.execute(sql, params)
        yield iter(lambda: cursor.fetchmany(size), [])
    finally:
        cursor.close()


@contextmanager
def _rows(
    columns: Sequence[sa.ColumnElement[Any]], organisation_id: int, upto: int | None = None
) -> Iterator[Iterator[tuple[Any, ...]]]:
    """Stream one organisation's events in seq order as plain tuples (see `_batches`)."""
    with _batches(_range_statement(columns, organisation_id, upto)) as batches:
        yield chain.from_iterable(batches)


def _event_columns() -> tuple[sa.ColumnElement[Any], ...]:
    """seq, prev_hash, hash and the payload bytes: a row is then exactly a ledger.EventRow."""
    return (AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash, _payload_bytes())


def _range_columns() -> tuple[sa.ColumnElement[Any], ...]:
    """prev_hash, hash and the payload bytes: what ranges.verify_range reads (seq is stood for by the
    range's row count; reading it cost about a seventh of the whole verify, bench/RESULTS.md)."""
    return (AuditEvent.prev_hash, AuditEvent.hash, _payload_bytes())


def _seq_is_unique() -> bool:
    """Whether audit_event has a unique index on exactly (organisation_id, seq), whole and usable.

    Verifying in ranges counts rows instead of reading seq, which proves the seqs are start..end only when
    no seq can occur twice. A schema altered to allow duplicates is verified in one pass instead (which
    reads seq and names a duplicate); the index cannot be put back while duplicates remain."""
    connection = db.session.connection()
    table = AuditEvent.__tablename__
    if connection.dialect.name == "postgresql":
        return bool(
            connection.execute(
                sa.text(
                    "SELECT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = CAST(:table AS regclass) "
                    "AND i.indisunique AND i.indisvalid AND i.indisready AND i.indpred IS NULL "
                    "AND i.indexprs IS NULL AND i.indnatts = 2 AND ("
                    "SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a "
                    "WHERE a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)) = ARRAY['organisation_id', 'seq'])"
                ),
                {"table": table},
            ).scalar()
        )
    if connection.dialect.name != "sqlite":
        return False
    for row in connection.exec_driver_sql(f"PRAGMA index_list('{table}')").mappings():
        if not row["unique"] or row["partial"]:
            continue
        columns = [
            info["name"] for info in connection.exec_driver_sql(f"PRAGMA index_info('{row['name']}')").mappings()
        ]
        if sorted(columns) == ["organisation_id", "seq"]:
            return True
    return False


def _events_outside(organisation_id: int, size: int) -> bool:
    """Whether the organisation has events numbered below 1 or above `size` (the chain head's seq), which
    the ranges 1..size would not read: the one-process pass reads every event, as it always has."""
    at = sa.select(AuditEvent.seq).where(AuditEvent.organisation_id == organisation_id)
    return bool(
        db.session.scalar(
            sa.select(sa.or_(at.where(AuditEvent.seq < 1).exists(), at.where(AuditEvent.seq > size).exists()))
        )
    )


def _verify_stream(
    organisation_id: int, upto: int | None = None, sizes: Iterable[int] = (), tally: _RefTally | None = None
) -> VerifyResult:
    with _rows(_event_columns(), organisation_id, upto) as rows:
        return ledger.verify_chain(tally.read(rows) if tally is not None else rows, record_roots_at=list(sizes))


def _range_starts(size: int) -> list[int]:
    """Where each process's range of events starts: one range unless the chain is long enough to share.

    This process also reads the chain head, the checkpoints and the erasable values, so it takes a
    smaller share of the events than each worker."""
    config = current_app.config
    processes = max(1, int(config.get("AUDIT_VERIFY_PROCESSES") or 1))
    if processes < 2 or size < int(config.get("AUDIT_VERIFY_PARALLEL_FROM") or 0):
        return [1]
    weights = [_OWN_SHARE] + [1.0] * (processes - 1)
    starts, done = [1], 0.0
    for weight in weights[:-1]:
        done += weight
        start = round(size * done / sum(weights) / ranges.BLOCK) * ranges.BLOCK + 1
        if start > starts[-1]:
            starts.append(start)
    return starts


def _worker_task(organisation_id: int, start: int, end: int, sizes: Sequence[int]) -> ranges.RangeTask | None:
    """What a worker process needs to verify events start..end on its own connection, or None if it cannot
    (an in-memory SQLite database, or another kind of database than the two this app runs on)."""
    engine = db.session.get_bind()
    dialect = engine.dialect
    url = engine.url
    if dialect.name not in ("postgresql", "sqlite"):
        return None
    if dialect.name == "sqlite" and (url.database in (None, "", ":memory:") or "mode=memory" in str(url)):
        return None
    cargs, ckwargs = dialect.create_connect_args(url)
    plain = (str, int, float, bool)
    stmt = _range_statement(_range_columns(), organisation_id, end, since=start)
    sql, params = _driver_sql(stmt, dialect)
    return ranges.RangeTask(
        dbapi=dialect.loaded_dbapi.__name__,
        connect_args=tuple(cargs),
        connect_kwargs={key: value for key, value in ckwargs.items() if isinstance(value, plain)},
        sql=sql,
        params=params,
        named_cursor=dialect.name == "postgresql",
        batch=RANGE_BATCH[dialect.name],
        start=start,
        end=end,
        wanted=tuple(sizes),
    )


def _start_worker(task: ranges.RangeTask) -> subprocess.Popen[bytes] | None:
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    try:
        worker = subprocess.Popen(
            # -P: the worker imports the package from PYTHONPATH, never from whatever directory the command
            # was run in (-m would put that first on sys.path, so another checkout's code could answer).
            [sys.executable, "-P", "-m", "copro_tracker.audit.ranges"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
    except OSError:
        log.warning("Could not start an audit verify worker; verifying in one process", exc_info=True)
        return None
    assert worker.stdin is not None
    # Flushed, not closed: the worker reads one pickle, and communicate() closes stdin later.
    worker.stdin.write(pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL))
    worker.stdin.flush()
    return worker


def _finish_worker(worker: subprocess.Popen[bytes]) -> ranges.RangeSummary | None:
    out, err = worker.communicate()
    if worker.returncode != 0:
        log.warning("An audit verify worker failed (exit %s): %s", worker.returncode, err.decode(errors="replace"))
        return None
    summary = pickle.loads(out)  # noqa: S301 - written by our own worker process, just now
    return summary if isinstance(summary, ranges.RangeSummary) else None


def _verify_in_ranges(
    organisation_id: int, size: int, sizes: Sequence[int]
) -> tuple[tuple[VerifyResult, int, int] | None, _ValueScan]:
    """Verify the chain in ranges (audit/ranges.py), the later ones in worker processes, while this one
    verifies the first and scans the erasable values. Returns the joined result, None unless everything
    was intact (and every worker answered), and the value scan.

    The ranges cover seqs 1..size, the chain head's count; events outside those (or a table that would
    allow a seq twice) leave the chain to the one-process pass, which reads every event and its seq."""
    if size < 1 or not _seq_is_unique() or _events_outside(organisation_id, size):
        return None, _scan_values(organisation_id)
    starts = _range_starts(size)
    ends = [start - 1 for start in starts[1:]] + [size]
    workers: list[subprocess.Popen[bytes] | None] = []
    for start, end in zip(starts[1:], ends[1:], strict=True):
        task = _worker_task(organisation_id, start, end, sizes)
        workers.append(_start_worker(task) if task is not None else None)
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived tuples and no cycles: collecting them would only cost time
    try:
        own = _range_statement(_range_columns(), organisation_id, ends[0], since=1)
        with _batches(own, RANGE_BATCH.get(db.session.get_bind().dialect.name, STREAM_BATCH)) as batches:
            parts: list[ranges.RangeSummary | None] = [ranges.verify_range(batches, 1, ends[0], sizes)]
        scan = _scan_values(organisation_id)
    finally:
        if collecting:
            gc.enable()
    parts += [_finish_worker(worker) if worker is not None else None for worker in workers]
    if any(part is None for part in parts):
        return None, scan  # a worker could not run or answer: the caller verifies in one pass
    return ranges.join([part for part in parts if part is not None], sizes), scan


def chain_size(organisation: Organisation) -> int:
    """The highest seq stored for the organisation (0 when it has no events)."""
    size = db.session.scalar(
        sa.select(sa.func.max(AuditEvent.seq)).where(AuditEvent.organisation_id == organisation.id)
    )
    return size or 0


def latest_checkpoint(organisation: Organisation) -> AuditCheckpoint | None:
    return db.session.scalar(
        sa.select(AuditCheckpoint)
        .where(AuditCheckpoint.organisation_id == organisation.id)
        .order_by(AuditCheckpoint.id.desc())
        .limit(1)
    )


def checkpoint_record(organisation: Organisation, checkpoint: AuditCheckpoint) -> ledger.Checkpoint:
    """The signed statement a stored checkpoint row stands for (the slug is part of what was signed)."""
    if checkpoint.organisation_id != organisation.id:
        raise ValueError("that checkpoint belongs to a different organisation")
    return ledger.Checkpoint(organisation.slug, checkpoint.tree_size, checkpoint.root_hash, checkpoint.issued_at)


def _root_at(result: VerifyResult, size: int) -> str | None:
    return result.root if size == result.size else result.roots.get(size)


# --- checkpoints -----------------------------------------------------------------------------------


def make_checkpoint(organisation: Organisation, *, commit: bool = True) -> AuditCheckpoint:
    """Sign the organisation's chain as it stood when this started, store the checkpoint, audit it.

    Covers events 1..N, N being the highest seq at the start; the `audit.checkpoint_made` event this
    appends (and anything other writers append meanwhile) comes after N and is covered by the next
    checkpoint. Refuses (AuditIntegrityError) to sign a chain that does not verify or no longer
    reproduces the previous checkpoint's root: signing it would bless the tampering. If another
    checkpoint covering at least N events was stored meanwhile, that one is returned instead.
    """
    key = signing_key()
    size = chain_size(organisation)
    previous = latest_checkpoint(organisation)
    if previous is not None and previous.tree_size > size:
        raise AuditIntegrityError(
            Failure(
                size + 1,
                "truncated",
                Message.of("audit.checkpoint.previous_truncated", last=size, size=previous.tree_size, first=size + 1),
            )
        )
    sizes = [previous.tree_size] if previous is not None else []
    result = _verify_stream(organisation.id, size, sizes)
    if result.failure is not None:
        raise AuditIntegrityError(result.failure)
    if previous is not None and _root_at(result, previous.tree_size) != previous.root_hash:
        raise AuditIntegrityError(
            Failure(
                None,
                "root_mismatch",
                Message.of("audit.checkpoint.previous_rewritten", size=previous.tree_size, time=previous.issued_at),
            )
        )
    # Sign under the chain-head lock, held until commit (writers of this organisation wait a moment):
    # checkpoints are then stored in the order of their sizes and times even when two are made at once.
    capture.lock_chain_head(db.session.connection(), organisation.id)
    latest = latest_checkpoint(organisation)
    if latest is not None and latest.tree_size >= result.size and (previous is None or latest.id != previous.id):
        if commit:
            db.session.commit()
        return latest  # someone else signed at least as much while this one was reading
    return _store_checkpoint(organisation, key, result.size, result.root, commit=commit)


# --- verification ----------------------------------------------------------------------------------


def _checkpoint_failures(
    organisation: Organisation, checkpoints: list[AuditCheckpoint], result: VerifyResult, public: Ed25519PublicKey
) -> Iterator[Failure]:
    key_id = ledger.public_key_id(public)
    earlier: AuditCheckpoint | None = None
    for number, row in enumerate(checkpoints, start=1):
        if earlier is not None and (row.tree_size < earlier.tree_size or row.issued_at < earlier.issued_at):
            yield Failure(
                None,
                "checkpoint_order",
                Message.of(
                    "audit.checkpoint.order",
                    time=row.issued_at,
                    size=row.tree_size,
                    earlier_time=earlier.issued_at,
                    earlier_size=earlier.tree_size,
                ),
            )
        statement = checkpoint_record(organisation, row)
        failure = ledger.verify_against_checkpoint(
            result, statement, row.signature, public, organisation=organisation.slug
        )
        if failure is not None and failure.kind == "bad_signature" and row.key_id != key_id:
            failure = Failure(
                None,
                "bad_signature",
                Message.of(
                    "audit.checkpoint.other_key", failure=failure.said, key=row.key_id[:16], configured=key_id[:16]
                ),
            )
        if failure is not None and failure.kind == "truncated" and result.failure is None:
            which = Message.of("audit.checkpoint.numbered", num=number, time=row.issued_at)
            failure = _truncated(result, which, row.tree_size)
        if failure is not None:
            yield failure
        earlier = row


def _head_failure(organisation_id: int, head: sa.Row[Any] | None, result: VerifyResult) -> Failure | None:
    if head is None or head.seq == 0:
        return None
    if head.seq > result.size:
        return Failure(
            result.size + 1,
            "truncated",
            Message.of("audit.head.truncated", last=result.size, size=head.seq, first=result.size + 1),
        )
    stored = db.session.scalar(
        sa.select(AuditEvent.hash).where(AuditEvent.organisation_id == organisation_id, AuditEvent.seq == head.seq)
    )
    if stored != head.hash:
        return Failure(
            head.seq,
            "head_mismatch",
            Message.of("audit.head.replaced", seq=head.seq),
        )
    # The Merkle state kept for proofs and quick checkpoints must describe these very events.
    if head.frontier is not None and ledger.Frontier.decode(head.seq, head.frontier).root().hex() != result.root:
        return Failure(
            None,
            "head_mismatch",
            Message.of("audit.head.merkle"),
        )
    return None


def _truncated(result: VerifyResult, which: Message, size: int) -> Failure:
    return Failure(
        result.size + 1,
        "truncated",
        Message.of("audit.checkpoint.signed_more", last=result.size, which=which, size=size, first=result.size + 1),
    )


def _value_problem(seq: int, payload: str, ref: str, row: tuple[str | None, str | None] | None) -> Failure | None:
    """Why the value `ref` (row: salt, value) no longer stands for what event `seq` signed, or None."""
    if row is not None:
        salt, value = row
        if value is None:
            return None  # erased: only "a value was here" remains, as intended
        try:
            if salt is not None and capture.value_ref(salt, value) == ref:
                return None
        except ValueError:
            pass
    where = Message.of("audit.value.somewhere")
    for name, change in json.loads(payload).get("changes", {}).items():
        for side in ("before", "after"):
            value_of = change.get(side) if isinstance(change, dict) else None
            if isinstance(value_of, dict) and value_of.get("ref") == ref:
                where = Message.of(f"audit.value.field_{side}", field=name)
    if row is None:
        return Failure(
            seq,
            "value_missing",
            Message.of("audit.value.missing", seq=seq, where=where),
        )
    return Failure(
        seq,
        "value_mismatch",
        Message.of("audit.value.edited", seq=seq, where=where),
    )


class _RefTally:
    """Counts and sums (mod 2**256) the value references in the payloads streamed past it.

    Equal to the same tally over the organisation's `audit_value` rows exactly when each reference has
    its row (references are random and unique), at the cost of a substring test per event, so the
    slow per-event lookup only runs when something is wrong."""

    def __init__(self) -> None:
        self.count = 0
        self.total = 0

    def read(self, rows: Iterable[Any]) -> Iterator[Any]:
        for row in rows:
            payload = row[3]
            if isinstance(payload, str):
                payload = payload.encode()
            if _REF_BYTES in payload:
                for ref in _REF_B.findall(payload):
                    self.count += 1
                    self.total = (self.total + int(ref, 16)) & _MASK
            yield row


class _ValueScan(NamedTuple):
    """The organisation's `audit_value` rows summed up: how many, their references' sum (mod 2**256), and
    the first one not yet erased that no longer hashes to its own reference."""

    count: int
    total: int
    edited: tuple[str, str | None, str | None] | None


def _all_hex64(refs: Sequence[Any]) -> bool:
    """Whether every reference is 64 lowercase hex digits, checked for the batch at once in C (a regex
    over the batch costs several times more, and int(..., 16) alone would also take upper case)."""
    try:
        joined = ",".join(refs).encode("ascii")
    except (TypeError, UnicodeEncodeError):
        return False
    count = len(refs)
    return (
        len(joined) == 65 * count - 1
        and joined[64::65] == b"," * (count - 1)
        and joined.count(b",") == count - 1
        and not joined.translate(None, b"0123456789abcdef,")
    )


def _scan_values(organisation_id: int) -> _ValueScan:
    count = total = 0
    edited: tuple[str, str | None, str | None] | None = None
    stmt = sa.select(AuditValue.ref, AuditValue.salt, AuditValue.value).where(
        AuditValue.organisation_id == organisation_id
    )
    with _batches(stmt) as batches:
        for batch in batches:
            refs, _, values = zip(*batch, strict=True)
            count += len(refs)
            if _all_hex64(refs):
                total = (total + sum(map(int, refs, repeat(16)))) & _MASK
            else:
                for ref in refs:
                    if isinstance(ref, str) and _HEX64.fullmatch(ref):
                        total = (total + int(ref, 16)) & _MASK
            # Erased values (None) need no hashing; most batches of an old chain are all erased or all kept.
            if edited is not None or values.count(None) == len(values):
                continue
            for ref, salt, value in batch:
                if value is None:
                    continue
                try:
                    intact = salt is not None and capture.value_ref(salt, value) == ref
                except ValueError:
                    intact = False
                if not intact:
                    edited = (ref, salt, value)
                    break
    return _ValueScan(count, total, edited)


def _value_failure(organisation_id: int, size: int, found: tuple[int, int], scan: _ValueScan) -> Failure | None:
    """The first erasable value that was edited, or whose row was removed or re-keyed, or None.

    `found` is the count and sum of the references the verified events signed; `scan` the same of the
    organisation's values, each not yet erased having been re-hashed with its salt. Only if something is
    wrong are the events searched, to name the event and field."""
    if scan.edited is not None:
        ref, salt, value = scan.edited
        hit = db.session.execute(
            sa.select(AuditEvent.seq, AuditEvent.payload)
            .where(AuditEvent.organisation_id == organisation_id, AuditEvent.payload.contains(ref, autoescape=True))
            .order_by(AuditEvent.seq)
            .limit(1)
        ).first()
        if hit is None:
            return Failure(
                None,
                "value_mismatch",
                Message.of("audit.value.orphan", ref=ref[:16]),
            )
        return _value_problem(hit.seq, hit.payload, ref, (salt, value))
    if (scan.count, scan.total) == found:
        return None
    # Something differs: find the event whose value row is gone. If none is, the difference is only rows
    # no verified event refers to (values of events appended while this ran): they change no history.
    return _locate_value_problem(organisation_id, size)


def _locate_value_problem(organisation_id: int, size: int) -> Failure | None:
    """The first event (by seq) whose erasable values were edited or removed, or None.

    Reads the events that refer to values a window of seqs at a time (plain queries, so nothing else is
    open on the connection) and looks their references up in `audit_value` in batches."""
    for start in range(1, size + 1, STREAM_BATCH):
        payloads = dict(
            db.session.execute(
                sa.select(AuditEvent.seq, AuditEvent.payload)
                .where(
                    AuditEvent.organisation_id == organisation_id,
                    AuditEvent.seq.between(start, min(start + STREAM_BATCH - 1, size)),
                    AuditEvent.payload.contains('"ref":"', autoescape=True),
                )
                .order_by(AuditEvent.seq)
            ).all()
        )
        wanted: dict[str, int] = {}
        for seq, payload in payloads.items():
            for ref in _REF.findall(payload):
                wanted.setdefault(ref, seq)
        refs = list(wanted)
        rows: dict[str, tuple[str | None, str | None]] = {}
        for at in range(0, len(refs), VALUE_BATCH):
            for ref, salt, value in db.session.execute(
                sa.select(AuditValue.ref, AuditValue.salt, AuditValue.value).where(
                    AuditValue.organisation_id == organisation_id, AuditValue.ref.in_(refs[at : at + VALUE_BATCH])
                )
            ):
                rows[ref] = (salt, value)
        for ref, seq in sorted(wanted.items(), key=lambda item: item[1]):
            problem = _value_problem(seq, payloads[seq], ref, rows.get(ref))
            if problem is not None:
                return problem
    return None


def _unguarded_failure() -> Failure | None:
    """A failure naming the first audit table whose append-only triggers are missing or disabled."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        present = {
            (table, name)
            for table, name in connection.execute(
                sa.text(
                    "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relname IN :tables"
                ).bindparams(sa.bindparam("tables", expanding=True)),
                {"tables": list(APPEND_ONLY_TABLES)},
            )
        }
        names = postgres_trigger_names
    else:
        present = {
            (table, name)
            for table, name in connection.execute(
                sa.text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            )
        }
        names = sqlite_trigger_names
    for table in APPEND_ONLY_TABLES:
        missing = [name for name in names(table) if (table, name) not in present]
        if missing:
            return Failure(
                None,
                "unguarded",
                Message.of(
                    "audit.unguarded.many" if len(missing) > 1 else "audit.unguarded.one",
                    table=table,
                    names=", ".join(missing),
                ),
            )
    return None


# --- outside copies of checkpoints (copies.py) -----------------------------------------------------


def install(session_class: type) -> None:
    """Write the checkpoint copies a transaction queued once it commits (copies.install)."""
    checkpoint_copies.install(session_class)


def _kept_outside_failure(
    organisation: Organisation, kept: checkpoint_copies.Kept, result: VerifyResult, public: Ed25519PublicKey
) -> Failure | None:
    if kept.checkpoint.statement.organisation != organisation.slug:
        return Failure(
            None,
            "wrong_organisation",
            Message.of(
                "audit.copy.wrong_organisation",
                where=kept.where,
                found=kept.checkpoint.statement.organisation,
                expected=organisation.slug,
            ),
        )
    failure = outside_copies.compare(result, kept.checkpoint, public)
    if failure is None:
        return None
    return Failure(failure.seq, failure.kind, Message.of("audit.copy.failure", failure=failure.said, where=kept.where))


def _summary(result: VerifyResult, checkpoints: list[AuditCheckpoint]) -> Message:
    events = Message.of(
        "audit.verified.events_one" if result.size == 1 else "audit.verified.events", size=f"{result.size:,}"
    )
    if not checkpoints:
        signed = Message.of("audit.verified.first_checkpoint" if result.size else "audit.verified.no_checkpoint")
    elif len(checkpoints) == 1:
        only = checkpoints[0]
        signed = Message.of("audit.verified.one_checkpoint", size=f"{only.tree_size:,}", time=only.issued_at)
    else:
        last = checkpoints[-1]
        signed = Message.of(
            "audit.verified.checkpoints", num=len(checkpoints), size=f"{last.tree_size:,}", time=last.issued_at
        )
    return Message.of("audit.verified", events=events, signed=signed)


def verify_organisation(
    organisation: Organisation,
    *,
    commit: bool = True,
    record_event: bool = True,
    record: bool = True,
    public_key: Ed25519PublicKey | None = None,
    outside: outside_copies.OutsideCheckpoint | None = None,
    warnings: list[str] | None = None,
) -> tuple[VerifyResult, Failure | None]:
    """Verify the chain and every stored checkpoint; store the outcome (and audit it). Returns (result, first failure).

    The chain's own failure comes first (it names a seq), then checkpoint failures in the order the
    checkpoints were made, then a disagreement with the chain-head row, then with the `outside` checkpoint
    (a rollback or a fork, which the stored checkpoints cannot reveal: they roll back with the database),
    then with the newest checkpoint copy kept in the file store (copies.py), then edited or missing
    erasable values, then missing append-only triggers. With record=False nothing is written (no
    AuditVerification row, no event): for replicas and restored copies. `public_key` replaces the
    configured signing key's. An organisation without a checkpoint whose chain verifies gets its first
    one (unless record=False); what was said about it is appended to `warnings`.
    """
    public = public_key or signing_key().public_key()
    # The head is read before the events: everything it counts is committed, so the stream sees it too.
    head = db.session.execute(
        sa.select(AuditChainHead.seq, AuditChainHead.hash, AuditChainHead.frontier).where(
            AuditChainHead.organisation_id == organisation.id
        )
    ).first()
    checkpoints = list(
        db.session.scalars(
            sa.select(AuditCheckpoint)
            .where(AuditCheckpoint.organisation_id == organisation.id)
            .order_by(AuditCheckpoint.id)
        )
    )
    kept = checkpoint_copies.newest(organisation)
    sizes = [row.tree_size for row in checkpoints]
    if outside is not None:
        sizes.append(outside.statement.tree_size)
    sizes += [copy.checkpoint.statement.tree_size for copy in kept if isinstance(copy, checkpoint_copies.Kept)]
    joined, scan = _verify_in_ranges(organisation.id, head.seq if head is not None else 0, sizes)
    if joined is not None:
        result, *found = joined
    else:
        # Something is wrong (or a worker could not run): verify in one pass, which names the first failure.
        tally = _RefTally()
        result = _verify_stream(organisation.id, sizes=sizes, tally=tally)
        found = [tally.count, tally.total]
    failure = result.failure
    if failure is None:
        failure = next(_checkpoint_failures(organisation, checkpoints, result, public), None)
    if failure is None:
        failure = _head_failure(organisation.id, head, result)
    if failure is None and outside is not None:
        failure = outside_copies.compare(result, outside, public)
    for copy in kept:
        if failure is None:
            failure = copy if isinstance(copy, Failure) else _kept_outside_failure(organisation, copy, result, public)
    if failure is None:
        failure = _value_failure(organisation.id, result.size, (found[0], found[1]), scan)
    if failure is None:
        failure = _unguarded_failure()
    if not record:
        return result, failure
    said = [_summary(result, checkpoints) if failure is None else failure.said]
    if failure is None and outside is not None:
        statement = outside.statement
        said.append(Message.of("audit.verified.outside", size=f"{statement.tree_size:,}", time=statement.issued_at))
    stored = [copy for copy in kept if isinstance(copy, checkpoint_copies.Kept)]
    if failure is None and stored:
        newest = max(stored, key=lambda copy: copy.checkpoint.statement.tree_size).checkpoint.statement
        said.append(Message.of("audit.verified.copy", size=f"{newest.tree_size:,}", time=newest.issued_at))
    db.session.add(
        AuditVerification.of(organisation_id=organisation.id, ok=failure is None, events_checked=result.size, said=said)
    )
    if record_event:
        details: dict[str, Any] = {"ok": failure is None, "events_checked": result.size}
        if failure is not None:
            details.update(failure_kind=failure.kind, failure_seq=failure.seq)
        capture.record(db.session, "audit.verified", organisation.id, "organisation", organisation.id, **details)
    if commit:
        db.session.commit()
    if failure is None and not checkpoints and result.size:
        said = "no checkpoint: truncation cannot be detected before now (cutting the chain's end would leave no trace)"
        try:
            row = make_checkpoint(organisation, commit=commit)
        except AuditIntegrityError as error:
            said += f"; no checkpoint could be made: {error}"
        else:
            said += f"; made checkpoint #1 of {row.tree_size} events, so from now on it can be."
        if warnings is not None:
            warnings.append(said)
    return result, failure


# --- inclusion proofs -----------------------------------------------------------------------------


def _proof_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges whose subtree roots form RFC 9162 PATH(index, D[size]), innermost first."""
    start, end = 0, size
    outer_first = []
    while end - start > 1:
        half = 1 << ((end - start - 1).bit_length() - 1)
        if index < start + half:
            outer_first.append((start + half, end))
            end = start + half
        else:
            outer_first.append((start, start + half))
            start += half
    return outer_first[::-1]


def _leaves(organisation_id: int, size: int) -> Iterator[bytes]:
    """Stored event hashes 1..size as bytes, refusing a gap (the proof would be for some other tree)."""
    expected = 1
    with _rows((AuditEvent.seq, AuditEvent.hash), organisation_id, size) as rows:
        for seq, digest in rows:
            if seq != expected:
                raise AuditIntegrityError(Failure(expected, "gap", Message.of("audit.proof.gap", seq=expected)))
            yield bytes.fromhex(digest)
            expected += 1
    if expected != size + 1:
        raise AuditIntegrityError(
            Failure(expected, "truncated", Message.of("audit.proof.truncated", last=expected - 1, size=size))
        )


def streamed_inclusion_proof(leaves: Iterable[bytes], index: int, size: int) -> tuple[bytes, list[bytes]]:
    """(leaf, RFC 9162 inclusion proof) for leaf `index` of `size` leaves read once, in O(log n) memory."""
    ranges = _proof_ranges(index, size)
    roots: list[bytes] = [b""] * len(ranges)
    source = iter(leaves)
    leaf: bytes | None = None
    position = 0
    for slot in sorted(range(len(ranges)), key=lambda i: ranges[i][0]):
        start, end = ranges[slot]
        if position < start:  # the one leaf no range covers: the proven leaf itself
            leaf = next(source)
            position += 1
        tree = ledger.StreamingMerkle()
        remaining = end - start
        while remaining:
            chunk = list(islice(source, min(remaining, 1024)))
            if not chunk:
                raise ValueError(f"fewer than {size} leaves")
            tree.extend(chunk)
            remaining -= len(chunk)
        roots[slot] = tree.root()
        position = end
    if leaf is None:
        leaf = next(source)
    for _ in source:  # drain, so a generator's own checks (and cleanup) run
        pass
    return leaf, roots


def _runs(indexes: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted indexes as inclusive (first, last) runs, so a few BETWEENs fetch them all."""
    runs: list[tuple[int, int]] = []
    for index in sorted(indexes):
        if runs and index == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _proof_material(
    organisation: Organisation, keys: Iterable[tuple[int, int]], runs: list[tuple[int, int]]
) -> tuple[dict[tuple[int, int], bytes], dict[int, bytes]]:
    """Stored subtree roots by (level, position) and event hashes by leaf index (seq - 1) for inclusive seq
    runs, in one statement: a UNION ALL of node primary-key look-ups and event range scans, events marked by
    level -1. Asked even when nothing is needed, so a page's statements never depend on the chain's length."""
    nodes = AuditMerkleNode.__table__
    selects: list[sa.Select[Any]] = [
        sa.select(nodes.c.level, nodes.c.position, nodes.c.hash).where(
            nodes.c.organisation_id == organisation.id, nodes.c.level == level, nodes.c.position == position
        )
        for level, position in sorted(keys)
    ]
    selects += [
        sa.select(sa.literal(-1, sa.Integer), AuditEvent.seq - 1, AuditEvent.hash).where(
            AuditEvent.organisation_id == organisation.id, AuditEvent.seq.between(low, high)
        )
        for low, high in runs
    ]
    if not selects:
        selects = [sa.select(nodes.c.level, nodes.c.position, nodes.c.hash).where(sa.false())]
    found_nodes: dict[tuple[int, int], bytes] = {}
    found_leaves: dict[int, bytes] = {}
    # SQLite refuses a compound SELECT of more than 500 terms: many cited events spread along a long chain
    # (a portfolio) take one more statement per UNION_TERMS look-ups.
    for start in range(0, len(selects), UNION_TERMS):
        part = selects[start : start + UNION_TERMS]
        for level, position, digest in db.session.execute(part[0] if len(part) == 1 else sa.union_all(*part)):
            if level < 0:
                found_leaves[position] = bytes.fromhex(digest)
            else:
                found_nodes[(level, position)] = bytes.fromhex(digest)
    return found_nodes, found_leaves


def proofs_from_state(
    organisation: Organisation, seqs: Iterable[int], size: int, known: Mapping[int, bytes] | None = None
) -> dict[int, list[bytes]]:
    """RFC 9162 inclusion proofs of events `seqs` in the tree of events 1..size, from the stored Merkle
    state: one statement and O(log n + 2**NODE_LEVEL) hashing per event, however long the chain.
    `known` maps leaf indexes (seq - 1) to event hashes the caller already holds, which are not read again.

    Not checked here: callers verify each proof against the signed root they pair it with.
    """
    wanted = sorted(set(seqs))
    if not wanted:
        return {}
    if not 1 <= wanted[0] <= wanted[-1] <= size:
        raise ValueError(f"events must lie within 1 to {size}")
    known = known or {}
    node_keys: set[tuple[int, int]] = set()
    leaf_indexes: set[int] = set()
    for seq in wanted:
        nodes, leaves = ledger.needed_for_proof(seq - 1, size)
        node_keys |= nodes
        leaf_indexes |= leaves
    to_read = leaf_indexes - known.keys()
    nodes_found, leaves_found = _proof_material(
        organisation, node_keys, [(first + 1, last + 1) for first, last in _runs(to_read)]
    )
    leaves_found.update((index, known[index]) for index in leaf_indexes & known.keys())
    missing = len(node_keys - nodes_found.keys()) + len(leaf_indexes - leaves_found.keys())
    if missing:
        raise AuditIntegrityError(Failure(None, "truncated", Message.of("audit.proof.hashes_missing", num=missing)))
    perfect = ledger.perfect_from(nodes_found, leaves_found)
    return {seq: ledger.proof_from_state(seq - 1, size, perfect) for seq in wanted}


def _checked_proofs(
    organisation: Organisation,
    seqs: Iterable[int],
    statement: ledger.Checkpoint,
    leaves: Mapping[int, str] | None = None,
) -> dict[int, tuple[str, list[str]]]:
    """seq -> (leaf hash hex, proof as hex) for each event, each checked against the checkpoint's root.
    `leaves` (seq -> stored hash) are the events' hashes when the caller has read them already."""
    root = bytes.fromhex(statement.root_hash)
    wanted = sorted(set(seqs))
    if leaves is None:
        leaves = dict(
            db.session.execute(
                sa.select(AuditEvent.seq, AuditEvent.hash).where(
                    AuditEvent.organisation_id == organisation.id, AuditEvent.seq.in_(wanted)
                )
            ).all()
        )
    known = {seq - 1: bytes.fromhex(digest) for seq, digest in leaves.items()}
    checked = {}
    for seq, proof in proofs_from_state(organisation, wanted, statement.tree_size, known).items():
        leaf = leaves.get(seq)
        if leaf is None or not ledger.verify_inclusion(bytes.fromhex(leaf), seq - 1, statement.tree_size, proof, root):
            raise AuditIntegrityError(
                Failure(
                    seq,
                    "root_mismatch",
                    Message.of("audit.proof.rewritten", time=statement.issued_at),
                )
            )
        checked[seq] = (leaf, [node.hex() for node in proof])
    return checked


def inclusion_proof(organisation: Organisation, seq: int, checkpoint: AuditCheckpoint) -> list[str]:
    """Hex RFC 9162 inclusion proof of event `seq` in the tree signed by `checkpoint` (leaf index seq - 1).

    Made from the stored Merkle state, not the whole chain; raises AuditIntegrityError if the stored
    hashes no longer reproduce the checkpoint's root, and ValueError if the checkpoint does not cover it.
    """
    statement = checkpoint_record(organisation, checkpoint)
    if not 1 <= seq <= statement.tree_size:
        raise ValueError(f"event {seq} is not covered by the checkpoint of events 1 to {statement.tree_size}")
    return _checked_proofs(organisation, [seq], statement)[seq][1]


def covering_checkpoint(organisation: Organisation, size: int, *, commit: bool = True) -> AuditCheckpoint:
    """The latest checkpoint if it covers events 1..size, else a new one signed from the stored state.

    A report only needs its cited events covered, so most downloads reuse a checkpoint. A new one costs
    O(log n) (sign_from_state), not a pass over the whole chain: `flask audit verify` is what re-reads it.
    """
    latest = latest_checkpoint(organisation)
    if latest is not None and latest.tree_size >= size:
        return latest
    return sign_from_state(organisation, commit=commit)


def sign_from_state(organisation: Organisation, *, commit: bool = True) -> AuditCheckpoint:
    """Sign the chain as it stands from its stored Merkle frontier, in O(log n), and audit the checkpoint.

    Checks first, under the chain-head lock: the head's hash is the stored last event's, and the stored
    state still reproduces the previous checkpoint's root (so history it signed cannot be re-signed
    rewritten). Events after the previous checkpoint are anchored by nothing yet, so re-reading them
    would add no protection against someone able to rewrite them all; `flask audit verify` checks every
    event and every checkpoint against the events themselves.
    """
    key = signing_key()
    connection = db.session.connection()
    size, head_hash, stored = capture._lock_head(connection, organisation.id)
    frontier = (
        capture.rebuild_merkle_state(connection, organisation.id, size)
        if stored is None and size
        else ledger.Frontier.decode(size, stored or "")
    )
    if frontier is None:
        raise AuditIntegrityError(Failure(None, "gap", Message.of("audit.head.numbering")))
    previous = latest_checkpoint(organisation)
    if previous is not None and previous.tree_size >= size:
        if commit:
            db.session.commit()
        return previous
    if size:
        last = db.session.scalar(
            sa.select(AuditEvent.hash).where(AuditEvent.organisation_id == organisation.id, AuditEvent.seq == size)
        )
        if last != head_hash:
            raise AuditIntegrityError(Failure(size, "head_mismatch", Message.of("audit.head.not_last", seq=size)))
    if previous is not None and previous.tree_size:
        old = _range_root(organisation, previous.tree_size)
        if old.hex() != previous.root_hash:
            raise AuditIntegrityError(
                Failure(
                    None,
                    "root_mismatch",
                    Message.of("audit.checkpoint.previous_rewritten", size=previous.tree_size, time=previous.issued_at),
                )
            )
    return _store_checkpoint(organisation, key, size, frontier.root().hex(), commit=commit)


def _range_root(organisation: Organisation, size: int) -> bytes:
    """Root of the tree of events 1..size from stored nodes and at most 2**NODE_LEVEL event hashes."""
    pieces = ledger.perfect_pieces(0, size)
    node_keys = {(level, pos) for level, pos in pieces if level >= ledger.NODE_LEVEL}
    leaf_indexes = {
        index for level, pos in pieces if level < ledger.NODE_LEVEL for index in range(pos << level, (pos + 1) << level)
    }
    runs = [(min(leaf_indexes) + 1, max(leaf_indexes) + 1)] if leaf_indexes else []
    nodes, leaves = _proof_material(organisation, node_keys, runs)
    try:
        return ledger.range_root(0, size, ledger.perfect_from(nodes, leaves))
    except KeyError as error:
        raise AuditIntegrityError(Failure(None, "truncated", Message.of("audit.checkpoint.hashes_missing"))) from error


def _store_checkpoint(
    organisation: Organisation, key: Ed25519PrivateKey, size: int, root: str, *, commit: bool
) -> AuditCheckpoint:
    statement = ledger.Checkpoint(organisation.slug, size, root, ledger.utc_now_iso())
    row = AuditCheckpoint(
        organisation_id=organisation.id,
        tree_size=statement.tree_size,
        root_hash=statement.root_hash,
        issued_at=statement.issued_at,
        signature=ledger.sign_checkpoint(key, statement),
        key_id=ledger.public_key_id(key),
    )
    db.session.add(row)
    db.session.flush()
    checkpoint_copies.queue(db.session, organisation, statement, row.signature, row.key_id)
    capture.record(
        db.session,
        "audit.checkpoint_made",
        organisation.id,
        "audit_checkpoint",
        row.id,
        tree_size=row.tree_size,
        root_hash=row.root_hash,
        key_id=row.key_id,
    )
    if commit:
        db.session.commit()
    return row


# --- export ------------------------------------------------------------------------------------------


def _whole_bundle(
    organisation: Organisation,
    statement: ledger.Checkpoint,
    signature: str,
    key: Ed25519PrivateKey,
    files: Mapping[str, str] | None,
    report_sha256: str | None,
) -> dict[str, Any]:
    """The whole chain up to the checkpoint (an export for a full offline audit): reads every event."""
    with _rows(_event_columns(), organisation.id, statement.tree_size) as rows:
        events = (ledger.EventRecord(*row) for row in rows)
        try:
            return build_bundle(
                organisation.slug,
                events,
                statement,
                signature,
                key.public_key(),
                None,
                files=files,
                report_sha256=report_sha256,
            )
        except ValueError as error:
            raise AuditIntegrityError(
                Failure(None, "root_mismatch", Message.of("audit.export.refused", error=str(error)))
            ) from error


def _check_hashes(events: Iterable[ledger.EventRecord]) -> None:
    """Refuse to export an event that no longer hashes to its stored value."""
    for event in events:
        if ledger.event_hash(bytes.fromhex(event.prev_hash), event.payload).hex() != event.hash:
            raise AuditIntegrityError(
                Failure(event.seq, "hash_mismatch", Message.of("audit.export.altered", seq=event.seq))
            )


def _cited_bundle(
    organisation: Organisation,
    cited: list[int],
    statement: ledger.Checkpoint,
    signature: str,
    key: Ed25519PrivateKey,
    files: Mapping[str, str] | None,
    report_sha256: str | None,
) -> dict[str, Any]:
    """The cited events with inclusion proofs from the stored Merkle state: its cost depends on the
    number of cited events and log(chain length), not on the chain. Each event is checked to hash to
    its stored value and each proof against the signed root before anything leaves."""
    events = [
        ledger.EventRecord(seq, prev_hash, digest, payload.encode("utf-8"))
        for seq, prev_hash, digest, payload in db.session.execute(
            sa.select(AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash, AuditEvent.payload)
            .where(AuditEvent.organisation_id == organisation.id, AuditEvent.seq.in_(cited))
            .order_by(AuditEvent.seq)
        )
    ]
    _check_hashes(events)
    if [event.seq for event in events] != cited:
        raise AuditIntegrityError(Failure(None, "gap", Message.of("audit.export.missing")))
    proofs = _checked_proofs(organisation, cited, statement, {event.seq: event.hash for event in events})
    return assemble_bundle(
        organisation.slug,
        events,
        [{"seq": seq, "leaf_hash": leaf, "proof": proof} for seq, (leaf, proof) in sorted(proofs.items())],
        statement,
        signature,
        key.public_key(),
        files=files,
        report_sha256=report_sha256,
    )


def export_bundle(
    organisation: Organisation,
    cited_seqs: list[int] | None,
    checkpoint: AuditCheckpoint | None = None,
    files: Mapping[str, str] | None = None,
    report_sha256: str | None = None,
    *,
    commit: bool = True,
) -> dict[str, Any]:
    """A `copro-audit-bundle/1` dict that `python -m copro_tracker.audit.verify` checks offline.

    `cited_seqs` None carries the whole chain up to the checkpoint; a list carries those events with
    inclusion proofs. Without `checkpoint`, the latest one is used if it covers what is needed (the
    cited events, or the whole current chain), else a new one is made. `files` maps attached file
    names to SHA-256 hex. The export itself is audited (`audit.bundle_exported`).
    """
    cited = sorted(set(cited_seqs)) if cited_seqs is not None else None
    if checkpoint is None:
        needed = (cited[-1] if cited else 0) if cited is not None else chain_size(organisation)
        checkpoint = covering_checkpoint(organisation, needed, commit=commit)
    statement = checkpoint_record(organisation, checkpoint)
    if cited and not 1 <= cited[0] <= cited[-1] <= statement.tree_size:
        raise ValueError(f"cited events must lie within 1 to {statement.tree_size}, the events the checkpoint covers")
    key = signing_key()
    if ledger.public_key_id(key) != checkpoint.key_id:
        raise AuditKeyError(
            f"The checkpoint was signed with key {checkpoint.key_id[:16]}…, which is not the configured key; "
            "make a new checkpoint to export against."
        )
    if cited is not None:
        bundle = _cited_bundle(organisation, cited, statement, checkpoint.signature, key, files, report_sha256)
    else:
        bundle = _whole_bundle(organisation, statement, checkpoint.signature, key, files, report_sha256)
    details: dict[str, Any] = {
        "checkpoint_id": checkpoint.id,
        "tree_size": statement.tree_size,
        "events": len(bundle["events"]),
        "cited": cited is not None,
    }
    if report_sha256 is not None:
        details["report_sha256"] = report_sha256
    capture.record(db.session, "audit.bundle_exported", organisation.id, "audit_checkpoint", checkpoint.id, **details)
    if commit:
        db.session.commit()
    return bundle


def report_bundle(
    organisation: Organisation,
    events: Sequence[ledger.EventRecord],
    statement: ledger.Checkpoint,
    signature: str,
    key_id: str,
    report_sha256: str,
    files: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """An evidence report's bundle: the events it cites (already read by the caller, in seq order, all within
    the checkpoint), their inclusion proofs from the stored Merkle state (one statement), and a report
    statement signing `report_sha256` together with the checkpoint (ledger.ReportStatement).

    The signed statement, not an event inside the checkpoint, ties the report's data to the signed log, so a
    download reuses any checkpoint that covers what it cites instead of signing one per download. Writes
    nothing: the caller records the disclosure (report.generated) in its own transaction, where the next
    checkpoint covers it. Each event is checked to hash to its stored value and each proof against the signed
    root before anything leaves.
    """
    seqs = [event.seq for event in events]
    if seqs and not 1 <= seqs[0] <= seqs[-1] <= statement.tree_size:
        raise ValueError(f"cited events must lie within 1 to {statement.tree_size}, the events the checkpoint covers")
    key = signing_key()
    if ledger.public_key_id(key) != key_id:
        raise AuditKeyError(
            f"The checkpoint was signed with key {key_id[:16]}…, which is not the configured key; "
            "make a new checkpoint to export against."
        )
    _check_hashes(events)
    proofs = _checked_proofs(organisation, seqs, statement, {event.seq: event.hash for event in events})
    signed = ledger.ReportStatement(
        organisation.slug, report_sha256, statement.tree_size, statement.root_hash, ledger.utc_now_iso()
    )
    return assemble_bundle(
        organisation.slug,
        events,
        [{"seq": seq, "leaf_hash": leaf, "proof": proof} for seq, (leaf, proof) in sorted(proofs.items())],
        statement,
        signature,
        key.public_key(),
        files=files,
        report_sha256=report_sha256,
        report_statement={**signed.to_dict(), "signature": ledger.sign_statement(key, signed)},
    )


# --- right to erasure --------------------------------------------------------------------------------


def value_refs(organisation: Organisation, entity_type: str, entity_id: int) -> set[str]:
    """References to erasable values in the changes recorded for one record (e.g. ("user", person.id))."""
    payloads = db.session.scalars(
        sa.select(AuditEvent.payload).where(
            AuditEvent.organisation_id == organisation.id,
            AuditEvent.entity_type == entity_type,
            AuditEvent.entity_id == entity_id,
        )
    )
    refs: set[str] = set()
    for payload in payloads:
        for change in json.loads(payload).get("changes", {}).values():
            for side in ("before", "after"):
                value = change.get(side) if isinstance(change, dict) else None
                if isinstance(value, dict) and isinstance(value.get("ref"), str):
                    refs.add(value["ref"])
    return refs


def erase_values(organisation: Organisation, refs: Iterable[str], *, commit: bool = True) -> int:
    """Erase values (and their salts) from `audit_value`; the hashed chain is untouched and still verifies.

    Without the salt a reference cannot be tested against guesses, so the history keeps only "a value
    was here". Returns how many values were erased; the erasure is audited with the count only.
    """
    wanted = sorted(set(refs))
    if not wanted:
        return 0
    erased = db.session.execute(
        sa.update(AuditValue)
        .where(AuditValue.organisation_id == organisation.id, AuditValue.ref.in_(wanted))
        .where(AuditValue.erased_at.is_(None))
        .values(value=None, salt=None, erased_at=utcnow())
    ).rowcount
    capture.record(db.session, "audit.values_erased", organisation.id, "organisation", organisation.id, count=erased)
    if commit:
        db.session.commit()
    return erased
