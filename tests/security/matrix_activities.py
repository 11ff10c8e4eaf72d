"""The activities blueprint's part of the permission matrix: records in the world, and expected statuses.

`extend_world(world)` adds, in the world's initiative (commissioner and partner_member are co-leads): an
activity recorded by the commissioner on behalf of partner_member (unconfirmed), both attending; a decision;
a recommendation; and an evidence file.
"""

from __future__ import annotations

import tempfile
from datetime import date

from flask import current_app
from matrix_world import Spec, World, by_role

from copro_tracker import storage
from copro_tracker.codes import ActivityKind, ConsentLevel, Position
from copro_tracker.extensions import db
from copro_tracker.models import Activity, Attendance, Decision, DecisionPosition, Evidence, Recommendation


def extend_world(world: World) -> None:
    if current_app.testing and not current_app.config.get("_MATRIX_EVIDENCE_DIR"):
        current_app.config["_MATRIX_EVIDENCE_DIR"] = current_app.config["EVIDENCE_DIR"] = tempfile.mkdtemp()
    initiative = world.extra["initiative"]
    org_id = initiative.organisation_id
    stage = next(s for s in initiative.stages if s.kind.value == "design")
    activity = Activity(
        organisation_id=org_id,
        initiative_id=initiative.id,
        stage_id=stage.id,
        kind=ActivityKind.WORKSHOP,
        occurred_on=date(2025, 3, 27),
        title="Secret-titled planning workshop",
        recorded_by_id=world.commissioner.id,
        on_behalf_of_id=world.partner_member.id,
    )
    for person in (world.commissioner, world.partner_member):
        activity.attendances.append(Attendance(organisation_id=org_id, user_id=person.id, contributed=True))
    db.session.add(activity)
    db.session.flush()
    decision = Decision(
        organisation_id=org_id, activity_id=activity.id, what="Secret decision", recorded_by_id=world.commissioner.id
    )
    for person in (world.commissioner, world.partner_member):
        decision.positions.append(DecisionPosition(organisation_id=org_id, user_id=person.id, position=Position.AGREED))
    db.session.add(decision)
    recommendation = Recommendation(
        organisation_id=org_id,
        initiative_id=initiative.id,
        activity_id=activity.id,
        made_by_id=world.partner_member.id,
        text="Secret recommendation",
    )
    db.session.add(recommendation)
    stored = storage.save(b"%PDF-1.4\n%%EOF\n")
    evidence = Evidence(
        organisation_id=org_id,
        initiative_id=initiative.id,
        activity_id=activity.id,
        filename="secret-minutes.pdf",
        content_type="application/pdf",
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
        consent=ConsentLevel.ANONYMISED,
        uploaded_by_id=world.commissioner.id,
    )
    db.session.add(evidence)
    db.session.commit()
    world.extra.update(activity=activity, decision=decision, recommendation=recommendation, evidence=evidence)
    world.extra.setdefault("secrets", []).extend([activity.title, "secret-minutes.pdf"])


def _i(w: World) -> str:
    return f"/initiatives/{w.extra['initiative'].id}"


def _a(w: World) -> str:
    return f"{_i(w)}/activities/{w.extra['activity'].id}"


def specs() -> dict[str, Spec]:
    viewers = by_role(200, 200, 200, 404, 404)
    contributors = by_role(403, 200, 200, 404, 404)
    return {
        "activities.new_activity": Spec("GET", lambda w: f"{_i(w)}/activities/new", contributors),
        "activities.activity": Spec("GET", _a, viewers),
        "activities.edit_activity": Spec("GET", lambda w: f"{_a(w)}/edit", contributors),
        "activities.attendance": Spec("GET", lambda w: f"{_a(w)}/attendance", contributors),
        # Only the partner it was recorded for confirms an assisted record.
        "activities.confirm_activity": Spec("GET", lambda w: f"{_a(w)}/confirm", by_role(403, 403, 200, 404, 404)),
        # Only attendees rate, each for themselves (the admin did not attend).
        "activities.rate_activity": Spec("GET", lambda w: f"{_a(w)}/rating", by_role(403, 200, 200, 404, 404)),
        "activities.new_decision": Spec("GET", lambda w: f"{_a(w)}/decisions/new", contributors),
        "activities.edit_decision": Spec(
            "GET", lambda w: f"{_i(w)}/decisions/{w.extra['decision'].id}/edit", contributors
        ),
        "activities.recommendations": Spec("GET", lambda w: f"{_i(w)}/you-said-we-did", viewers),
        "activities.new_recommendation": Spec("GET", lambda w: f"{_i(w)}/recommendations/new", contributors),
        # Co-leads and staff respond.
        "activities.respond_recommendation": Spec(
            "GET", lambda w: f"{_i(w)}/recommendations/{w.extra['recommendation'].id}/respond", viewers
        ),
        "activities.review_recommendation": Spec(
            "GET", lambda w: f"{_i(w)}/recommendations/{w.extra['recommendation'].id}/review", viewers
        ),
        "activities.evidence_list": Spec("GET", lambda w: f"{_i(w)}/evidence", viewers),
        "activities.upload_evidence": Spec("GET", lambda w: f"{_i(w)}/evidence/new", contributors),
        "activities.download_evidence": Spec(
            "GET", lambda w: f"{_i(w)}/evidence/{w.extra['evidence'].id}/download", viewers
        ),
    }
