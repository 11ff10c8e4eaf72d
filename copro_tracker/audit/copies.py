"""Copies of every signed checkpoint kept outside the database, through the file store (copro_tracker.storage,
area "checkpoints"): a local folder by default, the shared S3 bucket in production, so every server and
the worker write and read the same copies.

Why: the database's own checkpoints roll back with it. Restore an older backup, or delete the checkpoints
and cut the chain's end, and the database alone still verifies. A copy kept in the store, signed with the
audit key, still holds the larger tree: `flask audit verify` compares each chain with its newest copy and
names a ROLLBACK (the database has fewer events than the copy signed) or a FORK (its first events are not
the signed ones).

Keys: `<organisation id, 8 hex digits><tree size, 12 hex digits><random part the store adds>`. Listing
one organisation's prefix in key order ends with its largest checkpoint, so verify reads one copy, not
all of them. The store adds a new random part each time, so a copy is never replaced; the service never
deletes from this area and nothing sweeps it (no rows name its files). For protection against the
database's administrators as well, give the area storage they cannot delete from (README: an S3 Object
Lock or a bucket policy on the `checkpoints/` prefix, or STORAGE_AREA_DIRS for a write-once mount).

Settings: AUDIT_CHECKPOINT_COPIES (on by default; tests turn it on where they need it). The older
AUDIT_CHECKPOINT_DIR still works: it turns the copies on, is the area's folder on the local backend, and
its copies in the old layout (`<organisation>/<size>-<time>.json`) are still read by verify, so upgrading
loses no protection.

A copy is written only once its checkpoint's transaction commits (nothing is copied for a rolled-back
checkpoint). A failed write is logged, never turned into an error for the request or job: the checkpoint
is committed, and verify compares against the newest copy that was written.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import current_app

from .. import storage
from ..domain.messages import Message
from ..models import Organisation
from . import ledger
from .ledger import Failure
from .outside import OutsideCheckpoint

log = logging.getLogger(__name__)

AREA = "checkpoints"
_QUEUED = "audit.checkpoint_copies"
_ORG_DIGITS = 8
_SIZE_DIGITS = 12
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


class Kept(NamedTuple):
    """One copy read back, and where it was (named in verify's messages)."""

    where: str
    checkpoint: OutsideCheckpoint


def enabled() -> bool:
    config = current_app.config
    return bool(config.get("AUDIT_CHECKPOINT_COPIES") or config.get("AUDIT_CHECKPOINT_DIR"))


def organisation_prefix(organisation_id: int) -> str:
    return f"{organisation_id:0{_ORG_DIGITS}x}"


def key_prefix(organisation_id: int, tree_size: int) -> str:
    return organisation_prefix(organisation_id) + f"{tree_size:0{_SIZE_DIGITS}x}"


def queue(session: Any, organisation: Organisation, statement: ledger.Checkpoint, signature: str, key_id: str) -> None:
    """Copy the checkpoint into the store once (and only if) its transaction commits."""
    if not enabled():
        return
    document = {**statement.to_dict(), "signature": signature, "key_id": key_id}
    session.info.setdefault(_QUEUED, []).append((key_prefix(organisation.id, statement.tree_size), document))


def _write_queued(session: Any) -> None:
    for prefix, document in session.info.pop(_QUEUED, []):
        data = (json.dumps(document, indent=1, sort_keys=True) + "\n").encode()
        try:
            storage.save(data, area=AREA, prefix=prefix)
        except OSError:  # StoreUnavailable is one: see the module's docstring
            log.exception("Could not copy the audit checkpoint of %s events to the file store", document["tree_size"])


def _drop_queued(session: Any, *args: Any) -> None:
    session.info.pop(_QUEUED, None)


def install(session_class: type) -> None:
    """Write queued copies after commit, drop them on rollback (once per process)."""
    if sa.event.contains(session_class, "after_commit", _write_queued):
        return
    sa.event.listen(session_class, "after_commit", _write_queued)
    sa.event.listen(session_class, "after_soft_rollback", _drop_queued)


def _parse(where: str, data: bytes) -> Kept | Failure:
    try:
        return Kept(where, OutsideCheckpoint.from_dict(json.loads(data.decode("utf-8"))))
    except (UnicodeDecodeError, ValueError, AttributeError) as error:
        return Failure(None, "bad_signature", Message.of("audit.copy.unreadable", where=where, error=str(error)))


def _newest_stored(organisation_id: int) -> Kept | Failure | None:
    try:
        found = storage.keys(area=AREA, prefix=organisation_prefix(organisation_id))
        if not found:
            return None
        newest = found[-1]  # keys sort by tree size: see the module's docstring
        where = f"{newest} in {storage.backend(AREA).describe()}"
        return _parse(where, storage.read(newest, area=AREA))
    except OSError as error:
        return Failure(
            None,
            "outside_unreadable",
            Message.of("audit.copy.store_unreadable", error=str(error)),
        )


def _newest_in_old_folder(organisation: Organisation) -> Kept | Failure | None:
    """The newest copy AUDIT_CHECKPOINT_DIR holds in the layout used before copies went through the store."""
    setting = current_app.config.get("AUDIT_CHECKPOINT_DIR")
    if not setting:
        return None
    name = organisation.slug if _SAFE_NAME.fullmatch(organisation.slug) else f"organisation-{organisation.id}"
    directory = Path(setting) / name
    files = sorted(directory.glob("*.json")) if directory.is_dir() else []  # names sort by tree size
    if not files:
        return None
    try:
        data = files[-1].read_bytes()
    except OSError as error:
        return Failure(
            None, "bad_signature", Message.of("audit.copy.old_unreadable", where=str(files[-1]), error=str(error))
        )
    return _parse(str(files[-1]), data)


def newest(organisation: Organisation) -> list[Kept | Failure]:
    """The newest copy in the store and, while AUDIT_CHECKPOINT_DIR is set, in its old layout; or a failure
    for a copy that cannot be read. Empty when copies are off or none was written yet."""
    if not enabled():
        return []
    found = (_newest_stored(organisation.id), _newest_in_old_folder(organisation))
    return [item for item in found if item is not None]


def organisation_ids() -> set[int]:
    """Every organisation id some copy was written for (to name an organisation the database has lost)."""
    if not enabled():
        return set()
    return {int(key[:_ORG_DIGITS], 16) for key in storage.keys(area=AREA)}


def newest_for_id(organisation_id: int) -> Kept | Failure | None:
    """The newest stored copy for an organisation id, whether or not the database still has it."""
    return _newest_stored(organisation_id)
