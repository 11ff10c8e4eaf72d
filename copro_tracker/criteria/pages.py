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

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..codes import STATUS_ORDER, worst_status
from ..domain.assessments import finding_differs
from ..extensions import db
from ..models import Assessment, Initiative
from ..tenancy import scoped
from . import facts as facts_loader
from . import rules, service
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


@dataclass
class InitiativePage:
    initiative: Initiative
    facts: InitiativeFacts
    sections: list[FrameworkSection]
    statements: list[StatementRow] = field(default_factory=list)

    @property
    def rows(self) -> list[CriterionRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def disagreements(self) -> int:
        return sum(row.disagree for row in self.rows)


def _summary_status(statuses: Iterable[Status]) -> Status:
    """The worst status among those that apply (the same grading as ``rules.combine``)."""
    return worst_status(statuses) or Status.NOT_APPLICABLE


def initiative_page(
    initiative_id: int, organisation_id: int, library: Library, as_of: date | None = None
) -> InitiativePage | None:
    """Every criterion that applies to the initiative's nation, with its finding and latest assessment.

    None when the organisation has no such initiative. The initiative comes with its memberships only,
    which is all the permission check needs; the facts loader loads everything else.
    """
    initiative = db.session.scalar(
        scoped(Initiative, organisation_id, Initiative.id == initiative_id).options(
            selectinload(Initiative.memberships)
        )
    )
    if initiative is None:
        return None
    facts = facts_loader.load_many([initiative_id], organisation_id, as_of)[initiative_id]
    assessments = service.latest_assessments([initiative_id], organisation_id)
    frameworks = library.checked_for(facts.initiative.nation)
    criteria = [c for f in frameworks for c in f.criteria]
    findings = iter(rules.evaluate_all(criteria, facts))
    sections = [
        FrameworkSection(
            framework,
            [
                CriterionRow(c, framework, next(findings), assessments.get((initiative_id, c.id)))
                for c in framework.criteria
            ],
        )
        for framework in frameworks
    ]
    page = InitiativePage(initiative, facts, sections)
    cqc = library.cqc_for(facts.initiative.nation)
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

    def tally(self) -> list[tuple[Status, int]]:
        counts = Counter(cell.status for row in self.rows for cell in row.cells)
        return [(status, counts[status]) for status in STATUS_ORDER]


@dataclass
class Coverage:
    nation: str
    frameworks: list[Framework]
    initiatives: int
    matrices: list[Matrix]
    cqc_available: bool


def _gap_key(cells: Sequence[Cell]) -> tuple[int, int]:
    not_met = sum(c.status is Status.NOT_MET for c in cells)
    partly = sum(c.status is Status.PARTLY_MET for c in cells)
    return (-not_met, -partly)


def _arrange(key: str, caption: str, columns: list[Column], rows: list[MatrixRow], status: Status | None) -> Matrix:
    """Gaps first (rows and columns with the most "not met", then "partly met"); then the status filter."""
    order = sorted(range(len(columns)), key=lambda i: (*_gap_key([r.cells[i] for r in rows]), i))
    if status is not None:
        order = [i for i in order if any(r.cells[i].status is status for r in rows)]
        rows = [r for r in rows if any(c.status is status for c in r.cells)]
    arranged = [MatrixRow(r.initiative_id, r.title, tuple(r.cells[i] for i in order)) for r in rows]
    arranged.sort(key=lambda r: (*_gap_key(r.cells), r.title.casefold(), r.initiative_id))
    return Matrix(key, caption, tuple(columns[i] for i in order), tuple(arranged))


def coverage(
    organisation_id: int,
    nation: str,
    library: Library,
    *,
    framework_id: str | None = None,
    status: Status | None = None,
    by_statement: bool = False,
    as_of: date | None = None,
) -> Coverage:
    """The organisation's initiatives against its criteria: a fixed number of queries for any size."""
    frameworks = library.checked_for(nation)
    chosen = [f for f in frameworks if framework_id in (None, f.id)]
    initiatives = list(
        db.session.execute(
            sa.select(Initiative.id, Initiative.title)
            .where(Initiative.organisation_id == organisation_id)
            .order_by(Initiative.title, Initiative.id)
        )
    )
    ids = [i.id for i in initiatives]
    snapshots = facts_loader.load_many(ids, organisation_id, as_of)
    assessments = service.latest_assessments(ids, organisation_id)
    criteria = [c for f in chosen for c in f.criteria]
    findings: dict[int, dict[str, Finding]] = {}
    for initiative_id in ids:
        results = rules.evaluate_all(criteria, snapshots[initiative_id])
        findings[initiative_id] = {c.id: f for c, f in zip(criteria, results, strict=True)}
    cqc = library.cqc_for(nation)
    result = Coverage(nation, frameworks, len(ids), [], cqc is not None)
    if by_statement:
        if cqc is None or cqc.cqc is None:
            return result
        columns = [Column(s.id, s.title) for s in cqc.cqc.quality_statements]
        rows = []
        for initiative_id, title in initiatives:
            cells = []
            for column in columns:
                statuses = [findings[initiative_id][c.id].status for c in criteria if column.id in c.cqc_statements]
                tally = Counter(statuses)
                cells.append(
                    Cell(_summary_status(statuses), counts=tuple((s, tally[s]) for s in STATUS_ORDER if tally[s]))
                )
            rows.append(MatrixRow(initiative_id, title, tuple(cells)))
        result.matrices.append(_arrange(cqc.id, cqc.title, columns, rows, status))
        return result
    for framework in chosen:
        columns = [Column(c.id, c.title, cite(c)) for c in framework.criteria]
        rows = []
        for initiative_id, title in initiatives:
            cells = []
            for criterion in framework.criteria:
                finding = findings[initiative_id][criterion.id]
                assessment = assessments.get((initiative_id, criterion.id))
                cells.append(Cell(finding.status, assessment, differs(finding, assessment)))
            rows.append(MatrixRow(initiative_id, title, tuple(cells)))
        result.matrices.append(_arrange(framework.id, framework.title, columns, rows, status))
    return result
