"""Notifications: made once by the daily job, listed for their person, marked read by them.

Nothing here writes the audit chain: a notification is the service's message about records that are
audited already, and whether a person has read it is their own bookkeeping (models/notification.py).
A person's choices of how they hear (email, weekly summary) are changes to the person and are audited
like the rest of their profile.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..audit import capture
from ..codes import NotificationKind
from ..extensions import db
from ..models import Activity, Initiative, Membership, Notification, Recommendation, Stage, User, utcnow
from ..waiting import PERSON_COLUMNS, Person, person_of
from ..web.paging import Paging
from .due import Due, due_for, still_waits, still_waits_of_row

# Listed in the app. An invitation is listed for someone who has an account already (added to another
# initiative); to anyone else it is an email only, their one channel. Resets are emails only (the person
# cannot sign in), and the weekly summary is an email about the others.
IN_APP_KINDS = (
    NotificationKind.SIGN_OFF,
    NotificationKind.CONFIRM,
    NotificationKind.RATE,
    NotificationKind.RESPONSE,
    NotificationKind.REVIEW_DUE,
    NotificationKind.INVITATION,
)
# Emailed whatever the person chose: a reset link is asked for, and needed, by email (security).
ALWAYS_EMAILED = frozenset({NotificationKind.PASSWORD_RESET})


def wants_email(user: User | None, kind: NotificationKind) -> bool:
    """Whether `kind` goes to `user` by email (None: someone without an account yet, an invitee, for whom
    the email is the only way to hear of it). An account holder's invitation follows their choice."""
    if kind in ALWAYS_EMAILED:
        return True
    if user is None:
        return kind == NotificationKind.INVITATION
    if not user.active or user.erased_at is not None:
        return False
    if kind == NotificationKind.DIGEST:
        return user.weekly_digest
    return user.email_notifications


def unread_count_of(person: User | Person = PERSON_COLUMNS, today: date | None = None) -> sa.ScalarSelect[int]:
    """The number of unread notifications that still ask something of the person, as a subquery: the sign-in
    loader reads it in the same statement as the person (the default, the person row's columns), so the
    header's count costs no statement of its own. One whose item no longer waits (withdrawn, closed, done)
    is not counted: the count says how many things need you."""
    today = today or date.today()
    if person is PERSON_COLUMNS:
        return _unread_count_of_row(today)
    return _unread_count(person_of(person), today)


def _unread_count(person: Person, today: date) -> sa.ScalarSelect[int]:
    return (
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == person.id,
            Notification.read_at.is_(None),
            Notification.kind.in_(IN_APP_KINDS),
            still_waits(person, today),
        )
        .scalar_subquery()
    )


@functools.lru_cache(maxsize=2)
def _unread_count_of_row(today: date) -> sa.ScalarSelect[int]:
    """The count for the person row's columns, built once a day: the sign-in loader asks for it on every
    request, and building the waiting rule's statements cost more CPU than running them. Nothing in it
    names a person or a request, so every request and thread can share it (SQL constructs are immutable)."""
    return _unread_count(PERSON_COLUMNS, today)


def notify_everyone(today: date) -> list[int]:
    """Make a notification for each thing due for each active person that they have not been told of.

    Safe to run twice, or in two workers at once: a notification that exists already is skipped, and one
    made by a concurrent run meets the unique constraint and is skipped too. Returns the new ids.
    """
    people = db.session.scalars(
        sa.select(User).where(User.active.is_(True), User.erased_at.is_(None)).order_by(User.id)
    ).all()
    made: list[int] = []
    for person in people:
        made += _notify(person, due_for(person, today))
    return made


def _notify(person: User, due: list[Due]) -> list[int]:
    """Tell `person` of each item in `due` they have not been told of in its cycle.

    One notification per item: when an item asks again in a new cycle (a stage's new round, an approval gone
    stale, a new review date, a changed response), the person's notification about it is reopened for the
    new cycle (unread, not yet emailed, dated now) rather than joined by a second, so they never have two
    unread lines, two counts and two reminders for the same stage."""
    if not due:
        return []
    subjects = {d.subject_id for d in due}
    told: set[tuple[str, int, str]] = set()
    latest: dict[tuple[str, int], tuple[int, str]] = {}  # (kind, subject) -> (id, cycle) of its newest row
    for notification_id, kind, subject_id, cycle in db.session.execute(
        sa.select(Notification.id, Notification.kind, Notification.subject_id, Notification.cycle)
        .where(Notification.user_id == person.id, Notification.subject_id.in_(subjects))
        .order_by(Notification.id)
    ):
        told.add((kind.value, subject_id, cycle))
        latest[(kind.value, subject_id)] = (notification_id, cycle)
    made = []
    for item in due:
        if item.key in told:
            continue
        earlier = latest.get(item.key[:2])
        made_id = _reopen(earlier[0], earlier[1], item.cycle) if earlier else _add(person, item)
        told.add(item.key)
        if made_id is not None:
            made.append(made_id)
    db.session.commit()
    return made


def _add(person: User, item: Due) -> int | None:
    notification = Notification(
        organisation_id=person.organisation_id,
        user_id=person.id,
        kind=item.kind,
        subject_id=item.subject_id,
        cycle=item.cycle,
        initiative_id=item.initiative_id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(notification)
    except IntegrityError:
        return None  # another run told them first
    return notification.id


def _reopen(notification_id: int, cycle: str, new_cycle: str) -> int | None:
    """Move a notification on to the item's new cycle; None when another run moved it first (the update
    names the cycle it read, so of two runs at once only one reopens it and queues its email)."""
    try:
        with db.session.begin_nested():
            moved = db.session.execute(
                sa.update(Notification)
                .where(Notification.id == notification_id, Notification.cycle == cycle)
                .values(cycle=new_cycle, read_at=None, emailed_at=None, created_at=utcnow())
            ).rowcount
    except IntegrityError:
        return None  # the new cycle is recorded on another of their rows already
    return notification_id if moved == 1 else None


def notify_added(membership: Membership) -> int | None:
    """Tell a person who has an account that they were added to an initiative (their invitation: they
    need no link to join). Once per membership; returns the new notification's id (None if told already).
    Not audited, like every notification: the membership it is about was."""
    notification = Notification(
        organisation_id=membership.organisation_id,
        user_id=membership.user_id,
        kind=NotificationKind.INVITATION,
        subject_id=membership.id,
        cycle="",
        initiative_id=membership.initiative_id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(notification)
    except IntegrityError:
        return None
    db.session.commit()
    return notification.id


@dataclass(frozen=True)
class Line:
    """One notification as its list shows it: what, where, when, whether it is read, and whether what it
    asked of the person still waits for them (waiting.py's rule, asked now)."""

    notification: Notification
    initiative_title: str | None
    stage_kind: str | None
    activity_title: str | None
    recommendation_text: str | None
    waiting: bool = True
    member_role: str | None = None  # an invitation's: the role they were added in

    @property
    def unread(self) -> bool:
        """Counted and flagged as unread: not read, and still needing the person."""
        return self.notification.read_at is None and self.waiting


def lines_query(user: User, kinds: tuple[NotificationKind, ...] = IN_APP_KINDS) -> sa.Select:
    """A person's notifications of `kinds`, newest first, with the names their lines show and whether each
    still waits (one statement)."""
    activity_kinds = (NotificationKind.CONFIRM, NotificationKind.RATE)
    recommendation_kinds = (NotificationKind.RESPONSE, NotificationKind.REVIEW_DUE)
    # Asked of the person's row, joined here, so the rule is the one the header's count was built with.
    waits = still_waits_of_row(date.today())
    return (
        sa.select(
            Notification, Initiative.title, Stage.kind, Activity.title, Recommendation.text, waits, Membership.role
        )
        .select_from(Notification)
        .join(User, User.id == Notification.user_id)
        .outerjoin(Initiative, Initiative.id == Notification.initiative_id)
        .outerjoin(Stage, sa.and_(Notification.kind == NotificationKind.SIGN_OFF, Stage.id == Notification.subject_id))
        .outerjoin(Activity, sa.and_(Notification.kind.in_(activity_kinds), Activity.id == Notification.subject_id))
        .outerjoin(
            Recommendation,
            sa.and_(Notification.kind.in_(recommendation_kinds), Recommendation.id == Notification.subject_id),
        )
        .outerjoin(
            Membership,
            sa.and_(Notification.kind == NotificationKind.INVITATION, Membership.id == Notification.subject_id),
        )
        .where(Notification.user_id == user.id, Notification.kind.in_(kinds))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def _line(row: sa.Row) -> Line:
    n, title, stage, activity, text, waits, role = row
    return Line(n, title, getattr(stage, "value", stage), activity, text, bool(waits), getattr(role, "value", role))


def lines(
    user: User,
    page: Paging | None = None,
    *,
    unread_only: bool = False,
    kinds: tuple[NotificationKind, ...] = IN_APP_KINDS,
) -> list[Line]:
    """The person's lines; `unread_only`: those still unread and still waiting (what the count counts)."""
    stmt = lines_query(user, kinds)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None), still_waits_of_row(date.today()))
    if page is not None:
        stmt = stmt.limit(page.size).offset(page.offset)
    return [_line(row) for row in db.session.execute(stmt)]


def line(notification_id: int, user: User) -> Line | None:
    """One of the person's notifications as its line shows it; None if it is not theirs."""
    for row in db.session.execute(lines_query(user).where(Notification.id == notification_id)):
        return _line(row)
    return None


def count(user_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.kind.in_(IN_APP_KINDS))
    )


def mark_read(notification: Notification, now: datetime | None = None) -> None:
    if notification.read_at is None:
        notification.read_at = now or utcnow()
    db.session.commit()


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount or 0


def set_preferences(user: User, *, email: bool, digest: bool) -> None:
    """The person's choice of how they hear of what waits for them, audited as a change to them."""
    if user.email_notifications == email and user.weekly_digest == digest:
        return
    user.email_notifications = email
    user.weekly_digest = digest
    capture.name_action(user, "user.notifications_changed")
    db.session.commit()


def record_digest(user: User, week: str) -> bool:
    """Note that `user`'s summary for `week` is being sent; False when it was already (the unique key)."""
    now = utcnow()
    digest = Notification(
        organisation_id=user.organisation_id,
        user_id=user.id,
        kind=NotificationKind.DIGEST,
        subject_id=user.id,
        cycle=week,
        read_at=now,
        emailed_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(digest)
    except IntegrityError:
        return False
    db.session.commit()
    return True
