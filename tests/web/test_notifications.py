"""Notifications: the daily job tells each person once of what waits for them (the dashboard's "Waiting for
you"), in the app and by email if they want it, in their language; their list, marking read, their choices,
and the weekly summary."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from activity_fixtures import make_activity, make_team, team_fixture  # noqa: F401
from conftest import get_page, login, make_user
from query_counter import count_queries

from copro_tracker.activities import service as activities
from copro_tracker.codes import NotificationKind, OrgRole, StageStatus
from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import AuditEvent, Initiative, Notification, Recommendation, User, utcnow
from copro_tracker.notifications import jobs, service


@pytest.fixture
def mail(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    return app.extensions["outbox"]


def _kinds(user: User) -> list[tuple[str, int]]:
    rows = db.session.execute(
        sa.select(Notification.kind, Notification.subject_id)
        .where(Notification.user_id == user.id, Notification.kind != NotificationKind.DIGEST)
        .order_by(Notification.kind, Notification.subject_id)
    )
    return [(kind.value, subject) for kind, subject in rows]


def _to(outbox, user: User) -> list:
    return [message for message in outbox if message["To"] == user.email]


def _awaiting_sign_off(team) -> Initiative:
    make_activity(team, title="Workshop one")
    initiative = db.session.get(Initiative, team.initiative.id)
    initiatives.refresh_stage(initiative.stages[0])
    db.session.commit()
    assert initiative.stages[0].status == StageStatus.AWAITING_SIGNOFF
    return initiative


def _audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def test_each_reminder_is_made_and_emailed_once_across_two_runs(team, mail):
    initiative = _awaiting_sign_off(team)
    assert jobs.send_due() > 0
    first = _kinds(team.partner)
    emails = len(mail)
    assert emails > 0 and len(_to(mail, team.partner)) == len(first)
    assert jobs.send_due() == 0
    assert _kinds(team.partner) == first
    assert len(mail) == emails, "the second run emailed nobody again"
    kinds = {kind for kind, _ in first}
    assert kinds == {"sign_off", "rate"}
    sign_off = next(m for m in _to(mail, team.partner) if "sign-off" in m["Subject"])
    assert "The design stage of Redesigning day opportunities is waiting for your sign-off" == sign_off["Subject"]
    assert f"/initiatives/{initiative.id}/stages/design/sign-off" in sign_off.get_content()
    assert "/profile/notifications" in sign_off.get_content()
    # Observers are not asked to sign off; they did not attend, so they have nothing to rate either.
    assert _kinds(team.observer) == []


def test_the_database_refuses_a_second_copy_of_the_same_reminder(team):
    _awaiting_sign_off(team)
    jobs.send_due()
    existing = db.session.scalars(sa.select(Notification).where(Notification.user_id == team.partner.id)).first()
    db.session.add(
        Notification(
            organisation_id=existing.organisation_id,
            user_id=existing.user_id,
            kind=existing.kind,
            subject_id=existing.subject_id,
            cycle=existing.cycle,
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_partner_who_disagreed_is_still_reminded_until_the_stage_closes(team, org, mail):
    initiative = _awaiting_sign_off(team)
    stage = initiative.stages[0]
    initiatives.sign_off(team.partner, stage, "dissent", "The papers came too late to read")
    jobs.send_due()
    assert ("sign_off", stage.id) in _kinds(team.partner), "disagreeing does not take it off their list"
    assert any("sign-off" in m["Subject"] for m in _to(mail, team.partner))

    # The stage closes on another partner's approval and the commissioner's: nothing more is asked of anyone.
    other = make_user(org, OrgRole.CITIZEN_PARTNER, name="Bea Partner")
    initiatives.add_member(team.commissioner, db.session.get(Initiative, initiative.id), other, "member")
    make_activity(team, title="Workshop two", people=[other, team.commissioner])
    stage = db.session.get(Initiative, initiative.id).stages[0]
    initiatives.sign_off(team.commissioner, stage, "approve", "")
    initiatives.sign_off(other, stage, "approve", "")
    assert db.session.get(Initiative, initiative.id).stages[0].status == StageStatus.COMPLETE
    before = db.session.scalar(
        sa.select(sa.func.count()).where(
            Notification.kind == NotificationKind.SIGN_OFF, Notification.subject_id == stage.id
        )
    )
    jobs.send_due(date.today() + timedelta(days=1))
    after = db.session.scalar(
        sa.select(sa.func.count()).where(
            Notification.kind == NotificationKind.SIGN_OFF, Notification.subject_id == stage.id
        )
    )
    assert before == after

    # Reopened, the stage asks everyone again in its new round: a new reminder, once.
    initiatives.reopen(team.commissioner, db.session.get(Initiative, initiative.id).stages[0], "New evidence came in")
    make_activity(team, title="Workshop three")
    initiatives.refresh_stage(db.session.get(Initiative, initiative.id).stages[0])
    db.session.commit()
    jobs.send_due()
    jobs.send_due()
    cycles = db.session.scalars(
        sa.select(Notification.cycle).where(
            Notification.user_id == team.partner.id, Notification.kind == NotificationKind.SIGN_OFF
        )
    ).all()
    assert cycles == ["round 2"], "the round 1 reminder is reopened for round 2, not joined by a second"
    assert len([m for m in _to(mail, team.partner) if "sign-off" in m["Subject"]]) == 2


def test_email_off_means_in_the_app_only(team, mail):
    team.partner.email_notifications = False
    db.session.commit()
    _awaiting_sign_off(team)
    jobs.send_due()
    assert _kinds(team.partner)
    assert _to(mail, team.partner) == []
    assert _to(mail, team.commissioner), "the commissioner still wants emails"


def test_a_welsh_speaker_is_emailed_in_welsh(team, mail):
    team.partner.preferred_language = "cy"
    db.session.commit()
    make_activity(team, title="Galwad ffôn", on_behalf_of=team.partner, people=[team.partner])
    jobs.send_due()
    confirm = [m for m in _to(mail, team.partner) if "Galwad ffôn" in m["Subject"]]
    assert confirm, [m["Subject"] for m in _to(mail, team.partner)]
    subjects = " ".join(m["Subject"] for m in confirm)
    assert "Gwiriwch" in subjects and "Check what" not in subjects
    assert "Helo" in confirm[0].get_content()


def test_records_to_confirm_responses_and_reviews_reach_the_right_people(team, mail):
    initiative = db.session.get(Initiative, team.initiative.id)
    activity = make_activity(team, title="Phone call", on_behalf_of=team.partner, people=[team.partner])
    recommendation = Recommendation(
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        made_by_id=team.observer.id,
        text="Send papers a week ahead",
    )
    db.session.add(recommendation)
    db.session.commit()
    activities.respond(
        team.commissioner,
        recommendation,
        response="accepted",
        reason="",
        action_taken="Papers now go out ten days ahead",
        review_on=date.today() - timedelta(days=1),
        expected_version=recommendation.version,
    )
    jobs.send_due()
    assert ("confirm", activity.id) in _kinds(team.partner)
    assert ("response", recommendation.id) in _kinds(team.observer), "you said, we did"
    # The review date has come: co-leads are told; the observer who made it is not asked to review.
    assert ("review_due", recommendation.id) in _kinds(team.partner)
    assert ("review_due", recommendation.id) in _kinds(team.commissioner)
    assert ("review_due", recommendation.id) not in _kinds(team.observer)
    assert ("response", recommendation.id) not in _kinds(team.commissioner)
    response = next(m for m in _to(mail, team.observer) if "response" in m["Subject"])
    assert f"/initiatives/{initiative.id}/you-said-we-did" in response.get_content()


def test_the_notifications_page_lists_links_and_marks_read_without_writing_the_audit_trail(client, team):
    initiative = _awaiting_sign_off(team)
    jobs.send_due()
    login(client, team.partner)
    events = _audit_count()
    page = get_page(client, "/notifications")
    assert _audit_count() == events, "reading the list writes nothing to the audit trail"
    links = [a["href"] for a in page.soup.select(".app-notifications a")]
    assert f"/initiatives/{initiative.id}/stages/design/sign-off" in links
    count = page.soup.select_one(".govuk-service-navigation .app-count")
    assert count is not None and count.get_text(" ").split()[0] == "2"

    mine = db.session.scalars(sa.select(Notification).where(Notification.user_id == team.partner.id)).all()
    response = client.post(f"/notifications/{mine[0].id}/read")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Notification, mine[0].id).read_at is not None
    page = get_page(client, "/notifications")
    assert page.soup.select_one(".app-count").get_text(" ").split()[0] == "1"
    assert _audit_count() == events, "read or unread is the person's own bookkeeping"
    client.post("/notifications/read")
    page = get_page(client, "/notifications")
    assert page.soup.select_one(".app-count") is None
    assert "Unread" not in page.text("main")


def test_nobody_sees_or_marks_someone_elses_notifications(client, team, outsider):
    _awaiting_sign_off(team)
    jobs.send_due()
    theirs = db.session.scalars(sa.select(Notification).where(Notification.user_id == team.partner.id)).first()
    for person in (team.commissioner, outsider):
        login(client, person)
        assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
        assert "sign-off" not in get_page(client, "/notifications").text("main") or person == team.commissioner
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_the_list_pages_and_costs_few_statements_whatever_its_length(client, team):
    _awaiting_sign_off(team)
    for n in range(25):
        make_activity(team, title=f"Meeting {n}", people=[team.partner])
    jobs.send_due()
    login(client, team.partner)
    page = get_page(client, "/notifications")
    assert len(page.soup.select(".app-notifications li")) == 20
    assert page.soup.select_one(".govuk-pagination")
    second = get_page(client, "/notifications?page=2")
    assert len(second.soup.select(".app-notifications li")) == 7
    assert count_queries(lambda: client.get("/notifications")) <= 6
    # The header's count rides on the statement that loads the signed-in person: no statement of its own.
    with_count = count_queries(lambda: client.get("/profile"))
    login(client, team.nonmember)
    assert count_queries(lambda: client.get("/profile")) == with_count


def test_choices_are_saved_and_audited_like_other_profile_changes(client, partner):
    login(client, partner)
    page = get_page(client, "/profile/notifications")
    assert page.soup.select_one("input[name=email][value=yes]").has_attr("checked")
    assert page.soup.select_one("input[name=digest][value=no]").has_attr("checked")
    response = client.post("/profile/notifications", data={"email": "no", "digest": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, partner.id)
    assert (person.email_notifications, person.weekly_digest) == (False, True)
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "user")).all()
    assert actions.count("user.notifications_changed") == 1
    page = get_page(client, "/profile/notifications")
    assert page.soup.select_one("input[name=email][value=no]").has_attr("checked")
    # Without an answer the form says what to do.
    response = client.post("/profile/notifications", data={"email": "yes"})
    assert response.status_code == 200
    assert "Choose whether we email you a weekly summary" in response.get_data(as_text=True)


def test_the_weekly_summary_goes_once_to_those_who_asked_with_something_unread(team, mail):
    team.partner.weekly_digest = True
    team.partner.email_notifications = False
    db.session.commit()
    _awaiting_sign_off(team)
    jobs.send_due()
    assert _to(mail, team.partner) == []
    assert jobs.send_digests() == 1, "only the partner asked for a summary"
    jobs.send_digests()
    summaries = _to(mail, team.partner)
    assert len(summaries) == 1
    body = summaries[0].get_content()
    assert "The design stage of Redesigning day opportunities is waiting for your sign-off" in body
    assert "/notifications" in body
    # Next week, with everything read, there is nothing to summarise.
    db.session.execute(sa.update(Notification).values(read_at=sa.func.now()))
    db.session.commit()
    assert jobs.send_digests(date.today() + timedelta(days=7)) == 0


def test_the_command_runs_the_daily_job_now(app, team):
    _awaiting_sign_off(team)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications", "send-due"])
    assert result.exit_code == 0, result.output
    assert "new notification(s)" in result.output and not result.output.startswith("0 ")
    result = runner.invoke(args=["notifications", "send-due"])
    assert result.output.startswith("0 new notification(s)")
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and "queued" in result.output


def test_someone_whose_approval_went_stale_is_asked_again_once(team, mail):
    initiative = _awaiting_sign_off(team)
    stage_id = initiative.stages[0].id
    jobs.send_due()
    initiatives.sign_off(team.partner, db.session.get(Initiative, initiative.id).stages[0], "approve", "")
    jobs.send_due()
    assert len([m for m in _to(mail, team.partner) if "sign-off" in m["Subject"]]) == 1
    # A new activity changes the evidence: the partner's approval no longer counts (gates.given_before_change).
    make_activity(team, title="Workshop two")
    stage = db.session.get(Initiative, initiative.id).stages[0]
    stage.activities_changed_at = utcnow()  # as the activities service stamps it (the fixture writes rows only)
    initiatives.refresh_stage(stage)
    db.session.commit()
    assert stage.status == StageStatus.AWAITING_SIGNOFF
    jobs.send_due()
    jobs.send_due()
    cycles = db.session.scalars(
        sa.select(Notification.cycle).where(
            Notification.user_id == team.partner.id,
            Notification.kind == NotificationKind.SIGN_OFF,
            Notification.subject_id == stage_id,
        )
    ).all()
    assert len(cycles) == 1 and cycles[0].startswith("round 1 after "), "one reminder, moved on to the new cycle"
    assert len([m for m in _to(mail, team.partner) if "sign-off" in m["Subject"]]) == 2


def _sign_off_lines(client) -> list:
    """The notifications page's lines about a stage's sign-off: (unread tag shown, link)."""
    page = get_page(client, "/notifications")
    found = []
    for item in page.soup.select(".app-notifications li"):
        if "waiting for your sign-off" in item.get_text(" "):
            link = item.select_one("a")
            found.append((item.select_one(".govuk-tag--blue") is not None, link["href"] if link else None))
    return found


def _header_count(client) -> int:
    count = get_page(client, "/notifications").soup.select_one(".govuk-service-navigation .app-count")
    return int(count.get_text(" ").split()[0]) if count else 0


def test_asked_again_after_an_approval_went_stale_the_partner_has_one_unread_reminder(client, team, mail):
    """An officer records a new activity in a stage the partner had approved: the stage waits for the partner
    again, and their one reminder about it comes back unread, beside nothing else about the same stage."""
    initiative = _awaiting_sign_off(team)
    sign_off_url = f"/initiatives/{initiative.id}/stages/design/sign-off"
    jobs.send_due()
    login(client, team.partner)
    assert _sign_off_lines(client) == [(True, sign_off_url)]
    response = client.post(sign_off_url, data={"decision": "approve", "comment": ""})
    assert response.status_code == 302
    assert _sign_off_lines(client) == [(False, None)], "signed off: it no longer needs them, so it is not a link"

    login(client, team.commissioner)
    response = client.post(
        f"/initiatives/{initiative.id}/activities/new",
        data={
            "stage_id": str(initiative.stages[0].id),
            "kind": "workshop",
            "occurred_on": ["2", "4", "2025"],
            "title": "Second workshop",
            "notes": "People read the draft plan together.",
            "attendees": [str(team.commissioner.id), str(team.partner.id)],
            "on_behalf_of": "",
            "languages": ["en"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Initiative, initiative.id).stages[0].status == StageStatus.AWAITING_SIGNOFF
    jobs.send_due()
    jobs.send_due()

    login(client, team.partner)
    assert _sign_off_lines(client) == [(True, sign_off_url)], "one unread reminder for the stage, not two"
    rows = db.session.scalars(
        sa.select(Notification).where(
            Notification.user_id == team.partner.id, Notification.kind == NotificationKind.SIGN_OFF
        )
    ).all()
    assert len(rows) == 1 and rows[0].read_at is None and rows[0].cycle.startswith("round 1 after ")
    # Counted once: the sign-off and the two activities to rate.
    assert _header_count(client) == 3
    assert len([m for m in _to(mail, team.partner) if "sign-off" in m["Subject"]]) == 2, "emailed once per ask"
    # A second worker that read the reminder before the first reopened it finds its cycle moved on: it
    # reopens nothing, so nothing is queued twice.
    assert service._reopen(rows[0].id, "round 1", rows[0].cycle) is None


def test_asked_again_in_a_reopened_stage_after_disagreeing_the_partner_has_one_unread_reminder(client, team, org, mail):
    """The partner disagreed and left the reminder unread; the stage closed on others' approval, and an officer
    reopened it. The new round's ask reopens the same reminder: one unread line, counted once."""
    initiative = _awaiting_sign_off(team)
    sign_off_url = f"/initiatives/{initiative.id}/stages/design/sign-off"
    jobs.send_due()
    first = db.session.scalars(
        sa.select(Notification.id).where(
            Notification.user_id == team.partner.id, Notification.kind == NotificationKind.SIGN_OFF
        )
    ).one()
    login(client, team.partner)
    response = client.post(sign_off_url, data={"decision": "dissent", "comment": "The papers came too late"})
    assert response.status_code == 302

    other = make_user(org, OrgRole.CITIZEN_PARTNER, name="Bea Partner")
    initiatives.add_member(team.commissioner, db.session.get(Initiative, initiative.id), other, "member")
    make_activity(team, title="Workshop two", people=[other, team.commissioner])
    initiatives.sign_off(other, db.session.get(Initiative, initiative.id).stages[0], "approve", "")
    login(client, team.commissioner)
    assert client.post(sign_off_url, data={"decision": "approve", "comment": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Initiative, initiative.id).stages[0].status == StageStatus.COMPLETE

    response = client.post(
        f"/initiatives/{initiative.id}/stages/design/reopen", data={"reason": "New evidence came in"}
    )
    assert response.status_code == 302
    make_activity(team, title="Workshop three")
    initiatives.refresh_stage(db.session.get(Initiative, initiative.id).stages[0])
    db.session.commit()
    assert db.session.get(Initiative, initiative.id).stages[0].status == StageStatus.AWAITING_SIGNOFF
    jobs.send_due()

    login(client, team.partner)
    assert _sign_off_lines(client) == [(True, sign_off_url)], "one unread reminder for the stage, not two"
    rows = db.session.execute(
        sa.select(Notification.id, Notification.cycle).where(
            Notification.user_id == team.partner.id, Notification.kind == NotificationKind.SIGN_OFF
        )
    ).all()
    assert [tuple(row) for row in rows] == [(first, "round 2")]
    assert len([m for m in _to(mail, team.partner) if "sign-off" in m["Subject"]]) == 2


def test_the_weekly_summary_is_in_the_persons_language_and_counts_in_its_plural_forms(team, mail):
    team.partner.weekly_digest = True
    team.partner.preferred_language = "cy"
    team.commissioner.weekly_digest = True
    db.session.commit()
    _awaiting_sign_off(team)
    jobs.send_due()
    for line in service.lines(db.session.get(User, team.commissioner.id)):
        if line.notification.kind != NotificationKind.SIGN_OFF:
            service.mark_read(line.notification)
    assert jobs.send_digests() == 2
    (welsh,) = [m for m in _to(mail, team.partner) if "aros amdanoch" in m["Subject"]]
    assert welsh["Subject"] == "Traciwr Cyd-gynhyrchu: 2 beth yn aros amdanoch", "two things: soft mutation"
    assert "Helo" in welsh.get_content() and "Hello" not in welsh.get_content()
    (english,) = [m for m in _to(mail, team.commissioner) if m["Subject"].startswith("Co-production Tracker:")]
    assert english["Subject"] == "Co-production Tracker: 1 thing waiting for you"


def test_every_reminder_email_to_welsh_speakers_has_no_english_interface_text(team, mail):
    """The Welsh crawl's check on email: each kind of reminder and the weekly summary, subject and body, to
    people whose language is Welsh (what people typed, such as titles, stays as they typed it)."""
    from tests.i18n.english_text import english_words
    from tests.i18n.entered import entered_text

    for person in (team.partner, team.commissioner, team.observer):
        person.preferred_language = "cy"
    team.observer.weekly_digest = True
    db.session.commit()
    _awaiting_sign_off(team)
    initiative = db.session.get(Initiative, team.initiative.id)
    make_activity(team, title="Galwad ffôn", on_behalf_of=team.partner, people=[team.partner])
    recommendation = Recommendation(
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        made_by_id=team.observer.id,
        text="Anfon papurau wythnos ymlaen llaw",
    )
    db.session.add(recommendation)
    db.session.commit()
    activities.respond(
        team.commissioner,
        recommendation,
        response="accepted",
        reason="",
        action_taken="Mae papurau'n mynd allan ddeng niwrnod ymlaen llaw",
        review_on=date.today() - timedelta(days=1),
        expected_version=recommendation.version,
    )
    jobs.send_due()
    jobs.send_digests()
    kinds = {kind for person in (team.partner, team.commissioner, team.observer) for kind, _ in _kinds(person)}
    assert {"sign_off", "confirm", "response", "review_due"} <= kinds, kinds
    sent = [m for m in mail if m["To"] in {team.partner.email, team.commissioner.email, team.observer.email}]
    assert len(sent) >= 5, [m["Subject"] for m in sent]
    entered = entered_text()
    for message in sent:
        text = re.sub(r"https?://\S+", " ", f"{message['Subject']}\n{message.get_content()}")  # links are not words
        found = english_words(text, entered)
        assert not found, (message["Subject"], found)
