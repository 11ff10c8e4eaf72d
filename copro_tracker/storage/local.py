"""The local-folder backend: one folder per area, each file at <folder>/<first two characters of key>/<key>.

Staging writes `<key>.part` beside where the file will live and fsyncs the file and its folder, so the
bytes are on disk before any row names them; publishing renames it to `<key>` (atomic on one file
system) and fsyncs the folder. A staged file whose row exists is published the first time it is read.
"""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path
from typing import BinaryIO

from .backend import TEMP_SUFFIX, Entry, NotFound, StoreUnavailable, check_key, is_key

log = logging.getLogger(__name__)


def _reason(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "full"
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "read_only"
    return "unavailable"


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


def _write_durably(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    _fsync_dir(path.parent)


class LocalBackend:
    def __init__(self, root: Path) -> None:
        self.root = root

    def describe(self) -> str:
        return str(self.root)

    def _path(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key

    def _temp(self, key: str) -> Path:
        return self._path(key).with_name(key + TEMP_SUFFIX)

    def _entry_path(self, entry: Entry) -> Path:
        return self._path(entry.key).with_name(entry.name)

    def put_staged(self, key: str, data: bytes) -> None:
        temp = self._temp(key)
        try:
            _make_dirs(temp.parent)
            _write_durably(temp, data)
        except OSError as error:
            try:
                temp.unlink(missing_ok=True)
            except OSError:
                log.warning("Could not remove the partial file %s", temp)
            raise StoreUnavailable(_reason(error), error) from error

    def publish(self, key: str) -> None:
        final = self._path(key)
        try:
            os.replace(self._temp(key), final)
        except FileNotFoundError:
            if final.exists():
                return  # published meanwhile (by a read, or a sweep on another worker)
            raise
        _fsync_dir(final.parent)

    def discard(self, key: str) -> None:
        self._temp(key).unlink(missing_ok=True)

    def open(self, key: str) -> BinaryIO:
        final = self._path(key)
        temp = self._temp(key)
        if not final.exists() and temp.exists():
            try:
                self.publish(key)  # a crash left the file of a committed row staged
            except OSError:
                final = temp  # a read-only store can still be read
        try:
            return final.open("rb")
        except FileNotFoundError as error:
            raise NotFound(errno.ENOENT, f"No stored file {key}") from error
        except OSError as error:
            raise StoreUnavailable(_reason(error), error) from error

    def exists(self, key: str) -> bool:
        return self._path(key).exists() or self._temp(key).exists()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
        self.discard(key)

    def entries(self, prefix: str = "") -> list[Entry]:
        found: list[Entry] = []
        if not self.root.is_dir():
            return found
        for folder in self.root.iterdir():
            if not folder.is_dir() or not folder.name.startswith(prefix[:2]):
                continue
            for path in folder.iterdir():
                staged = path.name.endswith(TEMP_SUFFIX)
                key = path.name.removesuffix(TEMP_SUFFIX)
                if not is_key(key) or folder.name != key[:2]:
                    continue  # not ours: leave it for a person to look at
                if not key.startswith(prefix):
                    continue
                try:
                    stat = path.stat()
                except FileNotFoundError:
                    continue  # published or removed by its own request meanwhile
                if path.is_file():
                    found.append(Entry(key=key, name=path.name, staged=staged, modified=stat.st_mtime))
        return found

    def open_entry(self, entry: Entry) -> BinaryIO:
        return self._entry_path(entry).open("rb")

    def put_entry(self, entry: Entry, data: bytes) -> None:
        path = self._entry_path(entry)
        _make_dirs(path.parent)
        _write_durably(path, data)
        os.utime(path, (entry.modified, entry.modified))

    def remove(self, entry: Entry) -> None:
        self._entry_path(entry).unlink(missing_ok=True)

    def move_aside(self, suffix: str) -> str:
        """Rename the whole folder (restore --force keeps what was there, never deletes it)."""
        moved = self.root.with_name(f"{self.root.name}.{suffix}")
        self.root.rename(moved)
        return str(moved)
