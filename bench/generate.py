"""Generate the council-scale data set of DESIGN §10 into a fresh database (SQLite or PostgreSQL).

    .venv/bin/python bench/generate.py --url sqlite:////tmp/copro-bench.sqlite --scale full
    .venv/bin/python bench/generate.py --url postgresql://postgres@127.0.0.1:5432/copro_perf_bench --scale full
    .venv/bin/python bench/generate.py --url sqlite:////tmp/copro-bench-small.sqlite --scale small

The database named by --url is RECREATED (a SQLite file is deleted; a PostgreSQL database is dropped
and created again), then built with the Alembic migrations, as production is.

full:  one organisation ("benchshire") with 60 initiatives x 100 activities, plus 149 organisations
       with 60 initiatives x 20 activities each (184,800 activities in all).
small: the same shape with 2 other organisations (what `make bench` uses).

Every initiative has its three stages in a realistic mix (a quarter still in design, a quarter in
delivery, a third evaluating, the rest closed with every stage signed off by both sides), four to seven
members (commissioners and citizen partners with tenure), activities spread over the stages it has
reached, three to six attendees per activity with ladder ratings and adjustments, a decision with
recorded positions for every other activity, a recommendation for every fifth one ("you said, we did",
mostly answered), payments to partners, outputs, evidence rows and a few assessments.

Rows go in with SQLAlchemy Core multi-row inserts; auditing every bulk row through the ORM would take
hours. What IS audited, so that each organisation's hash chain is real, valid and of realistic length:
one event per initiative, stage, membership, activity, decision, recommendation and output, appended
through `capture.append_events` (the same code path a commit uses, including the Merkle state kept for
proofs) in batches, with the entity ids of the rows inserted. Attendance, positions, payments, evidence
and assessments are not audited individually. `flask audit verify --org <slug>` passes afterwards.

Signed-in benchmarks use commissioner@bench.example / PASSWORD below (organisation "benchshire").
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from config import database_url  # noqa: E402
from copro_tracker import create_app  # noqa: E402
from copro_tracker.audit import capture  # noqa: E402
from copro_tracker.auth import passwords  # noqa: E402
from copro_tracker.extensions import db  # noqa: E402
from copro_tracker.models import (  # noqa: E402
    Activity,
    Assessment,
    Attendance,
    Decision,
    DecisionPosition,
    Evidence,
    Initiative,
    Membership,
    Organisation,
    Output,
    ReciprocityEntry,
    Recommendation,
    SignOff,
    Stage,
    User,
)

EMAIL = "commissioner@bench.example"
PASSWORD = "bench mark password 2026"
MAIN_SLUG = "benchshire"
SCALES = {"full": 149, "small": 2}
INITIATIVES = 60
ACTIVITIES_MAIN = 100
ACTIVITIES_OTHER = 20
EVENT_BATCH = 5000
INSERT_BATCH = 20_000

KINDS = ["workshop", "co_design_session", "steering_group", "survey", "training", "review", "evaluation_panel"]
NEEDS = [["easy_read"], ["large_print", "extra_time"], [], ["bsl_interpreter"], [], ["hearing_loop"]]
FUNCTIONS = ["prevention", "information_advice", "market_shaping", "assessment", "strategy_plan", "advocacy"]
AREAS = ["Day opportunities", "Home care", "Carers' support", "Information and advice", "Housing with care"]
NATIONS = ["england", "england", "england", "wales"]
OUTPUT_KINDS = ["plan", "strategy", "information_advice_plan", "evaluation_report", "terms_of_reference"]


# Tables whose ids the generator hands out itself.
SEQUENCED = (Organisation, User, Initiative, Stage, Membership, Activity, Decision, Recommendation, Output)


class Ids:
    """Hands out explicit primary keys, so children point at parents without a round trip per row."""

    def __init__(self, conn: sa.Connection) -> None:
        self.next: dict[str, int] = {}
        for model in SEQUENCED:
            table = model.__table__
            self.next[table.name] = (conn.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))) or 0) + 1

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


class Loader:
    """Buffers rows per table and writes them in large multi-row inserts, parents before children."""

    ORDER = (
        Organisation,
        User,
        Initiative,
        Stage,
        Membership,
        SignOff,
        Activity,
        Attendance,
        Decision,
        DecisionPosition,
        Recommendation,
        ReciprocityEntry,
        Evidence,
        Output,
        Assessment,
    )

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.rows: dict[Any, list[dict[str, Any]]] = {model: [] for model in self.ORDER}
        self.count = 0

    def add(self, model: Any, row: dict[str, Any]) -> None:
        self.rows[model].append(row)

    def flush(self) -> None:
        for model in self.ORDER:
            rows = self.rows[model]
            for start in range(0, len(rows), INSERT_BATCH):
                self.conn.execute(sa.insert(model.__table__), rows[start : start + INSERT_BATCH])
            self.count += len(rows)
            rows.clear()
        # Sequences on PostgreSQL do not see explicit ids; keep them ahead so the app's own inserts work.
        if self.conn.dialect.name == "postgresql":
            for model in SEQUENCED:
                table = model.__table__.name
                self.conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                )


def _recreate(url: str) -> None:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            for suffix in ("", "-wal", "-shm"):
                Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def _stage_plan(n: int) -> tuple[int, bool]:
    """How many stages initiative n has reached, and whether it is closed: a realistic spread."""
    bucket = n % 12
    if bucket < 3:
        return 1, False  # still designing
    if bucket < 6:
        return 2, False  # delivering
    if bucket < 10:
        return 3, False  # evaluating
    return 3, True  # closed, every stage signed off


def build_organisation(
    loader: Loader,
    ids: Ids,
    rng: random.Random,
    *,
    index: int,
    activities_each: int,
    password_hash: str,
    other_hash: str,
) -> tuple[int, list[dict[str, Any]]]:
    """Queue one organisation's rows; return its id and the audit events describing them."""
    main = index == 0
    org_id = ids.take("organisation")
    slug = MAIN_SLUG if main else f"council-{index:03d}"
    nation = "england" if main else NATIONS[index % len(NATIONS)]
    loader.add(
        Organisation,
        {"id": org_id, "name": f"{slug.replace('-', ' ').title()} Council", "slug": slug, "nation": nation},
    )
    events: list[dict[str, Any]] = []
    commissioners: list[int] = []
    partners: list[int] = []
    for n in range(12 if main else 4):
        user_id = ids.take("user_account")
        commissioners.append(user_id)
        loader.add(
            User,
            {
                "id": user_id,
                "organisation_id": org_id,
                "email": EMAIL if main and n == 0 else f"officer{n}@{slug}.bench.example",
                "display_name": f"Officer {n} of {slug}",
                "password_hash": password_hash if main and n == 0 else other_hash,
                "role": "admin" if n == 1 else "commissioner",
                "partner_kind": "officer",
                "needs_recorded": True,
            },
        )
    for n in range(80 if main else 24):
        user_id = ids.take("user_account")
        partners.append(user_id)
        loader.add(
            User,
            {
                "id": user_id,
                "organisation_id": org_id,
                "email": f"partner{n}@{slug}.bench.example",
                "display_name": f"Partner {n} of {slug}",
                "password_hash": other_hash,
                "role": "citizen_partner",
                "partner_kind": ["draws_on_care", "carer", "community", "advocate"][n % 4],
                "communication_needs": NEEDS[n % len(NEEDS)],
                "needs_recorded": n % 5 != 0,
            },
        )
    today = date.today()
    for n in range(INITIATIVES):
        reached, closed = _stage_plan(n)
        lead = commissioners[0] if main and n % 2 == 0 else commissioners[n % len(commissioners)]
        initiative_id = ids.take("initiative")
        start = today - timedelta(days=400 + rng.randrange(300))
        kinds = ("design", "delivery", "evaluation")
        loader.add(
            Initiative,
            {
                "id": initiative_id,
                "organisation_id": org_id,
                "title": f"{AREAS[n % len(AREAS)]}: co-produced review {n + 1}",
                "summary": "People who draw on care and the council redesign this service together.",
                "service_area": AREAS[n % len(AREAS)],
                "statutory_functions": sorted(rng.sample(FUNCTIONS, 2)),
                "level": "individual" if n % 9 == 0 else "collective",
                "current_stage": None if closed else kinds[reached - 1],
                "closed_on": today - timedelta(days=20) if closed else None,
                "created_by_id": lead,
                "created_at": datetime.combine(start, datetime.min.time()),
            },
        )
        events.append(_event("initiative.created", "initiative", initiative_id, initiative_id, lead))
        members = [(lead, "co_lead", "commissioner")]
        other_officer = commissioners[(n + 1) % len(commissioners)]
        if other_officer != lead:
            members.append((other_officer, "member", "commissioner"))
        chosen = rng.sample(partners, rng.randrange(3, 6))
        members += [(p, "co_lead" if m == 0 else "member", "citizen_partner") for m, p in enumerate(chosen)]
        for user_id, role, side in members:
            membership_id = ids.take("membership")
            left = today - timedelta(days=30) if rng.random() < 0.05 and role == "member" else None
            loader.add(
                Membership,
                {
                    "id": membership_id,
                    "organisation_id": org_id,
                    "initiative_id": initiative_id,
                    "user_id": user_id,
                    "role": role,
                    "side": side,
                    "joined_on": start,
                    "left_on": left,
                    "added_by_id": lead,
                },
            )
            events.append(_event("membership.created", "membership", membership_id, initiative_id, lead))
        span = (today - start).days
        stage_ids = []
        for position, kind in enumerate(kinds, start=1):
            stage_id = ids.take("stage")
            stage_ids.append(stage_id)
            complete = position < reached or closed
            loader.add(
                Stage,
                {
                    "id": stage_id,
                    "organisation_id": org_id,
                    "initiative_id": initiative_id,
                    "kind": kind,
                    "position": position,
                    "status": "complete" if complete else ("in_progress" if position == reached else "not_started"),
                    "opened_on": start + timedelta(days=span * (position - 1) // 3) if position <= reached else None,
                    "closed_on": start + timedelta(days=span * position // 3) if complete else None,
                },
            )
            events.append(_event("stage.created", "stage", stage_id, initiative_id, lead))
            if complete:
                for user_id, _role, side in members[:1] + members[-1:]:
                    loader.add(
                        SignOff,
                        {
                            "organisation_id": org_id,
                            "stage_id": stage_id,
                            "user_id": user_id,
                            "side": side,
                            "decision": "approve",
                            "comment": "",
                        },
                    )
        people = [user_id for user_id, _, _ in members]
        citizens = [user_id for user_id, _, side in members if side == "citizen_partner"]
        for a in range(activities_each):
            activity_id = ids.take("activity")
            stage_index = min(a * reached // activities_each, reached - 1)
            day = start + timedelta(days=span * a // activities_each)
            loader.add(
                Activity,
                {
                    "id": activity_id,
                    "organisation_id": org_id,
                    "initiative_id": initiative_id,
                    "stage_id": stage_ids[stage_index],
                    "kind": KINDS[(a + n) % len(KINDS)],
                    "occurred_on": day,
                    "title": f"Session {a + 1}: what we heard",
                    "notes": "Notes from the session.",
                    "recorded_by_id": lead,
                    "on_behalf_of_id": citizens[0] if a % 17 == 5 else None,
                    "confirmed_at": None if a % 34 == 5 else datetime(2026, 1, 1),
                },
            )
            events.append(_event("activity.created", "activity", activity_id, initiative_id, lead))
            attending = people[: rng.randrange(3, len(people) + 1)]
            for m, user_id in enumerate(attending):
                citizen = user_id in citizens
                needs = NEEDS[(user_id + m) % len(NEEDS)] if citizen else []
                loader.add(
                    Attendance,
                    {
                        "organisation_id": org_id,
                        "activity_id": activity_id,
                        "user_id": user_id,
                        "contributed": (a + m) % 4 != 0,
                        "adjustments_requested": needs,
                        "adjustments_provided": needs if (a + m) % 7 else needs[:-1],
                        "ladder_rating": 3 + (a + m) % 5 if citizen and (a + m) % 3 else None,
                    },
                )
                if citizen and a % 2 == 0:
                    loader.add(
                        ReciprocityEntry,
                        {
                            "organisation_id": org_id,
                            "initiative_id": initiative_id,
                            "activity_id": activity_id,
                            "user_id": user_id,
                            "kind": "payment" if (a + m) % 5 else "declined",
                            "status": "paid" if (a + m) % 5 else "declined",
                            "amount_pence": 2500 if (a + m) % 5 else 0,
                            "occurred_on": day,
                            "approved_by_id": lead,
                        },
                    )
            if a % 2 == 0:
                decision_id = ids.take("decision")
                loader.add(
                    Decision,
                    {
                        "id": decision_id,
                        "organisation_id": org_id,
                        "activity_id": activity_id,
                        "what": f"Decision {a + 1}: we agreed the next step together.",
                        "changed_by_partner_input": a % 3 == 0,
                        "how_changed": "Partners asked for it." if a % 3 == 0 else "",
                        "recorded_by_id": lead,
                    },
                )
                events.append(_event("decision.created", "decision", decision_id, initiative_id, lead))
                for m, user_id in enumerate(attending):
                    loader.add(
                        DecisionPosition,
                        {
                            "organisation_id": org_id,
                            "decision_id": decision_id,
                            "user_id": user_id,
                            "position": "dissented" if (a + m) % 11 == 0 else "agreed",
                        },
                    )
            if a % 5 == 0 and citizens:
                recommendation_id = ids.take("recommendation")
                answered = a % 4 != 3
                loader.add(
                    Recommendation,
                    {
                        "id": recommendation_id,
                        "organisation_id": org_id,
                        "initiative_id": initiative_id,
                        "activity_id": activity_id,
                        "made_by_id": citizens[a % len(citizens)],
                        "text": f"Recommendation from session {a + 1}",
                        "response": ["accepted", "adapted", "rejected", None][a % 4],
                        "response_reason": "Not affordable this year." if a % 4 == 2 else "",
                        "action_taken": "Done." if a % 4 in (0, 1) else "",
                        "responded_by_id": lead if answered else None,
                        "responded_at": datetime(2026, 1, 2) if answered else None,
                    },
                )
                events.append(
                    _event("recommendation.made", "recommendation", recommendation_id, initiative_id, citizens[0])
                )
            if a % 25 == 0:
                loader.add(
                    Evidence,
                    {
                        "organisation_id": org_id,
                        "initiative_id": initiative_id,
                        "activity_id": activity_id,
                        "filename": f"minutes-{a + 1}.pdf",
                        "content_type": "application/pdf",
                        "size": 1000,
                        "sha256": "0" * 64,
                        "storage_key": f"bench/{org_id}/{activity_id}",
                        "consent": "anonymised",
                        "uploaded_by_id": lead,
                    },
                )
        for k in range(1 + reached // 2):
            output_id = ids.take("output")
            loader.add(
                Output,
                {
                    "id": output_id,
                    "organisation_id": org_id,
                    "initiative_id": initiative_id,
                    "kind": OUTPUT_KINDS[(n + k) % len(OUTPUT_KINDS)],
                    "title": f"Output {k + 1}",
                    "co_author_ids": [lead, *citizens[:1]],
                    "published_url": "https://bench.example/plan" if k % 2 == 0 else "",
                    "published_on": today - timedelta(days=5) if k % 2 == 0 else None,
                    "formats": ["easy_read", "large_print"] if k % 2 == 0 else [],
                    "created_by_id": lead,
                },
            )
            events.append(_event("output.created", "output", output_id, initiative_id, lead))
        if n % 3 == 0:
            for criterion, status in (("X-STAGE", "met"), ("X-LOOP", "partly_met")):
                loader.add(
                    Assessment,
                    {
                        "organisation_id": org_id,
                        "initiative_id": initiative_id,
                        "framework_id": "cross_cutting",
                        "framework_version": "0.1.0",
                        "criterion_id": criterion,
                        "status": status,
                        "narrative": "Assessed together at the review meeting.",
                        "links": [],
                        "assessed_by_id": lead,
                        "cosigned_by_id": citizens[0] if status == "met" and citizens else None,
                    },
                )
    return org_id, events


def _event(action: str, entity: str, entity_id: int, initiative_id: int, actor: int) -> dict[str, Any]:
    return {
        "action": action,
        "entity_type": entity,
        "entity_id": entity_id,
        "initiative_id": initiative_id,
        "actor_id": actor,
        "changes": {},
        "details": {"source": "bench/generate.py"},
    }


def generate(url: str, scale: str, *, seed: int = 11) -> dict[str, Any]:
    """Recreate the database at `url` and fill it; returns counts and timings."""
    os.environ.setdefault("SECRET_KEY", "bench-only")
    url = database_url(url) or url
    _recreate(url)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, AUDIT_SIGNING_KEY=None)
    rng = random.Random(seed)
    password_hash = passwords.hash_password(PASSWORD)
    other_hash = passwords.hash_password(f"unused {seed} {time.time()}")  # nobody signs in as the others
    started = time.perf_counter()
    events_total = 0
    with app.app_context():
        # The migrations, not create_all: the database then has exactly production's schema, triggers included.
        upgrade(directory=str(ROOT / "migrations"))
        engine = db.engine
        organisations = 1 + SCALES[scale]
        for index in range(organisations):
            with engine.begin() as conn:
                ids = Ids(conn)
                loader = Loader(conn)
                org_id, events = build_organisation(
                    loader,
                    ids,
                    rng,
                    index=index,
                    activities_each=ACTIVITIES_MAIN if index == 0 else ACTIVITIES_OTHER,
                    password_hash=password_hash,
                    other_hash=other_hash,
                )
                loader.flush()
                for start in range(0, len(events), EVENT_BATCH):
                    capture.append_events(conn, org_id, events[start : start + EVENT_BATCH])
                events_total += len(events)
            if index % 25 == 0:
                elapsed = time.perf_counter() - started
                print(f"  organisation {index + 1}/{organisations} done ({elapsed:.0f} s)", flush=True)
        with engine.connect() as conn:
            counts = {
                model.__tablename__: conn.scalar(sa.select(sa.func.count()).select_from(model.__table__))
                for model in (Organisation, User, Initiative, Activity, Attendance, Decision, Recommendation)
            }
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        engine.dispose()
    counts["audit events"] = events_total
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="database to RECREATE: sqlite:////path or postgresql://...")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(f"Generating the {args.scale} data set into {args.url} (recreated) at {datetime.now(UTC):%H:%M:%S} UTC")
    for name, value in generate(args.url, args.scale, seed=args.seed).items():
        print(f"  {name}: {value:,}" if isinstance(value, int) else f"  {name}: {value}")
    print(f"Sign in as {EMAIL} with the password in bench/generate.py (PASSWORD).")


if __name__ == "__main__":
    main()
