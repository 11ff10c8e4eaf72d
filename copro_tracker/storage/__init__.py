"""Files the service keeps outside the database, behind one interface: evidence uploads, and any other
"area" a feature needs (rendered reports, copies of audit checkpoints). Only this package knows where
the bytes live; views and services name a file by its key and never see a path.

Backends, chosen by config (STORAGE_BACKEND)
    "local" (default)  a folder: EVIDENCE_DIR for evidence, STORAGE_DIR/<area> for other areas (local.py)
    "s3"               an S3-compatible bucket: S3_BUCKET, objects at <S3_PREFIX><area>/<key> (s3.py)

The public API (every function takes `area=`, "evidence" by default; call them in an app context)
    save(data) -> Stored          store bytes under a new random key, at once (a file no row names yet
                                  is removed by `sweep` after the grace period, so record its key soon).
                                  `prefix=` (hex) starts the key with it: an area no rows name (checkpoint
                                  copies) finds its files again by what the prefix encodes
    open(key) -> binary stream    read a file; use it in a `with` block. Raises NotFound
    read(key) -> bytes            the whole file. Raises NotFound
    exists(key) -> bool
    delete(key)                   remove the bytes for good (no error if already gone)
    keys() -> list[str]           every key in the area (for a job that checks files against rows);
                                  `prefix=` lists only the keys that start with it
    sweep(known_keys, grace_seconds=...) -> SweepReport
                                  make an area agree with the rows that name its keys (see below)
    Failures to write or read raise StoreUnavailable (an OSError) with `reason` 'full', 'read_only' or
    'unavailable', so a caller can tell the person what happened and keep what they typed.

No file without its row, no row without its file: uploads use three steps instead of `save`
    1. `stage(data)` stores the bytes durably before anything refers to them. The local folder writes
       `<key>.part` and fsyncs it and its folder; S3 PUTs the object, which S3 makes visible whole or
       not at all.
    2. The caller commits the row that names the key.
    3. `publish(key)`: the local folder renames `<key>.part` to `<key>` (atomic on one file system);
       nothing is left to do on S3.
    If the commit fails the caller calls `discard(key)`. If the process dies between 1 and 2 (a worker
    killed by its timeout or `kill -9`) a file without a row is left: `sweep` removes it once it is
    older than the grace period. If it dies between 2 and 3 the row's file is published by `sweep`, or
    when the file is first read.

`sweep` lists the files before it reads the rows, so a file whose row is committed meanwhile is never
taken for an orphan, and leaves anything younger than the grace period alone, so an upload in flight
on another worker or server is never removed under it. The evidence area is swept by `flask storage
sweep` (activities.service.sweep_evidence_store, which a scheduled job can call); an area whose files
no rows name (checkpoint copies) must simply never be swept.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from .backend import TEMP_SUFFIX, Backend, Entry, NotFound, StoreUnavailable, is_key

__all__ = [
    "EVIDENCE",
    "Entry",
    "NotFound",
    "StoreUnavailable",
    "Stored",
    "TEMP_SUFFIX",
    "SweepReport",
    "backend",
    "delete",
    "discard",
    "exists",
    "is_key",
    "keys",
    "open",
    "publish",
    "read",
    "save",
    "stage",
    "sweep",
]

log = logging.getLogger(__name__)

EVIDENCE = "evidence"
BACKENDS = ("local", "s3")
_AREA = re.compile(r"[a-z][a-z0-9_-]{0,39}")


@dataclass(frozen=True)
class Stored:
    key: str
    size: int
    sha256: str


def backend(area: str = EVIDENCE) -> Backend:
    """The configured store for one area. Built per call from the app's config (cheap: the S3 client is
    kept on the app), so a test or a command that changes the config is followed at once."""
    if not _AREA.fullmatch(area):
        raise ValueError(f"Not a storage area: {area!r}")
    config = current_app.config
    kind = config.get("STORAGE_BACKEND") or "local"
    if kind == "s3":
        from .s3 import S3Backend

        return S3Backend.for_app(current_app, area)
    from .local import LocalBackend

    # STORAGE_AREA_DIRS gives an area its own folder (e.g. write-once storage for checkpoint copies).
    folder = (config.get("STORAGE_AREA_DIRS") or {}).get(area)
    if folder:
        return LocalBackend(Path(folder))
    folder = Path(config["EVIDENCE_DIR"]) if area == EVIDENCE else Path(config["STORAGE_DIR"]) / area
    return LocalBackend(folder)


# A key's random part; a prefix may take the rest of a key's 100 characters.
_RANDOM_CHARS = 48
MAX_PREFIX = 100 - _RANDOM_CHARS


def _check_prefix(prefix: str) -> str:
    if len(prefix) > MAX_PREFIX or (prefix and not is_key(prefix)):
        raise ValueError(f"Not a key prefix: {prefix!r}")
    return prefix


def _new_key(prefix: str = "") -> str:
    return _check_prefix(prefix) + secrets.token_hex(_RANDOM_CHARS // 2)


def stage(data: bytes, *, area: str = EVIDENCE, prefix: str = "") -> Stored:
    """Store the bytes durably under a new key that no row names yet; raises StoreUnavailable."""
    key = _new_key(prefix)
    backend(area).put_staged(key, data)
    return Stored(key=key, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def publish(key: str, *, area: str = EVIDENCE) -> None:
    """Finish storing a staged file, once its row is committed."""
    backend(area).publish(key)


def discard(key: str, *, area: str = EVIDENCE) -> None:
    """Remove a staged file whose row was never committed."""
    backend(area).discard(key)


def save(data: bytes, *, area: str = EVIDENCE, prefix: str = "") -> Stored:
    """Stage and publish at once: for a file whose key is recorded by a step that cannot fail in between
    (rendered reports, checkpoint copies, demo data); uploads use stage/commit/publish."""
    stored = stage(data, area=area, prefix=prefix)
    publish(stored.key, area=area)
    return stored


def open(key: str, *, area: str = EVIDENCE) -> BinaryIO:
    """A readable binary stream of the file; close it (use `with`). Raises NotFound, StoreUnavailable."""
    return backend(area).open(key)


def read(key: str, *, area: str = EVIDENCE) -> bytes:
    with open(key, area=area) as stream:
        return stream.read()


def exists(key: str, *, area: str = EVIDENCE) -> bool:
    return backend(area).exists(key)


def delete(key: str, *, area: str = EVIDENCE) -> None:
    """Remove the file for good, staged or published; no error if it is already gone."""
    backend(area).delete(key)


def keys(*, area: str = EVIDENCE, prefix: str = "") -> list[str]:
    """Every key with a file in the area (starting with `prefix`), staged or published, in key order."""
    return sorted({entry.key for entry in backend(area).entries(_check_prefix(prefix))})


@dataclass
class SweepReport:
    published: list[str] = field(default_factory=list)  # staged files whose row exists: completed
    removed_temporaries: list[str] = field(default_factory=list)  # staged files with no row, past the grace
    removed_orphans: list[str] = field(default_factory=list)  # published files with no row, past the grace
    recent: list[str] = field(default_factory=list)  # files with no row yet, within the grace: uploads in flight
    missing: list[str] = field(default_factory=list)  # rows whose file is nowhere: reported, never invented
    failed: list[str] = field(default_factory=list)  # files that could not be removed or published

    @property
    def ok(self) -> bool:
        return not self.missing and not self.failed


def sweep(
    known_keys: Callable[[], Iterable[str]],
    *,
    grace_seconds: float,
    dry_run: bool = False,
    area: str = EVIDENCE,
) -> SweepReport:
    """Make the area agree with the rows: complete, remove and report (see the package's docstring)."""
    store = backend(area)
    report = SweepReport()
    entries: list[Entry] = store.entries()  # before the rows: see the docstring
    wanted = set(known_keys())
    published = {entry.key for entry in entries if not entry.staged}
    now = time.time()
    present: set[str] = set()
    for entry in entries:
        try:
            if entry.key in wanted:
                present.add(entry.key)
                if entry.staged and entry.key not in published:
                    if not dry_run:
                        store.publish(entry.key)
                    report.published.append(entry.key)
                continue
            if now - entry.modified < grace_seconds:
                report.recent.append(entry.name)
                continue
            if not dry_run:
                store.remove(entry)
            (report.removed_temporaries if entry.staged else report.removed_orphans).append(entry.name)
        except OSError as error:  # StoreUnavailable is one too
            log.error("Storage sweep could not tidy %s: %s", entry.name, error)
            report.failed.append(entry.name)
    report.missing = sorted(wanted - present)
    return report
