"""Scheduled disposal: records whose retention period has run out since their initiative closed are disposed
of, unless a legal hold covers them.

Disposal reuses what withdrawing a mistake and erasure already do. Withdrawable records (activities,
decisions, recommendations, evidence) are marked withdrawn with the rule as the reason, so they leave every
page, report and the criteria facts; their free text is blanked; file bytes are deleted through
`storage.delete` after the commit. People's adjustments, ratings and positions are cleared. Each disposal
is a `retention.disposed` event (type, count, period) plus a Disposal row, in the same transaction as the
changes. Then, as erasure does, the values the audit trail kept of those records are erased (the hashed
chain is untouched, so `flask audit verify` still passes).

Running it twice disposes of nothing the second time: every query below only finds records not yet disposed
of.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from .. import storage
from ..activities.withdraw import mark_withdrawn
from ..audit import capture
from ..audit import service as audit_service
from ..codes import RetainedRecord
from ..domain.retention import due_on
from ..extensions import db
from ..models import (
    Activity,
    Attendance,
    Decision,
    DecisionPosition,
    Disposal,
    Evidence,
    Initiative,
    Organisation,
    ReciprocityEntry,
    Recommendation,
    utcnow,
)
from ..people.erasure import refs_of
from .service import Holds, holds_in_force, rules_for

log = logging.getLogger(__name__)

# How far ahead the admin page looks for what falls due soon.
SOON = timedelta(days=90)
FORMER_GUEST = "Former guest"


@dataclass
class Due:
    """Records of one kind in one initiative that are (or will soon be) due for disposal."""

    initiative: Initiative
    record_type: RetainedRecord
    months: int
    due_on: date
    rows: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


def _attendances(initiative_ids: list[int], memo: dict) -> list[tuple[int, Attendance]]:
    # Needs and ratings are both read from attendance rows: one query serves both.
    key = ("attendance", tuple(initiative_ids))
    if key not in memo:
        memo[key] = db.session.execute(
            sa.select(Activity.initiative_id, Attendance)
            .join(Activity, Attendance.activity_id == Activity.id)
            .where(Activity.initiative_id.in_(initiative_ids))
            .order_by(Attendance.id)
        ).all()
    return [(initiative_id, row) for initiative_id, row in memo[key]]


def _pending_needs(ids: list[int], memo: dict) -> list[tuple[int, Any]]:
    return [(i, row) for i, row in _attendances(ids, memo) if row.adjustments_requested or row.adjustments_provided]


def _decisions(initiative_ids: list[int], memo: dict) -> list[tuple[int, Decision, DecisionPosition | None]]:
    # Decisions and the positions people took on them: one query serves both ratings and decisions.
    key = ("decision", tuple(initiative_ids))
    if key not in memo:
        memo[key] = db.session.execute(
            sa.select(Activity.initiative_id, Decision, DecisionPosition)
            .join(Activity, Decision.activity_id == Activity.id)
            .outerjoin(DecisionPosition, DecisionPosition.decision_id == Decision.id)
            .where(Activity.initiative_id.in_(initiative_ids))
            .order_by(Decision.id, DecisionPosition.id)
        ).all()
    return memo[key]


def _pending_ratings(ids: list[int], memo: dict) -> list[tuple[int, Any]]:
    rated = [(i, row) for i, row in _attendances(ids, memo) if row.ladder_rating is not None or row.rating_note]
    return rated + [(i, position) for i, _decision, position in _decisions(ids, memo) if position is not None]


def _pending_withdrawable(model: Any, column: Any) -> Callable[[list[int], dict], list[tuple[int, Any]]]:
    def pending(ids: list[int], memo: dict) -> list[tuple[int, Any]]:
        rows = db.session.scalars(
            sa.select(model).where(column.in_(ids), model.withdrawn_at.is_(None)).order_by(model.id)
        )
        return [(row.initiative_id, row) for row in rows]

    return pending


def _pending_decisions(ids: list[int], memo: dict) -> list[tuple[int, Any]]:
    seen: dict[int, tuple[int, Any]] = {}
    for initiative_id, decision, _position in _decisions(ids, memo):
        if decision.withdrawn_at is None:
            seen.setdefault(decision.id, (initiative_id, decision))
    recommendations = _pending_withdrawable(Recommendation, Recommendation.initiative_id)(ids, memo)
    return list(seen.values()) + recommendations


def _pending_receipts(ids: list[int], memo: dict) -> list[tuple[int, Any]]:
    rows = db.session.scalars(
        sa.select(ReciprocityEntry)
        .where(ReciprocityEntry.initiative_id.in_(ids), ReciprocityEntry.receipt_storage_key.is_not(None))
        .order_by(ReciprocityEntry.id)
    )
    return [(row.initiative_id, row) for row in rows]


PENDING: dict[RetainedRecord, Callable[[list[int], dict], list[tuple[int, Any]]]] = {
    RetainedRecord.NEEDS: _pending_needs,
    RetainedRecord.RATINGS: _pending_ratings,
    RetainedRecord.EVIDENCE: _pending_withdrawable(Evidence, Evidence.initiative_id),
    RetainedRecord.RECEIPTS: _pending_receipts,
    RetainedRecord.ACTIVITIES: _pending_withdrawable(Activity, Activity.initiative_id),
    RetainedRecord.DECISIONS: _pending_decisions,
}


def find_due(
    organisation_id: int, today: date, *, ahead: timedelta = timedelta(0), holds: Holds | None = None
) -> list[Due]:
    """What falls due by `today + ahead` in closed initiatives no legal hold covers, soonest first."""
    holds = holds if holds is not None else holds_in_force(organisation_id)
    if holds.organisation_wide:
        return []
    rules = rules_for(organisation_id)
    closed = db.session.scalars(
        sa.select(Initiative).where(Initiative.organisation_id == organisation_id, Initiative.closed_on.is_not(None))
    ).all()
    horizon = today + ahead
    found: list[Due] = []
    memo: dict = {}
    for kind, months in rules.items():
        if months is None:
            continue
        due = {
            initiative.id: Due(initiative, kind, months, when)
            for initiative in closed
            if not holds.covers(initiative.id)
            and (when := due_on(initiative.closed_on, months)) is not None
            and when <= horizon
        }
        if not due:
            continue
        for initiative_id, row in PENDING[kind](sorted(due), memo):
            due[initiative_id].rows.append(row)
        found += [item for item in due.values() if item.rows]
    return sorted(found, key=lambda d: (d.due_on, d.initiative.id, list(RetainedRecord).index(d.record_type)))


def _reason(item: Due) -> str:
    return f"Disposed of under the retention rule: {item.record_type.value} kept {item.months} months after closing"


def _withdraw(row: Any, reason: str, now: Any, blank: Iterable[str]) -> None:
    for name in blank:
        setattr(row, name, "")
    mark_withdrawn(row, reason, by_id=None, action="disposed", at=now)


def _dispose_row(kind: RetainedRecord, row: Any, reason: str, now: Any, files: list[str]) -> None:
    if kind is RetainedRecord.NEEDS:
        row.adjustments_requested = []
        row.adjustments_provided = []
        capture.name_action(row, "attendance.needs_disposed")
    elif kind is RetainedRecord.RATINGS:
        if isinstance(row, DecisionPosition):
            db.session.delete(row)
            capture.name_action(row, "decision_position.disposed")
        else:
            row.ladder_rating, row.rating_note, row.rated_at = None, "", None
            capture.name_action(row, "attendance.rating_disposed")
    elif kind is RetainedRecord.EVIDENCE:
        files.append(row.storage_key)
        _withdraw(row, reason, now, ("filename", "description"))
    elif kind is RetainedRecord.RECEIPTS:
        files.append(row.receipt_storage_key)
        row.receipt_storage_key = None
        row.receipt_filename, row.receipt_content_type, row.receipt_sha256, row.receipt_size = "", "", "", 0
        capture.name_action(row, "reciprocity_entry.receipt_disposed")
    elif kind is RetainedRecord.ACTIVITIES:
        _withdraw(row, reason, now, ("notes", "confirmation_note"))
        for attendance in row.attendances:
            if attendance.user_id is None:
                attendance.guest_name = FORMER_GUEST
    elif isinstance(row, Decision):
        _withdraw(row, reason, now, ("options_considered", "how_changed", "welsh_effects_note"))
    else:
        _withdraw(row, reason, now, ("response_reason", "action_taken", "review_outcome"))


@dataclass
class Outcome:
    disposed: list[Due]
    values_erased: int


def dispose_due(organisation: Organisation, today: date) -> Outcome:
    """Dispose of everything due in the organisation; each kind in each initiative is recorded as it goes."""
    items = find_due(organisation.id, today)
    if items:
        _dispose(organisation, items)
    # Also finishes the erasure of an earlier run that stopped between its two commits.
    return Outcome(items, erase_disposed_values(organisation))


def _dispose(organisation: Organisation, items: list[Due]) -> None:
    capture.set_actor(db.session, None)
    now = utcnow()
    files: list[str] = []
    for item in items:
        reason = _reason(item)
        records: dict[str, list[int]] = {}
        for row in item.rows:
            records.setdefault(capture.entity_name(row), []).append(row.id)
            _dispose_row(item.record_type, row, reason, now, files)
        db.session.add(
            Disposal(
                organisation_id=organisation.id,
                initiative_id=item.initiative.id,
                record_type=item.record_type,
                count=item.count,
                months=item.months,
                disposed_at=now,
                records=records,
            )
        )
        capture.record(
            db.session,
            "retention.disposed",
            organisation.id,
            "initiative",
            item.initiative.id,
            initiative_id=item.initiative.id,
            record_type=item.record_type.value,
            count=item.count,
            months=item.months,
        )
    db.session.commit()
    for key in files:
        try:
            storage.delete(key)
        except OSError:
            log.exception("Could not delete disposed file %s; `flask storage sweep` will", key)


def erase_disposed_values(organisation: Organisation) -> int:
    """Erase the audit values of disposed records whose values are not erased yet (as erasure does).

    A second commit: the disposal's own events, which hold the blanked values as references, are only in
    the chain once the disposal has committed."""
    pending = db.session.scalars(
        sa.select(Disposal).where(Disposal.organisation_id == organisation.id, Disposal.values_erased_at.is_(None))
    ).all()
    if not pending:
        return 0
    touched: dict[str, set[int]] = {}
    for row in pending:
        for entity, ids in (row.records or {}).items():
            touched.setdefault(entity, set()).update(ids)
    capture.set_actor(db.session, None)
    now = utcnow()
    for row in pending:
        row.values_erased_at = now
    return audit_service.erase_values(organisation, refs_of(organisation.id, touched.items()), commit=True)
