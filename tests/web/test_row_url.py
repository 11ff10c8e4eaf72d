"""Table links built once per table (templating.row_url) are the URLs url_for makes for each row."""

from __future__ import annotations

import pytest
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import get_page, login
from flask import url_for

from copro_tracker.web.templating import row_url


def test_the_row_url_is_url_for_of_the_row(app):
    with app.test_request_context("/"):
        activity = row_url("activities.activity", "activity_id", initiative_id=3)
        assert activity(12) == url_for("activities.activity", initiative_id=3, activity_id=12)
        assert row_url("initiatives.overview", "initiative_id")(7) == url_for("initiatives.overview", initiative_id=7)
        # The id in the middle of the path.
        criteria = row_url("criteria.initiative_criteria", "initiative_id")
        assert criteria(5) == url_for("criteria.initiative_criteria", initiative_id=5)


def test_only_an_integer_id_is_joined(app):
    with app.test_request_context("/"):
        overview = row_url("initiatives.overview", "initiative_id")
        with pytest.raises(ValueError):
            overview("7/../admin")


def test_the_overview_and_list_link_each_row_to_its_record(client, team):
    activity = make_activity(team, title="Workshop one")
    login(client, team.commissioner)
    overview = get_page(client, f"/initiatives/{team.initiative.id}")
    link = overview.soup.find("a", string="Workshop one")
    assert link["href"] == f"/initiatives/{team.initiative.id}/activities/{activity.id}"
    get_page(client, link["href"])  # 200, or get_page fails
    listing = get_page(client, "/initiatives")
    link = listing.soup.find("a", string=team.initiative.title)
    assert link["href"] == f"/initiatives/{team.initiative.id}"
