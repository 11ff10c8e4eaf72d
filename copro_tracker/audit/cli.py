"""`flask audit …`: verify the chains, make checkpoints, print proofs, export bundles for inspectors.

Commands act as the system (no person is the actor in their audit events). Exit status is 0 when
everything worked and verified, 1 when anything failed verification or could not be done.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..models import AuditEvent, AuditVerification, Organisation
from . import capture, ledger, service

audit_group = AppGroup("audit", help="Verify and prove the tamper-evident audit trail.")


def _organisations(slug: str | None) -> list[Organisation]:
    if slug is not None:
        return [_organisation(slug)]
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.id)))


def _organisation(slug: str) -> Organisation:
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise click.ClickException(f"No organisation with the short name {slug!r}.")
    return organisation


def _describe(failure: ledger.Failure) -> str:
    where = f"event {failure.seq} " if failure.seq is not None else ""
    return f"{where}[{failure.kind}] {failure.message}"


def _key_or_fail() -> None:
    """Fail early, with the remedy, when there is no signing key; and act as the system from here on."""
    capture.set_actor(db.session, None)
    try:
        service.signing_key()
    except service.AuditKeyError as error:
        raise click.ClickException(str(error)) from error


@audit_group.command("verify")
@click.option("--org", "slug", help="Only this organisation (short name); all of them when left out.")
def verify_command(slug: str | None) -> None:
    """Recompute every chain, tree and checkpoint signature; report the first broken link of each."""
    _key_or_fail()
    failed = 0
    for organisation in _organisations(slug):
        started = time.perf_counter()
        result, failure = service.verify_organisation(organisation)
        seconds = time.perf_counter() - started
        if failure is None:
            click.echo(
                f"OK    {organisation.slug}: {result.size:,} events in {seconds:.2f} s. {_last_message(organisation)}"
            )
        else:
            failed += 1
            click.echo(f"FAIL  {organisation.slug}: {_describe(failure)} ({result.size:,} events verified before it)")
    if failed:
        click.echo(f"{failed} organisation{'s' if failed != 1 else ''} failed verification.", err=True)
        raise SystemExit(1)


def _last_message(organisation: Organisation) -> str:
    """The plain-English summary verify_organisation just stored."""
    return (
        db.session.scalar(
            sa.select(AuditVerification.message)
            .where(AuditVerification.organisation_id == organisation.id)
            .order_by(AuditVerification.id.desc())
            .limit(1)
        )
        or ""
    )


@audit_group.command("checkpoint")
@click.option("--org", "slug", help="Only this organisation (short name); all of them when left out.")
def checkpoint_command(slug: str | None) -> None:
    """Make a signed checkpoint of each organisation's chain (refused if the chain does not verify)."""
    _key_or_fail()
    failed = 0
    for organisation in _organisations(slug):
        try:
            row = service.make_checkpoint(organisation)
        except service.AuditIntegrityError as error:
            db.session.rollback()
            failed += 1
            click.echo(f"FAIL  {organisation.slug}: not signed, {_describe(error.failure)}")
            continue
        click.echo(
            f"OK    {organisation.slug}: checkpoint of {row.tree_size:,} events, root {row.root_hash}, "
            f"issued {row.issued_at}, key {row.key_id[:16]}"
        )
    if failed:
        raise SystemExit(1)


def _proof_document(organisation: Organisation, seq: int) -> dict:
    if not 1 <= seq <= service.chain_size(organisation):
        raise click.ClickException(f"{organisation.slug} has no event {seq}.")
    checkpoint = service.covering_checkpoint(organisation, seq)
    statement = service.checkpoint_record(organisation, checkpoint)
    leaf = db.session.scalar(
        sa.select(AuditEvent.hash).where(AuditEvent.organisation_id == organisation.id, AuditEvent.seq == seq)
    )
    return {
        "organisation": organisation.slug,
        "seq": seq,
        "leaf_index": seq - 1,
        "leaf_hash": leaf,
        "checkpoint": {**statement.to_dict(), "signature": checkpoint.signature, "key_id": checkpoint.key_id},
        "proof": service.inclusion_proof(organisation, seq, checkpoint),
    }


@audit_group.command("proof")
@click.option("--org", "slug", required=True, help="The organisation's short name.")
@click.option("--event", "seq", type=click.IntRange(min=1), required=True, help="The event's seq number.")
def proof_command(slug: str, seq: int) -> None:
    """Print (JSON) an RFC 9162 inclusion proof of one event against the latest checkpoint.

    A new checkpoint is made first when none covers the event yet.
    """
    _key_or_fail()
    organisation = _organisation(slug)
    try:
        document = _proof_document(organisation, seq)
    except service.AuditIntegrityError as error:
        raise click.ClickException(_describe(error.failure)) from error
    click.echo(json.dumps(document, indent=2))


def _seqs(value: str | None) -> list[int] | None:
    if value is None:
        return None
    try:
        seqs = [int(part) for part in value.replace(" ", "").split(",") if part]
    except ValueError as error:
        raise click.BadParameter("give event numbers separated by commas, e.g. 1,2,3", param_hint="--events") from error
    if not seqs or min(seqs) < 1:
        raise click.BadParameter("give event numbers from 1 upwards, e.g. 1,2,3", param_hint="--events")
    return seqs


@audit_group.command("export")
@click.option("--org", "slug", required=True, help="The organisation's short name.")
@click.option("--events", "events", help="Only these events, with inclusion proofs, e.g. 1,2,3 (default: all).")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True)
def export_command(slug: str, events: str | None, out: Path) -> None:
    """Write an evidence bundle that `python -m copro_tracker.audit.verify FILE` checks offline."""
    _key_or_fail()
    organisation = _organisation(slug)
    cited = _seqs(events)
    if cited is not None and max(cited) > service.chain_size(organisation):
        raise click.ClickException(f"{organisation.slug} has no event {max(cited)}.")
    try:
        bundle = service.export_bundle(organisation, cited)
    except service.AuditIntegrityError as error:
        raise click.ClickException(f"not exported, {_describe(error.failure)}") from error
    out.write_text(json.dumps(bundle, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    checkpoint = bundle["checkpoint"]
    click.echo(
        f"Wrote {out}: {len(bundle['events']):,} events, checkpoint of {checkpoint['tree_size']:,} events issued "
        f"{checkpoint['issued_at']}. Check it with: python -m copro_tracker.audit.verify {out} --public-key KEY.pem"
    )


@audit_group.command("public-key")
@click.option("--create", is_flag=True, help="Create the key file (AUDIT_KEY_FILE) if it does not exist yet.")
def public_key_command(create: bool) -> None:
    """Print the public key that verifies checkpoints (publish it; inspectors pass it to the verifier)."""
    config = current_app.config
    try:
        if create and not config.get("AUDIT_SIGNING_KEY"):
            key = ledger.load_or_create_private_key(Path(config["AUDIT_KEY_FILE"]))
        else:
            key = service.signing_key()
    except (service.AuditKeyError, OSError, ValueError, TypeError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(ledger.public_key_pem(key), nl=False)
    click.echo(f"fingerprint (SHA-256 of the raw key): {ledger.public_key_id(key)}", err=True)
