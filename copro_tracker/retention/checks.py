"""Erasure respects legal hold and retention (registered with people.erasure.register_erasure_check).

- A legal hold on the organisation, or on an initiative the person was a member of, attended, or was paid
  in, stops their erasure until it is lifted.
- Payments made to a person are finance records: while their retention period runs (HMRC expects 6 years),
  the person cannot be anonymised out of them.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context

from ..codes import PaymentStatus, RetainedRecord
from ..domain.retention import due_on
from ..extensions import db
from ..formatting import format_date
from ..models import Activity, Attendance, Initiative, Membership, ReciprocityEntry, User, utcnow
from ..people.erasure import register_erasure_check
from ..services import in_reader_language
from ..services import plural_in_reader_language as ngettext  # extracted as ngettext
from .service import holds_in_force, rules_for

# The admin page shows a reason in the reader's language; `flask people erase` has no request.
_ = in_reader_language


def _initiatives_of(person: User) -> set[int]:
    member = sa.select(Membership.initiative_id).where(Membership.user_id == person.id)
    attended = (
        sa.select(Activity.initiative_id)
        .join(Attendance, Attendance.activity_id == Activity.id)
        .where(Attendance.user_id == person.id)
    )
    paid = sa.select(ReciprocityEntry.initiative_id).where(ReciprocityEntry.user_id == person.id)
    return set(db.session.scalars(sa.union(member, attended, paid)))


@register_erasure_check
def under_legal_hold(person: User) -> str | None:
    holds = holds_in_force(person.organisation_id)
    if holds.organisation_wide:
        return _("Your organisation's records are under legal hold: nobody's details can be erased until it is lifted.")
    held = sorted(set(holds.by_initiative) & _initiatives_of(person))
    if not held:
        return None
    titles = db.session.scalars(sa.select(Initiative.title).where(Initiative.id.in_(held)).order_by(Initiative.title))
    return _(
        "An initiative they took part in is under legal hold (%(titles)s): their details cannot be erased "
        "until the hold is lifted.",
        titles=", ".join(titles),
    )


@register_erasure_check
def finance_records_kept(person: User) -> str | None:
    paid = db.session.execute(
        sa.select(Initiative.closed_on)
        .join(ReciprocityEntry, ReciprocityEntry.initiative_id == Initiative.id)
        .where(ReciprocityEntry.user_id == person.id, ReciprocityEntry.status == PaymentStatus.PAID)
    ).all()
    if not paid:
        return None
    months = rules_for(person.organisation_id)[RetainedRecord.RECEIPTS]
    if months is None:
        return _("They were paid, and your retention rules keep payment records for good.")
    if any(closed_on is None for (closed_on,) in paid):
        return ngettext(
            "They were paid in an initiative that is still open: payment records are kept for %(num)s month "
            "after it closes.",
            "They were paid in an initiative that is still open: payment records are kept for %(num)s months "
            "after it closes.",
            months,
        )
    until = max(due_on(closed_on, months) for (closed_on,) in paid)
    if until > utcnow().date():
        when = format_date(until) if has_request_context() else until.isoformat()
        return _("They were paid: payment records must be kept until %(date)s.", date=when)
    return None
