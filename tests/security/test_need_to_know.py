"""Need to know (issue 13): a person's communication needs and adjustments are seen and changed only by the
person, staff and the initiative's co-leads; a peer partner sees only that adjustments were arranged, and
cannot change another's through the attendance form. Every look at someone else's is a listed disclosure."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from conftest import get_page, login, make_user
from initiative_factories import make_initiative

from copro_tracker.codes import ActivityKind, OrgRole
from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import Activity, Attendance, AuditEvent, Initiative, User

BSL = "British Sign Language (BSL) interpreter"
EASY_READ = "Easy Read documents"


@dataclass
class Meeting:
    initiative: Initiative
    activity: Activity
    lead: User
    co_lead: User
    peer: User
    sam: User

    def url(self, tail: str = "") -> str:
        return f"/initiatives/{self.initiative.id}/activities/{self.activity.id}{tail}"

    def row(self, person: User) -> Attendance:
        return db.session.scalar(
            sa.select(Attendance).where(Attendance.activity_id == self.activity.id, Attendance.user_id == person.id)
        )


def meeting(org, commissioner) -> Meeting:
    co_lead = make_user(org, OrgRole.CITIZEN_PARTNER, name="Cora Colead")
    peer = make_user(org, OrgRole.CITIZEN_PARTNER, name="Pat Peer")
    sam = make_user(
        org, OrgRole.CITIZEN_PARTNER, name="Sam Needs", communication_needs=["easy_read"], needs_recorded=True
    )
    initiative = make_initiative(commissioner, co_lead)
    initiatives.add_member(commissioner, initiative, peer, "member")
    initiatives.add_member(commissioner, initiative, sam, "member")
    stage = initiative.stages[0]
    activity = Activity(
        organisation_id=org.id,
        initiative_id=initiative.id,
        stage_id=stage.id,
        kind=ActivityKind.WORKSHOP,
        occurred_on=stage.opened_on or initiative.created_at.date(),
        title="Planning day",
        recorded_by_id=commissioner.id,
    )
    db.session.add(activity)
    db.session.flush()
    for person, asked in ((co_lead, []), (peer, ["large_print"]), (sam, ["easy_read", "supporter_present"])):
        db.session.add(
            Attendance(
                organisation_id=org.id,
                activity_id=activity.id,
                user_id=person.id,
                contributed=True,
                adjustments_requested=asked,
            )
        )
    db.session.commit()
    return Meeting(initiative, activity, commissioner, co_lead, peer, sam)


def disclosures() -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "needs.viewed")))


def test_a_peer_partner_sees_only_that_adjustments_were_arranged(client, org, commissioner):
    m = meeting(org, commissioner)
    login(client, m.peer)
    page = get_page(client, m.url()).text()
    assert "Adjustments were arranged" in page
    assert "Large print" in page  # their own
    assert EASY_READ not in page and "A supporter with me" not in page
    assert client.get(m.url("/adjustments")).status_code == 403
    form = get_page(client, m.url("/attendance"))
    sam_row, peer_row = m.row(m.sam), m.row(m.peer)
    assert not form.soup.select(f"[name=requested_{sam_row.id}]") and not form.soup.select(
        f"[name=provided_{sam_row.id}]"
    )
    assert form.soup.select(f"[name=requested_{peer_row.id}]")
    assert "Only Sam Needs, co-leads and staff can see or change these" in form.text()
    history = get_page(client, f"/initiatives/{m.initiative.id}/history?show=all").text()
    assert "easy_read" not in history and EASY_READ not in history
    assert disclosures() == []  # seeing your own is no disclosure


def test_a_peer_partner_cannot_change_another_persons_adjustments(client, org, commissioner):
    m = meeting(org, commissioner)
    login(client, m.peer)
    sam_row, peer_row = m.row(m.sam), m.row(m.peer)
    response = client.post(
        m.url("/attendance"),
        data={
            "version": str(m.activity.version),
            f"contributed_{sam_row.id}": "y",
            f"requested_{sam_row.id}": ["bsl_interpreter"],  # a forged field: not in the peer's form
            f"contributed_{peer_row.id}": "y",
            f"requested_{peer_row.id}": ["large_print", "hearing_loop"],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert m.row(m.sam).adjustments_requested == ["easy_read", "supporter_present"]
    assert m.row(m.peer).adjustments_requested == ["hearing_loop", "large_print"]


def test_the_service_refuses_a_peer_changing_anothers_adjustments(org, commissioner):
    import pytest

    from copro_tracker.activities import service
    from copro_tracker.services import ServiceError

    m = meeting(org, commissioner)
    row = m.row(m.sam)
    with pytest.raises(ServiceError):
        service.record_attendance(
            m.peer, m.activity, [service.AttendanceRow(row.id, True, ["bsl_interpreter"], [])], m.activity.version
        )


def test_co_leads_and_staff_see_and_change_needs_and_each_look_is_listed(client, org, commissioner, admin):
    m = meeting(org, commissioner)
    login(client, m.co_lead)
    page = get_page(client, m.url("/adjustments")).text()
    assert EASY_READ in page and "A supporter with me" in page
    [event] = disclosures()
    assert event.actor_id == m.co_lead.id and event.initiative_id == m.initiative.id
    assert "easy_read" not in event.payload  # ids and counts only, never the needs
    sam_row = m.row(m.sam)
    client.post(
        m.url("/attendance"),
        data={
            "version": str(m.activity.version),
            f"contributed_{sam_row.id}": "y",
            f"requested_{sam_row.id}": ["easy_read", "supporter_present"],
            f"provided_{sam_row.id}": ["easy_read"],
        },
    )
    db.session.expire_all()
    assert m.row(m.sam).adjustments_provided == ["easy_read"]
    # Staff: the person's standing needs, on their own page, also listed.
    login(client, admin)
    assert EASY_READ in get_page(client, f"/people/{m.sam.id}/needs").text()
    listed = get_page(client, "/admin/audit/disclosures").text()
    assert "Cora Colead" in listed and "Priya Admin" in listed and "Sam Needs" in listed
    assert "a person's page" in listed
    history = get_page(client, f"/initiatives/{m.initiative.id}/history?show=disclosures").text(".app-timeline")
    assert "looked at people's communication needs or adjustments" in history


def test_the_member_page_no_longer_shows_needs_without_a_recorded_look(client, org, commissioner):
    m = meeting(org, commissioner)
    login(client, commissioner)
    assert EASY_READ not in get_page(client, f"/people/{m.sam.id}").text()
    assert disclosures() == []


def test_the_adjustments_page_and_form_cost_the_same_few_statements_however_many_attend(client, org, commissioner):
    from query_counter import count_queries

    m = meeting(org, commissioner)
    login(client, commissioner)
    small = count_queries(lambda: client.get(m.url("/adjustments")))
    small_form = count_queries(lambda: client.get(m.url("/attendance")))
    for n in range(4):
        person = make_user(org, OrgRole.CITIZEN_PARTNER, name=f"Extra {n}", communication_needs=["large_print"])
        initiatives.add_member(commissioner, m.initiative, person, "member")
        db.session.add(
            Attendance(
                organisation_id=org.id,
                activity_id=m.activity.id,
                user_id=person.id,
                adjustments_requested=["large_print"],
            )
        )
    db.session.commit()
    assert count_queries(lambda: client.get(m.url("/adjustments"))) == small
    assert count_queries(lambda: client.get(m.url("/attendance"))) == small_form
    assert small <= 12 + 8  # the page's reads plus the disclosure's append (chain head, event, Merkle state)
