"""The portfolio report: every initiative of the organisation, gaps first, with small numbers suppressed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..codes import FINDING_STATUS_LABELS, GAPS, STAGE_LABELS, STAGE_STATUS_LABELS, ReportKind, StageStatus, status_rank
from ..criteria.snapshot import InitiativeFacts
from . import payments
from .common import _cols, _Evaluated, _num, _params, _percent, _status_counts, evaluate_initiative, stage_status_as_at
from .model import Report, ReportInputs, Section, Table
from .sections import _audit_section, _cqc_section, _notes, _participation_section, _sources_section

# ---------------------------------------------------------------------------------------------------
# Portfolio report


def build_portfolio_report(inputs: ReportInputs) -> Report:
    period = inputs.period
    frameworks = inputs.library.checked_for(inputs.nation)
    evaluated = {d.id: evaluate_initiative(inputs, f, frameworks) for d, f in inputs.initiatives}
    facts_list = [f for _, f in inputs.initiatives]

    gap_rows, coverage_rows = [], []
    for details, facts in inputs.initiatives:
        items = evaluated[details.id]
        counts = _status_counts(items)
        gaps = _initiative_gaps(facts, items, inputs)
        for text in gaps:
            gap_rows.append((details.title, text, len(gaps)))
        applicable = len(items) - counts["not_applicable"]
        current = [s for s in facts.stages if stage_status_as_at(s, period.as_of) != StageStatus.NOT_STARTED]
        if details.closed_on is not None and details.closed_on <= period.as_of:
            stage_words = "Closed"
        else:
            latest = current[-1] if current else None
            stage_words = (
                f"{STAGE_LABELS[latest.kind]}: {STAGE_STATUS_LABELS[stage_status_as_at(latest, period.as_of)].lower()}"
                if latest
                else "Not started"
            )
        coverage_rows.append(
            (
                details.title,
                stage_words,
                sum(period.covers(a.on) for a in facts.activities),
                counts["met"],
                counts["partly_met"],
                counts["not_met"],
                counts["needs_attestation"],
                _percent(counts["met"], applicable),
                sum(1 for e in items if e.assessment is not None),
                len(gaps),
            )
        )
    gap_rows.sort(key=lambda r: (-r[2], r[0]))
    coverage_rows.sort(key=lambda r: (-r[-1], -r[5], -r[4], r[0]))
    gaps_table = Table(
        "gaps",
        "Gaps to close, initiatives with the most gaps first",
        _cols(
            ("initiative", "Initiative"),
            ("gap", "What is missing"),
            _num("gaps_in_initiative", "Gaps in this initiative"),
        ),
        tuple(gap_rows),
        empty="No gaps found.",
    )
    coverage = Table(
        "initiatives",
        "Every initiative's stage and criteria coverage",
        _cols(
            ("initiative", "Initiative"),
            ("stage", "Stage"),
            _num("activities", "Activities"),
            _num("met", "Criteria met"),
            _num("partly_met", "Partly met"),
            _num("not_met", "Not met"),
            _num("needs_confirming", "Need a person to confirm"),
            ("coverage", "Coverage", "Criteria met as a share of those that apply"),
            _num("assessed_by_people", "Assessed by people"),
            _num("gaps", "Gaps"),
        ),
        tuple(coverage_rows),
        empty="No initiatives yet.",
    )
    participation = _participation_section(facts_list, inputs)
    sections = [
        Section("gaps", "Gaps", ("The gaps come first, so they can be closed before an inspection.",), (gaps_table,)),
        Section("initiatives", "Initiatives", (), (coverage,)),
        participation,
        payments.portfolio_section(facts_list, period),
        _cqc_section(inputs, [(f, evaluated[d.id]) for d, f in inputs.initiatives]),
        _sources_section([f for f in frameworks if f.criteria]),
        _audit_section(inputs, "these initiatives"),
    ]
    return Report(
        kind=ReportKind.PORTFOLIO,
        title=f"Co-production portfolio: {inputs.organisation}",
        organisation=inputs.organisation,
        generated_at=inputs.generated_at,
        period=period,
        notes=_notes(period, ReportKind.PORTFOLIO),
        sections=tuple(sections),
        initiative_ids=tuple(d.id for d, _ in inputs.initiatives),
        activity_count=sum(sum(period.covers(a.on) for a in f.activities) for f in facts_list),
        checkpoint=inputs.checkpoint,
        params=_params(inputs),
    )


def _initiative_gaps(facts: InitiativeFacts, items: Sequence[_Evaluated], inputs: ReportInputs) -> list[str]:
    period = inputs.period
    gaps = []
    for item in sorted(items, key=lambda e: status_rank(e.finding.status)):
        if item.finding.status in GAPS:
            gaps.append(f"{FINDING_STATUS_LABELS[item.finding.status]}: {item.criterion.id} {item.criterion.title}")
    on_day = facts.members_on(period.as_of)
    if not any(m.is_citizen_partner and m.role.value == "co_lead" for m in on_day):
        gaps.append("No citizen partner co-lead")
    missing = sum(
        len(r.missing_adjustments)
        for r in facts.attendance
        if (a := facts.activity(r.activity_id)) is not None and period.covers(a.on)
    )
    if missing:
        gaps.append(f"Adjustments asked for but not provided: {missing}")
    waiting = [
        r
        for r in facts.recommendations
        if period.covers(r.raised_on)
        and (r.response is None or (inputs.responded_on.get(r.id) or date.min) > period.as_of)
    ]
    if waiting:
        gaps.append(f"Recommendations waiting for an answer: {len(waiting)}")
    for stage in facts.stages:
        if any(s.verdict.value == "dissent" and (s.on is None or s.on <= period.as_of) for s in stage.signoffs):
            gaps.append(f"{STAGE_LABELS[stage.kind]} stage: a member disagreed at the sign-off")
    return gaps
