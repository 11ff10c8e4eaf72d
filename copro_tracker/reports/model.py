"""The report value and its inputs: what a builder reads (built by ``reports/data.py`` from the
database, or by hand in tests) and the ``Report`` every renderer reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..codes import N_, ConsentLevel, ReportKind
from ..criteria.framework import Library
from ..criteria.rules import Finding
from ..criteria.snapshot import InitiativeFacts
from ..domain.small_numbers import THRESHOLD

if TYPE_CHECKING:
    from .summary import InitiativeSummary

REPORT_FORMAT = "copro-report/1"
SMALL_NUMBER = THRESHOLD  # domain.small_numbers: the one definition of a small number
SUPPRESSED = N_("fewer than 5")

Cell = str | int | date | None

# ---------------------------------------------------------------------------------------------------
# Inputs (built by reports/data.py from the database, or by hand in tests)


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    citizen_partner: bool
    partner_kind: str | None = None
    # False once the person withdrew consent to being named (or was erased): a pseudonym in every report.
    named_use: bool = True


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
    # Each action's plain words ("Someone recorded attendance"), a message rendered in the report's language:
    # the code alone is what the JSON bundle and the chain say, but it is not a sentence anyone reads.
    action_labels: tuple[tuple[str, object], ...] = ()


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
class EqualityInputs:
    """Equality monitoring for a report: only ever shown as suppressed counts (reports/equality.py)."""

    # Person id -> question code -> their answer (a code, a tuple of codes for the groups, or None).
    answers: Mapping[int, Mapping[str, str | tuple[str, ...] | None]] = field(default_factory=dict)
    # The organisation's current seldom-heard groups, as (code, name).
    groups: tuple[tuple[str, str], ...] = ()
    # Question code -> (percent by category as text, source, date the figures describe).
    references: Mapping[str, tuple[Mapping[str, str], str, date]] = field(default_factory=dict)
    # Who took part, when the loader read it (the portfolio from stored figures has no facts); None: from the facts.
    took_part: tuple[int, ...] | None = None


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
    # Initiative id -> criterion id -> today's stored finding (criteria/stored.py), when the report is as at
    # today; otherwise empty, and the findings are evaluated from the facts as at the report's date.
    findings: Mapping[int, Mapping[str, Finding]] = field(default_factory=dict)
    # Named rows of each person's adjustments (special category data): staff only, on request. Totals otherwise.
    show_needs: bool = False
    # The portfolio as at today over no date range reads each initiative's stored summary (reports/stored_summary.py)
    # instead of its facts: then ``initiatives`` is empty and these are the initiatives, oldest first.
    summaries: tuple[tuple[InitiativeDetails, InitiativeSummary], ...] = ()
    # Equality monitoring as suppressed counts: staff's reports only, never a share link (None: left out).
    equality: EqualityInputs | None = None


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
    # What a table with no rows says instead, in the report's language (reports/words.py).
    empty: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if not self.empty:
            from .words import _

            object.__setattr__(self, "empty", _("Nothing recorded."))

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
    # The words drawn where a bar is left out, in the report's language (reports/words.py).
    suppressed: str = ""

    def __post_init__(self) -> None:
        if not self.suppressed:
            from .words import _

            object.__setattr__(self, "suppressed", _("under 5"))


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

    @property
    def anonymised(self) -> bool:
        return dict(self.params).get("anonymise_partners") == "yes"

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
            # Anonymised, the data carries no internal ids: files are known by their bundle name and hash.
            "evidence_files": [
                {"name": f.bundle_name, "sha256": f.sha256}
                if self.anonymised
                else {"evidence_id": f.evidence_id, "name": f.bundle_name, "sha256": f.sha256}
                for f in self.files
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
