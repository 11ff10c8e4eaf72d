"""Withdrawing a mistake (issue 13): whoever recorded it, or staff, withdraws an activity, decision,
recommendation or file with a reason; it leaves pages, reports and the criteria facts, a file's bytes are
deleted, and the audit trail keeps that it existed and why it went."""

from __future__ import annotations

import json

import sqlalchemy as sa
from activity_fixtures import make_activity, make_decision, team_fixture  # noqa: F401
from conftest import get_page, login

from copro_tracker import storage
from copro_tracker.activities import service
from copro_tracker.criteria import facts as facts_loader
from copro_tracker.extensions import db
from copro_tracker.models import Activity, AuditEvent, AuditValue, Evidence, Initiative, Recommendation

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _event(action: str) -> AuditEvent:
    return db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc()))


def _reason_in_trail(event: AuditEvent, reason: str) -> bool:
    change = json.loads(event.payload)["changes"]["withdrawal_reason"]["after"]
    return db.session.get(AuditValue, change["ref"]).value == reason


def test_the_uploader_withdraws_a_file_its_bytes_go_and_the_trail_keeps_why(client, team):
    initiative = db.session.get(Initiative, team.initiative.id)
    evidence = service.upload_evidence(
        team.partner,
        initiative,
        data=PDF,
        filename="wrong-person.pdf",
        consent="named",
        description="",
        activity_id=None,
        decision_id=None,
    )
    key = evidence.storage_key
    assert storage.exists(key)
    base = f"/initiatives/{initiative.id}/evidence"
    login(client, team.observer)  # cannot: neither the uploader nor staff
    assert client.get(f"{base}/{evidence.id}/withdraw").status_code in (403, 404)
    login(client, team.partner)
    page = client.post(f"{base}/{evidence.id}/withdraw", data={"reason": ""})
    assert "Say why this is being withdrawn" in page.get_data(as_text=True)
    assert (
        client.post(f"{base}/{evidence.id}/withdraw", data={"reason": "Has someone's address in it"}).status_code == 302
    )
    assert not storage.exists(key)
    assert "wrong-person.pdf" not in get_page(client, base).text()
    assert client.get(f"{base}/{evidence.id}/download").status_code == 404
    facts = facts_loader.load_many([initiative.id], initiative.organisation_id)[initiative.id]
    assert not any(e.filename == "wrong-person.pdf" for e in facts.evidence)
    event = _event("evidence.withdrawn")
    assert event.actor_id == team.partner.id and _reason_in_trail(event, "Has someone's address in it")
    assert "withdrew a file added by mistake" in get_page(client, f"/initiatives/{initiative.id}/history").text(
        ".app-timeline"
    )
    # The record's own history still shows that it existed.
    record = get_page(client, f"/initiatives/{initiative.id}/history/evidence/{evidence.id}").text()
    assert "Has someone's address in it" in record
    assert db.session.get(Evidence, evidence.id).withdrawn


def test_staff_withdraw_an_activity_and_it_leaves_pages_reports_and_facts(client, team):
    activity = make_activity(team, title="Recorded twice by mistake")
    decision = make_decision(activity)
    initiative = db.session.get(Initiative, team.initiative.id)
    login(client, team.partner)  # a co-lead partner who did not record it
    assert client.get(f"/initiatives/{initiative.id}/activities/{activity.id}/withdraw").status_code == 403
    login(client, team.commissioner)
    url = f"/initiatives/{initiative.id}/activities/{activity.id}/withdraw"
    assert client.post(url, data={"reason": "Recorded twice"}).status_code == 302
    assert client.get(f"/initiatives/{initiative.id}/activities/{activity.id}").status_code == 404
    assert "Recorded twice by mistake" not in get_page(client, f"/initiatives/{initiative.id}").text()
    report = client.get(f"/initiatives/{initiative.id}/report").get_data(as_text=True)
    assert "Recorded twice by mistake" not in report and "Open on Saturdays" not in report
    facts = facts_loader.load_many([initiative.id], initiative.organisation_id)[initiative.id]
    assert facts.activities == () or all(a.id != activity.id for a in facts.activities)
    assert all(d.id != decision.id for d in facts.decisions)
    assert db.session.get(Activity, activity.id).withdrawal_reason == "Recorded twice"
    assert "withdrew an activity recorded by mistake" in get_page(client, f"/initiatives/{initiative.id}/history").text(
        ".app-timeline"
    )


def test_a_decision_and_a_recommendation_can_be_withdrawn_by_who_made_them(client, team):
    activity = make_activity(team)
    decision = make_decision(activity)
    initiative = db.session.get(Initiative, team.initiative.id)
    recommendation = service.make_recommendation(team.partner, initiative, "Meet in the evenings", activity.id, None)
    login(client, team.partner)
    url = f"/initiatives/{initiative.id}/recommendations/{recommendation.id}/withdraw"
    assert client.post(url, data={"reason": "Said by someone else"}).status_code == 302
    assert "Meet in the evenings" not in get_page(client, f"/initiatives/{initiative.id}/you-said-we-did").text()
    assert db.session.get(Recommendation, recommendation.id).withdrawn
    login(client, team.commissioner)
    url = f"/initiatives/{initiative.id}/decisions/{decision.id}/withdraw"
    assert client.post(url, data={"reason": "Not a decision"}).status_code == 302
    assert "Open on Saturdays" not in get_page(client, f"/initiatives/{initiative.id}/activities/{activity.id}").text()
    assert client.get(url).status_code == 404  # already gone
