"""Initiatives recorded jointly: creation, members with tenure, stage gates with dual sign-off."""

from __future__ import annotations

import sqlalchemy as sa
from conftest import Page, get_page, link_path, make_user, post_page
from initiative_factories import add_activity, make_initiative, stage_of

from copro_tracker.codes import OrgRole, StageKind, StageStatus
from copro_tracker.extensions import db
from copro_tracker.models import AuditEvent, Initiative, Membership

FORM = {
    "title": "Carers' information and advice plan",
    "summary": "Carers and the council write the information and advice plan together.",
    "service_area": "Carers' support",
    "statutory_functions": ["information_advice"],
    "level": "collective",
}


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_commissioner_creates_an_initiative(client, commissioner, login_as):
    login_as(commissioner)
    response = client.post("/initiatives/new", data=FORM)
    assert response.status_code == 302
    initiative = db.session.scalar(sa.select(Initiative))
    assert initiative.title == FORM["title"] and initiative.current_stage == StageKind.DESIGN
    assert [s.status for s in initiative.stages] == [
        StageStatus.IN_PROGRESS,
        StageStatus.NOT_STARTED,
        StageStatus.NOT_STARTED,
    ]
    (membership,) = initiative.memberships
    assert membership.user_id == commissioner.id and membership.role.value == "co_lead"
    assert "initiative.created" in actions()
    page = get_page(client, f"/initiatives/{initiative.id}")
    assert "needs a citizen partner co-lead" in page.text()


def test_an_nhs_partner_is_recorded_and_brings_the_nhs_duties_into_the_criteria(client, commissioner, login_as):
    from copro_tracker.criteria import facts

    login_as(commissioner)
    assert client.post("/initiatives/new", data={**FORM, "nhs_partnered": "y"}).status_code == 302
    initiative = db.session.scalar(sa.select(Initiative))
    assert initiative.nhs_partnered and facts.load(initiative).initiative.nhs_partnered
    assert "Yes, an NHS body is a partner" in get_page(client, f"/initiatives/{initiative.id}").text()
    edit = get_page(client, f"/initiatives/{initiative.id}/edit")
    version = edit.soup.select_one("input[name=version]")["value"]
    assert edit.soup.select_one("input[name=nhs_partnered]").has_attr("checked")
    assert client.post(f"/initiatives/{initiative.id}/edit", data={**FORM, "version": version}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(Initiative, initiative.id).nhs_partnered


def test_initiative_form_errors_are_specific_and_keep_input(client, commissioner, login_as):
    login_as(commissioner)
    page = post_page(client, "/initiatives/new", {"title": "", "summary": "", "service_area": "Home care"})
    assert page.errors() == [
        "Enter the name of the initiative",
        "Say in a few words what the initiative is about",
        "Choose at least one duty the initiative serves",
        "Choose what kind of co-production it is",
    ]
    assert page.soup.select_one("#service_area")["value"] == "Home care"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Initiative)) == 0


def test_citizen_partner_cannot_create_and_sees_only_their_initiatives(client, commissioner, partner, login_as):
    mine = make_initiative(commissioner, partner, title="Mine")
    other = make_initiative(commissioner, title="Not mine")
    login_as(partner)
    assert client.get("/initiatives/new").status_code == 403
    page = get_page(client, "/initiatives")
    assert "Mine" in page.text() and "Not mine" not in page.text()
    assert client.get(f"/initiatives/{other.id}").status_code == 404
    assert client.get(f"/initiatives/{mine.id}").status_code == 200


def test_other_organisation_gets_404(client, commissioner, outsider, login_as):
    initiative = make_initiative(commissioner)
    login_as(outsider)
    for url in (
        f"/initiatives/{initiative.id}",
        f"/initiatives/{initiative.id}/members",
        f"/initiatives/{initiative.id}/edit",
        f"/initiatives/{initiative.id}/stages/design/sign-off",
    ):
        assert client.get(url).status_code == 404, url
    assert initiative.title not in get_page(client, "/initiatives").html


def test_membership_tenure_is_kept(client, commissioner, partner, login_as):
    initiative = make_initiative(commissioner)
    login_as(commissioner)
    assert (
        client.post(
            f"/initiatives/{initiative.id}/members", data={"user_id": str(partner.id), "role": "member"}
        ).status_code
        == 302
    )
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == partner.id))
    assert membership.side.value == "citizen_partner"
    client.post(f"/initiatives/{initiative.id}/members/{membership.id}/role", data={"role": "co_lead"})
    rows = db.session.scalars(
        sa.select(Membership).where(Membership.user_id == partner.id).order_by(Membership.id)
    ).all()
    assert [(m.role.value, m.left_on is None) for m in rows] == [("member", False), ("co_lead", True)]
    page = get_page(client, f"/initiatives/{initiative.id}/members")
    assert "Earlier roles" in page.text()
    assert "co-lead before the design stage" not in get_page(client, f"/initiatives/{initiative.id}").text()
    current = rows[-1]
    client.post(f"/initiatives/{initiative.id}/members/{current.id}/remove")
    db.session.expire_all()
    assert db.session.get(Membership, current.id).left_on is not None
    assert {"membership.joined", "membership.role_changed", "membership.role_ended", "membership.left"} <= set(
        actions()
    )


def test_adding_the_same_person_twice_is_refused(client, commissioner, partner, login_as):
    initiative = make_initiative(commissioner, partner)
    login_as(commissioner)
    page = post_page(client, f"/initiatives/{initiative.id}/members", {"user_id": str(partner.id), "role": "member"})
    assert page.errors() == ["Choose a person from the list"]


def test_design_gate_needs_evidence_co_leads_and_both_sides(client, commissioner, partner, org, login_as):
    initiative = make_initiative(commissioner, partner)
    login_as(commissioner)
    page = post_page(client, f"/initiatives/{initiative.id}/stages/design/sign-off", {"decision": "approve"})
    assert page.errors() == [
        (
            "This stage cannot be approved yet: it still needs "
            "an activity in this stage where a citizen partner took part and contributed"
        )
    ]

    add_activity(initiative, commissioner, [commissioner, partner])
    db.session.expire_all()
    assert stage_of(initiative).status == StageStatus.AWAITING_SIGNOFF

    assert (
        client.post(f"/initiatives/{initiative.id}/stages/design/sign-off", data={"decision": "approve"}).status_code
        == 302
    )
    db.session.expire_all()
    assert stage_of(initiative).status == StageStatus.AWAITING_SIGNOFF  # one side is not enough

    second_commissioner = make_user(org, OrgRole.COMMISSIONER, name="Lena")
    from copro_tracker.initiatives import service

    service.add_member(commissioner, initiative, second_commissioner, "member")
    login_as(second_commissioner)
    page = post_page(client, f"/initiatives/{initiative.id}/stages/design/sign-off", {"decision": "dissent"})
    assert page.errors() == ["Explain why you disagree, so others can understand and respond"]
    client.post(
        f"/initiatives/{initiative.id}/stages/design/sign-off",
        data={"decision": "dissent", "comment": "Transport has not been discussed yet"},
    )

    login_as(partner)
    client.post(f"/initiatives/{initiative.id}/stages/design/sign-off", data={"decision": "approve"})
    db.session.expire_all()
    initiative = db.session.get(Initiative, initiative.id)
    assert stage_of(initiative).status == StageStatus.COMPLETE
    assert stage_of(initiative, StageKind.DELIVERY).status == StageStatus.IN_PROGRESS
    assert initiative.current_stage == StageKind.DELIVERY
    page = get_page(client, f"/initiatives/{initiative.id}")
    assert "Transport has not been discussed yet" in page.text()  # dissent kept and shown
    assert {"stage.signed_off", "stage.dissent_recorded", "stage.completed", "stage.opened"} <= set(actions())


def test_reopening_needs_a_reason_and_starts_a_new_round(client, commissioner, partner, login_as):
    initiative = make_initiative(commissioner, partner)
    add_activity(initiative, commissioner, [partner])
    for person in (commissioner, partner):
        login_as(person)
        client.post(f"/initiatives/{initiative.id}/stages/design/sign-off", data={"decision": "approve"})
    page = post_page(client, f"/initiatives/{initiative.id}/stages/design/reopen", {"reason": ""})
    assert page.errors() == ["Give a reason for reopening this stage"]
    assert (
        client.post(
            f"/initiatives/{initiative.id}/stages/design/reopen", data={"reason": "The budget changed"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    stage = stage_of(db.session.get(Initiative, initiative.id))
    assert stage.round == 2 and stage.status == StageStatus.AWAITING_SIGNOFF
    assert "The budget changed" in get_page(client, f"/initiatives/{initiative.id}").text()
    assert "stage.reopened" in actions()


def test_observers_cannot_sign_off(client, commissioner, partner, org, login_as):
    initiative = make_initiative(commissioner, partner)
    observer = make_user(org, OrgRole.CITIZEN_PARTNER, name="Olly Observer")
    from copro_tracker.initiatives import service

    service.add_member(commissioner, initiative, observer, "observer")
    login_as(observer)
    assert client.get(f"/initiatives/{initiative.id}").status_code == 200
    assert (
        client.post(
            f"/initiatives/{initiative.id}/stages/design/sign-off", data={"decision": "dissent", "comment": "x"}
        ).status_code
        == 403
    )


def test_concurrent_edits_do_not_overwrite_each_other(client, commissioner, login_as):
    initiative = make_initiative(commissioner)
    login_as(commissioner)
    form = get_page(client, f"/initiatives/{initiative.id}/edit")
    version = form.soup.select_one("input[name=version]")["value"]
    first = {**FORM, "title": "First title", "version": version}
    second = {**FORM, "title": "Second title", "version": version}
    assert client.post(f"/initiatives/{initiative.id}/edit", data=first).status_code == 302
    response = client.post(f"/initiatives/{initiative.id}/edit", data=second)
    assert response.status_code == 409
    page = Page(response).check()
    assert page.soup.select_one("#title")["value"] == "Second title"  # their input is kept
    assert "First title" in page.text()  # and they see what was saved
    db.session.expire_all()
    assert db.session.get(Initiative, initiative.id).title == "First title"


def test_invite_straight_into_an_initiative(client, commissioner, login_as):
    initiative = make_initiative(commissioner)
    login_as(commissioner)
    page = post_page(
        client,
        f"/initiatives/{initiative.id}/members/invite",
        {
            "display_name": "Nia",
            "email": "nia@example.org",
            "role": "citizen_partner",
            "partner_kind": "carer",
            "initiative_role": "co_lead",
        },
    )
    link = page.soup.select_one("#invitation-link").get_text(strip=True)
    client.post("/sign-out")
    client.post(
        link_path(link),
        data={
            "display_name": "Nia",
            "password": "meadow lantern quietly 1987",
            "needs_answer": "none",
            "preferred_language": "en",
        },
    )
    db.session.expire_all()
    roles = {(m.user.display_name, m.role.value) for m in db.session.get(Initiative, initiative.id).memberships}
    assert ("Nia", "co_lead") in roles


def test_overview_query_count_does_not_grow(client, commissioner, partner, org, login_as):
    from query_counter import count_queries

    initiative = make_initiative(commissioner, partner)
    add_activity(initiative, commissioner, [partner])
    login_as(commissioner)
    small = count_queries(lambda: client.get(f"/initiatives/{initiative.id}"))
    for _ in range(6):
        person = make_user(org, OrgRole.CITIZEN_PARTNER)
        from copro_tracker.initiatives import service

        service.add_member(commissioner, initiative, person, "member")
        add_activity(initiative, commissioner, [partner, person])
    large = count_queries(lambda: client.get(f"/initiatives/{initiative.id}"))
    assert small == large


def test_accepting_an_invitation_as_co_lead_rechecks_the_gate(client, commissioner, login_as):
    from copro_tracker.codes import ActivityKind
    from copro_tracker.models import Activity, Attendance

    initiative = make_initiative(commissioner)
    stage = stage_of(initiative)
    activity = Activity(
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        stage_id=stage.id,
        kind=ActivityKind.WORKSHOP,
        occurred_on=stage.opened_on,
        title="Open workshop",
        recorded_by_id=commissioner.id,
    )
    activity.attendances.append(
        Attendance(
            organisation_id=initiative.organisation_id, guest_name="Jay", guest_is_citizen=True, contributed=True
        )
    )
    db.session.add(activity)
    db.session.commit()
    login_as(commissioner)
    page = post_page(
        client,
        f"/initiatives/{initiative.id}/members/invite",
        {
            "display_name": "Nia",
            "email": "nia@example.org",
            "role": "citizen_partner",
            "partner_kind": "carer",
            "initiative_role": "co_lead",
        },
    )
    link = page.soup.select_one("#invitation-link").get_text(strip=True)
    client.post("/sign-out")
    client.post(
        link_path(link),
        data={
            "display_name": "Nia",
            "password": "meadow lantern quietly 1987",
            "needs_answer": "none",
            "preferred_language": "en",
        },
    )
    db.session.expire_all()
    assert stage_of(db.session.get(Initiative, initiative.id)).status == StageStatus.AWAITING_SIGNOFF


def _day(value):
    return [str(value.day), str(value.month), str(value.year)]


def test_past_membership_and_stage_dates_can_be_recorded_never_the_future(client, commissioner, partner, login_as):
    """Councils start using the tracker part-way through: tenure and stage dates can be backfilled."""
    from datetime import date, timedelta

    initiative = make_initiative(commissioner)
    login_as(commissioner)
    base = f"/initiatives/{initiative.id}"
    tomorrow = date.today() + timedelta(days=1)
    page = post_page(
        client, f"{base}/members", {"user_id": str(partner.id), "role": "co_lead", "joined_on": _day(tomorrow)}
    )
    assert page.errors() == ["The date they joined must be today or in the past"]
    assert (
        client.post(
            f"{base}/members", data={"user_id": str(partner.id), "role": "co_lead", "joined_on": ["3", "2", "2025"]}
        ).status_code
        == 302
    )
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == partner.id))
    assert membership.joined_on == date(2025, 2, 3)

    url = f"{base}/members/{membership.id}/dates"
    page = post_page(client, url, {"joined_on": ["3", "2", "2025"], "left_on": ["1", "2", "2025"]})
    assert page.errors() == ["The date they left cannot be before the date they joined"]
    assert page.soup.select_one("input#left_on-day")["value"] == "1"
    page = post_page(client, url, {"joined_on": ["3", "2", "2025"], "left_on": _day(tomorrow)})
    assert page.errors() == ["The date they left must be today or in the past"]
    page = post_page(client, url, {"joined_on": ["", "", ""]})
    assert page.errors() == ["Enter the date they joined"]
    assert client.post(url, data={"joined_on": ["1", "1", "2025"], "left_on": ["30", "6", "2025"]}).status_code == 302
    db.session.expire_all()
    membership = db.session.get(Membership, membership.id)
    assert (membership.joined_on, membership.left_on) == (date(2025, 1, 1), date(2025, 6, 30))
    assert "membership.dates_changed" in actions()
    assert "30 June 2025" in get_page(client, f"{base}/members").text()

    design = f"{base}/stages/design/dates"
    page = post_page(client, design, {"opened_on": _day(tomorrow)})
    assert page.errors() == ["The date the stage started must be today or in the past"]
    assert get_page(client, design).soup.select_one("input#closed_on-day") is None, "the gate closes an open stage"
    assert (
        client.post(design, data={"opened_on": ["1", "12", "2024"], "closed_on": ["1", "3", "2025"]}).status_code == 302
    )
    db.session.expire_all()
    design_stage = stage_of(db.session.get(Initiative, initiative.id))
    assert design_stage.opened_on.isoformat() == "2024-12-01" and design_stage.closed_on is None
    assert "Opened 1 December 2024" in get_page(client, base).text()
    assert client.get(f"{base}/stages/delivery/dates").status_code == 200
    page = post_page(client, f"{base}/stages/delivery/dates", {"opened_on": ["1", "1", "2025"]})
    assert page.errors() == ["This stage has not started yet"]


def _welsh(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "cy"


def test_initiative_refusals_reach_a_welsh_reader_in_welsh(client, commissioner, partner, login_as):
    """A refusal worded from values (the gate's blocker, a name and dates) is put in Welsh before they go in."""
    from datetime import date

    from copro_tracker.initiatives import service

    initiative = make_initiative(commissioner, partner)
    login_as(commissioner)
    _welsh(client)
    base = f"/initiatives/{initiative.id}"
    response = client.post(f"{base}/stages/design/sign-off", data={"decision": "approve"})
    assert response.status_code == 200
    assert Page(response).errors() == [
        (
            "Does dim modd cymeradwyo'r cam hwn eto: mae angen gweithgaredd yn y cam hwn lle cymerodd partner "
            "dinasyddion ran a chyfrannu arno o hyd"
        )
    ]

    # Two tenures of one person may not overlap: the message names them and the other tenure's dates, in Welsh.
    first = db.session.scalar(sa.select(Membership).where(Membership.user_id == partner.id))
    second = service.change_member_role(commissioner, initiative, first, "member")
    service.set_tenure(commissioner, initiative, first, date(2024, 1, 1), date(2024, 6, 30))
    response = client.post(f"{base}/members/{second.id}/dates", data={"joined_on": ["1", "3", "2024"]})
    assert response.status_code == 200
    assert Page(response).errors() == [
        "Mae'r dyddiadau hyn yn gorgyffwrdd â rôl arall yma (Amira Partner), o 1 Ionawr 2024 tan 30 Mehefin 2024"
    ]
    # The same refusal in English, with the dates as English readers write them.
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = post_page(client, f"{base}/members/{second.id}/dates", {"joined_on": ["1", "3", "2024"]})
    assert page.errors() == [
        "These dates overlap another role Amira Partner has here, from 1 January 2024 to 30 June 2024"
    ]
