"""The access policy as a pure function: roles, organisations, membership and object rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from copro_tracker.codes import MemberRole, OrgRole
from copro_tracker.permissions import can, discloses_needs, membership_of


@dataclass
class FakeUser:
    id: int
    role: OrgRole
    organisation_id: int = 1
    is_authenticated: bool = True
    is_active: bool = True


@dataclass
class FakeMembership:
    user_id: int
    role: MemberRole
    left_on: date | None = None


@dataclass
class FakeInitiative:
    memberships: list = field(default_factory=list)
    organisation_id: int = 1
    closed_on: date | None = None


ADMIN = FakeUser(1, OrgRole.ADMIN)
COMMISSIONER = FakeUser(2, OrgRole.COMMISSIONER)
PARTNER = FakeUser(3, OrgRole.CITIZEN_PARTNER)
OBSERVER = FakeUser(4, OrgRole.CITIZEN_PARTNER)
FORMER = FakeUser(5, OrgRole.CITIZEN_PARTNER)
STRANGER = FakeUser(6, OrgRole.CITIZEN_PARTNER)
OUTSIDER = FakeUser(7, OrgRole.ADMIN, organisation_id=2)


def initiative(closed: bool = False) -> FakeInitiative:
    return FakeInitiative(
        memberships=[
            FakeMembership(2, MemberRole.CO_LEAD),
            FakeMembership(3, MemberRole.CO_LEAD),
            FakeMembership(4, MemberRole.OBSERVER),
            FakeMembership(5, MemberRole.MEMBER, left_on=date(2026, 1, 1)),
        ],
        closed_on=date(2026, 6, 1) if closed else None,
    )


@pytest.mark.parametrize(
    ("user", "view", "contribute", "lead"),
    [
        (ADMIN, True, False, True),  # staff see and lead everything in their organisation, but only members record
        (COMMISSIONER, True, True, True),
        (PARTNER, True, True, True),  # a citizen co-lead leads as an equal
        (OBSERVER, True, False, False),
        (FORMER, True, False, False),  # people who left can still see what they took part in
        (STRANGER, False, False, False),
        (OUTSIDER, False, False, False),
    ],
)
def test_initiative_rules(user, view, contribute, lead):
    item = initiative()
    assert can(user, "initiative.view", item) is view
    assert can(user, "initiative.contribute", item) is contribute
    assert can(user, "initiative.manage_members", item) is lead


def test_a_closed_initiative_takes_no_more_contributions():
    item = initiative(closed=True)
    assert can(COMMISSIONER, "initiative.view", item)
    assert not can(COMMISSIONER, "initiative.contribute", item)
    assert not can(PARTNER, "stage.sign_off", item)


def test_role_rules_and_anonymous_and_inactive_users():
    assert can(COMMISSIONER, "people.invite") and not can(PARTNER, "people.invite")
    assert can(ADMIN, "members.manage") and not can(COMMISSIONER, "members.manage")
    assert not can(None, "dashboard.view")
    assert not can(FakeUser(9, OrgRole.ADMIN, is_authenticated=False), "dashboard.view")
    assert not can(FakeUser(9, OrgRole.ADMIN, is_active=False), "dashboard.view")


def test_admins_cannot_manage_themselves_and_nobody_crosses_organisations():
    assert not can(ADMIN, "members.manage", ADMIN)
    assert can(ADMIN, "members.manage", COMMISSIONER)
    assert not can(OUTSIDER, "members.manage", COMMISSIONER)


def test_unknown_actions_are_a_programming_error():
    with pytest.raises(KeyError):
        can(ADMIN, "initiative.delete_everything")


def test_membership_of_ignores_ended_tenure():
    item = initiative()
    assert membership_of(PARTNER, item).role == MemberRole.CO_LEAD
    assert membership_of(FORMER, item) is None


# --- need to know: communication needs and adjustments ------------------------------------------------


@dataclass
class FakeActivity:
    initiative: FakeInitiative


@dataclass
class FakeAttendance:
    user_id: int | None
    activity: FakeActivity
    activity_id: int = 1
    organisation_id: int = 1


PEER = FakeUser(8, OrgRole.CITIZEN_PARTNER)


def meeting(closed: bool = False) -> FakeInitiative:
    item = initiative(closed)
    item.memberships.append(FakeMembership(8, MemberRole.MEMBER))
    return item


@pytest.mark.parametrize(
    ("user", "sees", "changes"),
    [
        (ADMIN, True, True),
        (COMMISSIONER, True, True),
        (PARTNER, True, True),  # a citizen co-lead arranges the meetings
        (PEER, False, False),  # another member: only "adjustments were arranged"
        (OBSERVER, False, False),
        (STRANGER, False, False),
        (OUTSIDER, False, False),
    ],
)
def test_only_the_person_co_leads_and_staff_see_or_change_anothers_adjustments(user, sees, changes):
    row = FakeAttendance(user_id=9, activity=FakeActivity(meeting()))
    assert can(user, "needs.view", row) is sees
    assert can(user, "needs.edit", row) is changes
    assert can(user, "needs.arrange", row.activity.initiative) is (sees and user is not OUTSIDER)


def test_a_person_sees_and_changes_their_own_adjustments_until_the_initiative_closes():
    row = FakeAttendance(user_id=PEER.id, activity=FakeActivity(meeting()))
    assert can(PEER, "needs.view", row) and can(PEER, "needs.edit", row)
    assert not discloses_needs(PEER, row)  # seeing your own is no disclosure
    closed = FakeAttendance(user_id=PEER.id, activity=FakeActivity(meeting(closed=True)))
    assert can(PEER, "needs.view", closed) and not can(PEER, "needs.edit", closed)
    assert not can(COMMISSIONER, "needs.edit", closed)


def test_a_guests_adjustments_are_for_co_leads_and_staff_only():
    row = FakeAttendance(user_id=None, activity=FakeActivity(meeting()))
    assert can(PARTNER, "needs.view", row) and discloses_needs(PARTNER, row)
    assert not can(PEER, "needs.view", row)


def test_a_persons_standing_needs_are_seen_by_themselves_and_staff():
    person = FakeUser(8, OrgRole.CITIZEN_PARTNER)
    assert can(PEER, "needs.view", person) and not discloses_needs(PEER, person)
    assert can(COMMISSIONER, "needs.view", person) and discloses_needs(COMMISSIONER, person)
    assert not can(PARTNER, "needs.view", person)
    assert not can(OUTSIDER, "needs.view", person)


def test_only_admins_list_who_looked_at_needs():
    assert can(ADMIN, "needs.disclosures")
    assert not can(COMMISSIONER, "needs.disclosures")


@dataclass
class FakeAnswers:
    user_id: int
    organisation_id: int = 1


def test_equality_answers_are_the_persons_alone_and_admins_get_counts():
    answers = FakeAnswers(PARTNER.id)
    assert can(PARTNER, "equality.answers", answers)
    # Not an admin, not staff, not a co-lead, not another partner: nobody reads one person's answers.
    for other in (ADMIN, COMMISSIONER, OBSERVER):
        assert not can(other, "equality.answers", answers)
    assert not can(FakeUser(3, OrgRole.CITIZEN_PARTNER, organisation_id=2), "equality.answers", answers)
    assert [can(u, "equality.aggregates") for u in (ADMIN, COMMISSIONER, PARTNER)] == [True, False, False]
    assert [can(u, "equality.report") for u in (ADMIN, COMMISSIONER, PARTNER)] == [True, True, False]
