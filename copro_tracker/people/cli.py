"""`flask people erase`: the same checked erasure an admin does from a request, for the command line."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..extensions import db
from ..models import Organisation, User
from ..services import ServiceError
from ..tenancy import parse_id
from . import erasure

people_group = AppGroup("people", help="People's rights over their data.")


@people_group.command("erase")
@click.argument("who")
@click.option("--org", "org_slug", required=True, help="The organisation's short name")
@click.option("--note", default="", help="A note for the record (no personal details)")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation")
def erase_command(who: str, org_slug: str, note: str, yes: bool) -> None:
    """Erase a person's details (WHO: their email address or user id), after the same checks as the admin page.

    Closes their open erasure request, if they made one. The audit trail still verifies afterwards."""
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == org_slug))
    if organisation is None:
        raise click.ClickException(f"No organisation with the short name {org_slug!r}")
    ident = parse_id(who)
    match = User.id == ident if ident is not None else sa.func.lower(User.email) == who.strip().lower()
    person = db.session.scalar(sa.select(User).where(User.organisation_id == organisation.id, match))
    if person is None:
        raise click.ClickException(f"No person {who!r} in {organisation.name}")
    blockers = erasure.erasure_blockers(person, None)
    if blockers:
        raise click.ClickException("Cannot erase them now: " + " ".join(blockers))
    if not yes:
        click.confirm(
            f"Erase the details of person {person.id} in {organisation.name}? This cannot be undone", abort=True
        )
    try:
        erased = erasure.erase(person, None, erasure.open_erasure_request(person), note=note)
    except ServiceError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Erased person {person.id}: now '{person.display_name}'; {erased} audit values erased.")
