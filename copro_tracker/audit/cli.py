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
from . import copies as checkpoint_copies
from . import outside as outside_copies

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


def _read_only() -> None:
    """Make this command's database session refuse every write, so a verify cannot change what it checks."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA query_only = ON")


def _end_read_only() -> None:
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA query_only = OFF")  # the connection goes back to a pool
    db.session.rollback()


def _load_outside(path: Path) -> dict[str, outside_copies.OutsideCheckpoint]:
    try:
        return outside_copies.read(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError) as error:
        raise click.ClickException(f"Cannot use {path} as checkpoints kept outside the database: {error}") from error


def _public_key(path: Path | None):
    try:
        if path is not None:
            return ledger.load_public_key_pem(path.read_bytes())
        return service.signing_key(create=False).public_key()
    except service.AuditKeyError as error:
        raise click.ClickException(f"{error} Or give the published public key with --public-key.") from error
    except (OSError, ValueError, TypeError) as error:
        raise click.ClickException(f"Cannot read the public key {path}: {error}") from error


@audit_group.command("verify")
@click.option("--org", "slug", help="Only this organisation (short name); all of them when left out.")
@click.option(
    "--against",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also compare with checkpoints kept outside the database (written by 'flask audit checkpoint --out'): "
    "names a rollback (restored from an older backup) or a fork.",
)
@click.option(
    "--read-only",
    is_flag=True,
    help="Write nothing, not even the record of this verification (for replicas and restored copies).",
)
@click.option(
    "--public-key",
    "public_key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The published public key (PEM) to check signatures with, instead of the signing key's.",
)
def verify_command(slug: str | None, against: Path | None, read_only: bool, public_key_file: Path | None) -> None:
    """Recompute every chain, tree, checkpoint signature and erasable value; report the first fault of each.

    Also checks the newest checkpoint copy kept in the file store (area "checkpoints") and the append-only
    triggers.
    Each run is recorded (an audit.verified event and a row for the audit page) unless --read-only, and an
    organisation without a checkpoint is named and, unless --read-only, given its first one.
    """
    outside = _load_outside(against) if against is not None else {}
    if read_only:
        _read_only()
        public = _public_key(public_key_file)
    else:
        _key_or_fail()
        public = _public_key(public_key_file) if public_key_file is not None else None
    failed = 0
    try:
        organisations = _organisations(slug)
        for organisation in organisations:
            kept = outside.get(organisation.slug)
            started = time.perf_counter()
            warnings: list[str] = []
            result, failure = service.verify_organisation(
                organisation, record=not read_only, public_key=public, outside=kept, warnings=warnings
            )
            seconds = time.perf_counter() - started
            if failure is not None:
                failed += 1
                click.echo(
                    f"FAIL  {organisation.slug}: {_describe(failure)} ({result.size:,} events verified before it)"
                )
                continue
            if read_only:
                note = "Read-only: nothing was recorded."
                if kept is not None:
                    note += f" It holds all {kept.statement.tree_size:,} events of the checkpoint kept outside."
            else:
                note = _last_message(organisation)
            if against is not None and kept is None:
                note += " (No checkpoint of it was kept outside the database.)"
            click.echo(f"OK    {organisation.slug}: {result.size:,} events in {seconds:.2f} s. {note}")
            for warning in warnings:
                click.echo(f"WARN  {organisation.slug}: {warning}")
        known = {organisation.slug for organisation in organisations}
        for missing in sorted(set(outside) - known) if slug is None else ():
            failed += 1
            click.echo(
                f"FAIL  {missing}: [rollback] ROLLBACK: the checkpoint kept outside the database signed "
                f"{outside[missing].statement.tree_size:,} events of this organisation, and the database "
                "no longer has it at all."
            )
        if slug is None:
            failed += _lost_organisations(organisations)
    finally:
        if read_only:
            _end_read_only()
    if failed:
        click.echo(f"{failed} organisation{'s' if failed != 1 else ''} failed verification.", err=True)
        raise SystemExit(1)


def _lost_organisations(organisations: list[Organisation]) -> int:
    """Name each organisation a stored checkpoint copy signed that the database no longer has at all."""
    try:
        lost = sorted(checkpoint_copies.organisation_ids() - {organisation.id for organisation in organisations})
    except OSError as error:
        click.echo(f"FAIL  the checkpoint copies kept outside the database cannot be listed: {error}")
        return 1
    for organisation_id in lost:
        copy = checkpoint_copies.newest_for_id(organisation_id)
        if isinstance(copy, checkpoint_copies.Kept):
            kept = copy.checkpoint.statement
            click.echo(
                f"FAIL  {kept.organisation}: [rollback] ROLLBACK: the checkpoint copy kept outside the database "
                f"({copy.where}) signed {kept.tree_size:,} events of this organisation (id {organisation_id}), "
                "and the database no longer has it at all."
            )
        else:
            click.echo(f"FAIL  organisation id {organisation_id}: {_describe(copy) if copy else 'no copy'}")
    return len(lost)


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
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the latest signed checkpoints to this file, to keep outside the database (another "
    "machine, a ticket, an email): 'flask audit verify --against FILE' then reveals a rollback.",
)
def checkpoint_command(slug: str | None, out: Path | None) -> None:
    """Make a signed checkpoint of each organisation's chain (refused if the chain does not verify)."""
    _key_or_fail()
    failed = 0
    organisations = _organisations(slug)
    for organisation in organisations:
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
    if out is not None:
        document = outside_copies.document(organisations)
        temporary = out.with_name(out.name + ".part")
        temporary.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        temporary.replace(out)
        click.echo(f"Wrote {len(document['checkpoints'])} checkpoint(s) to {out}: keep it outside the database.")
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
