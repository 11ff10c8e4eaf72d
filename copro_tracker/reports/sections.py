"""Sections more than one kind of report shows: notes, evidence, audit, participation, CQC quality
statements and sources.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from ..codes import (
    CONSENT_LABELS,
    EVIDENCE_LINK_LABELS,
    LADDER_RUNGS,
    NATION_LABELS,
    STAGE_LABELS,
    STAGE_ORDER,
    ConsentLevel,
    ReportKind,
    StageKind,
)
from ..criteria.citations import cite, framework_checks
from ..criteria.framework import Framework
from ..criteria.rules import PARTNER_KIND_WORDS, RUNG_WORDS
from ..criteria.snapshot import InitiativeFacts
from .common import _cols, _day, _Evaluated, _num, _percent, _quote
from .consent import Names, _shown, _small, bundle_file_name, usable_evidence
from .model import (
    SUPPRESSED,
    AuditSummary,
    Chart,
    EvidenceFile,
    ListedFile,
    Period,
    ReportInputs,
    Section,
    Series,
    Table,
)
from .summary import InitiativeSummary
from .words import _, english_only, localized, ngettext, translator, with_english

VERIFY_COMMAND = "python -m copro_tracker.audit.verify report.json"

# ---------------------------------------------------------------------------------------------------
# Shared sections


def _notes(period: Period, kind: ReportKind) -> tuple[str, ...]:
    notes = [
        _(
            "This report shows the records as at %(day)s: activities, decisions, memberships and files dated "
            "after that are left out, and stages are shown as they stood on that day. Criteria are checked "
            "against everything recorded up to that date.",
            day=_day(period.as_of),
        ),
    ]
    if period.ranged:
        start = _day(period.date_from) if period.date_from else _("the start")
        end = _day(period.date_to) if period.date_to else _day(period.as_of)
        notes.append(
            _(
                "Lists of activities, decisions, recommendations, sign-offs and files cover %(start)s to %(end)s only.",
                start=start,
                end=end,
            )
        )
    notes.append(
        _(
            "Files are used only as their consent allows: files marked 'do not use' are left out, files marked "
            "'counted only' appear only in totals, and anonymised files are listed without names."
        )
    )
    if kind != ReportKind.INITIATIVE:
        notes.append(
            _(
                "To protect people's privacy, numbers from 1 to 4 in breakdowns of who took part are shown as "
                "'fewer than 5'."
            )
        )
    return tuple(notes)


def _evidence_section(names: Names, facts_by_id: Mapping[int, InitiativeFacts], inputs: ReportInputs, period: Period):
    files = [f for f in inputs.evidence if f.initiative_id in facts_by_id and period.covers(f.uploaded_on)]
    listed, counted = usable_evidence(files)
    several = len(facts_by_id) > 1
    rows = []
    listed_files = []
    for number, item in enumerate(listed, start=1):
        facts = facts_by_id[item.initiative_id]
        # An anonymised report names no file and no uploader, whatever consent each file has.
        anonymised = item.consent == ConsentLevel.ANONYMISED or inputs.anonymise_partners
        name = _("Anonymised file %(number)s", number=number) if anonymised else item.filename
        rows.append(
            (
                name,
                *((facts.initiative.title,) if several else ()),
                _linked_to(facts, item),
                _(CONSENT_LABELS[item.consent]),
                item.content_type,
                item.size,
                item.uploaded_on,
                names.person(item.uploaded_by, anonymise=anonymised),
                "" if anonymised else item.description,
                item.sha256,
            )
        )
        listed_files.append(ListedFile(item.id, bundle_file_name(item, anonymised=anonymised), item.sha256))
    columns = _cols(
        ("file", _("File"), _("The file's name; anonymised files are not named")),
        *((("initiative", _("Initiative"), _("The initiative the file belongs to")),) if several else ()),
        ("linked_to", _("Linked to"), _("The record the file supports")),
        ("consent", _("Consent"), _("How the file may be used in reports")),
        ("type", _("Type"), _("The file's type, worked out from its content")),
        _num("size_bytes", _("Size in bytes")),
        ("uploaded_on", _("Added on"), _("The date the file was added")),
        ("added_by", _("Added by"), _("Who added the file (a pseudonym for anonymised files)")),
        ("description", _("Description"), _("What the file is (left out for anonymised files)")),
        ("sha256", "SHA-256", _("The file's SHA-256 fingerprint: any change to the file changes it")),
    )
    paragraphs = [
        _("Each file's SHA-256 fingerprint lets anyone check that a copy of the file is the one recorded here.")
    ]
    if counted:
        paragraphs.append(
            ngettext(
                "%(num)s more file is held that may only be counted, so it is not listed.",
                "%(num)s more files are held that may only be counted, so they are not listed.",
                counted,
            )
        )
    table = Table("evidence_files", _("Evidence files"), columns, tuple(rows), empty=_("No files can be listed."))
    return Section("evidence", _("Evidence files"), tuple(paragraphs), (table,)), tuple(listed_files), counted


def _linked_to(facts: InitiativeFacts, item: EvidenceFile) -> str:
    if item.linked_kind == "activity" and (activity := facts.activity(item.linked_id)):
        return _("Activity: %(title)s (%(day)s)", title=activity.title, day=_day(activity.on))
    if item.linked_kind == "decision" and (decision := facts.decision(item.linked_id)):
        return _("Decision: %(text)s", text=_quote(decision.text, 80))
    label = EVIDENCE_LINK_LABELS.get(item.linked_kind)
    return _(label) if label else item.linked_kind


def _audit_section(inputs: ReportInputs, scope: str) -> Section:
    paragraphs = [
        _(
            "Every change to these records is kept in a tamper-evident audit trail: each entry is chained to the one "
            "before by a SHA-256 hash, and the organisation signs checkpoints of the whole trail."
        ),
        with_english(
            _(
                "The JSON download of this report holds the signed checkpoint and proofs for the entries it relies "
                "on; anyone can check it offline with: %(command)s",
                command=VERIFY_COMMAND,
            ),
            ((VERIFY_COMMAND, "command"),),
        ),
    ]
    tables = []
    checkpoint = inputs.checkpoint
    if checkpoint is not None:
        rows = (
            (_("Organisation"), checkpoint.organisation),
            (_("Entries covered"), checkpoint.tree_size),
            (_("Root hash"), checkpoint.root_hash),
            (_("Signed at"), checkpoint.issued_at),
            (_("Signing key"), checkpoint.key_id),
            (_("Signature"), checkpoint.signature),
        )
        tables.append(
            Table(
                "audit_checkpoint",
                _("Signed audit checkpoint"),
                _cols(("item", _("Item")), ("value", _("Value"))),
                rows,
            )
        )
    else:
        paragraphs.append(_("No signed checkpoint was available when this report was made."))
    audit = inputs.audit or AuditSummary()
    paragraphs.append(
        ngettext(
            "%(num)s audit entry was recorded for %(scope)s up to %(day)s.",
            "%(num)s audit entries were recorded for %(scope)s up to %(day)s.",
            audit.events,
            scope=scope,
            day=_day(inputs.period.as_of),
        )
    )
    labels = dict(audit.action_labels)
    translate = translator()
    tables.append(
        Table(
            "audit_events",
            _("Audit entries by kind"),
            _cols(
                ("what", _("What happened")),
                ("action", _("Kind of entry"), _("The audit action name")),
                _num("entries", _("Entries")),
            ),
            tuple(
                (labels[action].render(translate) if action in labels else "", action, count)
                for action, count in audit.by_action
            ),
            empty=_("No audit entries."),
        )
    )
    return Section("audit", _("Audit trail"), tuple(paragraphs), tuple(tables))


def _stage_participation(summaries: Sequence[InitiativeSummary]) -> dict[StageKind, dict[str, object]]:
    out = {kind: {"activities": 0, "attendances": 0, "contributed": 0, "people": set()} for kind in STAGE_ORDER}
    for summary in summaries:
        for kind in STAGE_ORDER:
            stage = summary.stage_participation(kind)
            bucket = out[kind]
            bucket["activities"] += stage.activities
            bucket["attendances"] += stage.partner_attendances
            bucket["contributed"] += stage.contributed
            bucket["people"].update(stage.partners)
            bucket["people"].update(("guest", name) for name in stage.guests)
    return out


def _rating_counts(summaries: Sequence[InitiativeSummary]) -> tuple[Counter[int], Counter[int]]:
    partners: Counter[int] = Counter()
    staff: Counter[int] = Counter()
    for summary in summaries:
        partners.update(summary.partner_ratings)
        staff.update(summary.staff_ratings)
    return partners, staff


def _participation_tables(
    summaries: Sequence[InitiativeSummary], period: Period, suppress: bool
) -> tuple[tuple[Table, Chart], tuple[Table, Chart]]:
    count = _small if suppress else (lambda n: n)
    bar = _shown if suppress else (lambda n: n)
    stages = _stage_participation(summaries)
    stage_rows = tuple(
        (
            _(STAGE_LABELS[kind]),
            stages[kind]["activities"],
            count(stages[kind]["attendances"]),
            count(stages[kind]["contributed"]),
            count(len(stages[kind]["people"])),
        )
        for kind in STAGE_ORDER
    )
    stage_table = Table(
        "participation_by_stage",
        _("Citizen partners taking part, by stage"),
        _cols(
            ("stage", _("Stage")),
            _num("activities", _("Activities")),
            _num("partner_attendances", _("Citizen partner attendances"), _("Times a citizen partner attended")),
            _num("partners_contributed", _("Times they contributed"), _("Attendances where the partner contributed")),
            _num("different_partners", _("Different citizen partners"), _("How many different citizen partners")),
        ),
        stage_rows,
        note=_("Numbers from 1 to 4 are shown as 'fewer than 5'.") if suppress else "",
    )
    attendances = [stages[k]["attendances"] for k in STAGE_ORDER]
    busiest = max(STAGE_ORDER, key=lambda k: stages[k]["attendances"])
    stage_chart = Chart(
        "chart_participation_by_stage",
        _("Citizen partner attendances by stage"),
        (
            _(
                "A bar chart of citizen partner attendances in each stage. The most were in the %(stage)s stage. "
                "The table beside it has the numbers.",
                stage=_(STAGE_LABELS[busiest]).lower(),
            )
            if any(attendances)
            else _("A bar chart of citizen partner attendances in each stage: none are recorded yet.")
        ),
        tuple(_(STAGE_LABELS[k]) for k in STAGE_ORDER),
        (
            Series(_("Attendances"), tuple(bar(n) for n in attendances)),
            Series(_("Contributed"), tuple(bar(stages[k]["contributed"]) for k in STAGE_ORDER)),
        ),
        "participation_by_stage",
    )
    partners, staff = _rating_counts(summaries)
    rating_rows = tuple(
        (f"{rung}. {_(RUNG_WORDS[rung]).capitalize()}", count(partners[rung]), count(staff[rung]))
        for rung in LADDER_RUNGS
    )
    rating_table = Table(
        "ladder_ratings",
        _("Ladder of co-production ratings, citizen partners and staff"),
        _cols(
            ("rung", _("Rung of the ladder"), _("1 (coercion) to 7 (co-production)")),
            _num("citizen_partner_ratings", _("Citizen partners' ratings"), _("How many ratings at this rung")),
            _num("staff_ratings", _("Staff ratings"), _("How many ratings at this rung")),
        ),
        rating_rows,
        note=_("Numbers from 1 to 4 are shown as 'fewer than 5'.") if suppress else "",
    )
    partner_values = [r for r, n in partners.items() for _ in range(n)]
    staff_values = [r for r, n in staff.items() for _ in range(n)]
    if partner_values or staff_values:
        summary = _(
            "A bar chart of how people rated activities on the ladder of co-production, from 1 to 7, citizen "
            "partners' ratings beside staff's. The table beside it has the numbers."
        )
    else:
        summary = _("A bar chart of ladder ratings: nobody has rated an activity yet.")
    rating_chart = Chart(
        "chart_ladder_ratings",
        _("Ladder ratings"),
        summary,
        tuple(str(rung) for rung in LADDER_RUNGS),
        (
            Series(_("Citizen partners"), tuple(bar(partners[r]) for r in range(1, 8))),
            Series(_("Staff"), tuple(bar(staff[r]) for r in range(1, 8))),
        ),
        "ladder_ratings",
    )
    return (stage_table, stage_chart), (rating_table, rating_chart)


def _cqc_section(
    inputs: ReportInputs, evaluated_by_initiative: Sequence[tuple[object, Sequence[_Evaluated]]]
) -> Section:
    cqc_framework = inputs.library.cqc_for(inputs.nation)
    cqc = cqc_framework.cqc if cqc_framework is not None else None
    if cqc is None:
        nation = _(NATION_LABELS[inputs.nation]) if inputs.nation in NATION_LABELS else inputs.nation
        return Section(
            "cqc",
            _("CQC quality statements"),
            (
                _(
                    "The Care Quality Commission's assessment of councils applies in England. "
                    "This organisation is in %(nation)s.",
                    nation=nation,
                ),
            ),
        )
    # CQC's own words (statement, theme and category titles) are written in English only.
    categories = {c.id: english_only(c.title) for c in cqc.evidence_categories}
    themes = {t.id: english_only(t.title) for t in cqc.themes}
    rows = []
    for statement in cqc.quality_statements:
        supporting = [
            e for _, items in evaluated_by_initiative for e in items if statement.id in e.criterion.cqc_statements
        ]
        counts = Counter(e.finding.status.value for e in supporting)
        rows.append(
            (
                english_only(f"{statement.id}: {statement.title}"),
                themes.get(statement.theme_id, statement.theme_id),
                len({e.criterion.id for e in supporting}),
                counts["met"],
                counts["partly_met"],
                counts["not_met"],
                english_only(", ".join(categories.get(c, c) for c in statement.likely_evidence)),
            )
        )
    rows.sort(key=lambda r: (r[2] == 0, -(r[5] + r[4]), r[0]))
    table = Table(
        "cqc_quality_statements",
        _("CQC quality statements these records can support"),
        _cols(
            ("statement", _("Quality statement")),
            ("theme", _("Theme")),
            _num("criteria", _("Criteria that support it")),
            _num("met", _("Met")),
            _num("partly_met", _("Partly met")),
            _num("not_met", _("Not met")),
            ("evidence_categories", _("Kinds of evidence"), _("CQC evidence categories these records fall under")),
        ),
        tuple(rows),
    )
    return Section(
        "cqc",
        _("CQC quality statements"),
        (
            _(
                "Which of CQC's quality statements for councils these records could help show, and the kinds of "
                "evidence CQC looks at. The link between criteria and statements is our proposal, not CQC's."
            ),
        ),
        (table,),
    )


def _source_columns():
    return _cols(
        ("criterion", _("Criterion"), _("The criterion's id and title")),
        ("source", _("Where it says so"), _("The instrument and chapter or section")),
        (
            "checked_references",
            _("Exact references checked"),
            _("Only references checked against the text in force now, with what was read, when and its address"),
        ),
    )


def _notice_gettext(text: str, **values: object) -> str:
    return _(text, **values)


def _sources_section(frameworks: Sequence[Framework], criterion_ids: set[str] | None = None) -> Section:
    """Where each criterion in the report comes from, in the words every page uses (criteria.citations)."""
    subsections = []
    for framework in frameworks:
        criteria = [c for c in framework.criteria if criterion_ids is None or c.id in criterion_ids]
        if not criteria:
            continue
        rows = []
        for criterion in criteria:
            citation = cite(criterion)
            rows.append(
                (
                    f"{criterion.id}: {localized(criterion, 'title')}",
                    # The names of laws and guidance, and what was read of them, are cited in English.
                    english_only(citation.source),
                    english_only("; ".join(r.text_with_address for r in citation.checked)),
                )
            )
        notice = framework_checks(framework).notice_in(_notice_gettext, ngettext)
        title = localized(framework, "title")
        subsections.append(
            Section(
                f"sources-{framework.id.replace('_', '-')}",
                # Not the bare title: the criteria section already has a part named after each framework.
                _("Sources: %(framework)s", framework=title),
                (notice,) if notice else (),
                (
                    Table(
                        f"sources_{framework.id}",
                        _("%(framework)s: sources", framework=title),
                        _source_columns(),
                        tuple(rows),
                    ),
                ),
            )
        )
    return Section(
        "sources",
        _("Where each criterion comes from"),
        (
            _(
                "An exact section, regulation or paragraph number is given only when it has been checked against "
                "the version of the text in force now, with what was read, when and where. Otherwise only the "
                "instrument and chapter or section is given."
            ),
        ),
        subsections=tuple(subsections),
    )


def _participation_section(summaries: Sequence[InitiativeSummary], inputs: ReportInputs) -> Section:
    period = inputs.period
    partners: set[object] = set()
    kinds: dict[str, set[object]] = defaultdict(set)
    requested = provided = 0
    for summary in summaries:
        requested += summary.adjustments_requested
        provided += summary.adjustments_provided
        for user_id in summary.partners:
            partners.add(user_id)
            person = inputs.people.get(user_id)
            kinds[person.partner_kind if person and person.partner_kind else "unknown"].add(user_id)
        for name in summary.partner_guests:
            key = ("guest", summary.initiative_id, name)
            partners.add(key)
            kinds["unknown"].add(key)
    rate_shown = (
        _shown(requested) is not None and _shown(provided) is not None and _shown(requested - provided) is not None
    )
    summary = Table(
        "participation_summary",
        _("Participation at a glance"),
        _cols(("measure", _("Measure")), ("value", _("Value"))),
        (
            (_("Citizen partners involved"), _small(len(partners))),
            (_("Adjustments asked for"), _small(requested)),
            (_("Adjustments provided"), _small(provided)),
            (
                _("Adjustments provided rate"),
                _percent(provided, requested) if rate_shown else (_(SUPPRESSED) if requested else ""),
            ),
        ),
    )
    kind_rows = tuple(
        (
            _(PARTNER_KIND_WORDS[kind]).capitalize() if kind in PARTNER_KIND_WORDS else _("Not recorded"),
            _small(len(people)),
        )
        for kind, people in sorted(kinds.items())
    )
    kinds_table = Table(
        "partners_by_kind",
        _("Citizen partners involved, by kind of partner"),
        _cols(("kind", _("Kind of partner")), _num("people", _("People"))),
        kind_rows,
        note=_("Numbers from 1 to 4 are shown as 'fewer than 5'."),
    )
    (stage_table, stage_chart), (rating_table, rating_chart) = _participation_tables(summaries, period, True)
    return Section(
        "participation",
        _("Participation"),
        (),
        (summary, kinds_table, stage_table, rating_table),
        (stage_chart, rating_chart),
    )
