"""Benchmark: audited writes from many concurrent writers to ONE organisation on PostgreSQL.

Each mode runs for --seconds with --writers threads, each with its own connection, all writing to the
same organisation (so every audited write queues for the same chain-head row lock):

  audited  activities.service.make_recommendation: an ORM insert, captured from the session, appended to
           the chain at commit (lock the head row, insert the event, move the head), one commit per write;
  plain    the same Recommendation insert through a plain SQLAlchemy Session, which has no capture hooks:
           what the write costs without the audit trail;
  bare     the chain append alone in Core, a bare chained-insert loop: capture.append_events (lock the
           head row FOR UPDATE, insert one event, update the head) and commit.

It reports writes per second, errors, lost writes (commits the writers counted against rows found) and
verifies the chain afterwards (gaps, forks, hashes). The database named in --url is dropped and recreated.

    .venv/bin/python bench/audit_concurrency.py                       # 16 writers, 20 s per mode
    .venv/bin/python bench/audit_concurrency.py --seconds 60          # the 60-second run
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import database_url
from copro_tracker import create_app
from copro_tracker.activities import service as activities
from copro_tracker.audit import capture, service
from copro_tracker.codes import Nation, OrgRole, PartnerKind
from copro_tracker.extensions import db
from copro_tracker.models import AuditEvent, Initiative, Organisation, Recommendation, User


@dataclass
class Outcome:
    name: str
    writes: int
    errors: int
    seconds: float
    found: int
    first_error: str = ""

    @property
    def rate(self) -> float:
        return self.writes / self.seconds


def fresh_database(url: str) -> str:
    target = sa.make_url(database_url(url))
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return target.render_as_string(hide_password=False)


def run_writers(writers: int, seconds: float, make_writer: Callable[[int], Callable[[int], None]]) -> tuple:
    """Start `writers` threads at once; each calls its write function until the time is up."""
    barrier = threading.Barrier(writers + 1)
    counts = [0] * writers
    errors = [0] * writers
    first_error: list[str] = []
    stop = threading.Event()

    def body(number: int) -> None:
        try:
            write = make_writer(number)
        except BaseException:
            barrier.abort()
            raise
        barrier.wait()
        index = 0
        while not stop.is_set():
            try:
                write(index)
                counts[number] += 1
            except Exception as error:  # counted and reported: the benchmark measures errors too
                errors[number] += 1
                if not first_error:
                    first_error.append(repr(error)[:300])
            index += 1

    threads = [threading.Thread(target=body, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return sum(counts), sum(errors), time.perf_counter() - started, (first_error or [""])[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/copro_audit_bench")
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()

    url = fresh_database(args.url)
    options = {"pool_pre_ping": True, "pool_size": args.writers + 4, "max_overflow": 4}
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS=options)
    with app.app_context():
        db.create_all()
        version = db.session.scalar(sa.text("SHOW server_version"))
        organisation = Organisation(name="Bench County Council", slug="bench", nation=Nation.ENGLAND)
        db.session.add(organisation)
        db.session.commit()
        lead = User(
            organisation_id=organisation.id,
            email="lead@example.org",
            display_name="Bench Lead",
            password_hash="x",  # never signs in
            role=OrgRole.COMMISSIONER,
            partner_kind=PartnerKind.OFFICER,
        )
        db.session.add(lead)
        db.session.commit()
        from copro_tracker.initiatives import service as initiatives

        initiative = initiatives.create(
            lead,
            title="Bench",
            summary="Bench",
            service_area="Bench",
            statutory_functions=["prevention"],
            level="collective",
        )
        org_id, lead_id, initiative_id = organisation.id, lead.id, initiative.id
        engine = db.engine
    print(f"PostgreSQL {version}; {args.writers} writers, {args.seconds:g} s per mode, one organisation")

    def audited(number: int) -> Callable[[int], None]:
        context = app.app_context()
        context.push()
        actor = db.session.get(User, lead_id)
        target = db.session.get(Initiative, initiative_id)
        db.session.commit()

        def write(index: int) -> None:
            try:
                capture.set_actor(db.session, actor.id)
                activities.make_recommendation(actor, target, f"audited {number}-{index}", None, None)
            except Exception:
                db.session.rollback()
                raise

        return write

    def plain(number: int) -> Callable[[int], None]:
        session = Session(engine)

        def write(index: int) -> None:
            try:
                session.add(
                    Recommendation(
                        organisation_id=org_id,
                        initiative_id=initiative_id,
                        made_by_id=lead_id,
                        text=f"plain {number}-{index}",
                    )
                )
                session.commit()
            except Exception:
                session.rollback()
                raise

        return write

    def bare(number: int) -> Callable[[int], None]:
        def write(index: int) -> None:
            event = {"action": "bench.bare", "entity_type": "bench", "entity_id": index, "changes": {}, "details": {}}
            with engine.begin() as conn:
                capture.append_events(conn, org_id, [event])

        return write

    def rows(where: sa.ColumnElement[bool], table: type = AuditEvent) -> int:
        with app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).select_from(table).where(where))

    outcomes = []
    with app.app_context():
        for name, factory, count_found in (
            ("audited", audited, lambda: rows(AuditEvent.action == "recommendation.made")),
            ("plain", plain, lambda: rows(Recommendation.text.like("plain %"), Recommendation)),
            ("bare", bare, lambda: rows(AuditEvent.action == "bench.bare")),
        ):
            writes, errors, seconds, first = run_writers(args.writers, args.seconds, factory)
            outcomes.append(Outcome(name, writes, errors, seconds, count_found(), first))
        made = rows(Recommendation.text.like("audited %"), Recommendation)
        organisation = db.session.get(Organisation, org_id)
        result, failure = service.verify_organisation(organisation, record_event=False)
        seqs = db.session.execute(
            sa.select(sa.func.count(), sa.func.count(sa.distinct(AuditEvent.prev_hash)), sa.func.max(AuditEvent.seq))
        ).one()

    for outcome in outcomes:
        lost = outcome.writes - outcome.found
        print(
            f"{outcome.name:8} {outcome.rate:8,.0f} writes/s  ({outcome.writes:,} in {outcome.seconds:.1f} s)  "
            f"errors {outcome.errors}  lost writes {lost}"
        )
        if outcome.first_error:
            print(f"         first error: {outcome.first_error}")
    audited_rate, plain_rate, bare_rate = (o.rate for o in outcomes)
    ratios = f"audited / plain = {audited_rate / plain_rate:.2f}"
    print(f"{ratios}   audited / bare chained insert = {audited_rate / bare_rate:.2f}")
    print(f"recommendations committed by audited writers: {made:,} (each with its recommendation.made event)")
    state = "verifies" if failure is None else f"FAILS: {failure.message}"
    print(
        f"chain: {result.size:,} events, seq 1..{seqs[2]:,}, {seqs[1]:,} distinct prev_hash of {seqs[0]:,} "
        f"(equal means no fork); {state}"
    )


if __name__ == "__main__":
    main()
