"""People's data in the permission matrix: need to know (communication needs and adjustments), and each
person's own data. In the world, commissioner and partner_member are the initiative's co-leads."""

from __future__ import annotations

from matrix_world import Spec, World, by_role, signed_in

from copro_tracker.codes import DataRequestKind, Ethnicity, NotificationKind
from copro_tracker.extensions import db
from copro_tracker.models import DataRequest, EqualityAnswers, LegalHold, Notification, SeldomHeardGroup


def extend_world(world: World) -> None:
    request = DataRequest(
        organisation_id=world.target.organisation_id,
        user_id=world.target.id,
        kind=DataRequestKind.ERASURE,
        details="Secret erasure reason",
    )
    hold = LegalHold(
        organisation_id=world.target.organisation_id,
        initiative_id=world.extra["initiative"].id,
        reason="Secret hold reason",
        placed_by_id=world.admin.id,
    )
    db.session.add_all([request, hold])
    # The target's own notification: nobody else can mark it, not even an admin of their organisation.
    notification = Notification(
        organisation_id=world.target.organisation_id,
        user_id=world.target.id,
        kind=NotificationKind.SIGN_OFF,
        subject_id=world.extra["initiative"].stages[0].id,
        cycle="round 1",
        initiative_id=world.extra["initiative"].id,
    )
    db.session.add(notification)
    group = SeldomHeardGroup(organisation_id=world.target.organisation_id, name="Secret-named seldom-heard group")
    db.session.add(group)
    db.session.add(
        EqualityAnswers(
            organisation_id=world.target.organisation_id, user_id=world.target.id, ethnicity=Ethnicity.MIXED
        )
    )
    db.session.commit()
    world.extra["data_request"] = request
    world.extra["legal_hold"] = hold
    world.extra["notification"] = notification
    world.extra["seldom_heard_group"] = group
    world.extra.setdefault("secrets", []).append(group.name)
    world.extra.setdefault("secrets", []).extend(["Secret erasure reason", "Secret hold reason"])


def _r(w: World) -> str:
    return f"/admin/data-requests/{w.extra['data_request'].id}"


def _i(w: World) -> str:
    return f"/initiatives/{w.extra['initiative'].id}"


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
        # Everyone signed in has their own data; nobody reaches anyone else's through these routes.
        "people.your_data_page": Spec("GET", lambda w: "/profile/your-data", signed_in(200)),
        "people.download_json": Spec("GET", lambda w: "/profile/your-data/json", signed_in(200)),
        "people.download_csv": Spec("GET", lambda w: "/profile/your-data/csv", signed_in(200)),
        "people.ask_correction": Spec("GET", lambda w: "/profile/your-data/correction", signed_in(200)),
        "people.ask_erasure": Spec("GET", lambda w: "/profile/your-data/erasure", signed_in(200)),
        "people.named_use": Spec("POST", lambda w: "/profile/your-data/named-use", signed_in(302)),
        # Equality monitoring: everyone answers for themselves (no route reads anyone else's answers); admins see
        # suppressed counts of their own organisation and manage its groups and reference figures.
        "equality.own_answers": Spec("GET", lambda w: "/profile/equality", signed_in(200)),
        "equality.overview": Spec("GET", lambda w: "/admin/equality", by_role(200, 403, 403, 403, 200)),
        "equality.manage_groups": Spec("GET", lambda w: "/admin/equality/groups", by_role(200, 403, 403, 403, 200)),
        "equality.retire_group": Spec(
            "POST",
            lambda w: f"/admin/equality/groups/{w.extra['seldom_heard_group'].id}/retire",
            by_role(302, 403, 403, 403, 404),
        ),
        "equality.reference": Spec(
            "GET", lambda w: "/admin/equality/reference/ethnicity", by_role(200, 403, 403, 403, 200)
        ),
        # Everyone has their own notifications and choices; someone else's notification is not found.
        "notifications.index": Spec("GET", lambda w: "/notifications", signed_in(200)),
        "notifications.preferences": Spec("GET", lambda w: "/profile/notifications", signed_in(200)),
        "notifications.mark_all_read": Spec("POST", lambda w: "/notifications/read", signed_in(302)),
        "notifications.mark_read": Spec(
            "POST", lambda w: f"/notifications/{w.extra['notification'].id}/read", by_role(404, 404, 404, 404, 404)
        ),
        # Admins answer requests; an admin elsewhere sees their own organisation's list, and never this request.
        "people.data_requests": Spec("GET", lambda w: "/admin/data-requests", by_role(200, 403, 403, 403, 200)),
        "people.data_request": Spec("GET", _r, by_role(200, 403, 403, 403, 404)),
        # Erasing asks for the admin's password again first (step-up): nothing is erased.
        "people.erase_person": Spec("POST", lambda w: f"{_r(w)}/erase", by_role(302, 403, 403, 403, 404)),
        "auth.step_up": Spec("GET", lambda w: "/confirm-password", by_role(200, 403, 403, 403, 200)),
        # Retention and legal hold: admins only; an admin elsewhere sees their own organisation's pages and
        # never this organisation's hold.
        "retention.rules": Spec("GET", lambda w: "/admin/retention", by_role(200, 403, 403, 403, 200)),
        "retention.disposals": Spec("GET", lambda w: "/admin/retention/disposal", by_role(200, 403, 403, 403, 200)),
        "retention.holds": Spec("GET", lambda w: "/admin/legal-holds", by_role(200, 403, 403, 403, 200)),
        "retention.lift": Spec(
            "GET", lambda w: f"/admin/legal-holds/{w.extra['legal_hold'].id}/lift", by_role(200, 403, 403, 403, 404)
        ),
        # Withdrawing a mistake: whoever recorded it (the commissioner recorded everything in the world) or staff.
        "activities.withdraw_activity": Spec("GET", lambda w: f"{_a(w)}/withdraw", by_role(200, 200, 403, 404, 404)),
        "activities.withdraw_decision": Spec(
            "GET", lambda w: f"{_i(w)}/decisions/{w.extra['decision'].id}/withdraw", by_role(200, 200, 403, 404, 404)
        ),
        # The partner made the recommendation, so they may withdraw it too.
        "activities.withdraw_recommendation": Spec(
            "GET",
            lambda w: f"{_i(w)}/recommendations/{w.extra['recommendation'].id}/withdraw",
            by_role(200, 200, 200, 404, 404),
        ),
        "activities.withdraw_evidence": Spec(
            "GET", lambda w: f"{_i(w)}/evidence/{w.extra['evidence'].id}/withdraw", by_role(200, 200, 403, 404, 404)
        ),
    }
