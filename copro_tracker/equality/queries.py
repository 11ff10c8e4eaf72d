"""Aggregates for the equality page and reports: who took part, as counts only. Individual answers are read
here and never leave: what is returned is `domain.equality.Comparison`, suppressed.

Who took part: citizen partners recorded as attending an activity (not withdrawn) of the initiative, or of any
initiative of the organisation, as the reports count them; the comparison is with the people services are for,
so staff who attended are not in it. Guests without an account have no answers and are not counted. A few
queries whatever the number of people: the initiatives' stored figures, the answers, the groups and the
reference figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from ..codes import EQUALITY_CODES, PREFER_NOT_TO_SAY, SELDOM_HEARD_NONE, EqualityQuestion
from ..domain.equality import Comparison, compare
from ..extensions import db
from ..models import EqualityAnswers, EqualityReference, Initiative, SeldomHeardGroup
from ..reports import stored_summary
from . import service


@dataclass(frozen=True)
class Section:
    comparison: Comparison
    reference: EqualityReference | None


@dataclass(frozen=True)
class Overview:
    took_part: int | None  # suppressed like every other count
    sections: list[Section]
    groups: dict[str, SeldomHeardGroup]


def _participants(organisation_id: int, initiative_id: int | None) -> list[EqualityAnswers | None]:
    # The same people the reports count (reports/summary.py): citizen partners recorded as attending an activity,
    # read from each initiative's stored figures for today.
    if initiative_id is not None:
        ids = [initiative_id]
    else:
        ids = list(db.session.scalars(sa.select(Initiative.id).where(Initiative.organisation_id == organisation_id)))
    people = sorted({user_id for s in stored_summary.read(ids, organisation_id).values() for user_id in s.partners})
    if not people:
        return []
    answers = {
        row.user_id: row
        for row in db.session.scalars(
            sa.select(EqualityAnswers).where(
                EqualityAnswers.organisation_id == organisation_id, EqualityAnswers.user_id.in_(people)
            )
        )
    }
    return [answers.get(user_id) for user_id in people]


def overview(organisation_id: int, initiative_id: int | None = None) -> Overview:
    answers = _participants(organisation_id, initiative_id)
    all_groups = service.groups(organisation_id, include_retired=True)
    references = service.reference_figures(organisation_id)
    sections = []
    for question, kind in EQUALITY_CODES.items():
        categories = [code.value for code in kind if code.value != PREFER_NOT_TO_SAY]
        sections.append(_section(question, categories, answers, references, multiple=False))
    group_codes = [str(g.id) for g in all_groups if g.retired_at is None] + [SELDOM_HEARD_NONE]
    sections.append(_section(EqualityQuestion.SELDOM_HEARD, group_codes, answers, references, multiple=True))
    took_part = sections[0].comparison.took_part if sections else None
    return Overview(took_part, sections, {str(g.id): g for g in all_groups})


def _section(
    question: EqualityQuestion,
    categories: Sequence[str],
    answers: list[EqualityAnswers | None],
    references: dict[str, EqualityReference],
    *,
    multiple: bool,
) -> Section:
    reference = references.get(question.value)
    figures = {k: Decimal(v) for k, v in reference.figures.items()} if reference else None
    values = [row.answer(question) if row is not None else None for row in answers]
    return Section(compare(question.value, categories, values, figures, multiple=multiple), reference)
