"""Evidence file store. A local folder (app.config["EVIDENCE_DIR"], instance/evidence by default).

Files are stored under a random key, never under a name a person chose, so an upload cannot pick
its own path. Only this module knows where the bytes live: an S3-compatible store can replace it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app


@dataclass(frozen=True)
class Stored:
    key: str
    size: int
    sha256: str


def _root() -> Path:
    root = Path(current_app.config["EVIDENCE_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def _path(key: str) -> Path:
    if not key or not all(c in "0123456789abcdef" for c in key):
        raise ValueError("Not a storage key")
    return _root() / key[:2] / key


def save(data: bytes) -> Stored:
    key = secrets.token_hex(24)
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return Stored(key=key, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def path_of(key: str) -> Path:
    return _path(key)


def delete(key: str) -> None:
    _path(key).unlink(missing_ok=True)
