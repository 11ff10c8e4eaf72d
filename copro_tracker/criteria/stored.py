"""Each initiative's automatic findings, computed once per change and read by every page (issue 11).

The coverage matrix, the portfolio and the criteria page used to load every initiative's facts and run
51 criteria over them on every view. Now the findings live in ``stored_finding`` (models/finding.py),
one row per initiative and criterion, and pages read that small table.

When a row is recomputed:

- **After the write that changes it.** ``install`` hooks the session: ``after_flush`` notes every
  initiative whose records a flush touched (the tables ``facts.load_many`` reads), and ``before_commit``
  deletes those initiatives' rows with one Core statement on the same connection, so the change and the
  invalidation commit, or roll back, together; a job queued for after the commit (``criteria/jobs.py``)
  then works them out again. A session hook rather than a call in each service: nothing that commits
  through the ORM can forget it, the same reason the audit capture lives in the session
  (audit/capture.py). Changes to a person (name, needs, language) or to the organisation's nation reach
  every initiative they appear in. Working the findings out in the write itself cost three quarters of an
  audited write's time, inside the stage and chain locks (bench/RESULTS.md, "New activity over HTTP").
- **On read, when a row is missing or its key does not match.** Each row carries ``computed_for`` (the
  day the rules took as today: a review becomes overdue without any record changing) and ``key`` (a
  digest of the framework's version, the criterion's checks and the rules' own code). A missing row (a
  write invalidated it and its job has not run yet, data loaded in bulk, a new criterion), or one of
  another day or key, is recomputed and stored before it is shown, so a page never shows a stale
  finding. A read that stored rows commits them after its response is made.

No stale row can be stored by a recompute racing a write: on PostgreSQL, working out an initiative's
findings and invalidating them take the same transaction-scoped advisory lock, so a recompute either
finishes before the write's invalidation (which then deletes what it stored) or starts after the write
committed (and reads it). On SQLite there is one writer at a time, and a transaction that read before
another committed cannot write at all.

Findings "as at" a past date (reports) are evaluated directly; only today's are stored.

Each recompute also stores the initiative's participation figures for the portfolio from the same facts
(reports/stored_summary.py), so they are exactly as current as the findings.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context, has_request_context
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..codes import FindingStatus
from ..domain.messages import decode_value, encode_value
from ..extensions import db
from ..jobs import after_commit
from ..models import Activity, Attendance, Initiative, Membership, StoredFinding
from . import facts as facts_loader
from . import rules
from .framework import Criterion, Framework, Library
from .rules import EvidenceRef, Finding, Reason
from .snapshot import InitiativeFacts

TOUCHED_KEY = "stored_findings_touched"
MEMO_KEY = "stored_findings_read"
WROTE_KEY = "stored_findings_written"
# Tables whose rows feed InitiativeFacts (criteria/facts.py): a change to any of them changes findings.
RECORD_TABLES = frozenset(
    {
        "initiative",
        "membership",
        "stage",
        "sign_off",
        "activity",
        "attendance",
        "decision",
        "decision_position",
        "recommendation",
        "output",
        "evidence",
        "reciprocity_entry",
        # Not read by the rules, but kept with the portfolio's figures and the report snapshot
        # (reports/stored_summary.py), which are stored by the same recompute.
        "assessment",
    }
)
# Of a person and an organisation, only what facts.load_many reads (signing in changes a user row too).
USER_COLUMNS = frozenset(
    {
        "display_name",
        "partner_kind",
        "communication_needs",
        "communication_needs_other",
        "needs_recorded",
        "preferred_language",
        "role",
    }
)
ORGANISATION_COLUMNS = frozenset({"nation"})
_TABLE = StoredFinding.__table__
# Findings are immutable values: a status-only read (coverage, thousands of cells) shares one per status.
_STATUS_ONLY = {status.value: Finding(status) for status in FindingStatus}


def today() -> date:
    """The day the rules take as today; tests move it (monkeypatch) to see a review fall overdue."""
    return date.today()


# ---------------------------------------------------------------------------------------------------
# Keys: what a finding depends on besides the records and the day


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the rules' code and what it reads: a deploy that changes how findings are worked out
    makes every stored one stale without anyone having to remember to clear them."""
    here = Path(__file__).resolve().parent
    package = here.parent
    paths = sorted(here.glob("rules*.py")) + sorted(here.glob("rules/**/*.py"))
    paths += [here / "snapshot.py", here / "facts.py", package / "codes.py", *sorted(package.glob("domain/*.py"))]
    digest = hashlib.sha256()
    for path in paths:
        if path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def code_digest() -> str:
    """The digest of the rules' and facts' code, for other values derived from the same facts."""
    return _code_digest()


def _canonical(value: Any) -> Any:
    """A stable, process-independent form of a criterion's definition (sets are sorted, not hashed)."""
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, [[f.name, _canonical(getattr(value, f.name))] for f in fields(value)]]
    if isinstance(value, set | frozenset):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return sorted([str(k), _canonical(v)] for k, v in value.items())
    return repr(value)


def criterion_key(framework: Framework, criterion: Criterion) -> str:
    text = repr(
        (
            _code_digest(),
            framework.id,
            framework.version,
            _canonical(criterion.checks),
            _canonical(criterion.applies_to),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def expected_keys(library: Library, nation: str) -> dict[str, tuple[Framework, Criterion, str]]:
    """Every criterion that applies to ``nation``, in page order, with its framework and current key."""
    return _expected_keys(library, str(getattr(nation, "value", nation)))


_KEYS: dict[tuple[int, str], dict[str, tuple[Framework, Criterion, str]]] = {}


def _expected_keys(library: Library, nation: str) -> dict[str, tuple[Framework, Criterion, str]]:
    # The library is loaded once per app and never changes, so the keys are worked out once per nation.
    cache_key = (id(library), nation)
    if cache_key not in _KEYS:
        _KEYS[cache_key] = {c.id: (f, c, criterion_key(f, c)) for f in library.checked_for(nation) for c in f.criteria}
    return _KEYS[cache_key]


# ---------------------------------------------------------------------------------------------------
# Reasons as JSON: the English sentence, the message id and parameters when the rule gives them, and
# the records each names (with the label the rule chose, so a stored reason reads exactly as a fresh one).


def encode_reasons(finding: Finding) -> list[dict[str, Any]]:
    out = []
    for reason in finding.reasons:
        item: dict[str, Any] = {"text": reason.text, "refs": [[r.kind, r.id, r.label] for r in reason.refs]}
        if reason.message is not None:
            item["message"] = encode_value(reason.message)
        out.append(item)
    return out


def decode_reasons(stored: Iterable[Mapping[str, Any]]) -> tuple[Reason, ...]:
    return tuple(
        Reason(
            item["text"],
            tuple(EvidenceRef(kind, ident, label) for kind, ident, label in item["refs"]),
            decode_value(item["message"]) if "message" in item else None,
        )
        for item in stored
    )


@lru_cache(maxsize=256)
def _decoded_reasons(text: str) -> tuple[Reason, ...]:
    """A stored row's reasons, decoded once per worker for as long as the row keeps the same text: decoding
    (JSON, then the message objects) was a fifth of the criteria page's CPU, and the same initiative's rows
    are read by every view of its criteria page and report until a change rewrites them. Keyed by the text
    itself, so a rewritten row can never be answered from the cache; the result is immutable (frozen
    dataclasses in tuples), so requests can share it. 256 rows: about five initiatives' worth."""
    return decode_reasons(json.loads(text))


# ---------------------------------------------------------------------------------------------------
# Computing and storing


def _upsert(connection: sa.Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_TABLE)
    replace = {name: stmt.excluded[name] for name in rows[0] if name not in ("initiative_id", "criterion_id")}
    connection.execute(stmt.on_conflict_do_update(index_elements=["initiative_id", "criterion_id"], set_=replace), rows)


# The advisory-lock class (the first key of pg_advisory_xact_lock's pair) for "an initiative's findings".
_LOCK_CLASS = 0x51F1


def lock(initiative_ids: Iterable[int]) -> None:
    """The findings lock, for other values worked out from the same facts (reports/stored_summary.py)."""
    _lock(initiative_ids)


def _lock(initiative_ids: Iterable[int]) -> None:
    """Hold the initiatives' findings lock until this transaction ends (PostgreSQL; see the module docstring).

    One statement, taking the locks in id order so that two transactions never wait for each other."""
    connection = db.session.connection()
    ids = sorted(set(initiative_ids))
    if connection.dialect.name != "postgresql" or not ids:
        return
    connection.execute(
        sa.text(
            "SELECT count(pg_advisory_xact_lock(:lock_class, i)) FROM (SELECT unnest(CAST(:ids AS integer[])) AS i "
            "ORDER BY 1) AS ids"
        ),
        {"lock_class": _LOCK_CLASS, "ids": ids},
    )


def compute(
    initiative_ids: list[int],
    organisation_id: int,
    library: Library,
    *,
    on: date | None = None,
    snapshots: Mapping[int, InitiativeFacts] | None = None,
) -> dict[int, dict[str, Finding]]:
    """Evaluate and store today's findings for these initiatives (one organisation); return them.

    The rows are written on the session's connection, inside its transaction: the caller's commit
    keeps them (the write hook, or ``commit_after_read`` for a page).
    """
    if not initiative_ids:
        return {}
    _forget_reads()
    on = on or today()
    # Before the facts are read, so that no write can invalidate them between the reading and the storing.
    _lock(initiative_ids)
    if snapshots is None:
        snapshots = facts_loader.load_many(sorted(set(initiative_ids)), organisation_id, on)
    results: dict[int, dict[str, Finding]] = {}
    rows: list[dict[str, Any]] = []
    for initiative_id in sorted(snapshots):
        facts = snapshots[initiative_id]
        expected = expected_keys(library, facts.initiative.nation)
        criteria = [criterion for _, criterion, _ in expected.values()]
        findings = dict(zip(expected, rules.evaluate_all(criteria, facts), strict=True))
        results[initiative_id] = findings
        for criterion_id, (framework, _, key) in expected.items():
            finding = findings[criterion_id]
            rows.append(
                {
                    "initiative_id": initiative_id,
                    "criterion_id": criterion_id,
                    "organisation_id": organisation_id,
                    "framework_id": framework.id,
                    "framework_version": framework.version,
                    "key": key,
                    "computed_for": on,
                    "status": finding.status.value,
                    "reasons": encode_reasons(finding),
                }
            )
    # Sorted by primary key, so two transactions storing the same initiatives lock rows in the same order.
    _upsert(db.session.connection(), rows)
    # The portfolio's participation figures come from the same facts, so they are stored here too, in the same
    # transaction. Imported here, not at the top: the reports package builds on this one.
    from ..reports import stored_summary

    stored_summary.store(snapshots, organisation_id, on)
    return results


def read(
    initiative_ids: Iterable[int],
    organisation_id: int,
    library: Library,
    nation: str,
    *,
    reasons: bool = True,
    snapshots: Mapping[int, InitiativeFacts] | None = None,
) -> dict[int, dict[str, Finding]]:
    """Today's finding of every criterion for each initiative, from the stored rows; stale ones recomputed.

    One query when every row is current. ``reasons=False`` reads statuses only (the coverage matrix):
    the findings then carry no reasons, unless they had to be recomputed. A caller that has already
    loaded today's facts (a report) passes them as ``snapshots``, so a recompute does not load them again.
    """
    ids = sorted(set(initiative_ids))
    if not ids:
        return {}
    on = today()
    # A report page reads the same findings twice (its criteria summary, then the report): once per request.
    memo = g.setdefault(MEMO_KEY, {}) if has_request_context() else None
    memo_key = (organisation_id, tuple(ids), reasons, on, nation)
    if memo is not None and memo_key in memo:
        return memo[memo_key]
    result = _read(ids, organisation_id, library, nation, on, reasons=reasons, snapshots=snapshots)
    if memo is not None:
        memo[memo_key] = result
    return result


def _read(
    ids: list[int],
    organisation_id: int,
    library: Library,
    nation: str,
    on: date,
    *,
    reasons: bool,
    snapshots: Mapping[int, InitiativeFacts] | None,
) -> dict[int, dict[str, Finding]]:
    expected = expected_keys(library, nation)
    columns = [_TABLE.c.initiative_id, _TABLE.c.criterion_id, _TABLE.c.key, _TABLE.c.computed_for, _TABLE.c.status]
    if reasons:
        # As the stored text: decoded through _decoded_reasons, which keeps what it decoded by that text.
        columns.append(sa.cast(_TABLE.c.reasons, sa.Text).label("reasons"))
    stored: dict[int, dict[str, Finding]] = defaultdict(dict)
    stale: set[int] = set()
    for row in db.session.execute(
        sa.select(*columns).where(_TABLE.c.organisation_id == organisation_id, _TABLE.c.initiative_id.in_(ids))
    ):
        want = expected.get(row.criterion_id)
        if want is None:
            continue  # a criterion no longer in the library (or not for this nation): ignored
        if row.key != want[2] or row.computed_for != on:
            stale.add(row.initiative_id)
            continue
        if not reasons:
            stored[row.initiative_id][row.criterion_id] = _STATUS_ONLY[row.status]
            continue
        try:
            found = _decoded_reasons(row.reasons)
        except (KeyError, TypeError, ValueError):
            stale.add(row.initiative_id)  # written by an older format: recompute rather than guess
            continue
        stored[row.initiative_id][row.criterion_id] = Finding(FindingStatus(row.status), found)
    stale.update(i for i in ids if len(stored.get(i, ())) != len(expected))
    result = {i: stored[i] for i in ids if i not in stale}
    if stale:
        given = {i: snapshots[i] for i in stale if i in snapshots} if snapshots is not None else {}
        reuse = given if len(given) == len(stale) else None
        fresh = compute(sorted(stale), organisation_id, library, on=on, snapshots=reuse)
        result.update(fresh)
        db.session.info[WROTE_KEY] = True
    return result


def commit_after_read(response: Any) -> Any:
    """Keep findings a page had to recompute: committed once the page is made, so nothing it showed is
    expired and reloaded. A failure here (another request stored the same rows) loses nothing."""
    session = db.session
    if session.info.pop(WROTE_KEY, False):
        try:
            session.commit()
        except sa.exc.SQLAlchemyError:
            session.rollback()
    return response


# ---------------------------------------------------------------------------------------------------
# The write hook


def _changed(obj: Any, columns: frozenset[str]) -> bool:
    state = sa.inspect(obj)
    return any(key in state.attrs and state.attrs[key].history.has_changes() for key in columns)


def _forget_reads() -> None:
    if has_request_context():
        g.pop(MEMO_KEY, None)


def _note(session: Session, flush_context: Any) -> None:
    _forget_reads()  # a flush may change what a read in this request saw
    touched = session.info.setdefault(TOUCHED_KEY, {"initiatives": set(), "users": set(), "organisations": set()})
    for kind, objects in (("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted)):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table in RECORD_TABLES:
                initiative_id = obj.id if table == "initiative" else _initiative_of(obj)
                organisation_id = getattr(obj, "organisation_id", None)
                if initiative_id is not None and organisation_id is not None:
                    touched["initiatives"].add((organisation_id, initiative_id))
            elif table == "user_account" and kind != "new" and _changed(obj, USER_COLUMNS):
                touched["users"].add(obj.id)
            elif table == "organisation" and kind == "dirty" and _changed(obj, ORGANISATION_COLUMNS):
                touched["organisations"].add(obj.id)


def _initiative_of(obj: Any) -> int | None:
    # The same answer the audit capture records for the row's event (models define audit_initiative_id).
    if hasattr(obj, "audit_initiative_id"):
        return obj.audit_initiative_id
    return getattr(obj, "initiative_id", None)


def _resolve(session: Session, touched: dict[str, set]) -> dict[int, set[int]]:
    by_org: dict[int, set[int]] = defaultdict(set)
    for organisation_id, initiative_id in touched["initiatives"]:
        by_org[organisation_id].add(initiative_id)
    if touched["users"]:
        users = sorted(touched["users"])
        member_of = sa.select(Membership.organisation_id, Membership.initiative_id).where(Membership.user_id.in_(users))
        attended = (
            sa.select(Activity.organisation_id, Activity.initiative_id)
            .join(Attendance, Attendance.activity_id == Activity.id)
            .where(Attendance.user_id.in_(users))
        )
        for organisation_id, initiative_id in session.execute(sa.union(member_of, attended)):
            by_org[organisation_id].add(initiative_id)
    if touched["organisations"]:
        for organisation_id, initiative_id in session.execute(
            sa.select(Initiative.organisation_id, Initiative.id).where(
                Initiative.organisation_id.in_(sorted(touched["organisations"]))
            )
        ):
            by_org[organisation_id].add(initiative_id)
    return by_org


def _recompute_touched(session: Session) -> None:
    if not has_app_context() or session is not db.session():
        return
    # The last changes of the transaction, so they are noted: this hook runs before the audit capture's,
    # which used to flush them first.
    session.flush()
    if TOUCHED_KEY not in session.info:
        return
    touched = session.info.pop(TOUCHED_KEY, None)
    if not touched or not any(touched.values()):
        return
    if current_app.extensions.get("criteria_library") is None:
        return
    from . import jobs as findings_jobs  # jobs imports this module

    for organisation_id, ids in sorted(_resolve(session, touched).items()):
        invalidate(sorted(ids))
        after_commit(findings_jobs.refresh_initiatives, organisation_id, sorted(ids))


def invalidate(initiative_ids: list[int]) -> None:
    """Delete the initiatives' stored findings in the current transaction: until they are worked out again
    (by the job queued after the commit, or by the first page to read them) nothing stale can be shown."""
    _lock(initiative_ids)  # a recompute in progress finishes first; its rows are then deleted here
    # The portfolio's figures and the report snapshot come from the same facts (reports/stored_summary.py):
    # gone with the findings, worked out again with them.
    from ..reports import stored_summary

    findings = sa.delete(_TABLE).where(_TABLE.c.initiative_id.in_(initiative_ids))
    summaries = stored_summary.invalidation(initiative_ids)
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(findings)
        connection.execute(summaries)
        return
    # One round trip for both, made under the stage lock by every recorder of the stage. A data-modifying CTE
    # shares the statement's snapshot, taken after the lock above, so it sees what a recompute that held the
    # lock committed, as a second statement would.
    connection.execute(summaries.add_cte(findings.cte("deleted_findings")))


def _forget(session: Session, *args: Any) -> None:
    session.info.pop(TOUCHED_KEY, None)
    session.info.pop(WROTE_KEY, None)


def install(app: Flask, session_class: type[Session]) -> None:
    """Hook the write path (every session of ``session_class``) and the end of each request."""
    if not sa.event.contains(session_class, "after_flush", _note):
        sa.event.listen(session_class, "after_flush", _note)
        # First of the commit hooks, before the audit capture appends to the chain: the chain lock is then held
        # only for the append, and every transaction takes the findings lock before the chain lock.
        sa.event.listen(session_class, "before_commit", _recompute_touched, insert=True)
        sa.event.listen(session_class, "after_commit", _forget)
        sa.event.listen(session_class, "after_soft_rollback", _forget)
    app.after_request(commit_after_read)
