"""Today's participation figures of each initiative (reports/summary.py), stored beside its findings.

The portfolio used to load every initiative's activities and attendance to count them (seconds for a council
with 60 initiatives). Now each initiative's figures live in ``stored_summary``, one row per initiative, kept
current exactly as its stored findings are (criteria/stored.py):

- **After the write that changes them.** The write's hook (criteria/stored.py) deletes the initiative's
  stored findings and, through ``invalidation``, its figures and report snapshot, in the write's own
  transaction; the findings' recompute after the commit (or the first page to read them) calls ``store``
  with the facts it loads, under the same per-initiative lock.
- **On read, when the key does not match.** A row of another day (the day decides which recommendations are
  still waiting, and which stage is current), another key (the code that works the figures out changed) or
  missing (data loaded in bulk) is recomputed before it is shown. A read that stored rows commits them after
  its response (``stored.commit_after_read``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..criteria import facts as facts_loader
from ..criteria import stored
from ..criteria.snapshot import InitiativeFacts
from ..extensions import db
from ..models import Assessment, StoredSummary
from .model import HumanAssessment, Period
from .summary import InitiativeSummary, from_data, summarise, to_data

_TABLE = StoredSummary.__table__


@lru_cache(maxsize=1)
def key() -> str:
    """What the figures depend on besides the records and the day: the facts' and rules' code (the same
    digest the findings use) and the code that sums them up or writes the snapshot."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(stored.code_digest().encode())
    for path in (here / "summary.py", here / "common.py", here / "model.py", here / "data.py"):
        digest.update(path.read_bytes())
    digest.update((here.parent / "criteria" / "snapshot_codec.py").read_bytes())
    return digest.hexdigest()[:KEY_LENGTH]


# A stored key is the code's key followed by a token new at each recompute: a report that stores its snapshot
# names the token it read, so it cannot overwrite the row a concurrent change has just recomputed.
KEY_LENGTH = 24


def _current(row_key: str) -> bool:
    return row_key[:KEY_LENGTH] == key()


def _responded_on(facts: InitiativeFacts) -> dict[int, date]:
    return {r.id: r.responded_on for r in facts.recommendations if r.responded_on}


def _summaries(snapshots: Mapping[int, InitiativeFacts], on: date) -> dict[int, InitiativeSummary]:
    period = Period(as_of=on)
    return {i: summarise(facts, period, _responded_on(facts)) for i, facts in sorted(snapshots.items())}


def human_assessment(row: Assessment, end: datetime) -> HumanAssessment:
    """A people's assessment as a report shows it as at ``end`` (a co-signature or disagreement after it hidden)."""
    cosigned = row.cosigned_at is not None and row.cosigned_at < end
    disagreed = row.disagreed_at is not None and row.disagreed_at < end
    return HumanAssessment(
        initiative_id=row.initiative_id,
        framework_id=row.framework_id,
        criterion_id=row.criterion_id,
        status=row.status.value,
        narrative=row.narrative or "",
        assessed_by=row.assessed_by_id,
        assessed_on=row.assessed_at.date(),
        cosigned_by=row.cosigned_by_id if cosigned else None,
        cosigned_on=row.cosigned_at.date() if cosigned else None,
        disagreed_by=row.disagreed_by_id if disagreed else None,
        disagreed_on=row.disagreed_at.date() if disagreed else None,
        disagreement_reason=row.disagreement_reason if disagreed else "",
        id=row.id,
    )


def assessments_as_at(
    organisation_id: int, initiative_ids: Iterable[int], end: datetime
) -> tuple[HumanAssessment, ...]:
    return tuple(
        human_assessment(row, end)
        for row in db.session.scalars(
            sa.select(Assessment)
            .where(
                Assessment.organisation_id == organisation_id,
                Assessment.initiative_id.in_(list(initiative_ids)),
                Assessment.assessed_at < end,
            )
            .order_by(Assessment.assessed_at, Assessment.id)
        )
    )


def store(snapshots: Mapping[int, InitiativeFacts], organisation_id: int, on: date) -> dict[int, InitiativeSummary]:
    """Work out and write the figures as at ``on`` (today) on the session's connection, in its transaction."""
    summaries = _summaries(snapshots, on)
    if not summaries:
        return summaries
    # The people's assessments as at the end of today go with the figures (the portfolio counts them).
    assessed: dict[int, list[HumanAssessment]] = {}
    for item in assessments_as_at(organisation_id, summaries, datetime.combine(on + timedelta(days=1), time.min)):
        assessed.setdefault(item.initiative_id, []).append(item)
    summaries = {i: replace(s, assessments=tuple(assessed.get(i, ()))) for i, s in summaries.items()}
    rows: list[dict[str, Any]] = [
        {
            "initiative_id": initiative_id,
            "organisation_id": organisation_id,
            "key": key() + secrets.token_hex(4),
            "computed_for": on,
            "data": to_data(summary),
        }
        for initiative_id, summary in summaries.items()
    ]
    connection = db.session.connection()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_TABLE)
    # Every recompute clears the report snapshot: the next report makes it again from the records as they are.
    updates = {name: stmt.excluded[name] for name in ("organisation_id", "key", "computed_for", "data")}
    updates["snapshot"] = sa.null()
    # Sorted by initiative, so two transactions storing the same initiatives lock rows in the same order.
    connection.execute(stmt.on_conflict_do_update(index_elements=["initiative_id"], set_=updates), rows)
    return summaries


def read(initiative_ids: Iterable[int], organisation_id: int) -> dict[int, InitiativeSummary]:
    """Today's figures for each initiative, from the stored rows; missing or stale ones recomputed and stored.

    One query when every row is current."""
    ids = sorted(set(initiative_ids))
    if not ids:
        return {}
    on = stored.today()
    result: dict[int, InitiativeSummary] = {}
    for row in db.session.execute(
        sa.select(_TABLE.c.initiative_id, _TABLE.c.key, _TABLE.c.computed_for, _TABLE.c.data).where(
            _TABLE.c.organisation_id == organisation_id, _TABLE.c.initiative_id.in_(ids)
        )
    ):
        if not _current(row.key) or row.computed_for != on:
            continue
        try:
            result[row.initiative_id] = from_data(row.initiative_id, row.data)
        except (KeyError, TypeError, ValueError):
            continue  # written in another format: recompute rather than guess
    stale = [i for i in ids if i not in result]
    if stale:
        stored.lock(stale)  # as a findings recompute does: no write can invalidate them while they are read
        snapshots = facts_loader.load_many(stale, organisation_id, on)
        result.update(store(snapshots, organisation_id, on))
        db.session.info[stored.WROTE_KEY] = True
    return result


# ---------------------------------------------------------------------------------------------------
# The report snapshot: an initiative's details, facts and evidence files as at today (reports/data.py)


def read_snapshots(initiative_ids: list[int], organisation_id: int) -> tuple[dict[int, Any], dict[int, str]]:
    """(initiative id -> its stored snapshot, for those that have a current one; initiative id -> the row's key,
    for current rows without one, to name in ``save_snapshot``). One query."""
    on = stored.today()
    found: dict[int, Any] = {}
    tokens: dict[int, str] = {}
    for row in db.session.execute(
        sa.select(_TABLE.c.initiative_id, _TABLE.c.key, _TABLE.c.computed_for, _TABLE.c.snapshot).where(
            _TABLE.c.organisation_id == organisation_id, _TABLE.c.initiative_id.in_(initiative_ids)
        )
    ):
        if not _current(row.key) or row.computed_for != on:
            continue
        if row.snapshot is not None:
            found[row.initiative_id] = row.snapshot
        else:
            tokens[row.initiative_id] = row.key
    return found, tokens


def save_snapshot(initiative_id: int, row_key: str, snapshot: Any) -> None:
    """Keep a snapshot made from the records read in this transaction, unless the row was recomputed since it
    was read (its key's token changed): then the next report makes it again. Committed after the response."""
    db.session.execute(
        sa.update(_TABLE)
        .where(_TABLE.c.initiative_id == initiative_id, _TABLE.c.key == row_key, _TABLE.c.snapshot.is_(None))
        .values(snapshot=snapshot)
    )
    db.session.info[stored.WROTE_KEY] = True


def invalidation(initiative_ids: list[int]) -> sa.Delete:
    """The statement that deletes the initiatives' figures and snapshots (a write changed their records):
    criteria/stored.py's ``invalidate`` runs it under the same lock as the findings' own, in the same
    statement on PostgreSQL. Read again, they are worked out anew."""
    return sa.delete(_TABLE).where(_TABLE.c.initiative_id.in_(initiative_ids))
