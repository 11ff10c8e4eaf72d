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

from .models import OrgRole

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


OBJECT_RULES: dict[str, Callable[[Any, Any], bool]] = {
    "members.manage": _not_self_admin,
}


def authorize(action: str, obj: Any = None) -> None:
    """Abort unless the current user may do `action` (on `obj`): 404 across organisations, else 403."""
    if obj is not None and not _same_org(current_user, obj):
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
