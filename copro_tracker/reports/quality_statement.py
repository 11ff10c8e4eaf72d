"""The CQC quality statement report: the evidence for one quality statement across initiatives."""

from __future__ import annotations

from collections import Counter

from ..codes import FINDING_STATUS_LABELS, ReportKind, status_rank
from .common import _assessment_words, _cols, _num, _params, _reasons, evaluate_initiative
from .consent import Names
from .model import Report, ReportInputs, Section, Table
from .sections import _audit_section, _evidence_section, _notes, _participation_section, _sources_section
from .summary import summarise
from .words import ENGLISH, Words, _, english_only, localized, writing_in

# ---------------------------------------------------------------------------------------------------
# Quality statement report


def build_quality_statement_report(inputs: ReportInputs, statement_id: str, words: Words = ENGLISH) -> Report:
    with writing_in(words):
        return _build(inputs, statement_id)


def _build(inputs: ReportInputs, statement_id: str) -> Report:
    period = inputs.period
    names = Names(inputs.people, inputs.anonymise_partners)
    frameworks = inputs.library.checked_for(inputs.nation)
    cqc_framework = inputs.library.cqc_for(inputs.nation)
    cqc = cqc_framework.cqc if cqc_framework is not None else None
    statement = cqc.statement(statement_id) if cqc else None
    if cqc is None or statement is None:
        raise LookupError(f"no CQC quality statement {statement_id!r} for {inputs.nation}")
    # CQC's own words (statement, theme and category titles, notes) are written in English only.
    themes = {t.id: english_only(t.title) for t in cqc.themes}
    categories = {c.id: c for c in cqc.evidence_categories}
    supporting_ids = {c.id for c in inputs.library.criteria_supporting(statement_id, inputs.nation)}
    about = Table(
        "statement",
        _("About this quality statement"),
        _cols(("item", _("Item")), ("detail", _("Detail"))),
        (
            (_("Quality statement"), english_only(f"{statement.id}: {statement.title}")),
            (_("Theme"), themes.get(statement.theme_id, statement.theme_id)),
            (_("What it means"), english_only(statement.summary)),
            (_("Criteria that support it"), len(supporting_ids)),
        ),
    )
    category_rows = tuple(
        (
            english_only(categories[c].title),
            _("Yes") if categories[c].in_use else _("No"),
            english_only(categories[c].note),
        )
        for c in statement.likely_evidence
        if c in categories
    )
    categories_table = Table(
        "evidence_categories",
        _("Kinds of evidence CQC looks at for this statement"),
        _cols(("category", _("Evidence category")), ("in_use", _("Used by CQC for councils")), ("note", _("Note"))),
        category_rows,
    )
    rows = []
    per_initiative = []
    for details, facts in inputs.initiatives:
        items = [e for e in evaluate_initiative(inputs, facts, frameworks) if e.criterion.id in supporting_ids]
        counts = Counter(e.finding.status.value for e in items)
        per_initiative.append(
            (
                details.title,
                counts["met"],
                counts["partly_met"],
                counts["not_met"],
                counts["needs_attestation"],
                counts["not_applicable"],
            )
        )
        for item in items:
            status, by, response = _assessment_words(names, item.assessment)
            rows.append(
                (
                    details.title,
                    f"{item.criterion.id}: {localized(item.criterion, 'title')}",
                    _(FINDING_STATUS_LABELS[item.finding.status]),
                    _reasons(item.finding, names),
                    status,
                    response,
                    status_rank(item.finding.status),
                )
            )
    rows.sort(key=lambda r: (r[-1], r[0], r[1]))
    per_initiative.sort(key=lambda r: (-r[3], -r[2], r[0]))
    evidence_table = Table(
        "statement_evidence",
        _("Evidence for this statement, gaps first"),
        _cols(
            ("initiative", _("Initiative")),
            ("criterion", _("Criterion")),
            ("automatic_check", _("Automatic check")),
            ("why", _("Why")),
            ("people_assessment", _("People's assessment")),
            ("citizen_partner_response", _("Citizen partner's response")),
        ),
        tuple(r[:-1] for r in rows),
        empty=_("No initiative has records that bear on this statement."),
    )
    by_initiative = Table(
        "statement_by_initiative",
        _("Each initiative against this statement"),
        _cols(
            ("initiative", _("Initiative")),
            _num("met", _("Met")),
            _num("partly_met", _("Partly met")),
            _num("not_met", _("Not met")),
            _num("needs_confirming", _("Need a person to confirm")),
            _num("not_applicable", _("Do not apply")),
        ),
        tuple(per_initiative),
        empty=_("No initiatives yet."),
    )
    facts_by_id = {f.initiative.id: f for _, f in inputs.initiatives}
    evidence, files, _counted = _evidence_section(names, facts_by_id, inputs, period)
    sections = (
        Section("statement", _("The quality statement"), (), (about, categories_table)),
        Section(
            "findings",
            _("What the records show"),
            (_("Initiatives and criteria with gaps are listed first."),),
            (by_initiative, evidence_table),
        ),
        _participation_section([summarise(f, period, inputs.responded_on) for _, f in inputs.initiatives], inputs),
        _sources_section(frameworks, supporting_ids),
        evidence,
        _audit_section(inputs, _("these initiatives")),
    )
    return names.scrub_report(
        Report(
            kind=ReportKind.QUALITY_STATEMENT,
            title=_("CQC quality statement %(id)s: %(title)s", id=statement.id, title=statement.title),
            organisation=inputs.organisation,
            generated_at=inputs.generated_at,
            period=period,
            notes=_notes(period, ReportKind.QUALITY_STATEMENT),
            sections=sections,
            files=files,
            initiative_ids=tuple(d.id for d, _ in inputs.initiatives),
            activity_count=sum(sum(period.covers(a.on) for a in f.activities) for _, f in inputs.initiatives),
            checkpoint=inputs.checkpoint,
            params=_params(inputs, statement_id=statement.id),
        )
    )
