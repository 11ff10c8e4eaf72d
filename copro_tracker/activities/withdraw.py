"""Withdrawing a record made by mistake: an activity, a decision, a recommendation or an evidence file.

The row stays, marked withdrawn with who did it and why, so the audit trail (and the record's history page)
keeps that it existed and why it went; every page, report and the criteria facts leave it out from then on
(their queries filter on `withdrawn_at`), and the stored findings recompute in the same transaction
(criteria/stored.py sees the change). A withdrawn file's bytes are deleted through `storage.delete` once
the withdrawal has committed; if that fails, `flask storage sweep` removes them, since no live row names
them any more.
"""

from __future__ import annotations

import logging

from .. import storage
from ..audit import capture
from ..codes import N_
from ..extensions import db
from ..models import Activity, Evidence, User, utcnow
from ..services import ServiceError, commit_or_conflict
from .service import _stage_changed

MAX_REASON = 2000
log = logging.getLogger(__name__)


def mark_withdrawn(record, reason: str, *, by_id: int | None, action: str, at=None) -> None:
    """What withdrawn means for every kind of record (the one place pages and reports filter on), named
    in the audit trail as `<record>.<action>`; the caller commits."""
    record.withdrawn_at = at or utcnow()
    record.withdrawn_by_id = by_id
    record.withdrawal_reason = reason
    capture.name_action(record, f"{capture.entity_name(record)}.{action}")


def withdraw(actor: User, record, reason: str):
    """Withdraw `record` (permission already checked by the route) with the actor's reason; commits."""
    text = (reason or "").strip()
    if not text:
        raise ServiceError(N_("Say why this is being withdrawn"), "reason")
    if len(text) > MAX_REASON:
        raise ServiceError(N_("The reason must be 2,000 characters or fewer"), "reason")
    if record.withdrawn_at is not None:
        raise ServiceError(N_("This has already been withdrawn"))
    if isinstance(record, Activity):
        _stage_changed(record.stage)  # approvals given with it counted are asked for again
    capture.set_actor(db.session, actor.id)
    mark_withdrawn(record, text, by_id=actor.id, action="withdrawn")
    commit_or_conflict()
    if isinstance(record, Evidence):
        try:
            storage.delete(record.storage_key)
        except OSError:
            log.exception("Could not delete the bytes of withdrawn evidence %s; the storage sweep will", record.id)
    return record
