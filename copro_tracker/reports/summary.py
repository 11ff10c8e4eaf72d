"""Each initiative's participation figures for a report period: a few counts and ids, not its records.

The portfolio shows sixty initiatives side by side; reading every initiative's activities and attendance to
count them took seconds at council scale. ``summarise`` reduces one initiative's facts to what the portfolio,
the quality-statement report and the participation tables show, and ``reports/stored_summary.py`` keeps
today's summary of each initiative beside its stored findings, recomputed in the same write transaction.

Pure: no Flask, no database. The builders read only these figures, whether they were just worked out from
the facts (a report as at a past date or for a date range) or read back from the stored row (as at today),
so both ways give the same report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..codes import STAGE_ORDER, ReciprocityKind, StageKind, StageStatus
from ..criteria.snapshot import InitiativeFacts
from ..criteria.snapshot_codec import decode, encode
from .common import stage_status_as_at
from .model import HumanAssessment, Period
from .payments import KindFigures, figures, in_period

FORMAT = 3


@dataclass(frozen=True, slots=True)
class StageParticipation:
    activities: int = 0
    partner_attendances: int = 0
    contributed: int = 0
    # Citizen partners who attended: user ids, and the names of guests counted as citizen partners.
    partners: tuple[int, ...] = ()
    guests: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InitiativeSummary:
    initiative_id: int
    activities: int = 0
    # The latest stage started by the day and its status then; None before any stage started.
    stage: StageKind | None = None
    stage_status: StageStatus | None = None
    partner_co_lead: bool = False
    adjustments_requested: int = 0
    adjustments_provided: int = 0
    waiting_recommendations: int = 0
    # Stages where a member disagreed at the sign-off, in stage order.
    dissent_stages: tuple[StageKind, ...] = ()
    partners: tuple[int, ...] = ()
    partner_guests: tuple[str, ...] = ()
    by_stage: Mapping[StageKind, StageParticipation] = field(default_factory=dict)
    # Ladder rung -> how many ratings at it.
    partner_ratings: Mapping[int, int] = field(default_factory=dict)
    staff_ratings: Mapping[int, int] = field(default_factory=dict)
    # Offers and claims in the period, by choice or kind (reports/payments.py).
    payments: Mapping[ReciprocityKind | None, KindFigures] = field(default_factory=dict)
    # People's assessments of its criteria (stored with the figures; summarise leaves them to the loader).
    assessments: tuple[HumanAssessment, ...] = ()

    @property
    def missing_adjustments(self) -> int:
        return self.adjustments_requested - self.adjustments_provided

    def stage_participation(self, kind: StageKind) -> StageParticipation:
        return self.by_stage.get(kind) or StageParticipation()


def summarise(
    facts: InitiativeFacts, period: Period, responded_on: Mapping[int, date] | None = None
) -> InitiativeSummary:
    """The figures of one initiative for ``period``; ``responded_on``: recommendation id -> response day."""
    responded_on = responded_on or {}
    as_of = period.as_of
    covered = {a.id: a for a in facts.activities if period.covers(a.on)}
    stages: dict[StageKind, dict[str, Any]] = {
        kind: {"activities": 0, "attendances": 0, "contributed": 0, "partners": {}, "guests": {}}
        for kind in STAGE_ORDER
    }
    for activity in covered.values():
        bucket = stages[StageKind(activity.stage)]
        bucket["activities"] += 1
        for row in facts.partner_attendance_at(activity.id):
            bucket["attendances"] += 1
            bucket["contributed"] += row.contributed
            if row.user_id is not None:
                bucket["partners"][row.user_id] = None
            else:
                bucket["guests"][row.guest_name] = None
    requested = provided = 0
    partners: dict[int, None] = {}
    guests: dict[str, None] = {}
    partner_ratings: Counter[int] = Counter()
    staff_ratings: Counter[int] = Counter()
    for row in facts.attendance:
        if row.activity_id not in covered:
            continue
        requested += len(row.adjustments_requested)
        provided += len(row.adjustments_requested) - len(row.missing_adjustments)
        if row.rating is not None:
            (partner_ratings if row.is_citizen_partner else staff_ratings)[row.rating] += 1
        if not row.is_citizen_partner:
            continue
        if row.user_id is not None:
            partners[row.user_id] = None
        else:
            guests[row.guest_name] = None
    started = [s for s in facts.stages if stage_status_as_at(s, as_of) != StageStatus.NOT_STARTED]
    latest = started[-1] if started else None
    waiting = [
        r
        for r in facts.recommendations
        if period.covers(r.raised_on) and (r.response is None or (responded_on.get(r.id) or date.min) > as_of)
    ]
    return InitiativeSummary(
        initiative_id=facts.initiative.id,
        activities=len(covered),
        stage=StageKind(latest.kind) if latest else None,
        stage_status=stage_status_as_at(latest, as_of) if latest else None,
        partner_co_lead=any(m.is_citizen_partner and m.role.value == "co_lead" for m in facts.members_on(as_of)),
        adjustments_requested=requested,
        adjustments_provided=provided,
        waiting_recommendations=len(waiting),
        dissent_stages=tuple(
            StageKind(stage.kind)
            for stage in facts.stages
            if any(s.verdict.value == "dissent" and (s.on is None or s.on <= as_of) for s in stage.signoffs)
        ),
        partners=tuple(partners),
        partner_guests=tuple(guests),
        by_stage={
            kind: StageParticipation(
                b["activities"], b["attendances"], b["contributed"], tuple(b["partners"]), tuple(b["guests"])
            )
            for kind, b in stages.items()
        },
        partner_ratings=dict(partner_ratings),
        staff_ratings=dict(staff_ratings),
        payments=figures(in_period([facts], period)),
    )


# ---------------------------------------------------------------------------------------------------
# As plain JSON, for the stored row


def to_data(summary: InitiativeSummary) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "activities": summary.activities,
        "stage": summary.stage.value if summary.stage else None,
        "stage_status": summary.stage_status.value if summary.stage_status else None,
        "partner_co_lead": summary.partner_co_lead,
        "adjustments_requested": summary.adjustments_requested,
        "adjustments_provided": summary.adjustments_provided,
        "waiting_recommendations": summary.waiting_recommendations,
        "dissent_stages": [k.value for k in summary.dissent_stages],
        "partners": list(summary.partners),
        "partner_guests": list(summary.partner_guests),
        "by_stage": [
            [k.value, s.activities, s.partner_attendances, s.contributed, list(s.partners), list(s.guests)]
            for k, s in summary.by_stage.items()
        ],
        "partner_ratings": [[k, v] for k, v in summary.partner_ratings.items()],
        "staff_ratings": [[k, v] for k, v in summary.staff_ratings.items()],
        "payments": [
            [k.value if k else None, f.entries, sorted(f.people), f.agreed, f.paid, list(f.days), f.hours]
            for k, f in summary.payments.items()
        ],
        "assessments": [encode(a) for a in summary.assessments],
    }


def from_data(initiative_id: int, data: Mapping[str, Any]) -> InitiativeSummary:
    """The summary back from ``to_data``; a KeyError, TypeError or ValueError means another format."""
    if data.get("format") != FORMAT:
        raise ValueError("another format")
    return InitiativeSummary(
        initiative_id=initiative_id,
        activities=data["activities"],
        stage=StageKind(data["stage"]) if data["stage"] else None,
        stage_status=StageStatus(data["stage_status"]) if data["stage_status"] else None,
        partner_co_lead=data["partner_co_lead"],
        adjustments_requested=data["adjustments_requested"],
        adjustments_provided=data["adjustments_provided"],
        waiting_recommendations=data["waiting_recommendations"],
        dissent_stages=tuple(StageKind(k) for k in data["dissent_stages"]),
        partners=tuple(data["partners"]),
        partner_guests=tuple(data["partner_guests"]),
        by_stage={
            StageKind(k): StageParticipation(a, n, c, tuple(p), tuple(g)) for k, a, n, c, p, g in data["by_stage"]
        },
        partner_ratings={int(k): v for k, v in data["partner_ratings"]},
        staff_ratings={int(k): v for k, v in data["staff_ratings"]},
        payments={
            (ReciprocityKind(k) if k else None): KindFigures(n, frozenset(p), agreed, paid, tuple(d), hours)
            for k, n, p, agreed, paid, d, hours in data["payments"]
        },
        assessments=tuple(decode(HumanAssessment, a) for a in data["assessments"]),
    )
