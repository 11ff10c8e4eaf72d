"""Concurrent writers to one organisation never fork or gap its audit chain.

Each writer is a thread with its own app context, so its own session and database connection, exactly as
concurrent requests are. All of them write audited changes for the same organisation at once, released
together by a barrier. Afterwards: every write is there (no lost writes), seq runs 1..N with no repeats
(no gaps), no two events share a prev_hash (no forks), and the whole chain verifies.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from conftest import make_user
from flask import Flask
from initiative_factories import make_initiative

from copro_tracker.activities import service as activities
from copro_tracker.audit import capture, service
from copro_tracker.codes import OrgRole
from copro_tracker.extensions import db
from copro_tracker.models import AuditCheckpoint, AuditEvent, Initiative, Organisation, Recommendation, User


@dataclass(frozen=True)
class Job:
    organisation_id: int
    initiative_id: int
    actor_id: int


def _jobs(organisation_id: int, initiative_id: int, writers: int) -> list[Job]:
    """One writer per new commissioner of the organisation (made here, in the test's own session)."""
    organisation = db.session.get(Organisation, organisation_id)
    return [
        Job(organisation_id, initiative_id, make_user(organisation, OrgRole.COMMISSIONER).id) for _ in range(writers)
    ]


def _run(app: Flask, jobs: list[Job], writes: int) -> list[BaseException]:
    """One thread per job, released together, each making `writes` audited writes: a recommendation (a row
    insert captured from the session), and every third time also a non-row event (capture.record), each
    write committed on its own. Returns the errors raised."""
    db.session.commit()
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def writer(number: int, job: Job) -> None:
        try:
            with app.app_context():
                actor = db.session.get(User, job.actor_id)
                initiative = db.session.get(Initiative, job.initiative_id)
                db.session.commit()  # hold no transaction or snapshot while waiting at the barrier
                barrier.wait(timeout=30)
                for index in range(writes):
                    capture.set_actor(db.session, actor.id)
                    activities.make_recommendation(actor, initiative, f"Writer {number} idea {index}", None, None)
                    if index % 3 == 0:
                        capture.record(db.session, "audit.exported", job.organisation_id, "initiative", initiative.id)
                        db.session.commit()
                db.session.remove()
        except BaseException as error:  # reported to the test thread below
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=writer, args=(number, job)) for number, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return errors


def _assert_chain_whole(organisation_id: int, writers: int, writes: int) -> None:
    db.session.rollback()
    rows = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.action)
        .where(AuditEvent.organisation_id == organisation_id)
        .order_by(AuditEvent.seq)
    ).all()
    seqs = [row.seq for row in rows]
    assert seqs == list(range(1, len(rows) + 1)), "gap or repeat in seq"
    assert len({row.prev_hash for row in rows}) == len(rows), "two events share a prev_hash: the chain forked"
    actions = Counter(row.action for row in rows)
    assert actions["recommendation.made"] == writers * writes, "an audited write is missing from the chain"
    assert actions["audit.exported"] == writers * len(range(0, writes, 3))
    made = db.session.scalar(
        sa.select(sa.func.count()).select_from(Recommendation).where(Recommendation.organisation_id == organisation_id)
    )
    assert made == writers * writes, "a write was lost"
    organisation = db.session.get(Organisation, organisation_id)
    result, failure = service.verify_organisation(organisation)
    assert failure is None, failure
    assert result.size == len(rows)


def _setup(org: Organisation, commissioner: User, partner: User) -> tuple[int, int]:
    initiative = make_initiative(commissioner, partner)
    return org.id, initiative.id


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL (PostgreSQL)")
def test_many_writers_on_postgresql_never_fork_or_gap_the_chain(app, org, commissioner, partner):
    assert db.engine.dialect.name == "postgresql"
    writers, writes = 8, 25
    errors = _run(app, _jobs(*_setup(org, commissioner, partner), writers), writes)
    assert not errors, errors
    _assert_chain_whole(org.id, writers, writes)


def test_several_writers_on_sqlite_never_fork_or_gap_the_chain(app, org, commissioner, partner):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the PostgreSQL variant above covers this database")
    writers, writes = 4, 12
    errors = _run(app, _jobs(*_setup(org, commissioner, partner), writers), writes)
    assert not errors, errors
    _assert_chain_whole(org.id, writers, writes)


def test_two_organisations_written_at_once_keep_separate_whole_chains(app, org, commissioner, partner, other_org):
    """Writers of two organisations interleave; each chain stays whole, and appends never deadlock."""
    other = _setup(other_org, make_user(other_org, OrgRole.COMMISSIONER), make_user(other_org, OrgRole.CITIZEN_PARTNER))
    writers, writes = (2, 6) if db.engine.dialect.name == "sqlite" else (4, 10)
    jobs = _jobs(*_setup(org, commissioner, partner), writers) + _jobs(*other, writers)
    errors = _run(app, jobs, writes)
    assert not errors, errors
    for organisation_id in (org.id, other_org.id):
        _assert_chain_whole(organisation_id, writers, writes)


def test_checkpoints_made_at_once_are_stored_in_order(app, org, commissioner, partner):
    """Checkpoints signed concurrently (and while others write) still go up in size and time, and verify."""
    _, initiative_id = _setup(org, commissioner, partner)
    signers = 4
    barrier = threading.Barrier(signers)
    errors: list[BaseException] = []

    def signer() -> None:
        try:
            with app.app_context():
                organisation = db.session.get(Organisation, org.id)
                db.session.commit()
                barrier.wait(timeout=30)
                for _ in range(3):
                    service.make_checkpoint(organisation)
                db.session.remove()
        except BaseException as error:  # reported to the test thread below
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=signer) for _ in range(signers)]
    for thread in threads:
        thread.start()
    writers = _run(app, _jobs(org.id, initiative_id, 2), 6)
    for thread in threads:
        thread.join(timeout=300)
    assert not errors and not writers, (errors, writers)
    db.session.rollback()
    checkpoints = db.session.execute(
        sa.select(AuditCheckpoint.tree_size, AuditCheckpoint.issued_at).order_by(AuditCheckpoint.id)
    ).all()
    assert checkpoints == sorted(checkpoints)
    _, failure = service.verify_organisation(db.session.get(Organisation, org.id))
    assert failure is None, failure
