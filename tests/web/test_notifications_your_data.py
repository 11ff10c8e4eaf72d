"""A person's notifications are part of what is held about them: "Your data" lists them (what, when, read or
not, emailed or not) on the page and in both downloads, and erasure deletes them with the account."""

from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import get_page, login

from copro_tracker.audit import service as audit_service
from copro_tracker.extensions import db
from copro_tracker.models import Notification
from copro_tracker.notifications import jobs
from copro_tracker.people import erasure


@pytest.fixture
def told(team, app, monkeypatch):
    """The partner was told of an activity recorded on their behalf (emailed) and to rate it (read); the
    commissioner, who was there too, to rate it."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    make_activity(
        team, title="Phone call with Amira", on_behalf_of=team.partner, people=[team.partner, team.commissioner]
    )
    jobs.send_due()
    rate = db.session.scalar(
        sa.select(Notification).where(Notification.user_id == team.partner.id, Notification.kind == "rate")
    )
    rate.read_at = rate.created_at
    db.session.commit()
    return team


def test_your_data_lists_your_notifications_on_the_page_and_in_both_downloads(client, told):
    login(client, told.partner)
    page = get_page(client, "/profile/your-data")
    table = next(t for t in page.soup.select("table") if "Notifications we sent you" in t.caption.get_text())
    text = " ".join(table.get_text(" ").split())
    assert "Check what was recorded on your behalf: Phone call with Amira, Redesigning day opportunities" in text
    assert "A record made on your behalf to check" in text and "Not read" in text
    assert "Not emailed" not in text, "both went by email"

    body = json.loads(client.get("/profile/your-data/json").get_data(as_text=True))
    rows = body["sections"]["notifications"]["rows"]
    assert {row["kind"] for row in rows} == {"A record made on your behalf to check", "An activity to rate"}
    confirm = next(row for row in rows if row["kind"] == "A record made on your behalf to check")
    assert confirm["read"] == "Not read" and confirm["emailed"][:4].isdigit() and confirm["when"][:4].isdigit()
    rated = next(row for row in rows if row["kind"] == "An activity to rate")
    assert rated["read"][:4].isdigit(), "when they read it"

    lines = list(csv.reader(io.StringIO(client.get("/profile/your-data/csv").get_data(as_text=True))))
    assert any(line[0] == "Notifications we sent you" and "Phone call with Amira" in line[3] for line in lines)


def test_your_data_shows_the_weekly_summaries_sent_and_speaks_welsh(client, told):
    told.partner.weekly_digest = True
    told.partner.preferred_language = "cy"
    db.session.execute(sa.update(Notification).values(read_at=None))
    db.session.commit()
    assert jobs.send_digests() == 1
    login(client, told.partner)
    body = json.loads(client.get("/profile/your-data/json").get_data(as_text=True))
    section = body["sections"]["notifications"]
    assert section["title"] == "Hysbysiadau a anfonwyd atoch"
    assert any(row["what"].startswith("Eich crynodeb wythnosol") for row in section["rows"]), section["rows"]


def test_erasure_deletes_the_persons_own_notifications_and_nobody_elses(told, admin):
    theirs = sa.select(sa.func.count()).where(Notification.user_id == told.partner.id)
    others = sa.select(sa.func.count()).where(Notification.user_id != told.partner.id)
    assert db.session.scalar(theirs) == 2
    before = db.session.scalar(others)
    assert before > 0, "the commissioner was told of the activity to rate too"
    erasure.erase(told.partner, admin)
    assert db.session.scalar(theirs) == 0
    assert db.session.scalar(others) == before
    _, failure = audit_service.verify_organisation(told.partner.organisation)
    assert failure is None, "notifications are not in the audit chain: deleting them leaves it whole"
    # The daily job tells an erased account of nothing again.
    jobs.send_due()
    assert db.session.scalar(theirs) == 0
