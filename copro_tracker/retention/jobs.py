"""The nightly disposal: each organisation's records past their retention period, unless held."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from .. import jobs
from ..extensions import db
from ..models import Organisation, utcnow
from . import disposal

log = logging.getLogger(__name__)


@jobs.periodic(jobs.crontab(hour="3", minute="15"))
def nightly_disposal() -> None:
    """Queue one disposal per organisation, so one organisation's failure never stops the others'."""
    for organisation_id in db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)):
        dispose_for(organisation_id)


@jobs.task()
def dispose_for(organisation_id: int) -> None:
    """Safe to run twice: a second run finds nothing left to dispose of."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        return
    outcome = disposal.dispose_due(organisation, utcnow().date())
    if outcome.disposed:
        log.info(
            "Organisation %s: disposed of %s records in %s groups; %s audit values erased",
            organisation_id,
            sum(item.count for item in outcome.disposed),
            len(outcome.disposed),
            outcome.values_erased,
        )
