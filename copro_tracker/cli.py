"""Flask commands: demo data, organisations and users. Passwords are prompted for, never arguments.

The `audit` command group lives in audit/cli.py.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from .auth import service
from .codes import Nation, OrgRole, PartnerKind
from .services import ServiceError


def register_cli(app: Flask) -> None:
    @app.cli.command("demo")
    def demo_command() -> None:
        """Load the demo organisations, people and initiatives (safe to run again)."""
        from .demo import load_demo

        created = load_demo()
        click.echo(created.describe())

    @app.cli.command("findings-refresh")
    @click.option("--org", "org_slug", default=None, help="Only this organisation (its short name)")
    def findings_refresh_command(org_slug: str | None) -> None:
        """Store today's criteria findings wherever they are missing or stale (after a deploy, or a bulk load)."""
        from .criteria import jobs as criteria_jobs

        count = criteria_jobs.refresh(org_slug)
        click.echo(f"Findings are current for {count:,} {'initiative' if count == 1 else 'initiatives'}.")

    @app.cli.command("create-org")
    @click.option("--name", required=True, help="Full name, e.g. 'Northshire County Council'")
    @click.option("--slug", required=True, help="Short name used in exports, e.g. 'northshire'")
    @click.option("--nation", type=click.Choice([n.value for n in Nation]), required=True)
    def create_org_command(name: str, slug: str, nation: str) -> None:
        """Create an organisation."""
        try:
            organisation = service.create_organisation(name, slug, nation)
        except ServiceError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Created {organisation.name} ({organisation.slug}, {organisation.nation.value}).")

    @app.cli.command("create-user")
    @click.option("--org", "org_slug", required=True, help="The organisation's short name")
    @click.option("--email", required=True)
    @click.option("--name", "display_name", required=True)
    @click.option("--role", type=click.Choice([r.value for r in OrgRole]), default=OrgRole.ADMIN.value)
    @click.option("--partner-kind", type=click.Choice([k.value for k in PartnerKind]), default="officer")
    def create_user_command(org_slug: str, email: str, display_name: str, role: str, partner_kind: str) -> None:
        """Create a user; the password is asked for at a prompt (never on the command line)."""
        import sqlalchemy as sa

        from .extensions import db
        from .models import Organisation

        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == org_slug))
        if organisation is None:
            raise click.ClickException(f"No organisation with the short name {org_slug!r}")
        try:
            service.check_name(display_name)  # before asking for the password, not after
        except ServiceError as error:
            raise click.ClickException(str(error)) from error
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = service.create_user(
                organisation,
                email=email,
                display_name=display_name,
                password=password,
                role=OrgRole(role),
                partner_kind=PartnerKind(partner_kind),
            )
        except ServiceError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Created {user.display_name} <{user.email}> as {user.role.value} of {organisation.name}.")

    storage_group = AppGroup("storage", help="Keep the evidence file store and the database in agreement.")

    @storage_group.command("sweep")
    @click.option(
        "--grace-minutes",
        type=click.FloatRange(min=0),
        default=None,
        help="Leave files younger than this alone (uploads in flight). Default: STORAGE_SWEEP_GRACE_MINUTES.",
    )
    @click.option("--dry-run", is_flag=True, help="Report what would be done; change nothing.")
    def sweep_command(grace_minutes: float | None, dry_run: bool) -> None:
        """Publish staged files whose row exists, remove files without rows, report rows without files.

        Run at start-up (gunicorn.conf.py does) and on a schedule. Exit status 1 when a row's file is missing
        or a file could not be tidied.
        """
        from .activities.service import sweep_evidence_store

        grace = grace_minutes if grace_minutes is not None else app.config["STORAGE_SWEEP_GRACE_MINUTES"]
        report = sweep_evidence_store(grace_seconds=grace * 60, dry_run=dry_run)
        click.echo(describe_sweep(report, dry_run=dry_run))
        if not report.ok:
            raise SystemExit(1)

    app.cli.add_command(storage_group)

    @app.cli.command("backup")
    @click.option(
        "--to",
        "destination",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="The folder to write the backup into (default: BACKUP_DIR).",
    )
    @click.option("--archive", is_flag=True, help="Write one .tar.gz file instead of a folder.")
    def backup_command(destination: Path | None, archive: bool) -> None:
        """Back up the database, the evidence files and the audit public key, with a manifest of SHA-256s."""
        from . import backup

        try:
            result = backup.backup(destination or Path(app.config["BACKUP_DIR"]), archive=archive)
        except (backup.BackupError, OSError) as error:
            raise click.ClickException(str(error)) from error
        manifest = result.manifest
        click.echo(
            f"Backed up to {result.path}: {manifest['database']['dialect']} database "
            f"(revision {manifest['database']['alembic_revision']}), {manifest['evidence_files']} evidence file(s), "
            f"{'the audit public key' if manifest['audit_public_key'] else 'NO audit public key (none configured)'}."
        )
        click.echo("Keep the audit signing key apart from backups; it is not in them.")

    @app.cli.command("restore")
    @click.argument("source", type=click.Path(exists=True, path_type=Path))
    @click.option(
        "--force",
        is_flag=True,
        help="Replace a database that has data, moving the current evidence store aside (never deleting it).",
    )
    def restore_command(source: Path, force: bool) -> None:
        """Restore a backup made by 'flask backup' (a folder or .tar.gz) after checking every SHA-256.

        Refuses to overwrite a database with data or an evidence store with files unless --force.
        """
        from . import backup

        try:
            result = backup.restore(source, force=force)
        except (backup.BackupError, OSError) as error:
            raise click.ClickException(str(error)) from error
        manifest = result.manifest
        click.echo(
            f"Restored the backup of {manifest['created_at']}: database at revision "
            f"{manifest['database']['alembic_revision']}, {result.evidence_files} evidence file(s)."
        )
        if result.moved_aside is not None:
            click.echo(f"The evidence store that was there is now {result.moved_aside}.")
        click.echo(describe_sweep(result.sweep))
        click.echo(
            "Next: 'flask db upgrade', then 'flask audit verify --read-only --against OUTSIDE-CHECKPOINTS.json' "
            "to find out whether the restored audit trail is older than the last checkpoint kept outside."
        )
        if not result.sweep.ok:
            raise SystemExit(1)

    from .audit.cli import audit_group

    app.cli.add_command(audit_group)

    from .people.cli import people_group

    app.cli.add_command(people_group)

    from .retention.cli import retention_group

    app.cli.add_command(retention_group)

    from .jobs.worker import jobs_group
    from .notifications.cli import notifications_group

    app.cli.add_command(notifications_group)

    app.cli.add_command(jobs_group)
    app.extensions["audit_cli"] = audit_group


def describe_sweep(report, *, dry_run: bool = False) -> str:
    would = "would be " if dry_run else ""
    lines = [
        f"{len(report.published)} staged file(s) {would}published (their rows exist).",
        f"{len(report.removed_temporaries)} staged file(s) without a row {would}removed.",
        f"{len(report.removed_orphans)} file(s) without a row {would}removed.",
        f"{len(report.recent)} recent file(s) without a row left alone (uploads in flight).",
    ]
    for key in report.missing:
        lines.append(f"MISSING  evidence file {key}: its row exists but the file is nowhere in the store.")
    for name in report.failed:
        lines.append(f"FAILED   could not tidy {name} (see the log).")
    return "\n".join(lines)
