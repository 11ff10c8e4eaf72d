"""Writes for equality monitoring: a person's own answers, the organisation's seldom-heard groups and its
reference figures. Each takes the acting user and commits once; messages are marked for translation (`N_`) and
translated where they are shown; the audit event of an answer records that
it changed, never the value (the columns are `secret`, models/equality.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from ..audit import capture
from ..codes import EQUALITY_CODES, N_, PREFER_NOT_TO_SAY, SELDOM_HEARD_NONE, EqualityQuestion
from ..extensions import db
from ..models import EqualityAnswers, EqualityReference, SeldomHeardGroup, User, utcnow
from ..services import ServiceError

EXCLUSIVE = (SELDOM_HEARD_NONE, PREFER_NOT_TO_SAY)


def answers_of(person: User) -> EqualityAnswers | None:
    return db.session.scalar(sa.select(EqualityAnswers).where(EqualityAnswers.user_id == person.id))


def groups(organisation_id: int, *, include_retired: bool = False) -> list[SeldomHeardGroup]:
    stmt = sa.select(SeldomHeardGroup).where(SeldomHeardGroup.organisation_id == organisation_id)
    if not include_retired:
        stmt = stmt.where(SeldomHeardGroup.retired_at.is_(None))
    return list(db.session.scalars(stmt.order_by(SeldomHeardGroup.name, SeldomHeardGroup.id)))


def _seldom_heard(person: User, ticked: Sequence[str] | None, current: Sequence[str] | None) -> list[str] | None:
    if not ticked:
        return None
    chosen = list(dict.fromkeys(ticked))
    if any(code in EXCLUSIVE for code in chosen) and len(chosen) > 1:
        raise ServiceError(N_("Choose groups, or “None of these”, or “Prefer not to say”: not both"), "seldom_heard")
    if chosen[0] in EXCLUSIVE:
        return chosen
    # A retired group the person had already ticked stays ticked; nobody can newly tick one.
    offered = {str(g.id) for g in groups(person.organisation_id)} | set(current or [])
    if not set(chosen) <= offered:
        raise ServiceError(N_("Choose from the groups listed"), "seldom_heard")
    return sorted(chosen, key=int)


def save_answers(person: User, answers: Mapping[str, str | None], seldom_heard: Sequence[str] | None) -> bool:
    """Store the person's own answers (None or "" leaves a question unanswered). Returns whether anything
    changed. Nothing is stored for someone who answers nothing: skipping leaves no trace."""
    if person.erased_at is not None:
        raise ServiceError(N_("Your details have been erased"))
    values: dict[str, object] = {}
    for question, kind in EQUALITY_CODES.items():
        raw = answers.get(question.value) or None
        try:
            values[question.value] = kind(raw) if raw is not None else None
        except ValueError as error:
            raise ServiceError(N_("Choose one of the answers listed"), question.value) from error
    row = answers_of(person)
    values[EqualityQuestion.SELDOM_HEARD.value] = _seldom_heard(person, seldom_heard, row.seldom_heard if row else None)
    if row is None:
        if all(value is None for value in values.values()):
            return False
        row = EqualityAnswers(organisation_id=person.organisation_id, user_id=person.id)
        db.session.add(row)
    changed = row.id is None
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if not changed:
        return False
    row.updated_at = utcnow()
    capture.name_action(row, "equality.answered")
    db.session.commit()
    return True


def erase_answers(person: User) -> None:
    """Part of erasure (people/erasure.py): the answers go; the caller commits. The deletion is audited
    like the answers were, without values."""
    row = answers_of(person)
    if row is not None:
        capture.name_action(row, "equality.erased")
        db.session.delete(row)


MAX_GROUP_NAME = 120


def add_group(actor: User, name: str, name_cy: str = "") -> SeldomHeardGroup:
    name, name_cy = (name or "").strip(), (name_cy or "").strip()
    if not name:
        raise ServiceError(N_("Enter the name of the group"), "name")
    if len(name) > MAX_GROUP_NAME or len(name_cy) > MAX_GROUP_NAME:
        raise ServiceError(N_("A group's name must be 120 characters or fewer"), "name")
    if any(g.name.casefold() == name.casefold() for g in groups(actor.organisation_id)):
        raise ServiceError(N_("There is already a group with this name"), "name")
    group = SeldomHeardGroup(organisation_id=actor.organisation_id, name=name, name_cy=name_cy)
    db.session.add(group)
    capture.name_action(group, "equality.group_added")
    db.session.commit()
    return group


def retire_group(actor: User, group: SeldomHeardGroup) -> None:
    """Stop asking about a group; answers already given still count, so the row stays."""
    if group.retired_at is not None:
        raise ServiceError(N_("This group has already been retired"))
    group.retired_at = utcnow()
    capture.name_action(group, "equality.group_retired")
    db.session.commit()


def reference_figures(organisation_id: int) -> dict[str, EqualityReference]:
    rows = db.session.scalars(sa.select(EqualityReference).where(EqualityReference.organisation_id == organisation_id))
    return {row.question.value: row for row in rows}


def set_reference(
    actor: User, question: EqualityQuestion, figures: Mapping[str, str | None], source: str, as_of: date | None
) -> EqualityReference:
    """Record what participation in `question` is compared with: percent by category, its source and date."""
    source = (source or "").strip()
    if not source:
        raise ServiceError(N_("Say where the figures come from"), "source")
    if len(source) > 300:
        raise ServiceError(N_("The source must be 300 characters or fewer"), "source")
    if as_of is None:
        raise ServiceError(N_("Enter the date the figures describe"), "as_of")
    parsed: dict[str, str] = {}
    for category, raw in figures.items():
        text = (raw or "").strip().removesuffix("%").strip()
        if not text:
            continue
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise ServiceError(N_("Enter each figure as a percentage, like 12.5"), category) from error
        if not value.is_finite() or value < 0 or value > 100:
            raise ServiceError(N_("Each figure must be between 0 and 100"), category)
        parsed[category] = str(value.quantize(Decimal("0.1")))
    if not parsed:
        raise ServiceError(N_("Enter at least one figure"), next(iter(figures), None))
    # Rounded figures may add up to a little over 100; ticks of several groups may add up to anything.
    single = question != EqualityQuestion.SELDOM_HEARD
    if single and sum(Decimal(v) for v in parsed.values()) > Decimal("100.5"):
        raise ServiceError(N_("The figures add up to more than 100%"), next(iter(parsed)))
    row = reference_figures(actor.organisation_id).get(question.value)
    if row is None:
        row = EqualityReference(organisation_id=actor.organisation_id, question=question)
        db.session.add(row)
    row.figures, row.source, row.as_of, row.updated_at = parsed, source, as_of, utcnow()
    capture.name_action(row, "equality.reference_set")
    db.session.commit()
    return row
