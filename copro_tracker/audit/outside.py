"""Checkpoints kept outside the database, and what comparing the database with one reveals.

The database's own checkpoints roll back with it: restore an older backup and `flask audit verify`
still passes, because the checkpoint it checks against was restored too. A signed checkpoint kept
somewhere else (`flask audit checkpoint --out FILE`, or one outside copy of a checkpoint) names what
happened: a ROLLBACK when the database has fewer events than the checkpoint signed, a FORK when its first
`tree_size` events are not the signed ones (rewritten, or restored and written to since).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..domain.messages import Message
from ..models import Organisation
from . import ledger
from .ledger import Failure, VerifyResult


class OutsideCheckpoint(NamedTuple):
    """A signed checkpoint kept outside the database (`flask audit checkpoint --out`), to compare it against."""

    statement: ledger.Checkpoint
    signature: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OutsideCheckpoint:
        try:
            statement = ledger.Checkpoint(
                str(data["organisation"]), int(data["tree_size"]), str(data["root_hash"]), str(data["issued_at"])
            )
            return cls(statement, str(data["signature"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not a checkpoint record: {error}") from error

    def to_dict(self) -> dict[str, Any]:
        return {**self.statement.to_dict(), "signature": self.signature}


FORMAT = "copro-tracker-outside-checkpoints/1"


def document(organisations: Iterable[Organisation]) -> dict[str, Any]:
    """The latest signed checkpoint of each organisation, as a document to keep outside the database."""
    from .service import checkpoint_record, latest_checkpoint

    records = []
    for organisation in organisations:
        checkpoint = latest_checkpoint(organisation)
        if checkpoint is not None:
            statement = checkpoint_record(organisation, checkpoint)
            records.append(
                {**OutsideCheckpoint(statement, checkpoint.signature).to_dict(), "key_id": checkpoint.key_id}
            )
    return {"format": FORMAT, "written_at": ledger.utc_now_iso(), "checkpoints": records}


def read(document: Mapping[str, Any]) -> dict[str, OutsideCheckpoint]:
    """Parse an outside-checkpoint document: {organisation slug: checkpoint}. Raises ValueError."""
    if isinstance(document, Mapping) and "tree_size" in document:
        parsed = OutsideCheckpoint.from_dict(document)  # one checkpoint record, as one outside copy holds
        return {parsed.statement.organisation: parsed}
    if not isinstance(document, Mapping) or document.get("format") != FORMAT:
        raise ValueError(f"not an outside checkpoint file (its format is not {FORMAT!r})")
    records = document.get("checkpoints")
    if not isinstance(records, list):
        raise ValueError("its 'checkpoints' is not a list")
    parsed = [OutsideCheckpoint.from_dict(record) for record in records]
    return {record.statement.organisation: record for record in parsed}


def compare(result: VerifyResult, outside: OutsideCheckpoint, public: Ed25519PublicKey) -> Failure | None:
    """Name what an outside checkpoint reveals: a rollback (the database lost events the checkpoint signed)
    or a fork (the database's history differs from the signed one, whether or not it grew since)."""
    failure = ledger.verify_against_checkpoint(
        result, outside.statement, outside.signature, public, organisation=outside.statement.organisation
    )
    if failure is None:
        return None
    kept = outside.statement
    if failure.kind == "truncated":
        return Failure(
            failure.seq,
            "rollback",
            Message.of(
                "audit.rollback",
                last=f"{result.size:,}",
                time=kept.issued_at,
                size=f"{kept.tree_size:,}",
                first=f"{result.size + 1:,}",
            ),
        )
    if failure.kind == "root_mismatch":
        return Failure(
            None,
            "fork",
            Message.of("audit.fork", size=f"{kept.tree_size:,}", time=kept.issued_at),
        )
    return failure
