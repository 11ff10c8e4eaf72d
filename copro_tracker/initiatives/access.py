"""Loading an initiative for a request: scoped to the user's organisation, then checked by the policy."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..models import Initiative
from ..permissions import authorize
from . import queries


def load_initiative(initiative_id: int, action: str = "initiative.view", *, stages: bool = True) -> Initiative:
    """The initiative with members and stages loaded; 404 when it is not theirs to see, 403 for the action.
    `stages=False` loads the memberships only (all a permission check reads), for pages that show no stage:
    one statement instead of six."""
    if stages:
        initiative = queries.get_initiative(initiative_id, current_user.organisation_id)
    else:
        initiative = queries.get_initiative_with_members(initiative_id, current_user.organisation_id)
    if initiative is None:
        abort(404)
    authorize(action, initiative)
    return initiative
