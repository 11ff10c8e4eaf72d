"""`flask notifications send-due` and `flask notifications digest`: the scheduled jobs, run now."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from . import jobs

notifications_group = AppGroup("notifications", help="Tell people what is waiting for them.")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as error:
        raise click.BadParameter("give the day as YYYY-MM-DD") from error


@notifications_group.command("send-due")
@click.option("--day", help="The day to act as (YYYY-MM-DD); today when left out.")
def send_due_command(day: str | None) -> None:
    """Make each notification that has come due (once each) and queue its email."""
    made = jobs.send_due(_day(day))
    click.echo(f"{made} new notification(s); their emails are queued for those who want them.")


@notifications_group.command("digest")
@click.option("--day", help="A day in the week to send for (YYYY-MM-DD); today when left out.")
def digest_command(day: str | None) -> None:
    """Queue this week's summary for each person who asked for one and has something unread."""
    sent = jobs.send_digests(_day(day))
    click.echo(f"{sent} weekly summar{'y' if sent == 1 else 'ies'} queued.")
