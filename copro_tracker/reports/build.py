"""Turn facts, findings, people's assessments and the audit state into a ``Report`` value. Pure: no Flask,
no database. The loader (``reports/data.py``) gathers the inputs; the renderers (``render_*.py``) only
read the ``Report``.

A report is a title, some notes, and sections of tables (and charts drawn from those tables). Every
renderer is generic over that shape, so the HTML page, the PDF, the CSV files and the JSON bundle
always say the same thing.

What "as at" means (``Period.as_of``), part by part
--------------------------------------------------
- Activities, attendance, ratings, decisions and positions: those held on or before the date.
- Members: people who had joined by the date; someone who left later shows as still a member.
- Stages: worked out from their dates. A stage opened after the date shows as not started; one closed
  after it shows as in progress. Sign-offs are those given on or before the date (current round only).
- "You said, we did": recommendations raised by the date; a response given after it is not shown.
- Evidence files: uploaded by the date. Consent is always today's: a withdrawn consent applies to
  reports about the past too.
- Criteria: judged on everything recorded up to the date (never narrowed by the date range).
- People's assessments: the newest one made by the date; a co-signature or disagreement after it is
  not shown.
- Initiative title, summary and people's names: as they are now.
- Audit: events up to the end of the date are counted; the signed checkpoint is the one made when the
  report was produced, so it covers everything up to that moment.

The date range (``date_from``/``date_to``) only narrows the lists: activities, attendance, decisions,
recommendations, sign-offs, evidence files and memberships that overlap it.

Consent (evidence files): "do not use" files are left out entirely, not even counted; "aggregate only"
files appear only in counts; "anonymised" files are listed without their name or description, and the
person who added them is shown by a pseudonym. With ``anonymise_partners`` every citizen partner is
shown by a pseudonym throughout. Pseudonyms ("Citizen partner A", "Staff member B") are given in order
of first appearance and stay the same for a person everywhere in one report.

Small numbers: in the portfolio and quality-statement reports, which combine initiatives, counts of 1
to 4 in participation breakdowns are shown as "fewer than 5" (and charts leave those bars out). The
initiative report names its members anyway, so it is not suppressed.

Every value in a report is a string, an integer, a date or None (never a float), so the JSON bundle
can be hashed canonically.
"""

from __future__ import annotations

import re
import string
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ..codes import (
    ACTIVITY_KIND_LABELS,
    CONSENT_LABELS,
    EVIDENCE_LINK_LABELS,
    FINDING_STATUS_LABELS,
    GAPS,
    LADDER_RUNGS,
    MEMBER_ROLE_LABELS,
    NATION_LABELS,
    OUTPUT_FORMAT_LABELS,
    OUTPUT_KIND_LABELS,
    POSITION_LABELS,
    RECIPROCITY_KIND_LABELS,
    RESPONSE_LABELS,
    STAGE_LABELS,
    STAGE_ORDER,
    STAGE_STATUS_LABELS,
    ConsentLevel,
    ReportKind,
    StageKind,
    StageStatus,
    status_rank,
)
from ..criteria.citations import cite, framework_checks
from ..criteria.framework import Criterion, Framework, Library
from ..criteria.rules import (
    FUNCTION_WORDS,
    NEED_WORDS,
    PARTNER_KIND_WORDS,
    RUNG_WORDS,
    Finding,
    Reason,
    evaluate_all,
)
from ..criteria.snapshot import InitiativeFacts, Stage
from ..domain.assessments import assessments_that_count
from ..domain.follow_through import review_overdue

REPORT_FORMAT = "copro-report/1"
SMALL_NUMBER = 5
SUPPRESSED = "fewer than 5"

Cell = str | int | date | None


# ---------------------------------------------------------------------------------------------------
# Inputs (built by reports/data.py from the database, or by hand in tests)


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    citizen_partner: bool
    partner_kind: str | None = None


@dataclass(frozen=True, slots=True)
class InitiativeDetails:
    """What a report shows about an initiative that the criteria snapshot does not carry."""

    id: int
    title: str
    summary: str = ""
    service_area: str = ""
    level: str = "collective"
    closed_on: date | None = None


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    id: int
    initiative_id: int
    filename: str
    consent: ConsentLevel
    sha256: str
    size: int = 0
    content_type: str = ""
    description: str = ""
    uploaded_by: int | None = None
    uploaded_on: date | None = None
    linked_kind: str = "initiative"
    linked_id: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.consent, ConsentLevel):
            object.__setattr__(self, "consent", ConsentLevel(self.consent))


@dataclass(frozen=True, slots=True)
class HumanAssessment:
    """The newest people's assessment of one criterion for one initiative (as at the report date)."""

    initiative_id: int
    framework_id: str
    criterion_id: str
    status: str
    narrative: str = ""
    assessed_by: int | None = None
    assessed_on: date | None = None
    cosigned_by: int | None = None
    cosigned_on: date | None = None
    disagreed_by: int | None = None
    disagreed_on: date | None = None
    disagreement_reason: str = ""
    # The assessment's record id: the newest (highest) one counts (domain.assessments).
    id: int = 0


@dataclass(frozen=True, slots=True)
class AuditSummary:
    events: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    by_action: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class CheckpointInfo:
    organisation: str
    tree_size: int
    root_hash: str
    issued_at: str
    signature: str
    key_id: str = ""


@dataclass(frozen=True, slots=True)
class Period:
    as_of: date
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("the start of the date range is after its end")
        if self.date_from and self.date_from > self.as_of:
            raise ValueError("the start of the date range is after the 'as at' date")

    def covers(self, day: date | None) -> bool:
        if day is None:
            return self.date_from is None and self.date_to is None
        return (self.date_from is None or day >= self.date_from) and (self.date_to is None or day <= self.date_to)

    def overlaps(self, start: date | None, end: date | None) -> bool:
        starts_in_time = self.date_to is None or start is None or start <= self.date_to
        ends_in_time = self.date_from is None or end is None or end >= self.date_from
        return starts_in_time and ends_in_time

    @property
    def ranged(self) -> bool:
        return self.date_from is not None or self.date_to is not None


@dataclass(frozen=True)
class ReportInputs:
    organisation: str
    nation: str
    generated_at: datetime
    period: Period
    library: Library
    initiatives: tuple[tuple[InitiativeDetails, InitiativeFacts], ...]
    people: Mapping[int, Person] = field(default_factory=dict)
    evidence: tuple[EvidenceFile, ...] = ()
    assessments: tuple[HumanAssessment, ...] = ()
    # Recommendation id -> the day its response was given (responses after the "as at" date are hidden).
    responded_on: Mapping[int, date] = field(default_factory=dict)
    audit: AuditSummary | None = None
    checkpoint: CheckpointInfo | None = None
    anonymise_partners: bool = False


# ---------------------------------------------------------------------------------------------------
# The report value


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    description: str = ""
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    id: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # The first cell of each row names the row (rendered as <th scope="row">).
    row_headers: bool = True
    empty: str = "Nothing recorded."
    note: str = ""

    def column(self, key: str) -> list[Cell]:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def as_dicts(self) -> list[dict[str, Cell]]:
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    # None means suppressed (a small number): the bar is left out and the data table says why.
    values: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    id: str
    title: str
    # A one- or two-sentence text alternative; the data table beside the chart has every number.
    summary: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    table_id: str


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True)
class ListedFile:
    """An evidence file the report lists, as named in the JSON bundle's ``files``."""

    evidence_id: int
    bundle_name: str
    sha256: str


@dataclass(frozen=True)
class Report:
    kind: ReportKind
    title: str
    organisation: str
    generated_at: datetime
    period: Period
    notes: tuple[str, ...]
    sections: tuple[Section, ...]
    files: tuple[ListedFile, ...] = ()
    initiative_ids: tuple[int, ...] = ()
    activity_count: int = 0
    checkpoint: CheckpointInfo | None = None
    params: tuple[tuple[str, str], ...] = ()

    def all_sections(self) -> Iterator[Section]:
        for section in self.sections:
            yield section
            yield from section.subsections

    def tables(self) -> Iterator[Table]:
        for section in self.all_sections():
            yield from section.tables

    def table(self, table_id: str) -> Table:
        for table in self.tables():
            if table.id == table_id:
                return table
        raise KeyError(table_id)

    @property
    def row_count(self) -> int:
        return sum(len(t.rows) for t in self.tables())

    def to_data(self) -> dict:
        """Plain JSON-ready data (strings, integers, lists, objects): what the JSON bundle carries."""
        return {
            "format": REPORT_FORMAT,
            "kind": self.kind.value,
            "title": self.title,
            "organisation": self.organisation,
            "generated_at": _iso(self.generated_at),
            "as_of": self.period.as_of.isoformat(),
            "date_from": _json_cell(self.period.date_from),
            "date_to": _json_cell(self.period.date_to),
            "params": dict(self.params),
            "notes": list(self.notes),
            "sections": [_section_data(s) for s in self.sections],
            "evidence_files": [
                {"evidence_id": f.evidence_id, "name": f.bundle_name, "sha256": f.sha256} for f in self.files
            ],
        }


def _iso(value: datetime) -> str:
    return value.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def _json_cell(value: Cell) -> str | int | None:
    return value.isoformat() if isinstance(value, date) else value


def _section_data(section: Section) -> dict:
    return {
        "id": section.id,
        "heading": section.heading,
        "paragraphs": list(section.paragraphs),
        "tables": [
            {
                "id": t.id,
                "caption": t.caption,
                "columns": [{"key": c.key, "label": c.label} for c in t.columns],
                "rows": [[_json_cell(cell) for cell in row] for row in t.rows],
                "note": t.note,
            }
            for t in section.tables
        ],
        "subsections": [_section_data(s) for s in section.subsections],
    }


# ---------------------------------------------------------------------------------------------------
# Words come from the labels kept beside the codes (copro_tracker.codes); only the pseudonym prefixes are here.
SIDE_WORDS = {True: "Citizen partner", False: "Staff member"}


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _small(count: int) -> int | str:
    """A count for a breakdown, or "fewer than 5" for 1 to 4 (0 discloses nothing about a person)."""
    return SUPPRESSED if 0 < count < SMALL_NUMBER else count


def _shown(count: int) -> int | None:
    return None if 0 < count < SMALL_NUMBER else count


def _ratings(values: Sequence[int]) -> str:
    """Each rating given, highest first ("6, 5"): ladder ratings are shown side by side, never averaged."""
    return ", ".join(str(v) for v in sorted(values, reverse=True))


def _views_differ(partner: Sequence[int], staff: Sequence[int]) -> str:
    """Whether the two sides' ratings differ at all: one rung is still a difference."""
    if not partner or not staff:
        return ""
    return "Yes" if len(set(partner) | set(staff)) > 1 else "No"


def _percent(part: int, whole: int) -> str:
    return f"{round(part * 100 / whole)}%" if whole else ""


def _letters(number: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA ..."""
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = string.ascii_uppercase[rest] + out
    return out


def _quote(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cols(*specs: tuple[str, str] | tuple[str, str, str] | Column) -> tuple[Column, ...]:
    out = []
    for spec in specs:
        if isinstance(spec, Column):
            out.append(spec)
        else:
            out.append(Column(*spec))
    return tuple(out)


def _num(key: str, label: str, description: str = "") -> Column:
    return Column(key, label, description, numeric=True)


# ---------------------------------------------------------------------------------------------------
# Names and consent


class Names:
    """Every person's name in a report goes through here, so pseudonyms stay stable within it."""

    def __init__(self, people: Mapping[int, Person], anonymise_partners: bool) -> None:
        self.people = people
        self.anonymise_partners = anonymise_partners
        self._given: dict[tuple[str, object], str] = {}
        self._counts: Counter[bool] = Counter()

    def pseudonym(self, key: tuple[str, object], citizen_partner: bool) -> str:
        if key not in self._given:
            self._given[key] = f"{SIDE_WORDS[citizen_partner]} {_letters(self._counts[citizen_partner])}"
            self._counts[citizen_partner] += 1
        return self._given[key]

    def person(self, user_id: int | None, *, anonymise: bool = False) -> str:
        if user_id is None:
            return ""
        person = self.people.get(user_id)
        if person is None:
            return "Someone no longer on record"
        if anonymise or (self.anonymise_partners and person.citizen_partner):
            return self.pseudonym(("user", user_id), person.citizen_partner)
        return person.name

    def guest(self, name: str, citizen_partner: bool) -> str:
        if self.anonymise_partners and citizen_partner:
            return self.pseudonym(("guest", name), True)
        return f"{name} (guest)"

    def is_partner(self, user_id: int | None) -> bool:
        person = self.people.get(user_id) if user_id is not None else None
        return bool(person and person.citizen_partner)


def usable_evidence(files: Iterable[EvidenceFile]) -> tuple[list[EvidenceFile], int]:
    """(files that may be listed, how many more may only be counted); "do not use" files are dropped."""
    listed, counted = [], 0
    for item in files:
        if item.consent in (ConsentLevel.NAMED, ConsentLevel.ANONYMISED):
            listed.append(item)
        elif item.consent == ConsentLevel.AGGREGATE_ONLY:
            counted += 1
    return listed, counted


def _safe_file_name(name: str) -> str:
    kept = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name).strip(".-")
    return kept[:80] or "file"


def _extension(item: EvidenceFile) -> str:
    stem, dot, ext = item.filename.rpartition(".")
    return f".{_safe_file_name(ext).lower()}" if dot and stem and len(ext) <= 5 else ""


def bundle_file_name(item: EvidenceFile) -> str:
    if item.consent == ConsentLevel.NAMED:
        return f"evidence-{item.id}-{_safe_file_name(item.filename)}"
    return f"evidence-{item.id}{_extension(item)}"


# ---------------------------------------------------------------------------------------------------
# As-at views of an initiative


def stage_status_as_at(stage: Stage, as_of: date) -> StageStatus:
    if stage.status == StageStatus.NOT_STARTED or stage.opened_on is None or stage.opened_on > as_of:
        return StageStatus.NOT_STARTED
    if stage.closed_on is not None and stage.closed_on <= as_of:
        return StageStatus.COMPLETE
    if stage.status == StageStatus.COMPLETE:
        return StageStatus.IN_PROGRESS
    return stage.status


def _left_on(left_on: date | None, as_of: date) -> date | None:
    return left_on if left_on is not None and left_on <= as_of else None


def latest_assessments(items: Iterable[HumanAssessment], initiative_id: int) -> dict[tuple[str, str], HumanAssessment]:
    """(framework id, criterion id) -> the assessment that counts for this initiative (domain.assessments)."""
    counted = assessments_that_count(item for item in items if item.initiative_id == initiative_id)
    return {(item.framework_id, item.criterion_id): item for item in counted.values()}


@dataclass(frozen=True, slots=True)
class _Evaluated:
    framework: Framework
    criterion: Criterion
    finding: Finding
    assessment: HumanAssessment | None


def evaluate_initiative(
    inputs: ReportInputs, facts: InitiativeFacts, frameworks: Sequence[Framework]
) -> list[_Evaluated]:
    criteria = [(f, c) for f in frameworks for c in f.criteria]
    findings = evaluate_all([c for _, c in criteria], facts)
    assessed = latest_assessments(inputs.assessments, facts.initiative.id)
    return [
        _Evaluated(f, c, finding, assessed.get((f.id, c.id)))
        for (f, c), finding in zip(criteria, findings, strict=True)
    ]


def _assessment_words(names: Names, item: HumanAssessment | None) -> tuple[str, str, str]:
    """(status, who assessed, citizen partner's response) for a table row."""
    if item is None:
        return "Not assessed yet", "", ""
    status = FINDING_STATUS_LABELS.get(item.status, item.status)
    by = names.person(item.assessed_by)
    if item.assessed_on:
        by = f"{by}, {_day(item.assessed_on)}"
    if item.cosigned_by is not None:
        response = f"Co-signed by {names.person(item.cosigned_by)}"
    elif item.disagreed_by is not None:
        response = f"{names.person(item.disagreed_by)} disagreed: {item.disagreement_reason}".rstrip(": ")
    else:
        response = "Waiting for a citizen partner to co-sign"
    return status, by, response


def _reasons(finding: Finding, names: Names) -> str:
    return " ".join(_reason_text(reason, names) for reason in finding.reasons)


def _reason_text(reason: Reason, names: Names) -> str:
    """The reason as this report may show it: a person is named as the report names them (a pseudonym
    when anonymised). Rules put a person's name in the text only with a member reference labelled with it."""
    text = reason.text
    for ref in reason.refs:
        if ref.kind == "member" and isinstance(ref.id, int) and ref.label:
            shown = names.person(ref.id)
            if shown != ref.label:
                text = re.sub(rf"(?<!\w){re.escape(ref.label)}(?!\w)", shown, text)
    return text


def _records(finding: Finding, names: Names) -> str:
    """The records behind a finding (meetings, decisions, outputs, people), named as in the rest of the report."""
    labels = [names.person(ref.id) if ref.kind == "member" else ref.label for ref in finding.evidence_refs]
    return "; ".join(dict.fromkeys(label for label in labels if label.strip()))


# ---------------------------------------------------------------------------------------------------
# Shared sections


def _notes(period: Period, kind: ReportKind) -> tuple[str, ...]:
    notes = [
        (
            f"This report shows the records as at {_day(period.as_of)}: activities, decisions, memberships and "
            "files dated after that are left out, and stages are shown as they stood on that day. Criteria are "
            "checked against everything recorded up to that date."
        ),
    ]
    if period.ranged:
        start = _day(period.date_from) if period.date_from else "the start"
        end = _day(period.date_to) if period.date_to else _day(period.as_of)
        notes.append(
            f"Lists of activities, decisions, recommendations, sign-offs and files cover {start} to {end} only."
        )
    notes.append(
        "Files are used only as their consent allows: files marked 'do not use' are left out, files marked "
        "'counted only' appear only in totals, and anonymised files are listed without names."
    )
    if kind != ReportKind.INITIATIVE:
        notes.append(
            "To protect people's privacy, numbers from 1 to 4 in breakdowns of who took part are shown as "
            "'fewer than 5'."
        )
    return tuple(notes)


def _evidence_section(names: Names, facts_by_id: Mapping[int, InitiativeFacts], inputs: ReportInputs, period: Period):
    files = [f for f in inputs.evidence if f.initiative_id in facts_by_id and period.covers(f.uploaded_on)]
    listed, counted = usable_evidence(files)
    several = len(facts_by_id) > 1
    rows = []
    listed_files = []
    for item in listed:
        facts = facts_by_id[item.initiative_id]
        anonymised = item.consent == ConsentLevel.ANONYMISED
        name = f"Anonymised file {item.id}" if anonymised else item.filename
        rows.append(
            (
                name,
                *((facts.initiative.title,) if several else ()),
                _linked_to(facts, item),
                CONSENT_LABELS[item.consent],
                item.content_type,
                item.size,
                item.uploaded_on,
                names.person(item.uploaded_by, anonymise=anonymised),
                "" if anonymised else item.description,
                item.sha256,
            )
        )
        listed_files.append(ListedFile(item.id, bundle_file_name(item), item.sha256))
    columns = _cols(
        ("file", "File", "The file's name; anonymised files are not named"),
        *((("initiative", "Initiative", "The initiative the file belongs to"),) if several else ()),
        ("linked_to", "Linked to", "The record the file supports"),
        ("consent", "Consent", "How the file may be used in reports"),
        ("type", "Type", "The file's type, worked out from its content"),
        _num("size_bytes", "Size in bytes"),
        ("uploaded_on", "Added on", "The date the file was added"),
        ("added_by", "Added by", "Who added the file (a pseudonym for anonymised files)"),
        ("description", "Description", "What the file is (left out for anonymised files)"),
        ("sha256", "SHA-256", "The file's SHA-256 fingerprint: any change to the file changes it"),
    )
    paragraphs = ["Each file's SHA-256 fingerprint lets anyone check that a copy of the file is the one recorded here."]
    if counted:
        paragraphs.append(
            f"{counted} more {'file is' if counted == 1 else 'files are'} held that may only be counted, "
            "so they are not listed."
        )
    table = Table("evidence_files", "Evidence files", columns, tuple(rows), empty="No files can be listed.")
    return Section("evidence", "Evidence files", tuple(paragraphs), (table,)), tuple(listed_files), counted


def _linked_to(facts: InitiativeFacts, item: EvidenceFile) -> str:
    if item.linked_kind == "activity" and (activity := facts.activity(item.linked_id)):
        return f"Activity: {activity.title} ({_day(activity.on)})"
    if item.linked_kind == "decision" and (decision := facts.decision(item.linked_id)):
        return f"Decision: {_quote(decision.text, 80)}"
    return EVIDENCE_LINK_LABELS.get(item.linked_kind, item.linked_kind)


def _audit_section(inputs: ReportInputs, scope: str) -> Section:
    paragraphs = [
        (
            "Every change to these records is kept in a tamper-evident audit trail: each entry is chained to the one "
            "before by a SHA-256 hash, and the organisation signs checkpoints of the whole trail."
        ),
        (
            "The JSON download of this report holds the signed checkpoint and proofs for the entries it relies on; "
            "anyone can check it offline with: python -m copro_tracker.audit.verify report.json"
        ),
    ]
    tables = []
    checkpoint = inputs.checkpoint
    if checkpoint is not None:
        rows = (
            ("Organisation", checkpoint.organisation),
            ("Entries covered", checkpoint.tree_size),
            ("Root hash", checkpoint.root_hash),
            ("Signed at", checkpoint.issued_at),
            ("Signing key", checkpoint.key_id),
            ("Signature", checkpoint.signature),
        )
        tables.append(
            Table(
                "audit_checkpoint",
                "Signed audit checkpoint",
                _cols(("item", "Item"), ("value", "Value")),
                rows,
            )
        )
    else:
        paragraphs.append("No signed checkpoint was available when this report was made.")
    audit = inputs.audit or AuditSummary()
    paragraphs.append(
        f"{audit.events} audit {'entry was' if audit.events == 1 else 'entries were'} recorded for {scope} "
        f"up to {_day(inputs.period.as_of)}."
    )
    tables.append(
        Table(
            "audit_events",
            "Audit entries by kind",
            _cols(("action", "Kind of entry", "The audit action name"), _num("entries", "Entries")),
            tuple((action, count) for action, count in audit.by_action),
            empty="No audit entries.",
        )
    )
    return Section("audit", "Audit trail", tuple(paragraphs), tuple(tables))


def _stage_participation(facts_list: Sequence[InitiativeFacts], period: Period) -> dict[StageKind, dict[str, object]]:
    out = {kind: {"activities": 0, "attendances": 0, "contributed": 0, "people": set()} for kind in STAGE_ORDER}
    for facts in facts_list:
        for activity in facts.activities:
            if not period.covers(activity.on):
                continue
            bucket = out[activity.stage]
            bucket["activities"] += 1
            for row in facts.partner_attendance_at(activity.id):
                bucket["attendances"] += 1
                bucket["contributed"] += row.contributed
                bucket["people"].add(row.user_id if row.user_id is not None else ("guest", row.guest_name))
    return out


def _rating_counts(facts_list: Sequence[InitiativeFacts], period: Period) -> tuple[Counter[int], Counter[int]]:
    partners: Counter[int] = Counter()
    staff: Counter[int] = Counter()
    for facts in facts_list:
        for row in facts.attendance:
            activity = facts.activity(row.activity_id)
            if row.rating is None or activity is None or not period.covers(activity.on):
                continue
            (partners if row.is_citizen_partner else staff)[row.rating] += 1
    return partners, staff


def _participation_tables(
    facts_list: Sequence[InitiativeFacts], period: Period, suppress: bool
) -> tuple[tuple[Table, Chart], tuple[Table, Chart]]:
    count = _small if suppress else (lambda n: n)
    bar = _shown if suppress else (lambda n: n)
    stages = _stage_participation(facts_list, period)
    stage_rows = tuple(
        (
            STAGE_LABELS[kind],
            stages[kind]["activities"],
            count(stages[kind]["attendances"]),
            count(stages[kind]["contributed"]),
            count(len(stages[kind]["people"])),
        )
        for kind in STAGE_ORDER
    )
    stage_table = Table(
        "participation_by_stage",
        "Citizen partners taking part, by stage",
        _cols(
            ("stage", "Stage"),
            _num("activities", "Activities"),
            _num("partner_attendances", "Citizen partner attendances", "Times a citizen partner attended"),
            _num("partners_contributed", "Times they contributed", "Attendances where the partner contributed"),
            _num("different_partners", "Different citizen partners", "How many different citizen partners"),
        ),
        stage_rows,
        note="Numbers from 1 to 4 are shown as 'fewer than 5'." if suppress else "",
    )
    attendances = [stages[k]["attendances"] for k in STAGE_ORDER]
    busiest = max(STAGE_ORDER, key=lambda k: stages[k]["attendances"])
    stage_chart = Chart(
        "chart_participation_by_stage",
        "Citizen partner attendances by stage",
        (
            f"A bar chart of citizen partner attendances in each stage. The most were in the "
            f"{STAGE_LABELS[busiest].lower()} stage. The table beside it has the numbers."
            if any(attendances)
            else "A bar chart of citizen partner attendances in each stage: none are recorded yet."
        ),
        tuple(STAGE_LABELS[k] for k in STAGE_ORDER),
        (
            Series("Attendances", tuple(bar(n) for n in attendances)),
            Series("Contributed", tuple(bar(stages[k]["contributed"]) for k in STAGE_ORDER)),
        ),
        "participation_by_stage",
    )
    partners, staff = _rating_counts(facts_list, period)
    rating_rows = tuple(
        (f"{rung}. {RUNG_WORDS[rung].capitalize()}", count(partners[rung]), count(staff[rung])) for rung in LADDER_RUNGS
    )
    rating_table = Table(
        "ladder_ratings",
        "Ladder of co-production ratings, citizen partners and staff",
        _cols(
            ("rung", "Rung of the ladder", "1 (coercion) to 7 (co-production)"),
            _num("citizen_partner_ratings", "Citizen partners' ratings", "How many ratings at this rung"),
            _num("staff_ratings", "Staff ratings", "How many ratings at this rung"),
        ),
        rating_rows,
        note="Numbers from 1 to 4 are shown as 'fewer than 5'." if suppress else "",
    )
    partner_values = [r for r, n in partners.items() for _ in range(n)]
    staff_values = [r for r, n in staff.items() for _ in range(n)]
    if partner_values or staff_values:
        summary = (
            "A bar chart of how people rated activities on the ladder of co-production, from 1 to 7, citizen "
            "partners' ratings beside staff's. The table beside it has the numbers."
        )
    else:
        summary = "A bar chart of ladder ratings: nobody has rated an activity yet."
    rating_chart = Chart(
        "chart_ladder_ratings",
        "Ladder ratings",
        summary,
        tuple(str(rung) for rung in LADDER_RUNGS),
        (
            Series("Citizen partners", tuple(bar(partners[r]) for r in range(1, 8))),
            Series("Staff", tuple(bar(staff[r]) for r in range(1, 8))),
        ),
        "ladder_ratings",
    )
    return (stage_table, stage_chart), (rating_table, rating_chart)


# ---------------------------------------------------------------------------------------------------
# Initiative report


def build_initiative_report(inputs: ReportInputs) -> Report:
    if len(inputs.initiatives) != 1:
        raise ValueError("an initiative report is about exactly one initiative")
    details, facts = inputs.initiatives[0]
    period = inputs.period
    names = Names(inputs.people, inputs.anonymise_partners)
    frameworks = inputs.library.checked_for(inputs.nation)
    evaluated = evaluate_initiative(inputs, facts, frameworks)
    activities = [a for a in facts.activities if period.covers(a.on)]

    sections = [
        _initiative_summary(details, facts, period, activities, evaluated),
        _members_section(facts, names, period),
        _stages_section(facts, names, period),
        _activities_section(facts, names, period, activities),
        _decisions_section(facts, names, period),
        _recommendations_section(facts, names, inputs),
        _outputs_section(facts, names, period),
        _recognition_section(facts, names, period, activities),
        _adjustments_section(facts, activities),
        _criteria_section(names, evaluated),
        _cqc_section(inputs, [(facts, evaluated)]),
        _sources_section([f for f in frameworks if f.criteria]),
    ]
    evidence, files, _ = _evidence_section(names, {facts.initiative.id: facts}, inputs, period)
    sections.append(evidence)
    sections.append(_audit_section(inputs, "this initiative"))
    return Report(
        kind=ReportKind.INITIATIVE,
        title=f"Evidence report: {details.title}",
        organisation=inputs.organisation,
        generated_at=inputs.generated_at,
        period=period,
        notes=_notes(period, ReportKind.INITIATIVE),
        sections=tuple(sections),
        files=files,
        initiative_ids=(details.id,),
        activity_count=len(activities),
        checkpoint=inputs.checkpoint,
        params=_params(inputs, initiative_id=str(details.id)),
    )


def _params(inputs: ReportInputs, **extra: str) -> tuple[tuple[str, str], ...]:
    period = inputs.period
    values = {
        **extra,
        "as_of": period.as_of.isoformat(),
        "date_from": period.date_from.isoformat() if period.date_from else "",
        "date_to": period.date_to.isoformat() if period.date_to else "",
        "anonymise_partners": "yes" if inputs.anonymise_partners else "no",
    }
    return tuple(sorted(values.items()))


def _status_counts(evaluated: Sequence[_Evaluated]) -> Counter[str]:
    return Counter(e.finding.status.value for e in evaluated)


def _initiative_summary(details, facts: InitiativeFacts, period, activities, evaluated) -> Section:
    if details.closed_on is not None and details.closed_on <= period.as_of:
        status = f"Closed on {_day(details.closed_on)}"
    else:
        current = [s for s in facts.stages if stage_status_as_at(s, period.as_of) != StageStatus.NOT_STARTED]
        shown = current[-1] if current else None
        status = f"{STAGE_LABELS[shown.kind]} stage" if shown else "Not started"
    partners = {
        row.user_id if row.user_id is not None else ("guest", row.guest_name)
        for a in activities
        for row in facts.partner_attendance_at(a.id)
    }
    counts = _status_counts(evaluated)
    rows = (
        ("Initiative", details.title),
        ("What it is about", details.summary),
        ("Service area", details.service_area),
        ("Duties it serves", ", ".join(FUNCTION_WORDS[f].capitalize() for f in facts.initiative.statutory_functions)),
        ("Where it stands", status),
        ("Members", len({m.user_id for m in facts.members if period.overlaps(m.joined_on, m.left_on)})),
        ("Activities", len(activities)),
        ("Citizen partners who took part", len(partners)),
        (
            "Criteria",
            (
                f"{counts['met']} met, {counts['partly_met']} partly met, {counts['not_met']} not met, "
                f"{counts['needs_attestation']} need a person to confirm, {counts['not_applicable']} do not apply"
            ),
        ),
    )
    return Section(
        "summary",
        "Summary",
        (),
        (Table("summary", "About this initiative", _cols(("item", "Item"), ("detail", "Detail")), rows),),
    )


def _members_section(facts: InitiativeFacts, names: Names, period: Period) -> Section:
    rows = []
    for member in sorted(facts.members, key=lambda m: (m.joined_on or date.min, m.user_id)):
        left = _left_on(member.left_on, period.as_of)
        if not period.overlaps(member.joined_on, left):
            continue
        rows.append(
            (
                names.person(member.user_id),
                "Citizen partner" if member.is_citizen_partner else "Commissioner side",
                MEMBER_ROLE_LABELS[member.role.value],
                PARTNER_KIND_WORDS[member.partner_kind].capitalize() if member.partner_kind else "",
                member.joined_on,
                left if left else "Still a member",
            )
        )
    table = Table(
        "members",
        "Members and their roles over time",
        _cols(
            ("name", "Name"),
            ("side", "Side", "Citizen partner or commissioner side"),
            ("role", "Role", "Co-lead, member or observer"),
            ("kind", "Kind of partner"),
            ("joined_on", "Joined"),
            ("left_on", "Left", "The date they left, or 'Still a member'"),
        ),
        tuple(rows),
    )
    return Section(
        "members",
        "Members and roles",
        ("A person who changed role has one row for each role they held, with the dates they held it.",),
        (table,),
    )


def _stages_section(facts: InitiativeFacts, names: Names, period: Period) -> Section:
    stage_rows, sign_rows = [], []
    for kind in STAGE_ORDER:
        stage = facts.stage(kind)
        if stage is None:
            continue
        status = stage_status_as_at(stage, period.as_of)
        signoffs = [s for s in stage.signoffs if s.on is None or s.on <= period.as_of]
        dissent = sum(s.verdict.value == "dissent" for s in signoffs)
        closed = stage.closed_on if stage.closed_on and stage.closed_on <= period.as_of else None
        opened = stage.opened_on if stage.opened_on and stage.opened_on <= period.as_of else None
        stage_rows.append((STAGE_LABELS[kind], STAGE_STATUS_LABELS[status], opened, closed, len(signoffs), dissent))
        for s in signoffs:
            if not period.covers(s.on):
                continue
            sign_rows.append(
                (
                    names.person(s.user_id),
                    STAGE_LABELS[kind],
                    "Citizen partner" if s.by_citizen_partner else "Commissioner side",
                    "Disagreed" if s.verdict.value == "dissent" else "Approved",
                    s.reason,
                    s.on,
                )
            )
    stages = Table(
        "stages",
        "Stages",
        _cols(
            ("stage", "Stage"),
            ("status", "Status"),
            ("opened_on", "Opened"),
            ("closed_on", "Closed"),
            _num("sign_offs", "Sign-offs"),
            _num("disagreements", "Disagreements", "Sign-offs that recorded disagreement"),
        ),
        tuple(stage_rows),
    )
    sign_offs = Table(
        "sign_offs",
        "Sign-offs and disagreements at each stage gate",
        _cols(
            ("name", "Who"),
            ("stage", "Stage"),
            ("side", "Side"),
            ("view", "View", "Approved or disagreed"),
            ("comment", "What they said"),
            ("on", "Date"),
        ),
        tuple(sign_rows),
        empty="No sign-offs yet.",
    )
    return Section(
        "stages",
        "Stages and sign-offs",
        (
            (
                "A stage closes when a commissioner and a citizen partner have both signed it off. "
                "Anyone who disagreed is shown here, not hidden."
            ),
        ),
        (stages, sign_offs),
    )


def _activities_section(facts: InitiativeFacts, names: Names, period: Period, activities) -> Section:
    rows, attendance_rows = [], []
    for activity in activities:
        attendance = facts.attendance_at(activity.id)
        partner_rows = [r for r in attendance if r.is_citizen_partner]
        staff_rows = [r for r in attendance if not r.is_citizen_partner]
        partner_ratings = [r.rating for r in partner_rows if r.rating is not None]
        staff_ratings = [r.rating for r in staff_rows if r.rating is not None]
        rows.append(
            (
                activity.title,
                activity.on,
                STAGE_LABELS[activity.stage],
                ACTIVITY_KIND_LABELS.get(activity.kind.value, activity.kind.value),
                len(attendance),
                len(partner_rows),
                sum(r.contributed for r in partner_rows),
                _ratings(partner_ratings),
                _ratings(staff_ratings),
                _views_differ(partner_ratings, staff_ratings),
            )
        )
        for row in attendance:
            name = (
                names.person(row.user_id)
                if row.user_id is not None
                else names.guest(row.guest_name, row.is_citizen_partner)
            )
            attendance_rows.append(
                (
                    name,
                    activity.title,
                    activity.on,
                    "Citizen partner" if row.is_citizen_partner else "Staff",
                    _yes(row.contributed),
                    row.rating,
                    _needs(row.adjustments_requested),
                    _needs(row.adjustments_provided),
                )
            )
    table = Table(
        "activities",
        "Activities",
        _cols(
            ("title", "Activity"),
            ("on", "Date"),
            ("stage", "Stage"),
            ("kind", "Kind"),
            _num("attended", "People attending"),
            _num("partners_attended", "Citizen partners attending"),
            _num("partners_contributed", "Citizen partners who contributed"),
            ("partner_ratings", "Citizen partners' ratings", "Each partner's own ladder rating, 1 to 7"),
            ("staff_ratings", "Staff ratings", "Each staff member's own ladder rating, 1 to 7"),
            ("views_differ", "Views differ", "Whether the two sides rated it differently (any difference)"),
        ),
        tuple(rows),
    )
    attendance = Table(
        "attendance",
        "Who attended each activity",
        _cols(
            ("name", "Who"),
            ("activity", "Activity"),
            ("on", "Date"),
            ("side", "Side"),
            ("contributed", "Contributed"),
            _num("rating", "Their ladder rating", "The person's own rating of the activity, 1 to 7"),
            ("adjustments_requested", "Adjustments asked for"),
            ("adjustments_provided", "Adjustments provided"),
        ),
        tuple(attendance_rows),
    )
    (stage_table, stage_chart), (rating_table, rating_chart) = _participation_tables([facts], period, False)
    return Section(
        "activities",
        "Activities and who took part",
        (
            (
                "Each person rates how co-produced an activity felt on the ladder of co-production, from 1 (coercion) "
                "to 7 (co-production). Citizen partners' and staff ratings are shown side by side."
            ),
        ),
        (table, attendance, stage_table, rating_table),
        (stage_chart, rating_chart),
    )


def _need(code: str) -> str:
    return NEED_WORDS.get(code, code.replace("_", " ")).capitalize()


def _needs(codes: Sequence[str]) -> str:
    text = ", ".join(NEED_WORDS.get(c, c.replace("_", " ")) for c in codes)
    return text[:1].upper() + text[1:]


def _outputs_section(facts: InitiativeFacts, names: Names, period: Period) -> Section:
    rows = []
    for output in sorted(facts.outputs, key=lambda o: (o.published_on or date.max, o.id)):
        published = output.published_by(period.as_of)
        rows.append(
            (
                output.title,
                OUTPUT_KIND_LABELS[output.kind],
                ", ".join(names.person(uid) for uid in output.co_author_ids),
                output.version,
                output.published_url if published else "",
                output.published_on if published else None,
                ", ".join(OUTPUT_FORMAT_LABELS[f] for f in output.formats) or "Standard English only",
            )
        )
    table = Table(
        "outputs",
        "What the initiative produced",
        _cols(
            ("output", "Output"),
            ("kind", "Kind"),
            ("co_authors", "Written with", "Co-authors (citizen partners shown by pseudonym when anonymised)"),
            ("version", "Version"),
            ("published_url", "Published at", "The web address, once published"),
            ("published_on", "Published on"),
            ("formats", "Formats available", "Versions beyond the standard English one"),
        ),
        tuple(rows),
    )
    published = sum(1 for o in facts.outputs if o.published_by(period.as_of))
    paragraph = (
        f"{_plural_words(len(rows), 'output')} recorded, {published} published by {_day(period.as_of)}."
        if rows
        else "No plan, strategy, report or other output has been recorded yet."
    )
    return Section("outputs", "Outputs", (paragraph,), (table,))


def _plural_words(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _recognition_section(facts: InitiativeFacts, names: Names, period: Period, activities) -> Section:
    """Payments and recognition, summarised: what kinds were given and to whom, with totals by kind.

    Amounts paid to one person are private to them and the leads (the recognition page), so a total is
    shown only where at least two people share it."""
    entries = [e for e in facts.reciprocity or () if e.on is None or period.covers(e.on)]
    by_kind: dict[str, list] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry)
    kind_rows = []
    for kind, items in sorted(by_kind.items(), key=lambda item: RECIPROCITY_KIND_LABELS[item[0]]):
        people = {e.user_id for e in items}
        amount = sum(e.amount_pence for e in items)
        kind_rows.append(
            (
                RECIPROCITY_KIND_LABELS[kind],
                len(items),
                len(people),
                (f"£{amount / 100:,.2f}" if len(people) > 1 else "Not shown: one person") if amount else "",
                sum(int(e.hours) for e in items),
            )
        )
    kinds_table = Table(
        "recognition_by_kind",
        "Payments and recognition by kind",
        _cols(
            ("kind", "Kind"),
            _num("entries", "Times given"),
            _num("people", "People"),
            ("amount", "Total amount", "Shown only where two or more people share it"),
            _num("hours", "Hours"),
        ),
        tuple(kind_rows),
    )
    took_part: dict[int, int] = defaultdict(int)
    for activity in activities:
        for row in facts.partner_attendance_at(activity.id):
            if row.user_id is not None:
                took_part[row.user_id] += 1
    person_rows = []
    for user_id, count in sorted(took_part.items(), key=lambda item: names.person(item[0])):
        mine = [e for e in entries if e.user_id == user_id]
        kinds = ", ".join(dict.fromkeys(RECIPROCITY_KIND_LABELS[e.kind] for e in mine))
        person_rows.append((names.person(user_id), count, kinds or "Nothing recorded"))
    people_table = Table(
        "recognition_by_partner",
        "Citizen partners who took part, and the recognition recorded for them",
        _cols(
            ("name", "Citizen partner"),
            _num("activities", "Activities taken part in"),
            ("recognition", "Recognition recorded", "Kinds only; amounts stay private to the person and the leads"),
        ),
        tuple(person_rows),
    )
    recognised = sum(1 for _, _, kinds in person_rows if kinds != "Nothing recorded")
    if facts.reciprocity is None:
        paragraph = "Payments and recognition are not recorded in the tracker for this initiative."
    elif len(person_rows) == 1:
        paragraph = (
            "The citizen partner who took part has a payment or other recognition recorded, or chose not to take it."
            if recognised
            else "The citizen partner who took part has no payment or other recognition recorded yet."
        )
    elif person_rows:
        paragraph = (
            f"{recognised} of the {len(person_rows)} citizen partners who took part "
            f"{'has' if recognised == 1 else 'have'} a payment or other recognition recorded, or chose not to take it."
        )
    else:
        paragraph = "No citizen partner has taken part in an activity in this period."
    return Section("recognition", "Payments and recognition", (paragraph,), (kinds_table, people_table))


def _decisions_section(facts: InitiativeFacts, names: Names, period: Period) -> Section:
    rows = []
    for decision in facts.decisions:
        if not period.covers(decision.on):
            continue
        by_stance: dict[str, list[str]] = defaultdict(list)
        for position in decision.positions:
            by_stance[position.stance.value].append(names.person(position.user_id))
        activity = facts.activity(decision.activity_id)
        rows.append(
            (
                decision.text,
                decision.on,
                activity.title if activity else "",
                _yes(decision.changed_by_partner_input),
                decision.how_changed,
                *(", ".join(by_stance.get(stance, [])) for stance in POSITION_LABELS),
            )
        )
    table = Table(
        "decisions",
        "Decisions and each member's position",
        _cols(
            ("decision", "Decision"),
            ("on", "Date"),
            ("activity", "Made at"),
            ("changed_by_partners", "Changed by partners' input"),
            ("how_changed", "How it changed"),
            *((f"{stance}", label) for stance, label in POSITION_LABELS.items()),
        ),
        tuple(rows),
    )
    return Section("decisions", "Decisions", (), (table,))


def _recommendations_section(facts: InitiativeFacts, names: Names, inputs: ReportInputs) -> Section:
    period = inputs.period
    rows = []
    for item in facts.recommendations:
        if not period.covers(item.raised_on):
            continue
        responded = inputs.responded_on.get(item.id)
        answered = item.response is not None and (responded is None or responded <= period.as_of)
        overdue = review_overdue(item.review_on, item.reviewed_on, period.as_of)
        if answered and overdue:
            status = "Answered, but the review date passed without a review"
        elif answered and item.reviewed_on is not None:
            status = f"Answered, and reviewed on {_day(item.reviewed_on)}"
        elif answered:
            status = "Answered"
        elif overdue:
            status = "Review date passed without an answer"
        else:
            status = "Waiting for an answer"
        held = ""
        if item.reviewed_on is not None:
            by = f" by {names.person(item.reviewed_by)}" if item.reviewed_by is not None else ""
            held = f"{_day(item.reviewed_on)}{by}: {item.review_outcome}"
        rows.append(
            (
                item.text,
                names.person(item.from_user_id),
                item.raised_on,
                RESPONSE_LABELS[item.response.value] if answered else "",
                item.reason if answered else "",
                item.action if answered else "",
                item.review_on,
                held,
                status,
            )
        )
    table = Table(
        "you_said_we_did",
        "Recommendations from partners and what was done",
        _cols(
            ("you_said", "You said"),
            ("from", "From"),
            ("raised_on", "Raised on"),
            ("response", "Our response"),
            ("reason", "Why"),
            ("we_did", "What we did"),
            ("review_on", "Review by"),
            ("review_held", "Review held", "When the review was held, by whom, and what it found"),
            ("status", "Status"),
        ),
        tuple(rows),
    )
    return Section(
        "you-said-we-did",
        "You said, we did",
        ("What citizen partners recommended, what the council decided, and what it did about it.",),
        (table,),
    )


def _adjustments_section(facts: InitiativeFacts, activities) -> Section:
    requested: Counter[str] = Counter()
    provided: Counter[str] = Counter()
    in_range = {a.id for a in activities}
    for row in facts.attendance:
        if row.activity_id not in in_range:
            continue
        for need in row.adjustments_requested:
            requested[need] += 1
            provided[need] += need in row.adjustments_provided
    rows = tuple(
        (
            _need(need),
            requested[need],
            provided[need],
            requested[need] - provided[need],
            _percent(provided[need], requested[need]),
        )
        for need in sorted(requested, key=lambda n: (-(requested[n] - provided[n]), n))
    )
    total_requested, total_provided = sum(requested.values()), sum(provided.values())
    paragraphs = (
        (
            f"Adjustments were asked for {total_requested} times and provided {total_provided} times "
            f"({_percent(total_provided, total_requested)})."
        )
        if total_requested
        else "Nobody asked for an adjustment at these activities.",
    )
    table = Table(
        "adjustments",
        "Adjustments asked for and provided",
        _cols(
            ("adjustment", "Adjustment"),
            _num("requested", "Times asked for"),
            _num("provided", "Times provided"),
            _num("not_provided", "Times not provided"),
            ("provided_rate", "Provided", "The share of requests that were met"),
        ),
        rows,
    )
    return Section("adjustments", "Adjustments", paragraphs, (table,))


_CRITERIA_COLUMNS = _cols(
    ("criterion", "Criterion", "The criterion's id and title"),
    ("automatic_check", "Automatic check", "What the tracker found from the records"),
    ("why", "Why", "The reasons for the automatic finding"),
    ("records", "Records", "The meetings, decisions, outputs and people the reasons are about"),
    ("people_assessment", "People's assessment", "The newest assessment by a commissioner"),
    ("assessed_by", "Assessed by"),
    ("citizen_partner_response", "Citizen partner's response", "Co-signed, disagreed, or waiting"),
)


def _criteria_section(names: Names, evaluated: Sequence[_Evaluated]) -> Section:
    subsections = []
    by_framework: dict[str, list[_Evaluated]] = defaultdict(list)
    frameworks: dict[str, Framework] = {}
    for item in evaluated:
        by_framework[item.framework.id].append(item)
        frameworks[item.framework.id] = item.framework
    for framework_id, items in by_framework.items():
        framework = frameworks[framework_id]
        rows = []
        for item in sorted(items, key=lambda e: status_rank(e.finding.status)):
            status, by, response = _assessment_words(names, item.assessment)
            rows.append(
                (
                    f"{item.criterion.id}: {item.criterion.title}",
                    FINDING_STATUS_LABELS[item.finding.status],
                    _reasons(item.finding, names),
                    _records(item.finding, names),
                    status,
                    by,
                    response,
                )
            )
        subsections.append(
            Section(
                f"framework-{framework.id.replace('_', '-')}",
                framework.title,
                (framework.summary,) if framework.summary else (),
                (Table(f"criteria_{framework.id}", f"{framework.title}: criteria", _CRITERIA_COLUMNS, tuple(rows)),),
            )
        )
    return Section(
        "criteria",
        "Criteria",
        (
            (
                "The tracker checks the records against each framework automatically. People's own assessment, "
                "co-signed by a citizen partner, is shown beside it: neither replaces the other. Gaps are listed first."
            ),
        ),
        subsections=tuple(subsections),
    )


def _cqc_section(
    inputs: ReportInputs, evaluated_by_initiative: Sequence[tuple[InitiativeFacts, Sequence[_Evaluated]]]
) -> Section:
    cqc_framework = inputs.library.cqc_for(inputs.nation)
    cqc = cqc_framework.cqc if cqc_framework is not None else None
    if cqc is None:
        nation = NATION_LABELS.get(inputs.nation, inputs.nation)
        return Section(
            "cqc",
            "CQC quality statements",
            (
                (
                    "The Care Quality Commission's assessment of councils applies in England. "
                    f"This organisation is in {nation}."
                ),
            ),
        )
    categories = {c.id: c.title for c in cqc.evidence_categories}
    themes = {t.id: t.title for t in cqc.themes}
    rows = []
    for statement in cqc.quality_statements:
        supporting = [
            e for _, items in evaluated_by_initiative for e in items if statement.id in e.criterion.cqc_statements
        ]
        counts = Counter(e.finding.status.value for e in supporting)
        rows.append(
            (
                f"{statement.id}: {statement.title}",
                themes.get(statement.theme_id, statement.theme_id),
                len({e.criterion.id for e in supporting}),
                counts["met"],
                counts["partly_met"],
                counts["not_met"],
                ", ".join(categories.get(c, c) for c in statement.likely_evidence),
            )
        )
    rows.sort(key=lambda r: (r[2] == 0, -(r[5] + r[4]), r[0]))
    table = Table(
        "cqc_quality_statements",
        "CQC quality statements these records can support",
        _cols(
            ("statement", "Quality statement"),
            ("theme", "Theme"),
            _num("criteria", "Criteria that support it"),
            _num("met", "Met"),
            _num("partly_met", "Partly met"),
            _num("not_met", "Not met"),
            ("evidence_categories", "Kinds of evidence", "CQC evidence categories these records fall under"),
        ),
        tuple(rows),
    )
    return Section(
        "cqc",
        "CQC quality statements",
        (
            (
                "Which of CQC's quality statements for councils these records could help show, and the kinds of "
                "evidence CQC looks at. The link between criteria and statements is our proposal, not CQC's."
            ),
        ),
        (table,),
    )


_SOURCE_COLUMNS = _cols(
    ("criterion", "Criterion", "The criterion's id and title"),
    ("source", "Where it says so", "The instrument and chapter or section"),
    (
        "checked_references",
        "Exact references checked",
        "Only references checked against the text in force now, with what was read, when and its address",
    ),
)


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
                    f"{criterion.id}: {criterion.title}",
                    citation.source,
                    "; ".join(r.text_with_address for r in citation.checked),
                )
            )
        notice = framework_checks(framework).notice
        subsections.append(
            Section(
                f"sources-{framework.id.replace('_', '-')}",
                # Not the bare title: the criteria section already has a part named after each framework.
                f"Sources: {framework.title}",
                (notice,) if notice else (),
                (Table(f"sources_{framework.id}", f"{framework.title}: sources", _SOURCE_COLUMNS, tuple(rows)),),
            )
        )
    return Section(
        "sources",
        "Where each criterion comes from",
        (
            (
                "An exact section, regulation or paragraph number is given only when it has been checked against "
                "the version of the text in force now, with what was read, when and where. Otherwise only the "
                "instrument and chapter or section is given."
            ),
        ),
        subsections=tuple(subsections),
    )


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


def _participation_section(facts_list: Sequence[InitiativeFacts], inputs: ReportInputs) -> Section:
    period = inputs.period
    partners: set[object] = set()
    kinds: dict[str, set[object]] = defaultdict(set)
    requested = provided = 0
    for facts in facts_list:
        for row in facts.attendance:
            activity = facts.activity(row.activity_id)
            if activity is None or not period.covers(activity.on):
                continue
            requested += len(row.adjustments_requested)
            provided += len(row.adjustments_requested) - len(row.missing_adjustments)
            if not row.is_citizen_partner:
                continue
            key = row.user_id if row.user_id is not None else ("guest", facts.initiative.id, row.guest_name)
            partners.add(key)
            person = inputs.people.get(row.user_id) if row.user_id is not None else None
            kind = person.partner_kind if person and person.partner_kind else "unknown"
            kinds[kind].add(key)
    rate_shown = (
        _shown(requested) is not None and _shown(provided) is not None and _shown(requested - provided) is not None
    )
    summary = Table(
        "participation_summary",
        "Participation at a glance",
        _cols(("measure", "Measure"), ("value", "Value")),
        (
            ("Citizen partners involved", _small(len(partners))),
            ("Adjustments asked for", _small(requested)),
            ("Adjustments provided", _small(provided)),
            (
                "Adjustments provided rate",
                _percent(provided, requested) if rate_shown else (SUPPRESSED if requested else ""),
            ),
        ),
    )
    kind_rows = tuple(
        (
            PARTNER_KIND_WORDS[kind].capitalize() if kind in PARTNER_KIND_WORDS else "Not recorded",
            _small(len(people)),
        )
        for kind, people in sorted(kinds.items())
    )
    kinds_table = Table(
        "partners_by_kind",
        "Citizen partners involved, by kind of partner",
        _cols(("kind", "Kind of partner"), _num("people", "People")),
        kind_rows,
        note="Numbers from 1 to 4 are shown as 'fewer than 5'.",
    )
    (stage_table, stage_chart), (rating_table, rating_chart) = _participation_tables(facts_list, period, True)
    return Section(
        "participation",
        "Participation",
        (),
        (summary, kinds_table, stage_table, rating_table),
        (stage_chart, rating_chart),
    )


# ---------------------------------------------------------------------------------------------------
# Quality statement report


def build_quality_statement_report(inputs: ReportInputs, statement_id: str) -> Report:
    period = inputs.period
    names = Names(inputs.people, inputs.anonymise_partners)
    frameworks = inputs.library.checked_for(inputs.nation)
    cqc_framework = inputs.library.cqc_for(inputs.nation)
    cqc = cqc_framework.cqc if cqc_framework is not None else None
    statement = cqc.statement(statement_id) if cqc else None
    if cqc is None or statement is None:
        raise LookupError(f"no CQC quality statement {statement_id!r} for {inputs.nation}")
    themes = {t.id: t.title for t in cqc.themes}
    categories = {c.id: c for c in cqc.evidence_categories}
    supporting_ids = {c.id for c in inputs.library.criteria_supporting(statement_id, inputs.nation)}
    about = Table(
        "statement",
        "About this quality statement",
        _cols(("item", "Item"), ("detail", "Detail")),
        (
            ("Quality statement", f"{statement.id}: {statement.title}"),
            ("Theme", themes.get(statement.theme_id, statement.theme_id)),
            ("What it means", statement.summary),
            ("Criteria that support it", len(supporting_ids)),
        ),
    )
    category_rows = tuple(
        (categories[c].title, "Yes" if categories[c].in_use else "No", categories[c].note)
        for c in statement.likely_evidence
        if c in categories
    )
    categories_table = Table(
        "evidence_categories",
        "Kinds of evidence CQC looks at for this statement",
        _cols(("category", "Evidence category"), ("in_use", "Used by CQC for councils"), ("note", "Note")),
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
                    f"{item.criterion.id}: {item.criterion.title}",
                    FINDING_STATUS_LABELS[item.finding.status],
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
        "Evidence for this statement, gaps first",
        _cols(
            ("initiative", "Initiative"),
            ("criterion", "Criterion"),
            ("automatic_check", "Automatic check"),
            ("why", "Why"),
            ("people_assessment", "People's assessment"),
            ("citizen_partner_response", "Citizen partner's response"),
        ),
        tuple(r[:-1] for r in rows),
        empty="No initiative has records that bear on this statement.",
    )
    by_initiative = Table(
        "statement_by_initiative",
        "Each initiative against this statement",
        _cols(
            ("initiative", "Initiative"),
            _num("met", "Met"),
            _num("partly_met", "Partly met"),
            _num("not_met", "Not met"),
            _num("needs_confirming", "Need a person to confirm"),
            _num("not_applicable", "Do not apply"),
        ),
        tuple(per_initiative),
        empty="No initiatives yet.",
    )
    facts_by_id = {f.initiative.id: f for _, f in inputs.initiatives}
    evidence, files, _ = _evidence_section(names, facts_by_id, inputs, period)
    sections = (
        Section("statement", "The quality statement", (), (about, categories_table)),
        Section(
            "findings",
            "What the records show",
            ("Initiatives and criteria with gaps are listed first.",),
            (by_initiative, evidence_table),
        ),
        _participation_section([f for _, f in inputs.initiatives], inputs),
        _sources_section(frameworks, supporting_ids),
        evidence,
        _audit_section(inputs, "these initiatives"),
    )
    return Report(
        kind=ReportKind.QUALITY_STATEMENT,
        title=f"CQC quality statement {statement.id}: {statement.title}",
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
