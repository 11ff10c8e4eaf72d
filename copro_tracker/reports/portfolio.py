"""The portfolio report: every initiative of the organisation, gaps first, with small numbers suppressed."""

from __future__ import annotations

from collections.abc import Sequence

from ..codes import FINDING_STATUS_LABELS, GAPS, STAGE_LABELS, STAGE_STATUS_LABELS, ReportKind, status_rank
from . import payments
from .common import _cols, _Evaluated, _num, _params, _percent, _status_counts, evaluate_initiative
from .equality import equality_section
from .model import InitiativeDetails, Report, ReportInputs, Section, Table
from .sections import _audit_section, _cqc_section, _notes, _participation_section, _sources_section
from .summary import InitiativeSummary, summarise
from .words import ENGLISH, Words, _, localized, writing_in

# ---------------------------------------------------------------------------------------------------
# Portfolio report


def build_portfolio_report(inputs: ReportInputs, words: Words = ENGLISH) -> Report:
    with writing_in(words):
        return _build(inputs)


def _build(inputs: ReportInputs) -> Report:
    period = inputs.period
    frameworks = inputs.library.checked_for(inputs.nation)
    facts_by_id = {d.id: f for d, f in inputs.initiatives}
    initiatives = _summaries(inputs)
    evaluated = {d.id: evaluate_initiative(inputs, facts_by_id.get(d.id), frameworks, d.id) for d, _ in initiatives}
    summaries = [summary for _, summary in initiatives]

    gap_rows, coverage_rows = [], []
    for details, summary in initiatives:
        items = evaluated[details.id]
        counts = _status_counts(items)
        gaps = _initiative_gaps(summary, items)
        for text in gaps:
            gap_rows.append((details.title, text, len(gaps)))
        applicable = len(items) - counts["not_applicable"]
        if details.closed_on is not None and details.closed_on <= period.as_of:
            stage_words = _("Closed")
        else:
            stage_words = (
                _(
                    "%(stage)s: %(status)s",
                    stage=_(STAGE_LABELS[summary.stage]),
                    status=_(STAGE_STATUS_LABELS[summary.stage_status]).lower(),
                )
                if summary.stage is not None and summary.stage_status is not None
                else _("Not started")
            )
        coverage_rows.append(
            (
                details.title,
                stage_words,
                summary.activities,
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
        _("Gaps to close, initiatives with the most gaps first"),
        _cols(
            ("initiative", _("Initiative")),
            ("gap", _("What is missing")),
            _num("gaps_in_initiative", _("Gaps in this initiative")),
        ),
        tuple(gap_rows),
        empty=_("No gaps found."),
    )
    coverage = Table(
        "initiatives",
        _("Every initiative's stage and criteria coverage"),
        _cols(
            ("initiative", _("Initiative")),
            ("stage", _("Stage")),
            _num("activities", _("Activities")),
            _num("met", _("Criteria met")),
            _num("partly_met", _("Partly met")),
            _num("not_met", _("Not met")),
            _num("needs_confirming", _("Need a person to confirm")),
            ("coverage", _("Coverage"), _("Criteria met as a share of those that apply")),
            _num("assessed_by_people", _("Assessed by people")),
            _num("gaps", _("Gaps")),
        ),
        tuple(coverage_rows),
        empty=_("No initiatives yet."),
    )
    participation = _participation_section(summaries, inputs)
    sections = [
        Section(
            "gaps",
            _("Gaps"),
            (_("The gaps come first, so they can be closed before an inspection."),),
            (gaps_table,),
        ),
        Section("initiatives", _("Initiatives"), (), (coverage,)),
        participation,
        payments.figures_section(payments.merge(s.payments for s in summaries)),
        *_equality(inputs),
        _cqc_section(inputs, [(d, evaluated[d.id]) for d, _ in initiatives]),
        _sources_section([f for f in frameworks if f.criteria]),
        _audit_section(inputs, _("these initiatives")),
    ]
    return Report(
        kind=ReportKind.PORTFOLIO,
        title=_("Co-production portfolio: %(organisation)s", organisation=inputs.organisation),
        organisation=inputs.organisation,
        generated_at=inputs.generated_at,
        period=period,
        notes=_notes(period, ReportKind.PORTFOLIO),
        sections=tuple(sections),
        initiative_ids=tuple(d.id for d, _ in initiatives),
        activity_count=sum(s.activities for s in summaries),
        checkpoint=inputs.checkpoint,
        params=_params(inputs),
    )


def _summaries(inputs: ReportInputs) -> list[tuple[InitiativeDetails, InitiativeSummary]]:
    """Each initiative's figures: stored ones when the loader read them (as at today), else from its facts."""
    if inputs.summaries:
        return list(inputs.summaries)
    return [(d, summarise(f, inputs.period, inputs.responded_on)) for d, f in inputs.initiatives]


def _initiative_gaps(summary: InitiativeSummary, items: Sequence[_Evaluated]) -> list[str]:
    gaps = []
    for item in sorted(items, key=lambda e: status_rank(e.finding.status)):
        if item.finding.status in GAPS:
            gaps.append(
                _(
                    "%(status)s: %(criterion)s %(title)s",
                    status=_(FINDING_STATUS_LABELS[item.finding.status]),
                    criterion=item.criterion.id,
                    title=localized(item.criterion, "title"),
                )
            )
    if not summary.partner_co_lead:
        gaps.append(_("No citizen partner co-lead"))
    missing = summary.missing_adjustments
    if missing:
        gaps.append(_("Adjustments asked for but not provided: %(count)s", count=missing))
    if summary.waiting_recommendations:
        gaps.append(_("Recommendations waiting for an answer: %(count)s", count=summary.waiting_recommendations))
    for kind in summary.dissent_stages:
        gaps.append(_("%(stage)s stage: a member disagreed at the sign-off", stage=_(STAGE_LABELS[kind])))
    return gaps


def _equality(inputs: ReportInputs) -> tuple[Section, ...]:
    if inputs.equality is None:
        return ()
    took_part = inputs.equality.took_part
    if took_part is None:
        took_part = tuple(
            row.user_id
            for _, facts in inputs.initiatives
            for activity in facts.activities
            if inputs.period.covers(activity.on)
            for row in facts.partner_attendance_at(activity.id)
            if row.user_id is not None
        )
    section = equality_section(inputs.equality, took_part)
    return (section,) if section is not None else ()
