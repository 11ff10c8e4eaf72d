"""Aggregates for the equality page and reports: who took part, as counts only. Individual answers are read
here and never leave: what is returned is `domain.equality.Comparison`, suppressed.

Who took part: people recorded as attending an activity (not withdrawn) of the initiative, or of any
initiative of the organisation for the portfolio. Guests without an account have no answers and are not
counted. Three queries whatever the number of people: the participants with their answers, the groups and the
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
from ..models import Activity, Attendance, EqualityAnswers, EqualityReference, SeldomHeardGroup
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
    people = sa.select(Attendance.user_id).join(Activity, Activity.id == Attendance.activity_id)
    people = people.where(
        Activity.organisation_id == organisation_id,
        Activity.withdrawn_at.is_(None),
        Attendance.user_id.is_not(None),
    )
    if initiative_id is not None:
        people = people.where(Activity.initiative_id == initiative_id)
    ids = people.distinct().subquery()
    rows = db.session.execute(
        sa.select(ids.c.user_id, EqualityAnswers).outerjoin(EqualityAnswers, EqualityAnswers.user_id == ids.c.user_id)
    ).all()
    return [answers for _user_id, answers in rows]


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
