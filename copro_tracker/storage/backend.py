"""What every storage backend does (local.py, s3.py), and the errors they all raise."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import BinaryIO, Protocol

TEMP_SUFFIX = ".part"
_KEY_CHARS = frozenset("0123456789abcdef")


def is_key(key: str) -> bool:
    """Keys are made by the store (random hex), never chosen by a person, so none can name a path."""
    return bool(key) and len(key) <= 100 and all(c in _KEY_CHARS for c in key)


def check_key(key: str) -> str:
    if not is_key(key):
        raise ValueError("Not a storage key")
    return key


class StoreUnavailable(OSError):
    """The store cannot take or give a file now. `reason` is 'full', 'read_only' or 'unavailable'."""

    def __init__(self, reason: str, error: BaseException) -> None:
        super().__init__(getattr(error, "errno", None) or errno.EIO, f"file store {reason}: {error}")
        self.reason = reason


class NotFound(FileNotFoundError):
    """No file is stored under that key."""


@dataclass(frozen=True)
class Entry:
    """One stored file as a listing sees it."""

    key: str
    name: str  # the key, or the key and TEMP_SUFFIX for a staged file: what a sweep report names
    staged: bool
    modified: float  # seconds since the epoch


class Backend(Protocol):
    def put_staged(self, key: str, data: bytes) -> None: ...
    def publish(self, key: str) -> None: ...
    def discard(self, key: str) -> None: ...
    def open(self, key: str) -> BinaryIO: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def entries(self, prefix: str = "") -> list[Entry]: ...
    def open_entry(self, entry: Entry) -> BinaryIO: ...
    def put_entry(self, entry: Entry, data: bytes) -> None: ...
    def remove(self, entry: Entry) -> None: ...
    def describe(self) -> str: ...
