"""What each person should be told about today, and in which cycle: the dashboard's "Waiting for you"
(waiting.py, the one definition) plus the responses to recommendations they made ("you said, we did").

A cycle keeps "once" honest: a stage asks again in a new sign-off round (and of someone whose approval its
changed activities made stale), a review again on a new date, a response again when it is changed; an
activity to confirm or rate is asked about once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..codes import NotificationKind, SignOffDecision
from ..extensions import db
from ..models import Initiative, Membership, Notification, Recommendation, SignOff, Stage, User
from ..waiting import PERSON_COLUMNS, WAITING_KINDS, Person, waiting_items, waiting_queries

# The dashboard's kinds of waiting item, as notifications.
KIND_OF_WAITING = {
    "sign_offs": NotificationKind.SIGN_OFF,
    "confirmations": NotificationKind.CONFIRM,
    "overdue_reviews": NotificationKind.REVIEW_DUE,
    "ratings": NotificationKind.RATE,
}


@dataclass(frozen=True)
class Due:
    kind: NotificationKind
    subject_id: int
    cycle: str
    initiative_id: int

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.kind.value, self.subject_id, self.cycle)


def responses_to(user: User | Person) -> sa.Select:
    """Responses given to recommendations this person made, by someone else, on initiatives still open:
    (recommendation id, initiative id, when it was responded to)."""
    return (
        sa.select(Recommendation.id, Recommendation.initiative_id, Recommendation.responded_at)
        .join(Initiative, Initiative.id == Recommendation.initiative_id)
        .where(
            Recommendation.organisation_id == user.organisation_id,
            Recommendation.made_by_id == user.id,
            Recommendation.responded_at.is_not(None),
            Recommendation.responded_by_id != user.id,
            Recommendation.withdrawn_at.is_(None),
            Initiative.closed_on.is_(None),
        )
    )


def _sign_offs(user: User, stages: list[tuple[int, int]]) -> list[Due]:
    """Sign-off reminders: once per round, and once more when the person approved this round but the stage's
    activities changed since (gates.given_before_change: that approval no longer counts, so they are asked
    again on the new evidence)."""
    approved_before_change = (
        sa.select(SignOff.id)
        .where(
            SignOff.stage_id == Stage.id,
            SignOff.user_id == user.id,
            SignOff.round == Stage.round,
            SignOff.decision == SignOffDecision.APPROVE,
            SignOff.created_at < Stage.activities_changed_at,
        )
        .exists()
    )
    rows = db.session.execute(
        sa.select(Stage.id, Stage.round, Stage.activities_changed_at, approved_before_change).where(
            Stage.id.in_([stage for stage, _ in stages])
        )
    ).all()
    cycles = {
        stage: f"round {round_}" + (f" after {changed:%Y-%m-%d %H:%M:%S}" if asked_again else "")
        for stage, round_, changed, asked_again in rows
    }
    return [Due(NotificationKind.SIGN_OFF, stage, cycles[stage], initiative) for stage, initiative in stages]


def due_for(user: User, today: date) -> list[Due]:
    """Everything waiting for `user` on `today`, each with the cycle it belongs to."""
    due: list[Due] = []
    stages: list[tuple[int, int]] = []
    for name, stmt in zip(WAITING_KINDS, waiting_queries(user, today), strict=True):
        kind = KIND_OF_WAITING[name]
        for initiative_id, _title, item_id, _text, day, _stage_kind, _rank in db.session.execute(stmt):
            if kind == NotificationKind.SIGN_OFF:
                stages.append((item_id, initiative_id))
            else:
                cycle = str(day)[:10] if kind == NotificationKind.REVIEW_DUE else ""
                due.append(Due(kind, item_id, cycle, initiative_id))
    if stages:
        due += _sign_offs(user, stages)
    for recommendation_id, initiative_id, responded_at in db.session.execute(responses_to(user)):
        due.append(Due(NotificationKind.RESPONSE, recommendation_id, responded_at.isoformat(), initiative_id))
    return due


def still_waits(person: Person, today: date) -> sa.ColumnElement[bool]:
    """Whether a notification still asks something of its person, by the same rule that made it: its item
    is still among what waits for them (a withdrawn record, a closed stage or initiative, a sign-off given, a
    record confirmed or rated no longer does). Any cycle of the item counts: a new cycle reopens the person's
    one notification about it (service._reopen), and rows made before that rule still point at the right page.

    A SQL condition on the Notification row, so the unread count can ride inside the statement that loads
    the person (with waiting.PERSON_COLUMNS) and the list can show each line's state in its one statement.
    """
    checks = [
        sa.and_(Notification.kind == KIND_OF_WAITING[name], Notification.subject_id.in_(items))
        for name, items in zip(WAITING_KINDS, waiting_items(person, today), strict=True)
    ]
    responses = (
        responses_to(person)
        .with_only_columns(Recommendation.id, maintain_column_froms=True)
        .correlate(person.correlate)
    )
    checks.append(sa.and_(Notification.kind == NotificationKind.RESPONSE, Notification.subject_id.in_(responses)))
    # Being added to an initiative (an account holder's invitation) asks something of them while they are
    # still part of it and it is open.
    joined = (
        sa.select(Membership.id)
        .join(Initiative, Initiative.id == Membership.initiative_id)
        .where(Membership.user_id == person.id, Membership.left_on.is_(None), Initiative.closed_on.is_(None))
        .correlate(person.correlate)
    )
    checks.append(sa.and_(Notification.kind == NotificationKind.INVITATION, Notification.subject_id.in_(joined)))
    return sa.or_(*checks)


@functools.lru_cache(maxsize=2)
def still_waits_of_row(today: date) -> sa.ColumnElement[bool]:
    """`still_waits` asked of the person row's columns (waiting.PERSON_COLUMNS), built once a day and shared
    by every request: the statement it goes in must have the person's User row in its FROM."""
    return still_waits(PERSON_COLUMNS, today)
