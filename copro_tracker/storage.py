"""Evidence file store. A local folder (app.config["EVIDENCE_DIR"], instance/evidence by default).

Files are stored under a random key, never under a name a person chose, so an upload cannot pick
its own path. Only this module knows where the bytes live: an S3-compatible store can replace it.

Writing so that no file is ever left without its row, and no row without its file
    1. `stage(data)` writes `<key>.part` beside where the file will live and fsyncs the file and its
       folder: the bytes are on disk before anything refers to them.
    2. The caller commits the row that names the key.
    3. `publish(key)` renames `<key>.part` to `<key>` (atomic on one file system) and fsyncs the folder.
    If the commit fails the caller calls `discard(key)`. If the process dies between 1 and 2 (a worker
    killed by its timeout or `kill -9`) a `.part` file without a row is left: `sweep` removes it once it
    is older than a grace period. If it dies between 2 and 3 the row's `.part` file is published by
    `sweep`, or by `path_of` the first time the file is read.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".part"
_KEY_CHARS = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Stored:
    key: str
    size: int
    sha256: str


class StoreUnavailable(OSError):
    """The store cannot take a file now. `reason` is 'full', 'read_only' or 'unavailable'."""

    def __init__(self, reason: str, error: OSError) -> None:
        super().__init__(error.errno, f"evidence store {reason}: {error}")
        self.reason = reason


def _reason(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "full"
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "read_only"
    return "unavailable"


def root() -> Path:
    return Path(current_app.config["EVIDENCE_DIR"])


def _is_key(key: str) -> bool:
    return bool(key) and len(key) <= 100 and all(c in _KEY_CHARS for c in key)


def _path(key: str) -> Path:
    if not _is_key(key):
        raise ValueError("Not a storage key")
    return root() / key[:2] / key


def _temp(key: str) -> Path:
    return _path(key).with_name(key + TEMP_SUFFIX)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_dirs(folder: Path) -> None:
    """Create the key's folder (and the store) durably: a new folder's name lives in its parent."""
    missing = [p for p in (folder.parent, folder) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    for made in missing:
        _fsync_dir(made.parent)


def stage(data: bytes) -> Stored:
    """Write the bytes under a new key's temporary name, durably; raises StoreUnavailable."""
    key = secrets.token_hex(24)
    temp = _temp(key)
    try:
        _make_dirs(temp.parent)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_dir(temp.parent)
    except OSError as error:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            log.warning("Could not remove the partial evidence file %s", temp)
        raise StoreUnavailable(_reason(error), error) from error
    return Stored(key=key, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def publish(key: str) -> None:
    """Give a staged file its real name, once its row is committed."""
    final = _path(key)
    os.replace(_temp(key), final)
    _fsync_dir(final.parent)


def discard(key: str) -> None:
    """Remove a staged file whose row was never committed."""
    _temp(key).unlink(missing_ok=True)


def save(data: bytes) -> Stored:
    """Stage and publish at once, for a file whose row is committed by a later step that cannot fail in
    between (demo data, test fixtures); uploads use stage/commit/publish."""
    stored = stage(data)
    publish(stored.key)
    return stored


def path_of(key: str) -> Path:
    """Where the bytes of a key that has a row live, publishing them if a crash left them staged."""
    final = _path(key)
    if not final.exists() and _temp(key).exists():
        try:
            publish(key)
        except OSError:
            return _temp(key)  # a read-only store can still be read
    return final


def delete(key: str) -> None:
    _path(key).unlink(missing_ok=True)
    discard(key)


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


def _files() -> Iterable[Path]:
    base = root()
    if not base.is_dir():
        return []
    return [path for folder in base.iterdir() if folder.is_dir() for path in folder.iterdir() if path.is_file()]


def sweep(known_keys: Callable[[], Iterable[str]], *, grace_seconds: float, dry_run: bool = False) -> SweepReport:
    """Make the store agree with the rows: complete, remove and report (see the module's docstring).

    The files are listed before the rows are read, so a file whose row is committed meanwhile is never
    taken for an orphan; a file younger than the grace period is left alone whatever it is, so an upload
    in flight on another worker is never removed under it.
    """
    report = SweepReport()
    files = list(_files())
    keys = set(known_keys())
    now = time.time()
    present: set[str] = set()
    for path in files:
        staged = path.name.endswith(TEMP_SUFFIX)
        key = path.name.removesuffix(TEMP_SUFFIX)
        if not _is_key(key) or path.parent.name != key[:2]:
            continue  # not ours: leave it for a person to look at
        try:
            if key in keys:
                present.add(key)
                if staged and not _path(key).exists():
                    if not dry_run:
                        publish(key)
                    report.published.append(key)
                continue
            try:
                age = now - path.stat().st_mtime
            except FileNotFoundError:
                continue  # published or removed by its own request meanwhile
            if age < grace_seconds:
                report.recent.append(path.name)
                continue
            if not dry_run:
                path.unlink(missing_ok=True)
            (report.removed_temporaries if staged else report.removed_orphans).append(path.name)
        except OSError as error:
            log.error("Storage sweep could not tidy %s: %s", path, error)
            report.failed.append(path.name)
    report.missing = sorted(keys - present)
    return report
