"""The JSON bundle: the report's data plus an audit evidence bundle (copro-audit-bundle/1) that the offline
verifier checks. ``report_sha256`` is the SHA-256 of the report data's canonical JSON; the bundle's report
statement signs the same hash together with the checkpoint its proofs lead to, so the verifier can tie the
data to the signed log (and flags any change to it). The report.generated event recording the download
holds the hash too."""

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
