"""Retention periods, legal holds, the scheduled disposal, and step-up authentication for erasure and for
lifting a hold (issue 13)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import PASSWORD, get_page, login, make_user, post_page

from copro_tracker import storage
from copro_tracker.audit import service as audit_service
from copro_tracker.auth import step_up
from copro_tracker.codes import DataRequestKind, OrgRole, PaymentStatus, Position, ReciprocityKind, RetainedRecord
from copro_tracker.extensions import db
from copro_tracker.models import (
    Activity,
    Attendance,
    AuditEvent,
    AuditValue,
    DataRequest,
    Decision,
    DecisionPosition,
    Disposal,
    Evidence,
    Initiative,
    LegalHold,
    ReciprocityEntry,
    Recommendation,
    RetentionRule,
    User,
    utcnow,
)
from copro_tracker.people import erasure
from copro_tracker.retention import disposal, jobs, service

CLOSED = date(2019, 1, 31)


@pytest.fixture
def closed(team):
    """A closed initiative whose every kind of record is past its default period, with a file in the store."""
    activity = make_activity(team)
    row = next(a for a in activity.attendances if a.user_id == team.partner.id)
    row.adjustments_requested, row.ladder_rating, row.rating_note = ["easy_read"], 6, "Felt listened to"
    stored = storage.save(b"notes about Amira")
    db.session.add(
        Evidence(
            organisation_id=team.initiative.organisation_id,
            initiative_id=team.initiative.id,
            filename="amiras-notes.txt",
            content_type="text/plain",
            size=17,
            sha256="0" * 64,
            storage_key=stored.key,
            consent="named",
            uploaded_by_id=team.partner.id,
        )
    )
    decision = Decision(
        organisation_id=activity.organisation_id,
        activity_id=activity.id,
        what="Open on Saturdays",
        how_changed="Amira said weekends matter",
        recorded_by_id=team.commissioner.id,
    )
    decision.positions.append(
        DecisionPosition(organisation_id=activity.organisation_id, user_id=team.partner.id, position=Position.AGREED)
    )
    receipt = storage.save(b"bus ticket")
    db.session.add_all(
        [
            decision,
            Recommendation(
                organisation_id=activity.organisation_id,
                initiative_id=team.initiative.id,
                made_by_id=team.partner.id,
                text="Keep the minibus",
            ),
            ReciprocityEntry(
                organisation_id=activity.organisation_id,
                initiative_id=team.initiative.id,
                user_id=team.partner.id,
                kind=ReciprocityKind.EXPENSES,
                status=PaymentStatus.PAID,
                amount_pence=450,
                occurred_on=date(2018, 12, 1),
                receipt_filename="bus-ticket.txt",
                receipt_storage_key=receipt.key,
            ),
        ]
    )
    initiative = db.session.get(Initiative, team.initiative.id)
    initiative.closed_on = CLOSED
    db.session.commit()
    team.evidence_key, team.receipt_key = stored.key, receipt.key
    return team


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.seq)))


def _live(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.withdrawn_at.is_(None)))


def test_the_period_is_counted_in_months_from_closing():
    from copro_tracker.domain.retention import add_months, due_on

    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert due_on(date(2020, 6, 1), 72) == date(2026, 6, 1)
    assert due_on(None, 12) is None and due_on(date(2020, 6, 1), None) is None


def test_due_records_are_disposed_of_once_and_the_chain_still_verifies(app, closed, admin):
    organisation = admin.organisation
    before = _live(Activity)
    outcome = disposal.dispose_due(organisation, utcnow().date())
    # Closed in January 2019: even the 6-year periods (receipts, activities, decisions) have run out.
    assert {item.record_type for item in outcome.disposed} == set(RetainedRecord)
    counts = {item.record_type: item.count for item in outcome.disposed}
    assert counts[RetainedRecord.RATINGS] == 2 and counts[RetainedRecord.DECISIONS] == 2
    db.session.expire_all()
    assert _live(Activity) == before - 1 and _live(Evidence) == 0
    assert _live(Decision) == 0 and _live(Recommendation) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DecisionPosition)) == 0
    assert not storage.exists(closed.evidence_key) and not storage.exists(closed.receipt_key)
    payment = db.session.scalar(sa.select(ReciprocityEntry))
    assert payment.receipt_storage_key is None and payment.amount_pence == 450  # the finance record stays
    attendance = db.session.scalar(sa.select(Attendance).where(Attendance.user_id == closed.partner.id))
    assert attendance.adjustments_requested == [] and attendance.ladder_rating is None and not attendance.rating_note
    disposed = [e for e in db.session.scalars(sa.select(AuditEvent)) if e.action == "retention.disposed"]
    assert len(disposed) == 6
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Disposal)) == 6
    # The values the trail kept of the disposed records are gone; the hashed chain still verifies.
    assert not db.session.scalar(sa.select(sa.func.count()).where(AuditValue.value.contains("Felt listened")))
    for text in ("amiras-notes", "weekends matter", "Keep the minibus", "bus-ticket"):
        assert not db.session.scalar(sa.select(sa.func.count()).where(AuditValue.value.contains(text))), text
    _, failure = audit_service.verify_organisation(organisation)
    assert failure is None

    events = len(_actions())
    again = disposal.dispose_due(organisation, utcnow().date())
    assert again.disposed == [] and len(_actions()) == events
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Disposal)) == 6


def test_a_run_that_stopped_before_erasing_the_audit_values_is_finished_by_the_next(closed, admin):
    def values(text: str) -> int:
        return db.session.scalar(sa.select(sa.func.count()).where(AuditValue.value.contains(text))) or 0

    organisation = admin.organisation
    disposal._dispose(organisation, disposal.find_due(organisation.id, utcnow().date()))  # the first commit only
    assert values("Felt listened") > 0
    assert db.session.scalar(sa.select(sa.func.count()).where(Disposal.values_erased_at.is_(None))) == 6
    outcome = disposal.dispose_due(organisation, utcnow().date())
    assert outcome.disposed == [] and outcome.values_erased > 0
    assert values("Felt listened") == 0 and values("amiras-notes") == 0
    events = len(_actions())
    assert disposal.dispose_due(organisation, utcnow().date()).values_erased == 0
    assert len(_actions()) == events
    _, failure = audit_service.verify_organisation(organisation)
    assert failure is None


def test_the_scheduled_job_and_the_command_dispose_and_the_dry_run_only_lists(app, closed, org):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "dispose", "--org", org.slug, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "due: 1 × Evidence files" in dry.output
    assert _live(Evidence) == 1 and not _actions().count("retention.disposed")
    jobs.nightly_disposal()  # JOBS_IMMEDIATE in tests: the per-organisation job runs at once
    db.session.expire_all()
    assert _live(Evidence) == 0 and _actions().count("retention.disposed") == 6
    after = runner.invoke(args=["retention", "dispose", "--org", org.slug])
    assert after.exit_code == 0 and "nothing disposed of" in after.output
    verify = runner.invoke(args=["audit", "verify", "--org", org.slug])
    assert verify.exit_code == 0, verify.output


def test_a_held_initiative_or_organisation_is_not_disposed_of(closed, admin):
    hold = service.place_hold(admin, db.session.get(Initiative, closed.initiative.id), "CQC inspection")
    assert disposal.dispose_due(admin.organisation, utcnow().date()).disposed == []
    db.session.expire_all()
    assert _live(Evidence) == 1 and storage.exists(closed.evidence_key)
    service.lift_hold(admin, hold, "Inspection finished", hold.version)
    service.place_hold(admin, None, "Legal claim against the council")
    assert disposal.find_due(admin.organisation_id, utcnow().date()) == []
    assert disposal.dispose_due(admin.organisation, utcnow().date()).disposed == []
    assert {"legal_hold.placed", "legal_hold.lifted"} <= set(_actions())


def test_a_period_set_to_keep_is_never_disposed_of(closed, admin):
    service.set_rules(admin, {RetainedRecord.EVIDENCE: None})
    outcome = disposal.dispose_due(admin.organisation, utcnow().date())
    assert RetainedRecord.EVIDENCE not in {item.record_type for item in outcome.disposed}
    assert _live(Evidence) == 1


def test_an_admin_sets_retention_periods_on_the_page(client, admin):
    login(client, admin)
    page = get_page(client, "/admin/retention")
    assert "Evidence files" in page.text() and "Keep for good" in page.text()
    data = {kind.value: "24" for kind in RetainedRecord}
    data["receipts"] = "keep"
    data["needs"] = "not-a-period"
    page = post_page(client, "/admin/retention", data)
    assert page.errors() == ["Not a valid choice."]
    data["needs"] = "6"
    assert client.post("/admin/retention", data=data).status_code == 302
    rules = service.rules_for(admin.organisation_id)
    assert rules[RetainedRecord.NEEDS] == 6 and rules[RetainedRecord.RECEIPTS] is None
    assert rules[RetainedRecord.ACTIVITIES] == 24
    # Ratings and evidence were already 2 years (the default): only the four changes are saved and audited.
    assert _actions().count("retention.rule_set") == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RetentionRule)) == 4


def test_the_disposal_page_shows_what_is_due_and_what_went(client, closed, admin):
    login(client, admin)
    page = get_page(client, "/admin/retention/disposal")
    assert "Evidence files" in page.text() and "Nothing has been disposed of yet." in page.text()
    assert "retention.disposed" not in _actions()  # reads do not write
    disposal.dispose_due(admin.organisation, utcnow().date())
    page = get_page(client, "/admin/retention/disposal")
    assert "Nothing is due." in page.text() and "Kept 2 years after closing" in page.text()


def test_an_admin_places_a_hold_and_lifting_it_needs_the_password_again(client, closed, admin):
    login(client, admin)
    page = post_page(client, "/admin/legal-holds", {"scope": str(closed.initiative.id), "reason": ""})
    assert page.errors() == ["Say why the hold is needed"]
    response = client.post("/admin/legal-holds", data={"scope": str(closed.initiative.id), "reason": "CQC visit"})
    assert response.status_code == 302
    hold = db.session.scalar(sa.select(LegalHold))
    assert hold.initiative_id == closed.initiative.id and hold.active
    assert "In place" in get_page(client, "/admin/legal-holds").text()

    lift = f"/admin/legal-holds/{hold.id}/lift"
    assert "confirm your password" in get_page(client, lift).text()
    response = client.post(lift, data={"reason": "Done", "version": str(hold.version)})
    assert response.status_code == 302 and "/confirm-password" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(LegalHold, hold.id).active

    page = post_page(client, f"/confirm-password?next={lift}", {"password": "not my password"})
    assert page.errors() == ["Your password is not right"]
    response = client.post(f"/confirm-password?next={lift}", data={"password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith(lift)
    assert client.post(lift, data={"reason": "Inspection over", "version": str(hold.version)}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(LegalHold, hold.id).active
    attempts = [e for e in db.session.scalars(sa.select(AuditEvent)) if e.action == "auth.step_up"]
    assert len(attempts) == 2
    assert "legal_hold.lifted" in _actions()


def test_the_confirmed_password_expires_after_five_minutes(client, admin, monkeypatch):
    login(client, admin)
    assert client.post("/confirm-password", data={"password": PASSWORD}).status_code == 302
    with client.application.test_request_context():
        with client.session_transaction() as sess:
            mark = dict(sess[step_up.KEY])
        from flask import session

        session[step_up.KEY] = mark
        assert step_up.is_recent(admin)
        mark["at"] -= step_up.WINDOW.total_seconds() + 1
        session[step_up.KEY] = mark
        assert not step_up.is_recent(admin)
        # A mark made under an older session (before a password change) does not count either.
        session[step_up.KEY] = {**mark, "at": utcnow().timestamp(), "version": admin.session_version - 1}
        assert not step_up.is_recent(admin)


def test_an_erasure_after_the_five_minutes_asks_for_the_password_again(client, closed, admin):
    item = _erasure_request(closed.observer)
    login(client, admin)
    assert client.post("/confirm-password", data={"password": PASSWORD}).status_code == 302
    with client.session_transaction() as sess:
        sess[step_up.KEY] = {**sess[step_up.KEY], "at": utcnow().timestamp() - step_up.WINDOW.total_seconds() - 1}
    response = client.post(f"/admin/data-requests/{item.id}/erase", data={"checked": "y"})
    assert response.status_code == 302 and "/confirm-password" in response.location
    db.session.expire_all()
    assert db.session.get(User, closed.observer.id).erased_at is None
    assert client.post("/confirm-password", data={"password": PASSWORD}).status_code == 302
    assert client.post(f"/admin/data-requests/{item.id}/erase", data={"checked": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, closed.observer.id).erased_at is not None


def test_wrong_passwords_here_lock_the_account_like_wrong_sign_ins(client, app, admin):
    login(client, admin)
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        assert post_page(client, "/confirm-password", {"password": "a wrong guess"}).errors() == [
            "Your password is not right"
        ]
    page = post_page(client, "/confirm-password", {"password": PASSWORD})  # right, but locked now
    assert page.errors() == ["Too many wrong passwords: your account is locked for a few minutes. Try again later."]
    db.session.expire_all()
    assert db.session.get(User, admin.id).locked_until is not None
    with client.session_transaction() as sess:
        assert step_up.KEY not in sess


def test_confirming_the_password_is_rate_limited_like_sign_in(client, app, admin, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    login(client, admin)
    statuses = [client.post("/confirm-password", data={"password": "wrong"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def _erasure_request(person: User) -> DataRequest:
    item = DataRequest(organisation_id=person.organisation_id, user_id=person.id, kind=DataRequestKind.ERASURE)
    db.session.add(item)
    db.session.commit()
    return item


def test_erasure_needs_a_recent_password_and_respects_a_legal_hold(client, closed, admin):
    item = _erasure_request(closed.partner)
    login(client, admin)
    page = get_page(client, f"/admin/data-requests/{item.id}")
    assert "confirm your password before you can erase" in page.text()
    response = client.post(f"/admin/data-requests/{item.id}/erase", data={"checked": "y"})
    assert response.status_code == 302 and "/confirm-password" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(User, closed.partner.id).erased_at is None

    service.place_hold(admin, db.session.get(Initiative, closed.initiative.id), "Complaint under investigation")
    assert client.post("/confirm-password", data={"password": PASSWORD}).status_code == 302
    page = get_page(client, f"/admin/data-requests/{item.id}")
    assert "is under legal hold (Redesigning day opportunities)" in page.text()
    page = post_page(client, f"/admin/data-requests/{item.id}/erase", {"checked": "y"})
    assert "legal hold" in page.text()
    db.session.expire_all()
    assert db.session.get(User, closed.partner.id).erased_at is None

    hold = db.session.scalar(sa.select(LegalHold))
    service.lift_hold(admin, hold, "Closed", hold.version)
    assert client.post(f"/admin/data-requests/{item.id}/erase", data={"checked": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, closed.partner.id).erased_at is not None


def test_an_organisation_wide_hold_blocks_everyone_s_erasure(closed, admin):
    service.place_hold(admin, None, "Inspection")
    assert any("legal hold" in reason for reason in erasure.erasure_blockers(closed.observer, admin))


def test_flask_people_erase_refuses_a_held_person_with_the_reason(app, closed, admin, org):
    service.place_hold(admin, db.session.get(Initiative, closed.initiative.id), "Ombudsman complaint")
    result = app.test_cli_runner().invoke(args=["people", "erase", closed.partner.email, "--org", org.slug, "--yes"])
    assert result.exit_code != 0
    assert "is under legal hold (Redesigning day opportunities)" in result.output
    db.session.expire_all()
    assert db.session.get(User, closed.partner.id).erased_at is None


def test_payments_made_to_a_person_are_kept_for_their_finance_period(closed, admin):
    # The partner was paid expenses; closed in January 2019 and kept 6 years: free to erase now.
    assert erasure.erasure_blockers(closed.partner, admin) == []
    initiative = db.session.get(Initiative, closed.initiative.id)
    initiative.closed_on = utcnow().date() - timedelta(days=30)
    db.session.commit()
    (reason,) = erasure.erasure_blockers(closed.partner, admin)
    assert "payment records must be kept until" in reason
    service.set_rules(admin, {RetainedRecord.RECEIPTS: None})
    assert erasure.erasure_blockers(closed.partner, admin) == [
        "They were paid, and your retention rules keep payment records for good."
    ]


def test_another_organisations_admin_gets_not_found(client, closed, admin, other_org):
    hold = service.place_hold(admin, None, "Inspection")
    stranger = make_user(other_org, OrgRole.ADMIN, name="Olwen Admin")
    login(client, stranger)
    assert client.get(f"/admin/legal-holds/{hold.id}/lift").status_code == 404
    assert client.post(f"/admin/legal-holds/{hold.id}/lift", data={"reason": "x"}).status_code == 404
    response = client.post("/admin/legal-holds", data={"scope": str(closed.initiative.id), "reason": "Probe"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose what the hold covers" in page
    assert "Inspection" not in get_page(client, "/admin/legal-holds").text()
    assert "Redesigning" not in get_page(client, "/admin/retention/disposal").text()
