"""Flask commands: demo data, organisations and users. Passwords are prompted for, never arguments.

The `audit` command group lives in audit/cli.py.
"""

from __future__ import annotations

import click
from flask import Flask

from .auth import service
from .codes import Nation, OrgRole, PartnerKind


def register_cli(app: Flask) -> None:
    @app.cli.command("demo")
    def demo_command() -> None:
        """Load the demo organisations, people and initiatives (safe to run again)."""
        from .demo import load_demo

        created = load_demo()
        click.echo(created.describe())

    @app.cli.command("create-org")
    @click.option("--name", required=True, help="Full name, e.g. 'Northshire County Council'")
    @click.option("--slug", required=True, help="Short name used in exports, e.g. 'northshire'")
    @click.option("--nation", type=click.Choice([n.value for n in Nation]), required=True)
    def create_org_command(name: str, slug: str, nation: str) -> None:
        """Create an organisation."""
        try:
            organisation = service.create_organisation(name, slug, nation)
        except service.AccountError as error:
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
        except service.AccountError as error:
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
        except service.AccountError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Created {user.display_name} <{user.email}> as {user.role.value} of {organisation.name}.")

    from .audit.cli import audit_group

    app.cli.add_command(audit_group)
    app.extensions["audit_cli"] = audit_group
