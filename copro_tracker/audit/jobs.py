"""Scheduled integrity: every night each organisation's audit trail is signed (a checkpoint) and verified in
full; the admin page's "Make a checkpoint now" and "Verify now" queue the same jobs.

When a check fails, the failure is stored as the organisation's latest verification (the admin audit page
shows it, in red, with its message) and every active admin of that organisation is emailed. A checkpoint
that is refused (the trail does not verify) counts as a failed check. Each checkpoint is also copied
outside the database, into the file store (copies.py: the S3 bucket in production), so verification
catches a truncated trail or a rollback to an older backup against the newest outside copy.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import jobs, labels, mail
from ..codes import OrgRole
from ..domain.messages import Message
from ..extensions import db
from ..models import AuditVerification, Organisation, User
from ..web.urls import external_url
from . import capture, service

log = logging.getLogger(__name__)


@jobs.periodic(jobs.crontab(hour="2", minute="30"))
def nightly_integrity() -> None:
    """Queue one check per organisation, so one organisation's long verify never holds up the others."""
    for organisation_id in db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)):
        check_integrity(organisation_id)


@jobs.task()
def check_integrity(organisation_id: int, actor_id: int | None = None, *, checkpoint: bool = True) -> None:
    """Sign the trail (unless `checkpoint` is False) and verify it in full; tell the admins if either fails.

    `actor_id` is the admin who pressed a button on the audit page (the events name them); None for the
    nightly run.
    """
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        return
    capture.set_actor(db.session, actor_id)
    try:
        if checkpoint:
            try:
                service.make_checkpoint(organisation)
            except service.AuditIntegrityError as error:
                db.session.rollback()
                capture.set_actor(db.session, actor_id)
                _record_failure(organisation, error.failure.said)
                return
        _result, failure = service.verify_organisation(organisation)
    except service.AuditKeyError as error:
        db.session.rollback()
        capture.set_actor(db.session, actor_id)
        # The key's trouble is said in English for whoever runs the server (it names settings and files).
        _record_failure(organisation, str(error))
        return
    if failure is not None:
        tell_admins(organisation.id, failure.said)


def _record_failure(organisation: Organisation, reason: Message | str) -> None:
    message = Message.of("audit.no_checkpoint", reason=reason)
    db.session.add(AuditVerification.of(organisation_id=organisation.id, ok=False, events_checked=0, said=[message]))
    capture.record(
        db.session, "audit.verified", organisation.id, "organisation", organisation.id, ok=False, events_checked=0
    )
    db.session.commit()
    tell_admins(organisation.id, message)


def tell_admins(organisation_id: int, reason: Message) -> None:
    """Email every active admin of the organisation that its audit trail failed a check (each in their language)."""
    admins = db.session.scalars(
        sa.select(User).where(
            User.organisation_id == organisation_id, User.role == OrgRole.ADMIN, User.active.is_(True)
        )
    )
    link = external_url("audit.admin_audit")
    for admin in admins:

        def write(reason=reason):
            return (
                _("%(service)s: the audit trail failed its check", service=labels.service_name()),
                _(
                    "The automatic check of your organisation's audit trail found a problem:\n\n%(reason)s\n\n"
                    "Someone may have changed or removed records outside the service, or restored an old backup. "
                    "See the audit page, and keep the database and its backups as they are while you find out why:\n"
                    "%(link)s\n",
                    reason=labels.message(reason),
                    link=link,
                ),
            )

        subject, body = mail.compose(mail.languages_for(admin.preferred_language, None), write)
        if not mail.send(admin.email, subject, body):
            log.warning(
                "Audit trail check failed for organisation %s; no mail server to tell its admins", organisation_id
            )
