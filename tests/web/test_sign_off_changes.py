"""Sign-off after a stage changes: approvals given before an activity in the stage was added or changed are marked
"given before a later change" and asked for again; a stage stays in "Waiting for you" for anyone whose view is
still needed, also after they disagreed, until it closes. All through HTTP."""

from __future__ import annotations

from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import get_page, login

from copro_tracker.codes import StageStatus
from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import Activity, Initiative, SignOff

WAITING = "Sign off or disagree: design stage of Redesigning day opportunities"


def _awaiting(team) -> Initiative:
    make_activity(team, title="Workshop one")
    initiative = db.session.get(Initiative, team.initiative.id)
    initiatives.refresh_stage(initiative.stages[0])
    db.session.commit()
    assert initiative.stages[0].status == StageStatus.AWAITING_SIGNOFF
    return initiative


def _sign(client, initiative, decision, comment=""):
    response = client.post(
        f"/initiatives/{initiative.id}/stages/design/sign-off", data={"decision": decision, "comment": comment}
    )
    assert response.status_code == 302, response.text


def _waiting(client) -> str:
    page = get_page(client, "/dashboard")
    return " | ".join(" ".join(li.get_text(" ").split()) for li in page.soup.select(".app-waiting li"))


def _design(initiative_id):
    db.session.expire_all()
    return db.session.get(Initiative, initiative_id).stages[0]


def test_an_activity_added_after_an_approval_asks_for_it_again(client, team):
    initiative = _awaiting(team)
    login(client, team.commissioner)
    _sign(client, initiative, "approve")
    assert WAITING not in _waiting(client)

    # The partner records another design activity: the commissioner's approval was given on less evidence.
    login(client, team.partner)
    response = client.post(
        f"/initiatives/{initiative.id}/activities/new",
        data={
            "stage_id": str(initiative.stages[0].id),
            "kind": "workshop",
            "occurred_on": ["1", "4", "2025"],
            "title": "Second workshop",
            "attendees": [str(team.partner.id)],
            "languages": ["en"],
        },
    )
    assert response.status_code == 302, response.text
    page = get_page(client, f"/initiatives/{initiative.id}")
    row = next(r for r in page.soup.select("table tr") if "Tom Commissioner" in r.get_text())
    assert "Given before a later change" in row.get_text()
    assert "sign-off by a commissioner member" in page.text()
    assert "so their approval is asked for again" in page.text()

    login(client, team.commissioner)
    assert WAITING in _waiting(client), "the commissioner is asked again"

    # The partner approves: not enough, the commissioner's earlier approval no longer counts.
    login(client, team.partner)
    _sign(client, initiative, "approve")
    assert _design(initiative.id).status == StageStatus.AWAITING_SIGNOFF
    # The commissioner gives it again (same words as before): a new approval is recorded and the stage closes.
    login(client, team.commissioner)
    _sign(client, initiative, "approve")
    assert _design(initiative.id).status == StageStatus.COMPLETE
    assert db.session.query(SignOff).filter_by(user_id=team.commissioner.id).count() == 2
    page = get_page(client, f"/initiatives/{initiative.id}")
    assert "Given before a later change" not in page.text()


def test_changing_attendance_after_approvals_asks_again(client, team):
    initiative = _awaiting(team)
    login(client, team.commissioner)
    _sign(client, initiative, "approve")
    activity = db.session.query(Activity).filter_by(title="Workshop one").one()
    response = client.post(
        f"/initiatives/{initiative.id}/activities/{activity.id}/attendance",
        data={"version": str(activity.version), "everyone_contributed": "y"},
    )
    assert response.status_code == 302
    assert WAITING in _waiting(client)


def test_a_partner_who_disagreed_still_sees_the_stage_waiting_until_it_closes(client, team):
    initiative = _awaiting(team)
    login(client, team.partner)
    assert WAITING in _waiting(client)
    _sign(client, initiative, "dissent", "Carers were not asked about transport.")
    assert WAITING in _waiting(client), "their view is still needed"

    login(client, team.commissioner)
    _sign(client, initiative, "approve")
    login(client, team.partner)
    assert WAITING in _waiting(client)
    _sign(client, initiative, "approve", "Transport is now in the plan.")
    assert _design(initiative.id).status == StageStatus.COMPLETE
    assert WAITING not in _waiting(client)
