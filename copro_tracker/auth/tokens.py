"""Single-use, expiring secrets for invitations and password resets. Only a hash is stored."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from ..codes import TokenPurpose
from ..extensions import db
from ..models import AccountToken


def new_secret() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, digest(raw)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def find(raw: str, purpose: TokenPurpose) -> AccountToken | None:
    if not raw or len(raw) > 100:
        return None
    return db.session.scalar(
        sa.select(AccountToken).where(AccountToken.token_hash == digest(raw), AccountToken.purpose == purpose)
    )
