"""Benchmark: the Criteria page for an initiative with 1,000 activities.

Builds, in a temporary SQLite database, one English initiative with all three stages under way, a
commissioner and four citizen partners, and N activities (default 1,000) spread over the stages, each
with five attendees (ladder ratings, adjustments), a decision with five recorded positions and a payment
per partner; plus recommendations, outputs, evidence rows and a few people's assessments. Rows go in with
SQLAlchemy Core bulk inserts (the ORM's add_all is about ten times slower).

Then times, as the median of --repeat runs after one warm-up:
  (a) facts.load: the InitiativeFacts snapshot (fixed number of queries);
  (b) rules.evaluate_all over every criterion that applies in England;
  (c) (a) + (b) together, as the page does them;
  (d) GET /initiatives/<id>/criteria through the Flask test client, rendered HTML included;
and counts the SQL statements of one page request.

    .venv/bin/python bench/criteria_page.py [--activities 1000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from copro_tracker import create_app
from copro_tracker.codes import Nation, OrgRole, PartnerKind, StageKind, StageStatus
from copro_tracker.criteria import facts, rules
from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import (
    Activity,
    Assessment,
    Attendance,
    Decision,
    DecisionPosition,
    Evidence,
    Initiative,
    Organisation,
    Output,
    ReciprocityEntry,
    Recommendation,
    Stage,
    User,
)

KINDS = ["workshop", "co_design_session", "steering_group", "survey", "review", "evaluation_panel"]
NEEDS = [["easy_read"], ["large_print", "extra_time"], [], ["bsl_interpreter"]]


def build(activities: int) -> int:
    """Create the organisation, people and initiative; return the commissioner's user id."""
    org = Organisation(name="Benchshire County Council", slug="benchshire", nation=Nation.ENGLAND)
    db.session.add(org)
    db.session.flush()
    people = [
        User(
            organisation_id=org.id,
            email=f"person{n}@bench.example",
            display_name=f"Person {n}",
            password_hash="x",
            role=OrgRole.COMMISSIONER if n == 0 else OrgRole.CITIZEN_PARTNER,
            partner_kind=PartnerKind.OFFICER if n == 0 else [PartnerKind.DRAWS_ON_CARE, PartnerKind.CARER][n % 2],
            communication_needs=[] if n == 0 else NEEDS[n - 1],
            needs_recorded=True,
        )
        for n in range(5)
    ]
    db.session.add_all(people)
    db.session.commit()
    lead, partners = people[0], people[1:]
    initiative = initiatives.create(
        lead,
        title="Benchmark initiative",
        summary="A large initiative for timing the criteria page.",
        service_area="Day opportunities",
        statutory_functions=["prevention", "information_advice", "market_shaping"],
        level="collective",
    )
    for n, partner in enumerate(partners):
        initiatives.add_member(lead, initiative, partner, "co_lead" if n == 0 else "member")
    stages = {s.kind: s for s in db.session.scalars(sa.select(Stage).where(Stage.initiative_id == initiative.id))}
    start = date.today() - timedelta(days=activities + 10)
    for kind, status in zip(
        (StageKind.DESIGN, StageKind.DELIVERY, StageKind.EVALUATION),
        (StageStatus.COMPLETE, StageStatus.COMPLETE, StageStatus.IN_PROGRESS),
        strict=True,
    ):
        stages[kind].status, stages[kind].opened_on = status, start
    initiative_row = db.session.get(Initiative, initiative.id)
    initiative_row.current_stage = StageKind.EVALUATION
    db.session.commit()

    org_id, init_id = org.id, initiative.id
    third = max(activities // 3, 1)
    stage_ids = [stages[StageKind.DESIGN].id, stages[StageKind.DELIVERY].id, stages[StageKind.EVALUATION].id]
    activity_rows, attendance_rows, decision_rows, position_rows, payment_rows = [], [], [], [], []
    # Explicit ids, so that children can point at their parents without a round trip per row.
    first_activity = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Activity.id), 0)))
    first_decision = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Decision.id), 0)))
    for n in range(1, activities + 1):
        activity_id, decision_id = first_activity + n, first_decision + n
        day = start + timedelta(days=n)
        activity_rows.append(
            {
                "id": activity_id,
                "organisation_id": org_id,
                "initiative_id": init_id,
                "stage_id": stage_ids[min((n - 1) // third, 2)],
                "kind": KINDS[n % len(KINDS)],
                "occurred_on": day,
                "title": f"Session {n}: what we heard",
                "notes": "Notes from the session.",
                "recorded_by_id": lead.id,
            }
        )
        for m, person in enumerate(people):
            needs = list(person.communication_needs or [])
            attendance_rows.append(
                {
                    "organisation_id": org_id,
                    "activity_id": activity_id,
                    "user_id": person.id,
                    "contributed": (n + m) % 4 != 0,
                    "adjustments_requested": needs,
                    "adjustments_provided": needs if (n + m) % 7 else needs[:-1],
                    "ladder_rating": 3 + (n + m) % 5,
                }
            )
            position_rows.append(
                {"organisation_id": org_id, "decision_id": decision_id, "user_id": person.id, "position": "agreed"}
            )
            if m:
                payment_rows.append(
                    {
                        "organisation_id": org_id,
                        "initiative_id": init_id,
                        "activity_id": activity_id,
                        "user_id": person.id,
                        "kind": "payment" if n % 5 else "declined",
                        "status": "paid" if n % 5 else "declined",
                        "amount_pence": 2500 if n % 5 else 0,
                        "occurred_on": day,
                        "approved_by_id": lead.id,
                    }
                )
        decision_rows.append(
            {
                "id": decision_id,
                "organisation_id": org_id,
                "activity_id": activity_id,
                "what": f"Decision {n}: we agreed the next step together.",
                "changed_by_partner_input": n % 3 == 0,
                "how_changed": "Partners asked for it." if n % 3 == 0 else "",
                "recorded_by_id": lead.id,
            }
        )
    recommendation_rows = [
        {
            "organisation_id": org_id,
            "initiative_id": init_id,
            "activity_id": first_activity + n,
            "made_by_id": partners[n % 4].id,
            "text": f"Recommendation {n}",
            "response": ["accepted", "adapted", "rejected", None][n % 4],
            "response_reason": "Because." if n % 4 == 2 else "",
            "action_taken": "Done." if n % 4 in (0, 1) else "",
        }
        for n in range(1, activities + 1, 5)
    ]
    output_rows = [
        {
            "organisation_id": org_id,
            "initiative_id": init_id,
            "kind": kind,
            "title": f"Output {n}",
            "co_author_ids": [lead.id, partners[n % 4].id],
            "published_url": "https://bench.example/plan" if n % 2 else "",
            "published_on": date.today() - timedelta(days=5) if n % 2 else None,
            "formats": ["easy_read", "large_print"] if n % 2 else [],
            "created_by_id": lead.id,
        }
        for n, kind in enumerate(["information_advice_plan", "strategy", "evaluation_report", "outcomes_framework"])
    ]
    evidence_rows = [
        {
            "organisation_id": org_id,
            "initiative_id": init_id,
            "activity_id": first_activity + n,
            "filename": f"minutes-{n}.pdf",
            "content_type": "application/pdf",
            "size": 1000,
            "sha256": "0" * 64,
            "storage_key": f"bench/{n}",
            "consent": "anonymised",
            "uploaded_by_id": lead.id,
        }
        for n in range(1, activities + 1, 20)
    ]
    with db.engine.begin() as conn:
        for model, rows in (
            (Activity, activity_rows),
            (Attendance, attendance_rows),
            (Decision, decision_rows),
            (DecisionPosition, position_rows),
            (ReciprocityEntry, payment_rows),
            (Recommendation, recommendation_rows),
            (Output, output_rows),
            (Evidence, evidence_rows),
        ):
            if rows:
                conn.execute(sa.insert(model.__table__), rows)
        conn.execute(
            sa.insert(Assessment.__table__),
            [
                {
                    "organisation_id": org_id,
                    "initiative_id": init_id,
                    "framework_id": "cross_cutting",
                    "framework_version": "0.1.0",
                    "criterion_id": criterion,
                    "status": status,
                    "narrative": "Assessed for the benchmark.",
                    "links": [{"kind": "activity", "id": first_activity + 1}],
                    "assessed_by_id": lead.id,
                    "cosigned_by_id": partners[0].id if status == "met" else None,
                }
                for criterion, status in (("X-STAGE", "met"), ("X-LOOP", "partly_met"), ("X-REWARD", "met"))
            ],
        )
    return lead.id, init_id


def median_ms(run: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    run()  # warm-up: templates compiled, caches filled
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-criteria-")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.sqlite")
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        lead_id, initiative_id = build(args.activities)
        built = time.perf_counter() - started
        library = app.extensions["criteria_library"]
        criteria = library.criteria_for("england")

        def load():
            db.session.expire_all()
            initiative = db.session.get(Initiative, initiative_id)
            return facts.load(initiative)

        snapshot = load()
        counts = {
            "activities": len(snapshot.activities),
            "attendance": len(snapshot.attendance),
            "decisions": len(snapshot.decisions),
            "criteria": len(criteria),
        }
        load_ms = median_ms(load, args.repeat)
        eval_ms = median_ms(lambda: rules.evaluate_all(criteria, snapshot), args.repeat)
        both_ms = median_ms(lambda: rules.evaluate_all(criteria, load()), args.repeat)
        user = db.session.get(User, lead_id)
        session_id = user.get_id()
        db.session.remove()

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    url = f"/initiatives/{initiative_id}/criteria"
    statements: list[str] = []

    def get():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    with app.app_context():
        listener = lambda *a: statements.append(a[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        page = get()
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    page_ms = median_ms(get, args.repeat)

    print(f"Python {platform.python_version()} on {platform.machine()}, SQLite {sqlite3.sqlite_version}")
    print(f"built in {built:.1f} s: {counts}")
    print(f"page: {len(statements)} SQL statements, {len(page.data) / 1024:.0f} KiB of HTML")
    for name, (median, low, high) in (
        ("(a) facts.load", load_ms),
        ("(b) rules.evaluate_all", eval_ms),
        ("(c) facts.load + evaluate_all", both_ms),
        ("(d) GET criteria page (test client)", page_ms),
    ):
        print(f"{name:<40} median {median:8.1f} ms   min {low:8.1f}   max {high:8.1f}   (n={args.repeat})")


if __name__ == "__main__":
    main()
