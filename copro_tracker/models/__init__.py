"""All models, imported here so Alembic and the app see the whole schema."""

from .organisation import (
    AccountToken,
    CommunicationNeed,
    Nation,
    Organisation,
    OrgRole,
    PartnerKind,
    TokenPurpose,
    User,
    utcnow,
)

__all__ = [
    "AccountToken",
    "CommunicationNeed",
    "Nation",
    "OrgRole",
    "Organisation",
    "PartnerKind",
    "TokenPurpose",
    "User",
    "utcnow",
]
