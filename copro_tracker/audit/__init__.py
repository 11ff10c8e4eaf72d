"""Audit trail: automatic capture, the tamper-evident ledger and its offline verifier."""
