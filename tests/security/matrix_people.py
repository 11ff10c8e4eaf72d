"""People's data in the permission matrix: need to know (communication needs and adjustments), and each
person's own data. In the world, commissioner and partner_member are the initiative's co-leads."""

from __future__ import annotations

from matrix_world import Spec, World, by_role


def _a(w: World) -> str:
    return f"/initiatives/{w.extra['initiative'].id}/activities/{w.extra['activity'].id}"


def specs() -> dict[str, Spec]:
    return {
        # Staff and the initiative's co-leads arrange meetings; other members and non-members do not see needs.
        "activities.activity_adjustments": Spec(
            "GET", lambda w: f"{_a(w)}/adjustments", by_role(200, 200, 200, 404, 404)
        ),
        # A person's standing needs: staff only (the person sees theirs on their profile).
        "admin.member_needs": Spec("GET", lambda w: f"/people/{w.target.id}/needs", by_role(200, 200, 403, 403, 404)),
        # Org-scoped: the outsider (an admin elsewhere) sees their own organisation's list.
        "audit.needs_disclosures": Spec("GET", lambda w: "/admin/audit/disclosures", by_role(200, 403, 403, 403, 200)),
    }
