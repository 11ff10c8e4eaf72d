"""`flask retention dispose`: the nightly disposal on demand, or with --dry-run only what is due."""

from __future__ import annotations

from datetime import date

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..codes import label
from ..extensions import db
from ..models import Organisation, utcnow
from . import disposal

retention_group = AppGroup("retention", help="Retention periods and disposal of records past them.")


@retention_group.command("dispose")
@click.option("--org", "org_slug", default=None, help="One organisation's short name (default: every organisation)")
@click.option("--dry-run", is_flag=True, help="List what is due, and dispose of nothing")
@click.option("--on", "on_day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="As if today were")
def dispose_command(org_slug: str | None, dry_run: bool, on_day) -> None:
    """Dispose of records past their retention period (legal holds respected; recorded in the audit trail)."""
    query = sa.select(Organisation).order_by(Organisation.id)
    if org_slug:
        query = query.where(Organisation.slug == org_slug)
    organisations = db.session.scalars(query).all()
    if org_slug and not organisations:
        raise click.ClickException(f"No organisation with the short name {org_slug!r}")
    today: date = on_day.date() if on_day else utcnow().date()
    for organisation in organisations:
        if dry_run:
            items = disposal.find_due(organisation.id, today)
        else:
            outcome = disposal.dispose_due(organisation, today)
            items = outcome.disposed
        verb = "due" if dry_run else "disposed of"
        if not items:
            click.echo(f"{organisation.slug}: nothing {verb}.")
            continue
        for item in items:
            click.echo(
                f"{organisation.slug}: {verb}: {item.count} × {label(item.record_type)} in initiative "
                f"{item.initiative.id} (kept {item.months} months after closing on {item.initiative.closed_on})"
            )
        if not dry_run:
            click.echo(f"{organisation.slug}: {outcome.values_erased} audit values erased.")
