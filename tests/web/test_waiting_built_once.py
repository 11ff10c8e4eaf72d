"""The waiting rule's statements are costly to build (most of the header count's CPU), so a page builds them at
most once: the dashboard once for its lists, the header's unread count and the notifications list not per
request at all (built once a day from the person row's columns)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import get_page, login

from copro_tracker import waiting
from copro_tracker.extensions import db
from copro_tracker.main import dashboard
from copro_tracker.notifications import due, service


def _count_builds(monkeypatch) -> list[int]:
    calls: list[int] = []
    build = waiting.waiting_queries

    def counting(*args, **kwargs):
        calls.append(1)
        return build(*args, **kwargs)

    for module in (waiting, dashboard, due):
        monkeypatch.setattr(module, "waiting_queries", counting)
    return calls


def test_the_dashboard_builds_the_waiting_queries_once(client, team, monkeypatch):
    make_activity(team, title="Phone call", on_behalf_of=team.partner, people=[team.partner])
    login(client, team.partner)
    get_page(client, "/dashboard")  # the day's header count is built by the first request
    calls = _count_builds(monkeypatch)
    page = get_page(client, "/dashboard")
    assert "Check what was recorded for you: Phone call" in page.text()
    assert len(calls) == 1


def test_the_header_and_notifications_list_build_no_waiting_queries(client, team, monkeypatch):
    make_activity(team, title="Phone call", on_behalf_of=team.partner, people=[team.partner])
    service.notify_everyone(date.today())
    login(client, team.partner)
    get_page(client, "/notifications")
    calls = _count_builds(monkeypatch)
    page = get_page(client, "/notifications")
    assert "Phone call" in page.text()
    get_page(client, "/initiatives")
    assert calls == []


def test_the_columns_the_header_count_asks_about_are_indexed():
    # Without them every request's unread count scanned the organisation's activities and recommendations.
    indexed = {
        (table, tuple(index["column_names"]))
        for table in ("activity", "recommendation")
        for index in sa.inspect(db.engine).get_indexes(table)
    }
    assert ("activity", ("on_behalf_of_id",)) in indexed
    assert ("recommendation", ("made_by_id",)) in indexed
