"""The equality monitoring section of the initiative and portfolio reports: who took part (citizen partners
recorded as attending the activities the report covers) against the organisation's reference figures, as counts
suppressed by `domain.equality.compare`. Never a person's answer: only counts, never for a share link."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..codes import (
    EQUALITY_CODES,
    EQUALITY_QUESTION_LABELS,
    LABELS,
    PREFER_NOT_TO_SAY,
    SELDOM_HEARD_NONE,
    EqualityQuestion,
)
from ..domain.equality import Comparison, Row, compare
from ..domain.small_numbers import is_small
from .model import SUPPRESSED, Cell, Column, EqualityInputs, Section, Table
from .words import _


def _columns() -> tuple[Column, ...]:
    return (
        Column("answer", _("Answer")),
        Column("people", _("People"), numeric=True),
        Column("share", _("Of those who answered"), numeric=True),
        Column("reference", _("Reference"), numeric=True),
        Column("difference", _("Difference (percentage points)"), numeric=True),
    )


def _count(value: int | None) -> Cell:
    return _(SUPPRESSED) if value is None else value


def _row(label: str, row: Row) -> tuple[Cell, ...]:
    return (
        label,
        _count(row.count),
        f"{row.share}%" if row.share is not None else None,
        f"{row.reference}%" if row.reference is not None else None,
        f"{row.difference:+}" if row.difference is not None else None,
    )


def _table(comparison: Comparison, labels: dict[str, str], source: str) -> Table:
    rows = [_row(labels.get(r.category, r.category), r) for r in comparison.rows]
    rows.append(_row(_("Prefer not to say"), comparison.prefer_not))
    rows.append(_row(_("Not answered"), comparison.not_answered))
    notes = []
    if source:
        notes.append(_("Reference: %(source)s.", source=source))
    if comparison.took_part and not comparison.shares_shown:
        notes.append(_("Percentages are not shown because they would give away a number smaller than 5."))
    if comparison.multiple:
        notes.append(_("People can belong to more than one group, so these numbers do not add up to a total."))
    question = EqualityQuestion(comparison.question)
    return Table(
        f"equality-{question.value.replace('_', '-')}",
        _(EQUALITY_QUESTION_LABELS[question]),
        _columns(),
        tuple(rows),
        note=" ".join(notes),
    )


def equality_section(inputs: EqualityInputs | None, took_part: Iterable[int]) -> Section | None:
    """The section for the people in `took_part` (person ids, each once), or None when it is left out."""
    if inputs is None:
        return None
    people = sorted(set(took_part))
    tables = []
    for question in (*EQUALITY_CODES, EqualityQuestion.SELDOM_HEARD):
        multiple = question == EqualityQuestion.SELDOM_HEARD
        if multiple:
            labels = dict(inputs.groups) | {SELDOM_HEARD_NONE: _("None of these")}
            categories = [code for code, _ in inputs.groups] + [SELDOM_HEARD_NONE]
        else:
            table = LABELS[EQUALITY_CODES[question]]
            labels = {code.value: _(text) for code, text in table.items()}
            categories = [code for code in labels if code != PREFER_NOT_TO_SAY]
        figures, source, as_of = inputs.references.get(question.value, ({}, "", None))
        reference = {code: Decimal(value) for code, value in figures.items()}
        answers = [inputs.answers.get(person, {}).get(question.value) for person in people]
        comparison = compare(question.value, categories, answers, reference, multiple=multiple)
        tables.append(_table(comparison, labels, f"{source}, {as_of.isoformat()}" if source and as_of else ""))
    total = _(SUPPRESSED) if is_small(len(people)) else len(people)
    counted = _(
        "Citizen partners who took part (recorded as attending an activity): %(total)s. They answered for "
        "themselves, and every question was optional.",
        total=total,
    )
    how = _(
        "Numbers from 1 to 4 are shown as “fewer than 5”, and another number is hidden where a total would give "
        "them away. Percentages are of the people who answered; “Prefer not to say” and “Not answered” are "
        "counted separately."
    )
    return Section("equality", _("Equality monitoring"), (counted, how), tuple(tables))
