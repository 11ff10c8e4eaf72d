"""Benchmark: the JSON evidence bundle of a one-activity initiative, with 1,000 and with 1,000,000 events
in its organisation's chain. The budget (DESIGN §10): the same cost within ±20%.

For each chain length it builds a fresh SQLite file: an organisation, a commissioner and a citizen
partner, then N padding events appended through `capture.append_events` (the real append path, which
keeps the Merkle state), then one initiative with one activity made through the services, and a
checkpoint. Then it times, median of --repeat runs after one warm-up:

  (a) `audit.service.export_bundle` for the initiative's cited events against the latest checkpoint
      (inclusion proofs from the stored state, each checked against the signed root);
  (b) the whole download, `reports.service.download(..., "json")`: facts, report, its `report.generated`
      event, a checkpoint covering it (signed from the stored frontier) and the bundle;

and counts the SQL statements of one (b).

    .venv/bin/python bench/report_proofs.py                      # --events 1000 1000000 --repeat 15
    .venv/bin/python bench/report_proofs.py --events 1000 100000  # quicker
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from copro_tracker import create_app  # noqa: E402
from copro_tracker.activities import service as activities  # noqa: E402
from copro_tracker.audit import capture  # noqa: E402
from copro_tracker.audit import service as audit_service  # noqa: E402
from copro_tracker.extensions import db  # noqa: E402
from copro_tracker.initiatives import service as initiatives  # noqa: E402
from copro_tracker.models import Initiative, Organisation, Stage, User  # noqa: E402
from copro_tracker.reports import build, data  # noqa: E402
from copro_tracker.reports import service as reports  # noqa: E402

BATCH = 5000


def build_world(events: int) -> tuple[int, int, int]:
    """Organisation, people, `events` padding events, then a one-activity initiative; returns ids."""
    org = Organisation(name="Proofshire Council", slug="proofshire", nation="england")
    db.session.add(org)
    db.session.flush()
    lead = User(
        organisation_id=org.id,
        email="lead@proofs.example",
        display_name="Lead",
        password_hash="x",
        role="commissioner",
        partner_kind="officer",
        needs_recorded=True,
    )
    partner = User(
        organisation_id=org.id,
        email="partner@proofs.example",
        display_name="Partner",
        password_hash="x",
        role="citizen_partner",
        partner_kind="carer",
        needs_recorded=True,
    )
    db.session.add_all([lead, partner])
    db.session.commit()
    padding = {
        "action": "initiative.updated",
        "entity_type": "organisation",
        "entity_id": org.id,
        "actor_id": lead.id,
        "changes": {"title": {"before": {"ref": "0" * 64}, "after": {"ref": "1" * 64}}},
        "details": {"source": "bench/report_proofs.py"},
    }
    existing = audit_service.chain_size(org)
    remaining = max(events - existing - 40, 0)
    with db.engine.begin() as conn:
        while remaining:
            step = min(BATCH, remaining)
            capture.append_events(conn, org.id, [padding] * step)
            remaining -= step
    initiative = initiatives.create(
        lead,
        title="One workshop",
        summary="A small initiative.",
        service_area="Carers",
        statutory_functions=["prevention"],
        level="collective",
    )
    initiatives.add_member(lead, initiative, partner, "co_lead")
    stage = db.session.scalar(sa.select(Stage).where(Stage.initiative_id == initiative.id, Stage.position == 1))
    activities.record_activity(
        lead,
        db.session.get(Initiative, initiative.id),
        activities.ActivityDetails(
            stage_id=stage.id,
            kind="workshop",
            occurred_on=date.today(),
            title="What carers need",
            notes="",
            attendee_ids=[lead.id, partner.id],
            guests=[],
            guests_are_citizens=False,
        ),
    )
    audit_service.make_checkpoint(org)
    return org.id, lead.id, initiative.id


def median_ms(run, repeat: int) -> tuple[float, float]:
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def measure(events: int, repeat: int) -> dict[str, float]:
    folder = tempfile.mkdtemp(prefix="bench-proofs-")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/proofs.sqlite",
        AUDIT_KEY_FILE=f"{folder}/key.pem",
    )
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        org_id, lead_id, initiative_id = build_world(events)
        built = time.perf_counter() - started
    with app.test_request_context("/"):
        from flask_login import login_user

        login_user(db.session.get(User, lead_id))
        org = db.session.get(Organisation, org_id)
        spec = reports.ReportSpec(build.ReportKind.INITIATIVE, build.Period(as_of=date.today()), initiative_id)
        checkpoint = audit_service.latest_checkpoint(org)
        cited = [event.seq for event in data.cited_events(org.id, [initiative_id], date.today(), checkpoint.tree_size)]

        def bundle():
            return audit_service.export_bundle(org, cited, checkpoint)

        def download():
            return reports.download(org, spec, "json")

        bundle_ms = median_ms(bundle, repeat)
        download_ms = median_ms(download, repeat)
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        download()
        sa.event.remove(db.engine, "before_cursor_execute", listener)
        size = audit_service.chain_size(org)
    return {
        "events": size,
        "cited": len(cited),
        "build_s": built,
        "bundle_ms": bundle_ms[0],
        "bundle_min": bundle_ms[1],
        "download_ms": download_ms[0],
        "download_min": download_ms[1],
        "statements": len(statements),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    results = [measure(n, args.repeat) for n in args.events]
    print(f"{'events':>10} {'cited':>6} {'bundle ms (min)':>17} {'JSON download ms (min)':>24} {'statements':>11}")
    for r in results:
        print(
            f"{r['events']:>10,} {r['cited']:>6} {r['bundle_ms']:>8.1f} ({r['bundle_min']:>5.1f}) "
            f"{r['download_ms']:>14.1f} ({r['download_min']:>6.1f}) {r['statements']:>11}"
            f"   built in {r['build_s']:.0f} s"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(
            f"ratio largest/smallest: bundle {last['bundle_ms'] / first['bundle_ms']:.2f}, "
            f"download {last['download_ms'] / first['download_ms']:.2f}"
        )


if __name__ == "__main__":
    main()
