"""THE access policy. Every route declares what it needs here; nothing else decides who may do what.

`can(user, action, obj)` is a pure function of the user, the action and (optionally) the object,
so it is unit-tested directly. Views use the `requires` decorator for role-level actions and
`authorize()` for object-level ones. Objects of another organisation are never "forbidden": they
are "not found", so their existence is not disclosed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from .codes import OrgRole
from .domain.payments import may_approve

ADMIN = frozenset({OrgRole.ADMIN})
STAFF = frozenset({OrgRole.ADMIN, OrgRole.COMMISSIONER})
ANYONE = frozenset(OrgRole)

# Role-level rules: which organisation roles may attempt the action at all.
ROLE_RULES: dict[str, frozenset[OrgRole]] = {
    "dashboard.view": ANYONE,
    "profile.edit": ANYONE,
    "session.end": ANYONE,
    "people.invite": STAFF,
    "members.view": STAFF,
    "members.manage": ADMIN,
    "members.reset_link": ADMIN,
    "organisation.view": ANYONE,
    "initiative.list": ANYONE,
    "initiative.create": STAFF,
    "initiative.view": ANYONE,
    "initiative.edit": ANYONE,
    "initiative.manage_members": ANYONE,
    "initiative.contribute": ANYONE,
    "stage.sign_off": ANYONE,
    "stage.reopen": ANYONE,
    "activity.confirm": ANYONE,
    "attendance.rate": ANYONE,
    "recommendation.respond": ANYONE,
    "evidence.view": ANYONE,
    "audit.admin": ADMIN,
    "criteria.view": ANYONE,
    "criteria.assess": ANYONE,
    "criteria.respond": ANYONE,
    "coverage.view": STAFF,
    "criteria.library": ADMIN,
    "report.view": ANYONE,
    "report.portfolio": STAFF,
    "report.share": STAFF,
    # Need to know (special category data): a person's communication needs and requested adjustments.
    "needs.view": ANYONE,
    "needs.arrange": ANYONE,
    "needs.edit": ANYONE,
    "needs.disclosures": ADMIN,
    # Named rows of people's adjustments in a report (the page only; always a recorded disclosure).
    "needs.report": STAFF,
    # A person's own data (UK GDPR rights); admins answer requests and carry out erasure.
    "data.own": ANYONE,
    "data.requests": ADMIN,
    # Retention periods, legal holds and what the scheduled disposal removed (storage limitation).
    "retention.manage": ADMIN,
    "legal_hold.manage": ADMIN,
    # Typing the password again before erasing someone or lifting a legal hold (only admins do either).
    "session.step_up": ADMIN,
    # A person's own notifications and how they hear of them (notifications/): nobody sees anyone else's.
    "notifications.own": ANYONE,
    # Payments for involvement (issue 17). Object rules below say whose items each person may act on.
    "payment.view": ANYONE,
    "payment.offer": ANYONE,
    "payment.choose": ANYONE,
    "payment.claim": ANYONE,
    "payment.approve": ANYONE,
    "payment.mark_paid": STAFF,
    "payment.withdraw": ANYONE,
    "payment.own": ANYONE,
    "payment.export": STAFF,
    "payment.rates": ADMIN,
    # What each payment in an initiative's history holds (amounts, references, notes).
    "payment.history": ANYONE,
    # Withdraw a record made by mistake (activity, decision, recommendation, evidence file, payment).
    "record.withdraw": ANYONE,
    # Equality monitoring (special category data). Each person answers, reads and changes their own; nobody
    # else reads one person's answers, admins included: they see suppressed counts only.
    "equality.own": ANYONE,
    "equality.answers": ANYONE,
    "equality.aggregates": ADMIN,
    "equality.manage": ADMIN,
    # The equality section (suppressed counts) of the reports staff make; never in a share link.
    "equality.report": STAFF,
}


def _same_org(user: Any, obj: Any) -> bool:
    org_id = getattr(obj, "organisation_id", None)
    return org_id is None or org_id == user.organisation_id


def can(user: Any, action: str, obj: Any = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    allowed = ROLE_RULES.get(action)
    if allowed is None:
        raise KeyError(f"Unknown action {action!r}: add it to permissions.ROLE_RULES")
    if obj is not None and not _same_org(user, obj):
        return False
    if user.role not in allowed:
        return False
    check = OBJECT_RULES.get(action)
    return check(user, obj) if (check and obj is not None) else True


def _not_self_admin(user: Any, target: Any) -> bool:
    # An admin cannot demote or deactivate themselves: the organisation could be left without one.
    return getattr(target, "id", None) != user.id


def membership_of(user: Any, initiative: Any) -> Any | None:
    """The user's current membership of the initiative (memberships are loaded with the initiative)."""
    for membership in initiative.memberships:
        if membership.user_id == user.id and membership.left_on is None:
            return membership
    return None


def _was_member(user: Any, initiative: Any) -> bool:
    return any(m.user_id == user.id for m in initiative.memberships)


def _sees_initiative(user: Any, initiative: Any) -> bool:
    # Staff see all of their organisation's initiatives; citizen partners only those they are or were part of.
    return user.role in STAFF or _was_member(user, initiative)


def _contributor(user: Any, initiative: Any) -> bool:
    membership = membership_of(user, initiative)
    return membership is not None and membership.role.value != "observer" and initiative.closed_on is None


def _leads(user: Any, initiative: Any) -> bool:
    membership = membership_of(user, initiative)
    if initiative.closed_on is not None:
        return False
    return user.role in STAFF or (membership is not None and membership.role.value == "co_lead")


def _initiative_of(obj: Any) -> Any:
    return getattr(obj, "initiative", obj)


def _assessor(user: Any, initiative: Any) -> bool:
    # Staff, or a current member on the commissioner side, record the people's assessment of a criterion.
    membership = membership_of(user, initiative)
    return user.role in STAFF or (membership is not None and membership.side.value == "commissioner")


def _cosigner(user: Any, initiative: Any) -> bool:
    # Any current citizen-partner member who takes part (observers watch, they do not sign) co-signs or disagrees.
    membership = membership_of(user, initiative)
    return membership is not None and membership.side.value == "citizen_partner" and membership.role.value != "observer"


def _co_lead(user: Any, initiative: Any) -> bool:
    membership = membership_of(user, initiative)
    return membership is not None and membership.role.value == "co_lead"


def _arranges(user: Any, initiative: Any) -> bool:
    # Staff, and the co-leads who arrange the meetings, need to know what each person asked for.
    return user.role in STAFF or _co_lead(user, initiative)


def needs_subject(obj: Any) -> int | None:
    """Whose needs a record holds: a person (User) or an attendance row (None for a guest without an account)."""
    return getattr(obj, "user_id", None) if hasattr(obj, "activity_id") else getattr(obj, "id", None)


def _needs_initiative(obj: Any) -> Any | None:
    activity = getattr(obj, "activity", None)
    return getattr(activity, "initiative", None)


def _sees_needs(user: Any, obj: Any) -> bool:
    if needs_subject(obj) == user.id:
        return True
    if user.role in STAFF:
        return True
    initiative = _needs_initiative(obj)
    return initiative is not None and _co_lead(user, initiative)


def _changes_needs(user: Any, obj: Any) -> bool:
    initiative = _needs_initiative(obj)
    if initiative is None or initiative.closed_on is not None:
        return False
    return needs_subject(obj) == user.id or _arranges(user, initiative)


def discloses_needs(user: Any, obj: Any) -> bool:
    """Whether showing `obj`'s needs to `user` is a disclosure to record: allowed, and not their own."""
    return can(user, "needs.view", obj) and needs_subject(obj) != user.id


def _runs_payments(user: Any, initiative: Any) -> bool:
    # Staff and the initiative's current co-leads make offers and approve; payments can still be settled after
    # an initiative closes, so unlike _leads this does not depend on it being open.
    membership = membership_of(user, initiative)
    return user.role in STAFF or (membership is not None and membership.role.value == "co_lead")


def _own(user: Any, obj: Any) -> bool:
    return getattr(obj, "user_id", None) == user.id


def _sees_payment(user: Any, obj: Any) -> bool:
    # Amounts paid to a person are private to them and to the people who run the initiative's payments.
    return _own(user, obj) or _runs_payments(user, _initiative_of(obj))


def _offers(user: Any, obj: Any) -> bool:
    # Nobody makes an offer to themselves: what you are given is offered, and so approved, by someone else.
    return _runs_payments(user, _initiative_of(obj)) and not _own(user, obj)


def _claims(user: Any, obj: Any) -> bool:
    # A member claims their own expenses; the people who run payments may claim on someone's behalf.
    initiative = _initiative_of(obj)
    if getattr(obj, "user_id", None) is None:
        return _was_member(user, initiative) or _runs_payments(user, initiative)
    return (_own(user, obj) and _was_member(user, initiative)) or _runs_payments(user, initiative)


def _approves(user: Any, obj: Any) -> bool:
    return _runs_payments(user, _initiative_of(obj)) and may_approve(user.id, obj.user_id, obj.claimed_by_id)


def recorded_by(obj: Any) -> int | None:
    """Who made a record: the recorder of an activity or decision, the uploader of a file, the person who made
    a recommendation, the approver of a payment."""
    for name in ("recorded_by_id", "uploaded_by_id", "made_by_id", "approved_by_id"):
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


def _withdraws(user: Any, obj: Any) -> bool:
    # Whoever recorded it, or staff; only what is still there, and only while the initiative is open.
    if getattr(obj, "withdrawn_at", None) is not None:
        return False
    initiative = getattr(obj, "initiative", None) or _needs_initiative(obj)
    if initiative is None or initiative.closed_on is not None:
        return False
    return user.role in STAFF or recorded_by(obj) == user.id


OBJECT_RULES: dict[str, Callable[[Any, Any], bool]] = {
    "notifications.own": _own,
    "members.manage": _not_self_admin,
    "initiative.view": lambda u, o: _sees_initiative(u, _initiative_of(o)),
    "initiative.edit": lambda u, o: _leads(u, _initiative_of(o)),
    "initiative.manage_members": lambda u, o: _leads(u, _initiative_of(o)),
    "initiative.contribute": lambda u, o: _contributor(u, _initiative_of(o)),
    "stage.sign_off": lambda u, o: _contributor(u, _initiative_of(o)),
    "stage.reopen": lambda u, o: _contributor(u, _initiative_of(o)),
    # Only the person an assisted record was made for can confirm or correct it.
    "activity.confirm": lambda u, o: o.on_behalf_of_id == u.id and o.confirmed_at is None,
    # Each attendee rates for themselves; nobody rates on another's behalf.
    "attendance.rate": lambda u, o: o.user_id == u.id,
    "recommendation.respond": lambda u, o: _leads(u, _initiative_of(o)),
    "payment.view": _sees_payment,
    "payment.offer": _offers,
    # The person chooses for themselves; someone who runs payments may record a choice the person told them.
    "payment.choose": _sees_payment,
    "payment.claim": _claims,
    # Nobody approves a payment to themselves, nor one whose choice or claim they recorded.
    "payment.approve": _approves,
    # Finance staff mark payments made, never their own.
    "payment.mark_paid": lambda u, o: not _own(u, o),
    # Offers are withdrawn by those who run payments; a person may withdraw their own expense claim.
    "payment.withdraw": lambda u, o: _runs_payments(u, _initiative_of(o)) or (_own(u, o) and o.is_claim),
    # The history shows every member that a payment changed; only those who run payments see what it holds
    # (the person paid sees their own on /profile/payments).
    "payment.history": lambda u, o: _runs_payments(u, _initiative_of(o)),
    "evidence.view": lambda u, o: _sees_initiative(u, _initiative_of(o)),
    "criteria.view": lambda u, o: _sees_initiative(u, _initiative_of(o)),
    "criteria.assess": lambda u, o: _assessor(u, _initiative_of(o)),
    "criteria.respond": lambda u, o: _cosigner(u, _initiative_of(o)),
    # "Nothing about us without us": every member who can see an initiative can read its evidence report.
    "report.view": lambda u, o: _sees_initiative(u, _initiative_of(o)),
    # Need to know: the person themselves, staff, and the initiative's co-leads (for attendance rows); other
    # members see only that adjustments were arranged. A person's standing needs (their profile): self and staff.
    "needs.view": _sees_needs,
    "needs.arrange": lambda u, o: _arranges(u, _initiative_of(o)),
    # Only the person, staff and co-leads change what someone asked for, and only while the initiative is open.
    "needs.edit": _changes_needs,
    "record.withdraw": _withdraws,
    # Only the person: not staff, not co-leads, not admins (they have the aggregates).
    "equality.answers": _own,
}


def authorize(action: str, obj: Any = None) -> None:
    """Abort unless the current user may do `action` (on `obj`).

    404 across organisations, and for an initiative the user may not even see (its existence is not
    disclosed); 403 when they can see it but not do this.
    """
    if obj is not None and not _same_org(current_user, obj):
        abort(404)
    initiative = getattr(obj, "initiative", None) if obj is not None and not hasattr(obj, "memberships") else obj
    if (
        initiative is not None
        and hasattr(initiative, "memberships")
        and not can(current_user, "initiative.view", initiative)
    ):
        abort(404)
    if not can(current_user, action, obj):
        abort(403)


def requires(action: str) -> Callable:
    """Route decorator: signed in, and the role allows `action`. Recorded for the route meta-tests."""
    if action not in ROLE_RULES:
        raise KeyError(f"Unknown action {action!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from .extensions import login_manager

                return login_manager.unauthorized()
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_rule = action  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public(view: Callable) -> Callable:
    view.access_rule = "public"  # type: ignore[attr-defined]
    return view
