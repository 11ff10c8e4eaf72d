"""Need to know: someone looking at another person's communication needs or adjustments is a disclosure of
special category (health) data, so it is written to the audit trail, where admins can list it and the
person can see it among what is held about them. Only ids and counts enter the trail, never the needs."""

from __future__ import annotations

from collections.abc import Iterable

from ..audit import capture
from ..extensions import db

NEEDS_VIEWED = "needs.viewed"


def record_needs_viewed(
    viewer_id: int,
    organisation_id: int,
    entity_type: str,
    entity_id: int,
    people: Iterable[int | None],
    *,
    initiative_id: int | None = None,
    where: str,
) -> bool:
    """Record that `viewer_id` was shown the needs of `people` (user ids; None for a guest) and commit.

    Returns False (and records nothing) when nobody else's needs were shown."""
    others = [person for person in people if person != viewer_id]
    if not others:
        return False
    capture.record(
        db.session,
        NEEDS_VIEWED,
        organisation_id,
        entity_type,
        entity_id,
        actor_id=viewer_id,
        initiative_id=initiative_id,
        people=sorted({p for p in others if p is not None}),
        guests=sum(1 for p in others if p is None),
        where=where,
    )
    db.session.commit()
    return True
