"""Recording an activity does the least work in its transaction: the stage-gate recompute reads the
stage's contributing attendees, not every activity of the initiative, so its cost does not grow."""

from __future__ import annotations

import sqlalchemy as sa
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import login
from query_counter import count_queries

from copro_tracker.codes import StageStatus
from copro_tracker.extensions import db
from copro_tracker.models import Activity, Initiative


def _form(team, title: str) -> dict:
    return {
        "stage_id": str(team.initiative.stages[0].id),
        "kind": "workshop",
        "occurred_on": ["27", "3", "2025"],
        "title": title,
        "notes": "",
        "attendees": [str(team.commissioner.id), str(team.partner.id)],
        "guests": "",
        "on_behalf_of": "",
        "languages": ["en"],
    }


def test_new_activity_costs_the_same_statements_with_few_or_many_activities(client, team):
    login(client, team.commissioner)
    url = f"/initiatives/{team.initiative.id}/activities/new"

    def post(title: str):
        response = client.post(url, data=_form(team, title))
        assert response.status_code == 302, response.status_code
        response.status_code = 200  # count_queries checks for a 200
        return response

    make_activity(team, title="A partner contributed")  # the stage's evidence is there from the start
    post("First")  # the gate is recomputed: the stage now awaits sign-off
    small = count_queries(lambda: post("Second"))
    for n in range(60):
        make_activity(team, title=f"Earlier {n}")
    loaded: list[int] = []

    def on_load(target, context):
        loaded.append(target.id)

    sa.event.listen(Activity, "load", on_load)
    try:
        large = count_queries(lambda: post("Sixty-fourth"))
    finally:
        sa.event.remove(Activity, "load", on_load)
    assert small == large, (small, large)
    # Only the new activity itself is read back (for the redirect); the 63 others stay in the database.
    assert len(loaded) <= 1, len(loaded)
    assert db.session.query(Activity).count() == 64
    # The gate still moves on the stage's evidence: a partner contributed, so it awaits sign-off.
    assert db.session.get(Initiative, team.initiative.id).stages[0].status == StageStatus.AWAITING_SIGNOFF
