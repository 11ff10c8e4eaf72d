"""Stored findings made current for a new day before anyone asks (criteria/stored.py).

Rules depend on the day (a review date passes), so each stored finding is keyed by the day it was worked
out for, and the first page to read an initiative on a new day recomputes it. For a council with 60
initiatives that first coverage view would load every initiative's facts: this job does that work just
after midnight instead, and after a deploy that changes the rules `flask findings-refresh` does it at once.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from .. import jobs
from ..extensions import db
from ..models import Initiative, Organisation
from . import stored


def refresh(organisation_slug: str | None = None) -> int:
    """Recompute and store the findings that are missing or stale; one commit per organisation.

    Returns the number of initiatives looked at (those already current cost one query, nothing more)."""
    library = current_app.extensions["criteria_library"]
    stmt = sa.select(Organisation.id, Organisation.nation).order_by(Organisation.id)
    if organisation_slug is not None:
        stmt = stmt.where(Organisation.slug == organisation_slug)
    seen = 0
    for organisation_id, nation in db.session.execute(stmt).all():
        ids = list(db.session.scalars(sa.select(Initiative.id).where(Initiative.organisation_id == organisation_id)))
        stored.read(ids, organisation_id, library, nation.value, reasons=False)
        db.session.commit()
        seen += len(ids)
    return seen


@jobs.task()
def refresh_initiatives(organisation_id: int, initiative_ids: list[int]) -> None:
    """Work out again the findings a write invalidated (queued after its commit by stored.py's hook).

    Reading makes current only what is missing or stale: when several writes to one initiative queue
    this, the first recomputes and the others cost one query each."""
    nation = db.session.scalar(sa.select(Organisation.nation).where(Organisation.id == organisation_id))
    if nation is None:
        return
    ids = list(
        db.session.scalars(
            sa.select(Initiative.id).where(
                Initiative.organisation_id == organisation_id, Initiative.id.in_(initiative_ids)
            )
        )
    )
    stored.read(ids, organisation_id, current_app.extensions["criteria_library"], nation.value, reasons=False)
    db.session.commit()


@jobs.periodic(jobs.crontab(hour="0", minute="5"))
def refresh_findings_for_the_new_day() -> None:
    refresh()
