"""What the criteria pages show, assembled from facts, findings and the people's assessments.

Loading happens in a fixed number of queries (``facts.load_many`` and ``service.latest_assessments``);
everything after that is plain Python over the loaded values, so the pages stay O(1) in queries whatever
the size of an initiative or of the organisation. Findings are computed with ``rules.evaluate_all`` once
per initiative per page. The automatic finding and the people's assessment are kept side by side: nothing
here lets one overwrite the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import sqlalchemy as sa
from flask_babel import get_locale

from ..codes import GAPS, STATUS_ORDER, AssessmentLinkKind, CriterionTopic, status_rank, worst_status
from ..domain.assessments import finding_differs
from ..extensions import db
from ..initiatives import queries
from ..models import Activity, Assessment, Decision, Evidence, Initiative, Output
from ..web.paging import MAX_PAGE, Paging
from . import service, stored
from .citations import Citation, cite
from .framework import Criterion, Framework, Library, QualityStatement
from .rules import Finding, Status
from .snapshot import InitiativeFacts


def differs(finding: Finding, assessment: Assessment | None) -> bool:
    """True when the automatic check and the people's assessment reach different statuses."""
    return finding_differs(finding.status, assessment.status if assessment is not None else None)


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    framework: Framework
    finding: Finding
    assessment: Assessment | None

    @property
    def disagree(self) -> bool:
        return differs(self.finding, self.assessment)

    @property
    def also_needs_attestation(self) -> bool:
        """The criterion asks a person to confirm something the automatic check has not already asked for."""
        return self.criterion.needs_attestation and self.finding.status is not Status.NEEDS_ATTESTATION

    @property
    def assessed_against_older_version(self) -> bool:
        return self.assessment is not None and self.assessment.framework_version != self.framework.version


@dataclass
class FrameworkSection:
    framework: Framework
    rows: list[CriterionRow]

    @property
    def counts(self) -> list[tuple[Status, int]]:
        tally = Counter(row.finding.status for row in self.rows)
        return [(status, tally[status]) for status in STATUS_ORDER]


@dataclass(frozen=True)
class StatementRow:
    statement: QualityStatement
    theme: str
    rows: tuple[CriterionRow, ...]

    @property
    def status(self) -> Status:
        return _summary_status(row.finding.status for row in self.rows)


@dataclass(frozen=True)
class TopicGroup:
    """The criteria that ask about one thing (codes.CriterionTopic), gaps first; those that do not apply apart."""

    topic: CriterionTopic
    rows: tuple[CriterionRow, ...]
    not_applicable: tuple[CriterionRow, ...]

    @property
    def counts(self) -> list[tuple[Status, int]]:
        tally = Counter(row.finding.status for row in self.rows)
        return [(status, tally[status]) for status in STATUS_ORDER if tally[status]]

    @property
    def gaps(self) -> tuple[CriterionRow, ...]:
        return tuple(row for row in self.rows if row.finding.status in GAPS)


def group_by_topic(rows: Iterable[CriterionRow]) -> list[TopicGroup]:
    """Criteria grouped by what they ask, in the topics' own order; within a group the worst come first."""
    by_topic: dict[CriterionTopic, list[CriterionRow]] = {topic: [] for topic in CriterionTopic}
    for row in rows:
        by_topic[row.criterion.topic].append(row)
    groups = []
    for topic, members in by_topic.items():
        ordered = sorted(members, key=lambda row: status_rank(row.finding.status))  # stable: framework order kept
        applies = tuple(row for row in ordered if row.finding.status is not Status.NOT_APPLICABLE)
        if members:
            groups.append(TopicGroup(topic, applies, tuple(row for row in ordered if row not in applies)))
    return groups


@dataclass
class RecordIndex:
    """What the criteria pages need to name and link the records a finding or an assessment points to:
    titles and dates, and the activity each decision was taken at (its page is the activity's)."""

    activities: dict[int, tuple[str, date]] = field(default_factory=dict)
    decisions: dict[int, tuple[str, int]] = field(default_factory=dict)
    evidence: dict[int, str] = field(default_factory=dict)
    outputs: dict[int, str] = field(default_factory=dict)

    @classmethod
    def from_facts(cls, facts: InitiativeFacts) -> RecordIndex:
        return cls(
            {a.id: (a.title, a.on) for a in facts.activities},
            {d.id: (d.text, d.activity_id) for d in facts.decisions},
            {e.id: e.name for e in facts.evidence},
            {o.id: o.title for o in facts.outputs},
        )


def record_index(initiative_id: int, organisation_id: int, assessments: Iterable[Assessment]) -> RecordIndex:
    """Every decision of the initiative (for links) and the records the assessments point to, in one query."""
    kinds = (AssessmentLinkKind.ACTIVITY, AssessmentLinkKind.EVIDENCE, AssessmentLinkKind.OUTPUT)
    wanted: dict[str, set[int]] = {kind.value: set() for kind in kinds}
    for assessment in assessments:
        for link in assessment.links:
            if link["kind"] in wanted:
                wanted[link["kind"]].add(link["id"])
    no_int, no_date = sa.null().cast(sa.Integer), sa.null().cast(sa.Date)
    parts = [
        sa.select(sa.literal("decision"), Decision.id, Decision.what, no_date, Decision.activity_id)
        .join(Activity, Activity.id == Decision.activity_id)
        .where(Decision.organisation_id == organisation_id, Activity.initiative_id == initiative_id)
    ]
    for kind, model, label, when in (
        ("activity", Activity, Activity.title, Activity.occurred_on),
        ("evidence", Evidence, Evidence.filename, no_date),
        ("output", Output, Output.title, no_date),
    ):
        if wanted[kind]:
            parts.append(
                sa.select(sa.literal(kind), model.id, label, when, no_int).where(
                    model.organisation_id == organisation_id,
                    model.initiative_id == initiative_id,
                    model.id.in_(sorted(wanted[kind])),
                )
            )
    index = RecordIndex()
    for kind, ident, label, when, activity_id in db.session.execute(sa.union_all(*parts)):
        if kind == "decision":
            index.decisions[ident] = (label, activity_id)
        elif kind == "activity":
            index.activities[ident] = (label, when)
        elif kind == "evidence":
            index.evidence[ident] = label
        else:
            index.outputs[ident] = label
    return index


@dataclass
class InitiativePage:
    initiative: Initiative
    nation: str
    sections: list[FrameworkSection]
    records: RecordIndex
    statements: list[StatementRow] = field(default_factory=list)

    @property
    def rows(self) -> list[CriterionRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def disagreements(self) -> int:
        return sum(row.disagree for row in self.rows)

    @cached_property
    def groups(self) -> list[TopicGroup]:
        return group_by_topic(self.rows)

    @property
    def to_do(self) -> list[TopicGroup]:
        """What needs doing next: one thing per topic with a criterion not met or partly met, most gaps first."""
        return sorted((g for g in self.groups if g.gaps), key=lambda g: -len(g.gaps))

    @property
    def applicable(self) -> int:
        return sum(row.finding.status is not Status.NOT_APPLICABLE for row in self.rows)

    @property
    def met(self) -> int:
        return sum(row.finding.status is Status.MET for row in self.rows)


def _summary_status(statuses: Iterable[Status]) -> Status:
    """The worst status among those that apply (the same grading as ``rules.combine``)."""
    return worst_status(statuses) or Status.NOT_APPLICABLE


def initiative_page(
    initiative_id: int,
    organisation_id: int,
    nation: str,
    library: Library,
    initiative: Initiative | None = None,
) -> InitiativePage | None:
    """Every criterion that applies to the organisation's nation, with its finding and latest assessment.

    None when the organisation has no such initiative. The initiative comes with its memberships only,
    which is all the permission check needs (a caller that has loaded it already passes it); the
    findings are today's stored ones (criteria/stored.py), so the page reads a few small queries
    whatever the size of the initiative.
    """
    if initiative is None or initiative.id != initiative_id or initiative.organisation_id != organisation_id:
        initiative = queries.get_initiative_with_members(initiative_id, organisation_id)
    if initiative is None:
        return None
    findings = stored.read([initiative_id], organisation_id, library, nation)[initiative_id]
    assessments = service.latest_assessments([initiative_id], organisation_id)
    frameworks = library.checked_for(nation)
    sections = [
        FrameworkSection(
            framework,
            [
                CriterionRow(c, framework, findings[c.id], assessments.get((initiative_id, c.id)))
                for c in framework.criteria
            ],
        )
        for framework in frameworks
    ]
    records = record_index(initiative_id, organisation_id, assessments.values())
    page = InitiativePage(initiative, nation, sections, records)
    cqc = library.cqc_for(nation)
    if cqc is not None and cqc.cqc is not None:
        themes = {statement_id: theme.title for theme in cqc.cqc.themes for statement_id in theme.statement_ids}
        page.statements = [
            StatementRow(
                statement,
                themes.get(statement.id, ""),
                tuple(row for row in page.rows if statement.id in row.criterion.cqc_statements),
            )
            for statement in cqc.cqc.quality_statements
        ]
    return page


# ---------------------------------------------------------------------------------------------------
# Coverage: initiatives × criteria, and initiatives × CQC quality statements


@dataclass(frozen=True)
class Column:
    id: str
    title: str
    # Where a criterion comes from (quality statements have none): the same words as every other page.
    citation: Citation | None = None


@dataclass(frozen=True)
class Cell:
    status: Status
    assessment: Assessment | None = None
    disagree: bool = False
    # For a quality statement: how many supporting criteria are in each status.
    counts: tuple[tuple[Status, int], ...] = ()


@dataclass(frozen=True)
class MatrixRow:
    initiative_id: int
    title: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Matrix:
    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[MatrixRow, ...]
    # Over every initiative that matches the filters, not only the page shown.
    counts: tuple[tuple[Status, int], ...] = ()

    def tally(self) -> list[tuple[Status, int]]:
        return list(self.counts)


@dataclass
class Coverage:
    nation: str
    frameworks: list[Framework]
    initiatives: int
    matrices: list[Matrix]
    cqc_available: bool
    # The page of initiatives shown (they are ordered gaps first across every chosen criterion).
    paging: Paging = field(default_factory=lambda: Paging(1, COVERAGE_PAGE_SIZE, 0))


COVERAGE_PAGE_SIZE = 20


def _gap_key(cells: Sequence[Cell]) -> tuple[int, int]:
    not_met = sum(c.status is Status.NOT_MET for c in cells)
    partly = sum(c.status is Status.PARTLY_MET for c in cells)
    return (-not_met, -partly)


def _tally(rows: Iterable[Sequence[Cell]]) -> tuple[tuple[Status, int], ...]:
    counts = Counter(cell.status for cells in rows for cell in cells)
    return tuple((status, counts[status]) for status in STATUS_ORDER)


def _arrange(
    key: str,
    caption: str,
    columns: list[Column],
    cells: dict[int, list[Cell]],
    shown: list[tuple[int, str]],
    status: Status | None,
) -> Matrix:
    """Gaps first (rows and columns with the most "not met", then "partly met"); then the status filter.

    Columns are ordered, and counted, over every initiative in ``cells``, so they stay put from page to
    page; only the initiatives in ``shown`` (this page) become rows.
    """
    every = list(cells.values())
    order = sorted(range(len(columns)), key=lambda i: (*_gap_key([r[i] for r in every]), i))
    if status is not None:
        order = [i for i in order if any(r[i].status is status for r in every)]
        every = [r for r in every if any(c.status is status for c in r)]
    rows = [
        MatrixRow(initiative_id, title, tuple(cells[initiative_id][i] for i in order))
        for initiative_id, title in shown
        if status is None or any(c.status is status for c in cells[initiative_id])
    ]
    rows.sort(key=lambda r: (*_gap_key(r.cells), r.title.casefold(), r.initiative_id))
    return Matrix(key, caption, tuple(columns[i] for i in order), tuple(rows), _tally(every))


def coverage(
    organisation_id: int,
    nation: str,
    library: Library,
    *,
    framework_id: str | None = None,
    status: Status | None = None,
    by_statement: bool = False,
    page: int = 1,
) -> Coverage:
    """The organisation's initiatives against its criteria, a page of initiatives at a time.

    Three queries for any size: the initiatives, their stored statuses (criteria/stored.py), and the
    people's assessments of the page's initiatives. Filtering, ordering and paging are done here over
    the statuses, which are small: 60 initiatives x 51 criteria is some 3,000 short rows.
    """
    frameworks = library.checked_for(nation)
    chosen = [f for f in frameworks if framework_id in (None, f.id)]
    language = str(get_locale() or "en")  # criteria titles in the page's language
    cqc = library.cqc_for(nation)
    result = Coverage(nation, frameworks, 0, [], cqc is not None)
    if by_statement and (cqc is None or cqc.cqc is None):
        result.initiatives = db.session.scalar(
            sa.select(sa.func.count()).select_from(Initiative).where(Initiative.organisation_id == organisation_id)
        )
        return result
    initiatives = list(
        db.session.execute(
            sa.select(Initiative.id, Initiative.title)
            .where(Initiative.organisation_id == organisation_id)
            .order_by(Initiative.title, Initiative.id)
        )
    )
    result.initiatives = len(initiatives)
    findings = stored.read([i for i, _ in initiatives], organisation_id, library, nation, reasons=False)
    criteria = [c for f in chosen for c in f.criteria]
    # Each matrix's cells for every initiative, statuses only: ordering, filtering and counting need them all.
    matrices: list[tuple[str, str, list[Column], list[Criterion | None]]] = []
    cells: list[dict[int, list[Cell]]] = []
    if by_statement:
        columns = [Column(s.id, s.title) for s in cqc.cqc.quality_statements]
        matrices.append((cqc.id, cqc.title, columns, [None] * len(columns)))
        grid = {}
        for initiative_id, _title in initiatives:
            row = []
            for column in columns:
                statuses = [findings[initiative_id][c.id].status for c in criteria if column.id in c.cqc_statements]
                tally = Counter(statuses)
                row.append(
                    Cell(_summary_status(statuses), counts=tuple((s, tally[s]) for s in STATUS_ORDER if tally[s]))
                )
            grid[initiative_id] = row
        cells.append(grid)
    else:
        for framework in chosen:
            columns = [Column(c.id, c.text("title", language) or "", cite(c)) for c in framework.criteria]
            matrices.append((framework.id, framework.text("title", language) or "", columns, list(framework.criteria)))
            cells.append({i: [Cell(findings[i][c.id].status) for c in framework.criteria] for i, _title in initiatives})
    # The initiatives that match, gaps first across every matrix, and the page of them shown.
    everything = {i: [cell for grid in cells for cell in grid[i]] for i, _title in initiatives}
    matching = [
        (i, title) for i, title in initiatives if status is None or any(c.status is status for c in everything[i])
    ]
    matching.sort(key=lambda row: (*_gap_key(everything[row[0]]), row[1].casefold(), row[0]))
    wanted = Paging(min(max(page, 1), MAX_PAGE), COVERAGE_PAGE_SIZE, len(matching))
    result.paging = wanted if wanted.number <= wanted.pages else Paging(wanted.pages, COVERAGE_PAGE_SIZE, wanted.total)
    shown = matching[result.paging.offset : result.paging.offset + COVERAGE_PAGE_SIZE]
    # The people's assessments, beside the automatic check, only for the rows on this page.
    assessments = {} if by_statement else service.latest_assessments([i for i, _ in shown], organisation_id)
    for (key, caption, columns, column_criteria), grid in zip(matrices, cells, strict=True):
        for initiative_id, _title in shown:
            row = grid[initiative_id]
            for n, criterion in enumerate(column_criteria):
                if criterion is not None and (a := assessments.get((initiative_id, criterion.id))) is not None:
                    finding = findings[initiative_id][criterion.id]
                    row[n] = Cell(finding.status, a, differs(finding, a))
        result.matrices.append(_arrange(key, caption, columns, grid, shown, status))
    return result
