"""All models, imported here so Alembic and the app see the whole schema."""

from .activity import (
    Activity,
    Attendance,
    Decision,
    DecisionPosition,
    Evidence,
    Recommendation,
)
from .assessment import Assessment
from .audit import AuditChainHead, AuditCheckpoint, AuditEvent, AuditMerkleNode, AuditValue, AuditVerification
from .equality import EqualityAnswers, EqualityReference, SeldomHeardGroup
from .finding import StoredFinding, StoredSummary
from .initiative import (
    Initiative,
    Membership,
    SignOff,
    Stage,
    StageReopening,
)
from .notification import Notification
from .organisation import (
    AccountToken,
    DataRequest,
    Organisation,
    User,
    utcnow,
)
from .output import Output
from .payment import RateCard, ReciprocityEntry
from .report import ReportRender, ShareLink
from .retention import Disposal, LegalHold, RetentionRule

__all__ = [
    "EqualityAnswers",
    "EqualityReference",
    "SeldomHeardGroup",
    "Disposal",
    "LegalHold",
    "RetentionRule",
    "ReportRender",
    "ShareLink",
    "Assessment",
    "Output",
    "RateCard",
    "ReciprocityEntry",
    "AuditChainHead",
    "AuditMerkleNode",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditValue",
    "AuditVerification",
    "AccountToken",
    "DataRequest",
    "Activity",
    "Attendance",
    "Decision",
    "DecisionPosition",
    "Evidence",
    "Initiative",
    "Membership",
    "Notification",
    "Organisation",
    "Recommendation",
    "SignOff",
    "Stage",
    "StageReopening",
    "StoredFinding",
    "StoredSummary",
    "User",
    "utcnow",
]
