"""SQL statements per page and download, at two data sizes (DESIGN §10: at most 12, whatever the size).

Each page is read once first, so what is counted is a view of data whose findings are already stored
(the write that changed the records stored them; a first view after a day change stores them too).
Every page here meets the budget on both databases, counting PostgreSQL's per-transaction timeout statement:
the portfolio reads stored figures and a report its stored snapshot (reports/stored_summary.py). The JSON
bundle reuses the latest checkpoint when it covers every event the report cites (the usual case, counted
here); the first download after a change to what it cites signs a new one first, which costs more
(test_a_json_download_signs_a_checkpoint_only_when_what_it_cites_is_newer).
The everyday pages (dashboard, initiatives list, overview, activity page, history, notifications) are counted
for a commissioner and a citizen partner, with one small initiative and then with twelve and a large one.
"""

from __future__ import annotations

import pytest
from initiative_factories import add_activity, make_initiative
from query_counter import count_queries

from copro_tracker.codes import Position
from copro_tracker.extensions import db
from copro_tracker.models import Decision, DecisionPosition, Recommendation

BUDGET = 12
# A JSON download whose cited events are newer than the latest checkpoint signs one first and commits it
# (audit/service.py sign_from_state: lock the head, check it and the previous checkpoint's root, store, audit),
# then reads again what the commit expired: the first download after a change to what it cites. 22 on both
# databases, whatever the chain's length.
SIGNING = 22
# Within the budget on both databases, the timeout statement included.
WITHIN_BUDGET = (
    "criteria",
    "report",
    "report-csv",
    "report-json",
    "coverage",
    "coverage-cqc",
    "portfolio",
    "portfolio-csv",
)


def _grow(initiative, commissioner, partner, activities: int) -> None:
    for n in range(activities):
        activity = add_activity(initiative, commissioner, [commissioner, partner])
        decision = Decision(
            organisation_id=initiative.organisation_id,
            activity_id=activity.id,
            what=f"Decision {n}",
            recorded_by_id=commissioner.id,
        )
        decision.positions.append(
            DecisionPosition(organisation_id=initiative.organisation_id, user_id=partner.id, position=Position.AGREED)
        )
        db.session.add(decision)
        db.session.add(
            Recommendation(
                organisation_id=initiative.organisation_id,
                initiative_id=initiative.id,
                activity_id=activity.id,
                made_by_id=partner.id,
                text=f"Recommendation {n}",
            )
        )
    db.session.commit()


def _count(client, url: str) -> int:
    assert client.get(url).status_code == 200  # the first view may store findings; the next is counted
    return count_queries(lambda: client.get(url))


def _initiative_counts(client, initiative) -> dict[str, int]:
    base = f"/initiatives/{initiative.id}"
    return {
        "criteria": _count(client, f"{base}/criteria"),
        "report": _count(client, f"{base}/report"),
        "report-csv": _count(client, f"{base}/report/csv"),
        "report-json": _count(client, f"{base}/report/json"),
    }


def test_an_initiatives_pages_cost_the_same_statements_with_2_or_30_activities(client, login_as, commissioner, partner):
    small = make_initiative(commissioner, partner, title="Small")
    _grow(small, commissioner, partner, 2)
    large = make_initiative(commissioner, partner, title="Large")
    _grow(large, commissioner, partner, 30)
    login_as(commissioner)
    counts = [_initiative_counts(client, initiative) for initiative in (small, large)]
    assert counts[0] == counts[1], counts
    for name in WITHIN_BUDGET:
        if name in counts[0]:
            assert counts[0][name] <= BUDGET, (name, counts)


def _organisation_counts(client) -> dict[str, int]:
    return {
        "coverage": _count(client, "/coverage"),
        "coverage-cqc": _count(client, "/coverage?show=cqc&status=not_met"),
        "portfolio": _count(client, "/reports/portfolio"),
        "portfolio-csv": _count(client, "/reports/portfolio/csv"),
    }


@pytest.mark.parametrize("more", [9])
def test_organisation_pages_cost_the_same_statements_with_1_or_10_initiatives(
    client, login_as, commissioner, partner, more
):
    _grow(make_initiative(commissioner, partner, title="First"), commissioner, partner, 2)
    login_as(commissioner)
    one = _organisation_counts(client)
    for n in range(more):
        _grow(make_initiative(commissioner, partner, title=f"More {n}"), commissioner, partner, 3)
    many = _organisation_counts(client)
    assert one == many, (one, many)
    for name in WITHIN_BUDGET:
        if name in many:
            assert many[name] <= BUDGET, (name, many)


def _equality_counts(client, initiative_id: int) -> dict[str, int]:
    return {
        "equality": _count(client, "/admin/equality"),
        "equality-initiative": _count(client, f"/admin/equality?initiative={initiative_id}"),
        "equality-own": _count(client, "/profile/equality"),
        "equality-groups": _count(client, "/admin/equality/groups"),
        "equality-reference": _count(client, "/admin/equality/reference/ethnicity"),
    }


def test_equality_pages_cost_the_same_statements_with_few_or_many_people(client, login_as, org, admin, commissioner):
    """The aggregates are one query for every participant with their answers, whatever their number."""
    from conftest import make_user

    from copro_tracker.codes import OrgRole
    from copro_tracker.equality import service

    def people(n: int) -> list:
        made = [make_user(org, OrgRole.CITIZEN_PARTNER, name=f"Person {i}") for i in range(n)]
        for person in made:
            service.save_answers(person, {"age_band": "65_74", "sex": "female"}, None)
        return made

    initiative = make_initiative(commissioner, None, title="Equality")
    add_activity(initiative, commissioner, people(2))
    service.add_group(admin, "Group one")
    service.save_answers(admin, {"ethnicity": "white"}, None)
    login_as(admin)
    few = _equality_counts(client, initiative.id)
    for _ in range(3):
        add_activity(initiative, commissioner, people(10))
    service.add_group(admin, "Group two")
    many = _equality_counts(client, initiative.id)
    assert few == many, (few, many)
    assert max(many.values()) <= BUDGET, many


def _retention_counts(client, hold_id: int) -> dict[str, int]:
    return {
        "retention": _count(client, "/admin/retention"),
        "retention-disposal": _count(client, "/admin/retention/disposal"),
        "legal-holds": _count(client, "/admin/legal-holds"),
        "legal-hold-lift": _count(client, f"/admin/legal-holds/{hold_id}/lift"),
        "confirm-password": _count(client, "/confirm-password"),
    }


def test_retention_pages_cost_the_same_statements_with_1_or_6_closed_initiatives(client, login_as, admin, commissioner):
    """What is due is one query per kind of record over every closed initiative, whatever their number."""
    from datetime import date

    from copro_tracker.models import Initiative
    from copro_tracker.retention import disposal, service

    def closed_initiative(title: str) -> None:
        initiative = make_initiative(commissioner, None, title=title)
        _grow(initiative, commissioner, commissioner, 2)
        db.session.get(Initiative, initiative.id).closed_on = date(2019, 1, 31)
        db.session.commit()

    closed_initiative("Closed first")
    hold = service.place_hold(admin, None, "Inspection")
    service.lift_hold(admin, hold, "Done", hold.version)
    hold = service.place_hold(admin, db.session.get(Initiative, make_initiative(commissioner).id), "Complaint")
    login_as(admin)
    one = _retention_counts(client, hold.id)
    for n in range(5):
        closed_initiative(f"Closed {n}")
    many = _retention_counts(client, hold.id)
    assert one == many, (one, many)
    assert max(many.values()) <= BUDGET, many
    disposal.dispose_due(admin.organisation, date.today())
    assert max(_retention_counts(client, hold.id).values()) <= BUDGET


# The pages people open most (issue 11): each one transaction, so PostgreSQL adds one timeout statement.
EVERYDAY_PAGES = ("dashboard", "initiatives", "overview", "activity", "history", "notifications")


def _page_budget() -> int:
    return BUDGET + (1 if db.engine.dialect.name == "postgresql" else 0)


def _everyday_counts(client, initiative_id: int, activity_id: int) -> dict[str, int]:
    base = f"/initiatives/{initiative_id}"
    return {
        "dashboard": _count(client, "/dashboard"),
        "dashboard-page-2": _count(client, "/dashboard?waiting_page=2&initiatives_page=2"),
        "initiatives": _count(client, "/initiatives"),
        "initiatives-filtered": _count(client, "/initiatives?stage=design&title=a"),
        "overview": _count(client, base),
        "activity": _count(client, f"{base}/activities/{activity_id}"),
        "history": _count(client, f"{base}/history"),
        "notifications": _count(client, "/notifications"),
    }


def test_everyday_pages_stay_within_the_budget_with_few_or_many_records(client, login_as, commissioner, partner):
    """Dashboard, initiatives list, overview, activity page, history and notifications stay within the budget
    for a commissioner and for a citizen partner whether there is one initiative with two activities or
    twelve initiatives (more than a dashboard page) with forty activities in the one shown."""
    first = make_initiative(commissioner, partner, title="First")
    _grow(first, commissioner, partner, 2)
    activity_id = add_activity(first, commissioner, [commissioner, partner]).id
    db.session.commit()
    few = {}
    for person in (commissioner, partner):
        login_as(person)
        few[person.role.value] = _everyday_counts(client, first.id, activity_id)
    _grow(first, commissioner, partner, 40)
    for n in range(11):
        _grow(make_initiative(commissioner, partner, title=f"More {n}"), commissioner, partner, 2)
    many = {}
    for person in (commissioner, partner):
        login_as(person)
        many[person.role.value] = _everyday_counts(client, first.id, activity_id)
    # Never more with more records (history can be one fewer: its first page may then cite no stored values).
    grew = [(who, page, few[who][page], many[who][page]) for who in few for page in few[who]]
    assert not [g for g in grew if g[3] > g[2]], grew
    assert [g for g in grew if g[3] != g[2] and g[1] != "history"] == [], grew
    for counts in (*few.values(), *many.values()):
        assert max(counts.values()) <= _page_budget(), counts


def _json_download(client, url: str) -> tuple[int, dict, int, list[str]]:
    """Statements, the bundle, and the checkpoints and events the download added."""
    import json

    import sqlalchemy as sa

    from copro_tracker.models import AuditCheckpoint, AuditEvent

    checkpoints = db.session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint))
    last_seq = db.session.scalar(sa.select(sa.func.max(AuditEvent.seq))) or 0
    responses = []
    statements = count_queries(lambda: responses.append(client.get(url)) or responses[-1])
    added = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq)
    ).all()
    made = db.session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) - checkpoints
    return statements, json.loads(responses[-1].data), made, added


def test_a_json_download_signs_a_checkpoint_only_when_what_it_cites_is_newer(client, login_as, commissioner, partner):
    """The usual download reuses the latest checkpoint: within the budget, one event (report.generated). After
    a change to the initiative's records the first download signs a checkpoint covering it (from the stored
    Merkle state: SIGNING statements, whatever the chain's length), then downloads reuse that one again."""
    from copro_tracker.audit import ledger
    from copro_tracker.audit import service as audit_service
    from copro_tracker.audit.verify import verify_bundle

    initiative = make_initiative(commissioner, partner, title="Checkpoints")
    _grow(initiative, commissioner, partner, 2)
    login_as(commissioner)
    url = f"/initiatives/{initiative.id}/report/json"
    key = ledger.public_key_pem(audit_service.signing_key())

    def verified(bundle: dict) -> bool:
        checks = verify_bundle(bundle, key)
        return all(check.ok for check in checks) and any("report statement issued" in c.message for c in checks)

    _json_download(client, url)  # the first download signs the first checkpoint
    statements, bundle, made, added = _json_download(client, url)
    assert (statements, made, added) == (statements, 0, ["report.generated"]) and statements <= BUDGET
    assert verified(bundle)
    reused = bundle["checkpoint"]

    add_activity(initiative, commissioner, [commissioner, partner])  # cited events after the checkpoint
    assert client.get(f"/initiatives/{initiative.id}/report").status_code == 200  # stores the new snapshot
    signing, bundle, made, added = _json_download(client, url)
    assert made == 1 and added == ["audit.checkpoint_made", "report.generated"], added
    assert signing <= SIGNING, signing
    assert bundle["checkpoint"]["tree_size"] > reused["tree_size"] and verified(bundle)
    cited = max(event["seq"] for event in bundle["events"])
    assert cited > reused["tree_size"]  # the new activity's events are proven, against the new checkpoint

    again, bundle, made, added = _json_download(client, url)
    assert (again, made, added) == (statements, 0, ["report.generated"]) and verified(bundle)


def _assessment_counts(client, login_as, initiative, lead, partner) -> dict[str, int]:
    """The assessment page (staff), co-signing or disagreeing with it (a citizen partner co-lead), and a lead's
    response to a recommendation."""
    import sqlalchemy as sa
    from flask import current_app

    from copro_tracker.criteria import service as criteria

    library = current_app.extensions["criteria_library"]
    criterion = library.criterion("X-STAGE")
    assessment = criteria.record_assessment(
        lead, initiative, library.framework(criterion.framework_id), criterion, status="partly_met", narrative="So far"
    )
    recommendation = db.session.scalar(
        sa.select(Recommendation.id).where(Recommendation.initiative_id == initiative.id).limit(1)
    )
    base = f"/initiatives/{initiative.id}"
    login_as(lead)
    counts = {
        "assess": _count(client, f"{base}/criteria/X-STAGE/assess"),
        "recommendation-respond": _count(client, f"{base}/recommendations/{recommendation}/respond"),
    }
    login_as(partner)
    counts["assessment-respond"] = _count(client, f"{base}/criteria/assessments/{assessment.id}/respond")
    return counts


def test_assessment_and_response_pages_cost_the_same_statements_with_2_or_30_activities(
    client, login_as, commissioner, partner
):
    small = make_initiative(commissioner, partner, title="Small")
    _grow(small, commissioner, partner, 2)
    large = make_initiative(commissioner, partner, title="Large")
    _grow(large, commissioner, partner, 30)
    counts = [_assessment_counts(client, login_as, initiative, commissioner, partner) for initiative in (small, large)]
    assert counts[0] == counts[1], counts
    assert max(counts[1].values()) <= BUDGET, counts
