"""Who counts as a citizen partner in an initiative: one definition for gates, criteria, pages and reports.

The answer is the side of the person's membership of that initiative, not their organisation role.
The side is fixed when they join (``Membership.side``), it is what their sign-offs carry, and it is
what the permissions check when a partner co-signs an assessment. An organisation role can change
later (an admin corrects it, or a partner takes a staff job); judging past attendance by today's role
would silently rewrite who took part in co-production. Someone who attended without ever being a
member is judged by their organisation role, and a guest without an account by what was recorded
about them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..codes import OrgRole, Side


def side_for_role(role: OrgRole | str) -> Side:
    """The side an organisation role puts a person on when they join an initiative."""
    return Side.CITIZEN_PARTNER if role == OrgRole.CITIZEN_PARTNER else Side.COMMISSIONER


def side_in_initiative(
    membership_sides: Sequence[Side | str],
    org_role: OrgRole | str | None,
    guest_is_citizen: bool = False,
) -> Side:
    """The side a person is on in one initiative.

    ``membership_sides`` are the sides of their tenures, oldest first (the latest one counts);
    ``org_role`` is None for a guest without an account, whose side is ``guest_is_citizen``.
    """
    if membership_sides:
        return Side(membership_sides[-1])
    if org_role is None:
        return Side.CITIZEN_PARTNER if guest_is_citizen else Side.COMMISSIONER
    return side_for_role(org_role)


def is_citizen_partner(
    membership_sides: Sequence[Side | str], org_role: OrgRole | str | None, guest_is_citizen: bool = False
) -> bool:
    return side_in_initiative(membership_sides, org_role, guest_is_citizen) is Side.CITIZEN_PARTNER


def is_citizen_partner_in_any(
    sides_by_initiative: Iterable[Sequence[Side | str]], org_role: OrgRole | str | None
) -> bool:
    """For a view across several initiatives (a report): a citizen partner in at least one of them.

    ``sides_by_initiative`` holds, for each initiative, the sides of the person's tenures there, oldest
    first. Someone who is a member of none of them is judged by their organisation role. Erring towards
    "citizen partner" is deliberate: a report that hides partners' names then hides this person's too.
    """
    memberships = [sides for sides in sides_by_initiative if sides]
    if not memberships:
        return is_citizen_partner((), org_role)
    return any(is_citizen_partner(sides, org_role) for sides in memberships)
