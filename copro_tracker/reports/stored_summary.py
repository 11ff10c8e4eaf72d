"""Today's participation figures of each initiative (reports/summary.py), stored beside its findings.

The portfolio used to load every initiative's activities and attendance to count them (seconds for a council
with 60 initiatives). Now each initiative's figures live in ``stored_summary``, one row per initiative, kept
current exactly as its stored findings are (criteria/stored.py):

- **In the write's own transaction.** The findings' recompute, which runs before every commit that touched
  an initiative's records, calls ``store`` with the facts it has just loaded, so the figures commit, or roll
  back, with the change itself.
- **On read, when the key does not match.** A row of another day (the day decides which recommendations are
  still waiting, and which stage is current), another key (the code that works the figures out changed) or
  missing (data loaded in bulk) is recomputed before it is shown. A read that stored rows commits them after
  its response (``stored.commit_after_read``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..criteria import facts as facts_loader
from ..criteria import stored
from ..criteria.snapshot import InitiativeFacts
from ..extensions import db
from ..models import StoredSummary
from .model import Period
from .summary import InitiativeSummary, from_data, summarise, to_data

_TABLE = StoredSummary.__table__


@lru_cache(maxsize=1)
def key() -> str:
    """What the figures depend on besides the records and the day: the facts' and rules' code (the same
    digest the findings use) and the code that sums them up."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(stored.code_digest().encode())
    for name in ("summary.py", "common.py", "model.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:32]


def _responded_on(facts: InitiativeFacts) -> dict[int, date]:
    return {r.id: r.responded_on for r in facts.recommendations if r.responded_on}


def _summaries(snapshots: Mapping[int, InitiativeFacts], on: date) -> dict[int, InitiativeSummary]:
    period = Period(as_of=on)
    return {i: summarise(facts, period, _responded_on(facts)) for i, facts in sorted(snapshots.items())}


def store(snapshots: Mapping[int, InitiativeFacts], organisation_id: int, on: date) -> dict[int, InitiativeSummary]:
    """Work out and write the figures as at ``on`` (today) on the session's connection, in its transaction."""
    summaries = _summaries(snapshots, on)
    if not summaries:
        return summaries
    rows: list[dict[str, Any]] = [
        {
            "initiative_id": initiative_id,
            "organisation_id": organisation_id,
            "key": key(),
            "computed_for": on,
            "data": to_data(summary),
        }
        for initiative_id, summary in summaries.items()
    ]
    connection = db.session.connection()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_TABLE)
    replace = {name: stmt.excluded[name] for name in ("organisation_id", "key", "computed_for", "data")}
    # Sorted by initiative, so two transactions storing the same initiatives lock rows in the same order.
    connection.execute(stmt.on_conflict_do_update(index_elements=["initiative_id"], set_=replace), rows)
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
        if row.key != key() or row.computed_for != on:
            continue
        try:
            result[row.initiative_id] = from_data(row.initiative_id, row.data)
        except (KeyError, TypeError, ValueError):
            continue  # written in another format: recompute rather than guess
    stale = [i for i in ids if i not in result]
    if stale:
        snapshots = facts_loader.load_many(stale, organisation_id, on)
        result.update(store(snapshots, organisation_id, on))
        db.session.info[stored.WROTE_KEY] = True
    return result
