"""Who counts as a citizen partner (domain.people): the membership side decides, never today's org role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from copro_tracker.codes import OrgRole, Side
from copro_tracker.domain.people import is_citizen_partner, is_citizen_partner_in_any, side_in_initiative

PARTNER, STAFF = Side.CITIZEN_PARTNER, Side.COMMISSIONER


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests are pure."""
    yield


def test_the_latest_tenure_decides_and_the_org_role_does_not():
    assert side_in_initiative([STAFF, PARTNER], OrgRole.COMMISSIONER) is PARTNER
    assert side_in_initiative([PARTNER, STAFF], OrgRole.CITIZEN_PARTNER) is STAFF
    assert is_citizen_partner([PARTNER], OrgRole.ADMIN)
    assert not is_citizen_partner([STAFF], OrgRole.CITIZEN_PARTNER)


def test_without_a_membership_the_org_role_or_the_guest_record_decides():
    assert is_citizen_partner([], OrgRole.CITIZEN_PARTNER)
    assert not is_citizen_partner([], OrgRole.ADMIN)
    assert is_citizen_partner([], None, guest_is_citizen=True)
    assert not is_citizen_partner([], None)


def test_across_initiatives_a_partner_in_any_of_them_counts_as_a_partner():
    assert is_citizen_partner_in_any([[STAFF], [PARTNER]], OrgRole.COMMISSIONER)
    assert not is_citizen_partner_in_any([[STAFF], [PARTNER, STAFF]], OrgRole.CITIZEN_PARTNER)
    assert is_citizen_partner_in_any([], OrgRole.CITIZEN_PARTNER)
    assert is_citizen_partner_in_any([[]], OrgRole.CITIZEN_PARTNER)
    assert not is_citizen_partner_in_any([], OrgRole.COMMISSIONER)
