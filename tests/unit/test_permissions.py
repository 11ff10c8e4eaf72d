"""The access policy as a pure function: roles, organisations, membership and object rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from copro_tracker.codes import MemberRole, OrgRole
from copro_tracker.permissions import can, membership_of


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
