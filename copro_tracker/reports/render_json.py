"""The JSON bundle: the report's data plus an audit evidence bundle (copro-audit-bundle/1) that the offline
verifier checks. ``report_sha256`` is the SHA-256 of the report data's canonical JSON; the report.generated
audit event records the same hash and is one of the events the bundle proves, so the verifier can tie
the data to the signed checkpoint (and flags any change to it)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..audit import ledger
from .build import Report


def report_data(report: Report) -> dict[str, Any]:
    return report.to_data()


def data_sha256(data: dict[str, Any]) -> str:
    return hashlib.sha256(ledger.canonical_json(data)).hexdigest()


def bundle_bytes(bundle: dict[str, Any], data: dict[str, Any]) -> bytes:
    return json.dumps({**bundle, "report": data}, ensure_ascii=False, indent=1).encode("utf-8")
