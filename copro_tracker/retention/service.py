"""Retention rules and legal holds: reading them, and an admin's changes (each audited in its transaction)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from ..audit import capture
from ..codes import N_, RETENTION_DEFAULT_MONTHS, RETENTION_MONTH_CHOICES, RetainedRecord
from ..extensions import db
from ..models import Initiative, LegalHold, RetentionRule, User, utcnow
from ..services import ServiceError, commit_or_conflict

MAX_REASON = 2000


def rules_for(organisation_id: int) -> dict[RetainedRecord, int | None]:
    """Months each kind of record is kept after its initiative closes (None: kept for good)."""
    chosen = {
        rule.record_type: rule.months
        for rule in db.session.scalars(sa.select(RetentionRule).where(RetentionRule.organisation_id == organisation_id))
    }
    return {kind: chosen.get(kind, RETENTION_DEFAULT_MONTHS[kind]) for kind in RetainedRecord}


def set_rules(actor: User, wanted: Mapping[RetainedRecord, int | None]) -> int:
    """Save the admin's periods; returns how many changed. Each change is an audited row change."""
    for kind, months in wanted.items():
        if months is not None and months not in RETENTION_MONTH_CHOICES:
            raise ServiceError(N_("Choose how long to keep them"), kind.value)
    capture.set_actor(db.session, actor.id)
    existing = {
        rule.record_type: rule
        for rule in db.session.scalars(
            sa.select(RetentionRule).where(RetentionRule.organisation_id == actor.organisation_id)
        )
    }
    current = rules_for(actor.organisation_id)
    changed = 0
    for kind, months in wanted.items():
        if current[kind] == months:
            continue
        rule = existing.get(kind)
        if rule is None:
            rule = RetentionRule(organisation_id=actor.organisation_id, record_type=kind)
            db.session.add(rule)
        rule.months = months
        rule.updated_by_id = actor.id
        rule.updated_at = utcnow()
        capture.name_action(rule, "retention.rule_set", record_type=kind.value)
        changed += 1
    commit_or_conflict()
    return changed


@dataclass(frozen=True)
class Holds:
    """The legal holds in force in one organisation."""

    organisation_wide: list[LegalHold]
    by_initiative: dict[int, list[LegalHold]]

    def holds(self, initiative_id: int | None) -> list[LegalHold]:
        """The holds that cover an initiative (the organisation's own, then the initiative's)."""
        return [*self.organisation_wide, *(self.by_initiative.get(initiative_id, []) if initiative_id else [])]

    def covers(self, initiative_id: int | None) -> bool:
        return bool(self.holds(initiative_id))


def holds_in_force(organisation_id: int) -> Holds:
    rows = db.session.scalars(
        sa.select(LegalHold)
        .where(LegalHold.organisation_id == organisation_id, LegalHold.lifted_at.is_(None))
        .order_by(LegalHold.placed_at, LegalHold.id)
    ).all()
    by_initiative: dict[int, list[LegalHold]] = {}
    for hold in rows:
        if hold.initiative_id is not None:
            by_initiative.setdefault(hold.initiative_id, []).append(hold)
    return Holds([h for h in rows if h.initiative_id is None], by_initiative)


def _reason(text: str | None, field: str) -> str:
    value = (text or "").strip()
    if not value:
        raise ServiceError(N_("Say why"), field)
    if len(value) > MAX_REASON:
        raise ServiceError(N_("The reason must be 2,000 characters or fewer"), field)
    return value


def place_hold(actor: User, initiative: Initiative | None, reason: str) -> LegalHold:
    """Stop disposal and erasure under an initiative, or the whole organisation (initiative None)."""
    text = _reason(reason, "reason")
    if initiative is not None and initiative.organisation_id != actor.organisation_id:
        raise ServiceError(N_("Choose an initiative"), "scope")
    capture.set_actor(db.session, actor.id)
    hold = LegalHold(
        organisation_id=actor.organisation_id,
        initiative_id=initiative.id if initiative else None,
        reason=text,
        placed_by_id=actor.id,
    )
    db.session.add(hold)
    capture.name_action(hold, "legal_hold.placed", whole_organisation=initiative is None)
    db.session.commit()
    return hold


def lift_hold(actor: User, hold: LegalHold, reason: str, expected_version: int | None) -> None:
    """Lift a hold (the caller has checked the admin confirmed their password just now)."""
    text = _reason(reason, "reason")
    if hold.lifted_at is not None:
        raise ServiceError(N_("This hold has already been lifted"), "reason")
    if expected_version is not None and expected_version != hold.version:
        raise ServiceError(N_("Someone else changed this hold while you were looking at it"), "reason")
    capture.set_actor(db.session, actor.id)
    hold.lifted_at = utcnow()
    hold.lifted_by_id = actor.id
    hold.lift_reason = text
    capture.name_action(hold, "legal_hold.lifted")
    commit_or_conflict()
