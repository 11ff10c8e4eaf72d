"""Every service write produces exactly the audit events it should: table-driven over the real services.

Each case runs a service call as a signed-in person (a test request context with Flask-Login, so the actor
is found the way it is in production), then compares the new events' (action, entity type, actor) with the
table, checks the chain still verifies, and that no password hash, token hash or raw secret reached a
payload or the erasable value table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import PASSWORD, make_org, make_user
from flask import Flask
from flask_login import login_user
from initiative_factories import add_activity, make_initiative, stage_of

from copro_tracker.activities import service as activities
from copro_tracker.audit import history, ledger
from copro_tracker.auth import service as accounts
from copro_tracker.codes import OrgRole, PartnerKind, StageKind, StageStatus
from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import AccountToken, AuditEvent, AuditValue, Initiative, User
from copro_tracker.outputs import service as outputs
from copro_tracker.payments import service as payments
from copro_tracker.services import ServiceError

NEW_PASSWORD = "a different long passphrase for the tests 97"


@dataclass
class World:
    org: Any
    people: dict[str, User]
    initiative: Initiative
    secrets: list[str] = field(default_factory=list)  # raw tokens and passwords handed out during the case

    def __getitem__(self, name: str) -> User:
        return self.people[name]

    def fresh(self) -> Initiative:
        return db.session.get(Initiative, self.initiative.id)


@contextmanager
def acting_as(app: Flask, user: User | None) -> Iterator[None]:
    with app.test_request_context():
        if user is not None:
            assert login_user(user)
        yield


def activity_details(w: World, attendees: list[str], on_behalf_of: str | None = None, title: str = "Workshop"):
    return activities.ActivityDetails(
        stage_id=stage_of(w.fresh()).id,
        kind="workshop",
        occurred_on=date(2026, 3, 1),
        title=title,
        notes="What a good day looks like",
        attendee_ids=[w[name].id for name in attendees],
        guests=[],
        guests_are_citizens=False,
        on_behalf_of_id=w[on_behalf_of].id if on_behalf_of else None,
    )


def decision_details(activity, positions: dict[int, str], what: str = "Open on Saturdays"):
    return activities.DecisionDetails(
        what=what,
        options_considered="Saturdays or evenings",
        positions=positions,
        changed_by_partner_input=False,
        how_changed="",
    )


def output_fields(**overrides):
    values = {
        "expected_version": None,
        "kind": "plan",
        "title": "Day opportunities plan",
        "document_version": "1",
        "co_author_ids": [],
        "published_url": "",
        "published_on": None,
        "formats": ["easy_read"],
        "evidence_id": None,
    }
    return {**values, **overrides}


# --- set-ups: run before the case, their events are not the case's --------------------------------------


def with_activity(w: World) -> dict:
    return {"activity": add_activity(w.fresh(), w["commissioner"], [w["commissioner"], w["partner"]])}


def awaiting_sign_off(w: World) -> dict:
    with_activity(w)
    assert stage_of(w.fresh()).status == StageStatus.AWAITING_SIGNOFF
    return {}


def commissioner_approved(w: World) -> dict:
    awaiting_sign_off(w)
    initiatives.sign_off(w["commissioner"], stage_of(w.fresh()), "approve", "")
    return {}


def design_complete(w: World) -> dict:
    commissioner_approved(w)
    initiatives.sign_off(w["partner"], stage_of(w.fresh()), "approve", "")
    assert stage_of(w.fresh()).status == StageStatus.COMPLETE
    return {}


def on_behalf_activity(w: World) -> dict:
    activity = activities.record_activity(
        w["commissioner"], w.fresh(), activity_details(w, ["partner"], on_behalf_of="partner")
    )
    return {"activity": activity}


def with_decision(w: World) -> dict:
    activity = with_activity(w)["activity"]
    positions = {w["commissioner"].id: "agreed", w["partner"].id: "agreed"}
    decision = activities.record_decision(w["commissioner"], activity, decision_details(activity, positions))
    return {"activity": activity, "decision": decision}


def with_rates(w: World) -> dict:
    rates = {"workshop": ("per_hour", 2000)}
    details = payments.RateCardDetails(date(2020, 4, 6), rates, "Bus and train fares", 1_000_000, "", "")
    return {"card": payments.add_rate_card(w["commissioner"], details)}


def with_offer(w: World) -> dict:
    activity = with_activity(w)["activity"]
    entry = payments.make_offer(
        w["commissioner"], w.fresh(), user_id=w["partner"].id, activity_id=activity.id, units=1, amount_pence=2500
    )
    return {"activity": activity, "entry": entry}


def with_choice(w: World) -> dict:
    context = with_offer(w)
    payments.choose(w["partner"], context["entry"], expected_version=context["entry"].version, choice="payment")
    return context


def with_approval(w: World) -> dict:
    context = with_choice(w)
    payments.approve(w["commissioner"], context["entry"], expected_version=context["entry"].version)
    return context


def with_recommendation(w: World) -> dict:
    recommendation = activities.make_recommendation(w["partner"], w.fresh(), "Open on Saturdays", None, None)
    return {"recommendation": recommendation}


def with_output(w: World) -> dict:
    return {"output": outputs.save_output(w["commissioner"], w.fresh(), None, **output_fields())}


def with_invitation(w: World) -> dict:
    token, raw = accounts.invite(
        w["commissioner"],
        email="newcomer@example.org",
        display_name="Nia Newcomer",
        role=OrgRole.CITIZEN_PARTNER,
        partner_kind=PartnerKind.CARER,
    )
    w.secrets.append(raw)
    return {"token": token, "raw": raw}


def with_reset(w: World) -> dict:
    token, raw = accounts.issue_password_reset(w["partner"], w["admin"])
    w.secrets.append(raw)
    return {"token": token, "raw": raw}


def deactivated(w: World) -> dict:
    accounts.set_active(w["admin"], w["partner"], False)
    return {}


# --- the table ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    actor: str | None  # who is signed in while the service runs (None: nobody)
    call: Callable[[World, dict], object]
    expected: list[tuple[str, str, str | None]]  # (action, entity type, actor name or None for the system)
    setup: Callable[[World], dict] | None = None


def _stages(action: str, actor: str) -> list[tuple[str, str, str | None]]:
    return [(action, "stage", actor)] * len(StageKind)


CASES: dict[str, Case] = {
    # initiatives.service
    "initiative.create": Case(
        "commissioner",
        lambda w, c: initiatives.create(
            w["commissioner"],
            title="Carers' breaks",
            summary="Short breaks designed with carers",
            service_area="Carers",
            statutory_functions=["prevention"],
            level="collective",
        ),
        [
            ("initiative.created", "initiative", "commissioner"),
            *_stages("stage.created", "commissioner"),
            ("membership.created", "membership", "commissioner"),
        ],
    ),
    "initiative.update": Case(
        "commissioner",
        lambda w, c: initiatives.update(
            w["commissioner"],
            w.fresh(),
            expected_version=w.fresh().version,
            title="Day opportunities, version two",
            summary="New summary",
            service_area="Day services",
            statutory_functions=["prevention"],
            level="collective",
        ),
        [("initiative.updated", "initiative", "commissioner")],
    ),
    "initiative.add_member": Case(
        "commissioner",
        lambda w, c: initiatives.add_member(w["commissioner"], w.fresh(), w["observer"], "observer"),
        [("membership.joined", "membership", "commissioner")],
    ),
    "initiative.change_member_role": Case(
        "commissioner",
        lambda w, c: initiatives.change_member_role(w["commissioner"], w.fresh(), _membership(w, "partner"), "member"),
        [
            ("membership.role_ended", "membership", "commissioner"),
            ("membership.role_changed", "membership", "commissioner"),
        ],
    ),
    "initiative.remove_member": Case(
        "commissioner",
        lambda w, c: initiatives.remove_member(w["commissioner"], w.fresh(), _membership(w, "partner")),
        [("membership.left", "membership", "commissioner")],
    ),
    "initiative.sign_off.dissent": Case(
        "partner",
        lambda w, c: initiatives.sign_off(w["partner"], stage_of(w.fresh()), "dissent", "Not enough partners yet"),
        [("stage.dissent_recorded", "stage_sign_off", "partner")],
    ),
    "initiative.sign_off.approve": Case(
        "commissioner",
        lambda w, c: initiatives.sign_off(w["commissioner"], stage_of(w.fresh()), "approve", ""),
        [("stage.signed_off", "stage_sign_off", "commissioner")],
        setup=awaiting_sign_off,
    ),
    "initiative.sign_off.completes_stage": Case(
        "partner",
        lambda w, c: initiatives.sign_off(w["partner"], stage_of(w.fresh()), "approve", ""),
        [
            ("stage.signed_off", "stage_sign_off", "partner"),
            ("stage.completed", "stage", "partner"),
            ("stage.opened", "stage", "partner"),
            ("initiative.updated", "initiative", "partner"),
        ],
        setup=commissioner_approved,
    ),
    "initiative.reopen": Case(
        "commissioner",
        lambda w, c: initiatives.reopen(w["commissioner"], stage_of(w.fresh()), "We missed a group of carers"),
        [
            ("stage.reopened", "stage", "commissioner"),
            ("stage_reopening.created", "stage_reopening", "commissioner"),
            ("initiative.updated", "initiative", "commissioner"),
        ],
        setup=design_complete,
    ),
    # activities.service
    "activity.record": Case(
        "commissioner",
        lambda w, c: activities.record_activity(
            w["commissioner"], w.fresh(), activity_details(w, ["commissioner", "partner"])
        ),
        [
            ("activity.recorded", "activity", "commissioner"),
            ("attendance.created", "attendance", "commissioner"),
            ("attendance.created", "attendance", "commissioner"),
            ("stage.updated", "stage", "commissioner"),  # activities_changed_at: approvals before now are asked again
        ],
    ),
    "activity.record_on_behalf": Case(
        "commissioner",
        lambda w, c: activities.record_activity(
            w["commissioner"], w.fresh(), activity_details(w, ["partner"], on_behalf_of="partner")
        ),
        [
            ("activity.recorded_on_behalf", "activity", "commissioner"),
            ("attendance.created", "attendance", "commissioner"),
            ("stage.updated", "stage", "commissioner"),  # activities_changed_at: approvals before now are asked again
        ],
    ),
    "activity.update": Case(
        "commissioner",
        lambda w, c: activities.update_activity(
            w["commissioner"],
            w.fresh(),
            c["activity"],
            activity_details(w, ["commissioner"], title="Renamed workshop"),
            c["activity"].version,
        ),
        [
            ("activity.updated", "activity", "commissioner"),
            ("attendance.deleted", "attendance", "commissioner"),
            ("stage.updated", "stage", "commissioner"),  # no contributing partner left: back to in progress
        ],
        setup=with_activity,
    ),
    "activity.record_attendance": Case(
        "commissioner",
        lambda w, c: activities.record_attendance(
            w["commissioner"],
            c["activity"],
            [
                activities.AttendanceRow(a.id, False, ["easy_read"], ["easy_read"])
                for a in c["activity"].attendances
                if a.user_id == w["partner"].id
            ],
            c["activity"].version,
        ),
        [
            ("activity.attendance_recorded", "activity", "commissioner"),
            ("attendance.updated", "attendance", "commissioner"),
            ("stage.updated", "stage", "commissioner"),  # the partner no longer contributed
        ],
        setup=with_activity,
    ),
    "activity.confirm": Case(
        "partner",
        lambda w, c: activities.confirm(w["partner"], c["activity"], correct=False, notes="", note=""),
        [("activity.confirmed", "activity", "partner")],
        setup=on_behalf_activity,
    ),
    "activity.correct": Case(
        "partner",
        lambda w, c: activities.confirm(
            w["partner"], c["activity"], correct=True, notes="It was at the library", note="Wrong place"
        ),
        [
            ("activity.corrected", "activity", "partner"),
            ("stage.updated", "stage", "partner"),  # a correction changes the record approvals were given on
        ],
        setup=on_behalf_activity,
    ),
    "attendance.rate": Case(
        "partner",
        lambda w, c: activities.rate(
            w["partner"], next(a for a in c["activity"].attendances if a.user_id == w["partner"].id), 5, ""
        ),
        [("attendance.rated", "attendance", "partner")],
        setup=with_activity,
    ),
    "decision.record_with_dissent": Case(
        "commissioner",
        lambda w, c: activities.record_decision(
            w["commissioner"],
            c["activity"],
            decision_details(c["activity"], {w["commissioner"].id: "agreed", w["partner"].id: "dissented"}),
        ),
        [
            ("decision.dissent_recorded", "decision", "commissioner"),
            ("decision_position.created", "decision_position", "commissioner"),
            ("decision_position.created", "decision_position", "commissioner"),
        ],
        setup=with_activity,
    ),
    "decision.update": Case(
        "commissioner",
        lambda w, c: activities.update_decision(
            w["commissioner"],
            c["decision"],
            decision_details(
                c["activity"], {w["commissioner"].id: "agreed", w["partner"].id: "agreed"}, what="Open on Sundays"
            ),
            c["decision"].version,
        ),
        [("decision.updated", "decision", "commissioner")],
        setup=with_decision,
    ),
    "recommendation.make": Case(
        "partner",
        lambda w, c: activities.make_recommendation(w["partner"], w.fresh(), "Open on Saturdays", None, None),
        [("recommendation.made", "recommendation", "partner")],
    ),
    "recommendation.respond": Case(
        "commissioner",
        lambda w, c: activities.respond(
            w["commissioner"],
            c["recommendation"],
            response="adapted",
            reason="Budget allows alternate Saturdays",
            action_taken="Pilot from June",
            review_on=date(2026, 9, 1),
            expected_version=c["recommendation"].version,
        ),
        [("recommendation.responded", "recommendation", "commissioner")],
        setup=with_recommendation,
    ),
    "recommendation.review": Case(
        "commissioner",
        lambda w, c: activities.record_review(
            w["commissioner"],
            c["recommendation"],
            reviewed_on=date.today(),
            reviewed_by_id=w["partner"].id,
            outcome="Saturday opening is now permanent",
            expected_version=c["recommendation"].version,
        ),
        [("recommendation.reviewed", "recommendation", "commissioner")],
        setup=with_recommendation,
    ),
    "evidence.upload": Case(
        "commissioner",
        lambda w, c: activities.upload_evidence(
            w["commissioner"],
            w.fresh(),
            data=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
            filename="minutes.pdf",
            consent="named",
            description="Minutes",
            activity_id=None,
            decision_id=None,
        ),
        [("evidence.uploaded", "evidence", "commissioner")],
    ),
    # outputs.service
    "output.record": Case(
        "commissioner",
        lambda w, c: outputs.save_output(w["commissioner"], w.fresh(), None, **output_fields()),
        [("output.recorded", "output", "commissioner")],
    ),
    "output.publish": Case(
        "commissioner",
        lambda w, c: outputs.save_output(
            w["commissioner"],
            w.fresh(),
            c["output"],
            **output_fields(
                expected_version=c["output"].version,
                published_url="https://example.org/plan",
                published_on=date(2026, 4, 1),
            ),
        ),
        [("output.published", "output", "commissioner")],
        setup=with_output,
    ),
    # payments.service: each step of an offer or claim is named
    "payment.offer": Case(
        "commissioner",
        lambda w, c: payments.make_offer(
            w["commissioner"],
            w.fresh(),
            user_id=w["partner"].id,
            activity_id=c["activity"].id,
            units=2,
            amount_pence=None,
        ),
        [("payment.offered", "reciprocity_entry", "commissioner")],
        setup=lambda w: {**with_activity(w), **with_rates(w)},
    ),
    "payment.choose": Case(
        "partner",
        lambda w, c: payments.choose(w["partner"], c["entry"], expected_version=c["entry"].version, choice="voucher"),
        [("payment.chosen", "reciprocity_entry", "partner")],
        setup=lambda w: with_offer(w),
    ),
    "payment.choose_no_payment": Case(
        "partner",
        lambda w, c: payments.choose(w["partner"], c["entry"], expected_version=c["entry"].version, choice="declined"),
        [("payment.declined", "reciprocity_entry", "partner")],
        setup=lambda w: with_offer(w),
    ),
    "payment.approve": Case(
        "commissioner",
        lambda w, c: payments.approve(w["commissioner"], c["entry"], expected_version=c["entry"].version),
        [("payment.approved", "reciprocity_entry", "commissioner")],
        setup=lambda w: with_choice(w),
    ),
    "payment.mark_paid": Case(
        "commissioner",
        lambda w, c: payments.mark_paid(
            w["commissioner"],
            c["entry"],
            expected_version=c["entry"].version,
            reference="BACS-1",
            paid_on=date(2026, 3, 9),
        ),
        [("payment.paid", "reciprocity_entry", "commissioner")],
        setup=lambda w: with_approval(w),
    ),
    "payment.withdraw": Case(
        "commissioner",
        lambda w, c: payments.withdraw(
            w["commissioner"], c["entry"], expected_version=c["entry"].version, reason="Offered twice"
        ),
        [("payment.withdrawn", "reciprocity_entry", "commissioner")],
        setup=lambda w: with_offer(w),
    ),
    "payment.claim": Case(
        "partner",
        lambda w, c: payments.claim_expenses(
            w["partner"],
            w.fresh(),
            user_id=w["partner"].id,
            activity_id=None,
            amount_pence=640,
            note="Bus there and back",
            spent_on=date(2026, 3, 1),
            receipt=b"%PDF-1.4\n%%EOF\n",
            receipt_name="bus.pdf",
        ),
        [("payment.claimed", "reciprocity_entry", "partner")],
    ),
    "payment.rates": Case(
        "commissioner",
        lambda w, c: with_rates(w),
        [("rate_card.added", "rate_card", "commissioner")],
    ),
    # auth.service
    "auth.invite": Case(
        "commissioner",
        lambda w, c: w.secrets.append(
            accounts.invite(
                w["commissioner"],
                email="invitee@example.org",
                display_name="Ivy Invitee",
                role=OrgRole.CITIZEN_PARTNER,
                partner_kind=PartnerKind.CARER,
            )[1]
        ),
        [("user.invited", "account_token", "commissioner")],
    ),
    "auth.accept_invitation": Case(
        None,
        lambda w, c: accounts.accept_invitation(
            c["raw"],
            display_name="Nia Newcomer",
            password=NEW_PASSWORD,
            communication_needs=["easy_read"],
            communication_needs_other="",
            preferred_language="en",
        ),
        [("user.joined", "user", None), ("invitation.accepted", "account_token", None)],
        setup=with_invitation,
    ),
    "auth.revoke_invitation": Case(
        "commissioner",
        lambda w, c: accounts.revoke_invitation(w["commissioner"], c["token"]),
        [("invitation.revoked", "account_token", "commissioner")],
        setup=with_invitation,
    ),
    "auth.change_role": Case(
        "admin",
        lambda w, c: accounts.change_role(w["admin"], w["partner"], OrgRole.COMMISSIONER, PartnerKind.OFFICER),
        [("user.role_changed", "user", "admin")],
    ),
    "auth.deactivate": Case(
        "admin",
        lambda w, c: accounts.set_active(w["admin"], w["partner"], False),
        [("user.deactivated", "user", "admin")],
    ),
    "auth.reactivate": Case(
        "admin",
        lambda w, c: accounts.set_active(w["admin"], w["partner"], True),
        [("user.reactivated", "user", "admin")],
        setup=deactivated,
    ),
    "auth.issue_password_reset": Case(
        "admin",
        lambda w, c: w.secrets.append(accounts.issue_password_reset(w["partner"], w["admin"])[1]),
        [("password_reset.issued", "account_token", "admin")],
    ),
    "auth.reset_password": Case(
        None,
        lambda w, c: accounts.reset_password(c["raw"], NEW_PASSWORD),
        [("user.password_reset", "user", "partner"), ("password_reset.used", "account_token", "partner")],
        setup=with_reset,
    ),
    "auth.change_password": Case(
        "partner",
        lambda w, c: accounts.change_password(w["partner"], PASSWORD, NEW_PASSWORD),
        [("user.password_changed", "user", "partner")],
    ),
    "auth.update_profile": Case(
        "partner",
        lambda w, c: accounts.update_profile(
            w["partner"],
            display_name="Amira P.",
            communication_needs=["large_print"],
            communication_needs_other="",
            preferred_language="cy",
        ),
        [("user.profile_updated", "user", "partner")],
    ),
    "auth.login": Case(
        None,
        lambda w, c: accounts.authenticate(w["partner"].email, PASSWORD),
        [("auth.login", "user", "partner")],
    ),
    "auth.login_failed": Case(
        None,
        lambda w, c: _refused(lambda: accounts.authenticate(w["partner"].email, "wrong password entirely")),
        [("auth.login_failed", "user", "partner")],
    ),
    "auth.logout": Case(
        "partner",
        lambda w, c: accounts.end_sessions(w["partner"], "auth.logout"),
        [("auth.logout", "user", "partner")],
    ),
}


def _membership(w: World, name: str):
    initiative = w.fresh()
    return next(m for m in initiative.memberships if m.user_id == w[name].id and m.left_on is None)


def _refused(call: Callable[[], object]) -> None:
    with pytest.raises(ServiceError):
        call()


@pytest.fixture
def world(app, tmp_path) -> Iterator[World]:
    saved = app.config["EVIDENCE_DIR"]
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    org = make_org()
    people = {
        "admin": make_user(org, OrgRole.ADMIN, name="Priya Admin"),
        "commissioner": make_user(org, OrgRole.COMMISSIONER, name="Tom Commissioner"),
        "partner": make_user(org, OrgRole.CITIZEN_PARTNER, name="Amira Partner"),
        "observer": make_user(org, OrgRole.CITIZEN_PARTNER, name="Olive Observer"),
    }
    initiative = make_initiative(people["commissioner"], people["partner"])
    yield World(org, people, initiative, secrets=[PASSWORD, NEW_PASSWORD])
    app.config["EVIDENCE_DIR"] = saved


def new_events(organisation_id: int, after: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.organisation_id == organisation_id, AuditEvent.seq > after)
            .order_by(AuditEvent.seq)
        )
    )


def assert_chain_verifies(organisation_id: int) -> None:
    rows = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash, AuditEvent.payload)
        .where(AuditEvent.organisation_id == organisation_id)
        .order_by(AuditEvent.seq)
    )
    result = ledger.verify_chain(rows)
    assert result.ok, result.failure


def assert_no_secrets_recorded(extra: list[str]) -> None:
    """No password hash, token hash or raw secret in any payload or erasable value."""
    secrets = [
        *db.session.scalars(sa.select(User.password_hash)),
        *db.session.scalars(sa.select(AccountToken.token_hash)),
        *extra,
    ]
    recorded = [
        *db.session.scalars(sa.select(AuditEvent.payload)),
        *(value for value in db.session.scalars(sa.select(AuditValue.value)) if value is not None),
    ]
    assert secrets
    for secret in secrets:
        assert secret, "an empty secret would match anything"
        for text in recorded:
            assert secret not in text


@pytest.mark.parametrize("name", sorted(CASES))
def test_service_write_is_audited(app, world, name):
    case = CASES[name]
    context = case.setup(world) if case.setup else {}
    db.session.commit()
    before = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(AuditEvent.seq), 0)).where(AuditEvent.organisation_id == world.org.id)
    )
    with acting_as(app, world[case.actor] if case.actor else None):
        case.call(world, context)
    db.session.rollback()  # anything left uncommitted by the service was not audited, so must not count
    events = new_events(world.org.id, before)
    got = sorted((e.action, e.entity_type, e.actor_id) for e in events)
    expected = sorted((action, entity, world[actor].id if actor else None) for action, entity, actor in case.expected)
    assert got == expected, "\n".join(f"{e.seq} {e.action} {e.entity_type} {e.actor_id} {e.payload}" for e in events)
    assert_chain_verifies(world.org.id)
    assert_no_secrets_recorded(world.secrets)


def test_the_table_covers_the_services_named_in_the_issue():
    covered = {name.split(".")[0] + "." + name.split(".")[1] for name in CASES}
    required = {
        "initiative.create",
        "initiative.add_member",
        "initiative.change_member_role",
        "initiative.remove_member",
        "initiative.reopen",
        "output.record",
        "payment.offer",
        "auth.invite",
        "auth.accept_invitation",
        "auth.change_role",
        "auth.deactivate",
        "auth.reset_password",
    }
    assert required <= covered
    assert any(name.startswith("initiative.sign_off") for name in CASES)
    assert {"activity", "attendance", "decision", "recommendation", "evidence"} <= {n.split(".")[0] for n in CASES}


def test_secrets_are_marked_changed_without_their_values(app, world):
    accounts.change_password(world["partner"], PASSWORD, NEW_PASSWORD)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.password_changed"))
    assert '"password_hash":{"changed":true}' in event.payload
    with_reset(world)
    token = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "password_reset.issued"))
    assert '"token_hash":{"changed":true}' in token.payload
    assert_no_secrets_recorded(world.secrets)


def test_writes_in_two_organisations_go_to_two_chains(app, world, outsider):
    make_initiative(outsider)
    make_initiative(world["commissioner"], title="Second initiative")
    for organisation_id in (world.org.id, outsider.organisation_id):
        seqs = list(
            db.session.scalars(
                sa.select(AuditEvent.seq).where(AuditEvent.organisation_id == organisation_id).order_by(AuditEvent.seq)
            )
        )
        assert seqs == list(range(1, len(seqs) + 1))
        assert_chain_verifies(organisation_id)
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(
            AuditEvent.organisation_id == outsider.organisation_id, AuditEvent.actor_id == world["commissioner"].id
        )
    )


def test_every_event_the_tracker_writes_has_words_of_its_own_in_the_history():
    """The history filter labels each code by its sentence: a code without one would read as its raw parts."""
    written = {action for case in CASES.values() for action, _, _ in case.expected}
    generic = {"created", "updated", "deleted"}
    missing = sorted(a for a in written if a not in history.ACTION_SENTENCES and a.rsplit(".", 1)[1] not in generic)
    assert not missing, missing
