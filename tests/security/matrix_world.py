"""The people and records the permission matrix runs against, and the expected status per route."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from conftest import make_org, make_user
from initiative_factories import make_initiative

from copro_tracker.codes import Nation, OrgRole, PartnerKind, TokenPurpose
from copro_tracker.extensions import db
from copro_tracker.models import AccountToken, User, utcnow

ROLES = ("admin", "commissioner", "partner_member", "partner_nonmember", "outsider", "anonymous")


@dataclass
class World:
    admin: User
    commissioner: User
    partner_member: User
    partner_nonmember: User
    outsider: User
    target: User
    invitation: AccountToken
    extra: dict = field(default_factory=dict)

    @property
    def secrets(self) -> list[str]:
        return [self.target.email, self.target.display_name, self.commissioner.email, *self.extra.get("secrets", [])]


def build_world() -> World:
    org = make_org("Northshire County Council", Nation.ENGLAND)
    other = make_org("Glanyrafon County Council", Nation.WALES)
    admin = make_user(org, OrgRole.ADMIN, name="Priya Admin")
    commissioner = make_user(org, OrgRole.COMMISSIONER, name="Tom Commissioner", email="tom.secret@example.org")
    member = make_user(org, OrgRole.CITIZEN_PARTNER, name="Amira Member")
    nonmember = make_user(org, OrgRole.CITIZEN_PARTNER, name="George Nonmember", partner_kind=PartnerKind.CARER)
    target = make_user(org, OrgRole.CITIZEN_PARTNER, name="Zed Target-Secretname", email="zed.secret@example.org")
    outsider = make_user(other, OrgRole.ADMIN, name="Olwen Outsider")
    invitation = AccountToken(
        organisation_id=org.id,
        purpose=TokenPurpose.INVITATION,
        token_hash="0" * 64,
        email="invitee.secret@example.org",
        display_name="Invitee Secret",
        role=OrgRole.CITIZEN_PARTNER,
        partner_kind=PartnerKind.CARER,
        created_by_id=commissioner.id,
        expires_at=utcnow() + timedelta(days=3),
    )
    db.session.add(invitation)
    db.session.commit()
    world = World(admin, commissioner, member, nonmember, outsider, target, invitation)
    initiative = make_initiative(commissioner, member, title="Secret-titled day opportunities redesign")
    world.extra["initiative"] = initiative
    world.extra["secrets"] = [initiative.title]
    from matrix_activities import extend_world  # local: it imports this module

    extend_world(world)
    from matrix_criteria import extend_world as extend_criteria  # local: it imports this module

    extend_criteria(world)
    from matrix_reports import extend_world as extend_reports  # local: it imports this module

    extend_reports(world)
    from matrix_people import extend_world as extend_people  # local: it imports this module

    extend_people(world)
    from matrix_payments import extend_world as extend_payments  # local: it imports this module

    extend_payments(world)
    return world


@dataclass(frozen=True)
class Spec:
    method: str
    url: Callable[[World], str]
    expect: dict[str, int]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, anonymous: int = 302) -> dict[str, int]:
    return {**everyone(status), "anonymous": anonymous}


def by_role(admin, commissioner, member, nonmember, outsider, anonymous=302) -> dict[str, int]:
    return dict(zip(ROLES, (admin, commissioner, member, nonmember, outsider, anonymous), strict=True))


def route_specs() -> dict[str, Spec]:
    return {
        "main.index": Spec("GET", lambda w: "/", signed_in(302, anonymous=200)),
        "main.dashboard": Spec("GET", lambda w: "/dashboard", signed_in(200)),
        "main.set_language": Spec("GET", lambda w: "/language/cy", everyone(302)),
        "main.accessibility": Spec("GET", lambda w: "/accessibility", everyone(200)),
        "main.privacy": Spec("GET", lambda w: "/privacy", everyone(200)),
        "main.help_page": Spec("GET", lambda w: "/help", everyone(200)),
        "auth.login": Spec("GET", lambda w: "/sign-in", signed_in(302, anonymous=200)),
        "auth.logout": Spec("POST", lambda w: "/sign-out", signed_in(302)),
        "auth.invite": Spec("GET", lambda w: "/people/invite", by_role(200, 200, 403, 403, 200)),
        "auth.accept_invitation": Spec("GET", lambda w: "/invitations/not-a-real-token", everyone(410)),
        "auth.invitation_sign_out": Spec("POST", lambda w: "/invitations/not-a-real-token/sign-out", signed_in(410)),
        "auth.forgotten_password": Spec("GET", lambda w: "/forgotten-password", everyone(200)),
        "auth.reset_password": Spec("GET", lambda w: "/reset-password/not-a-real-token", everyone(410)),
        "auth.profile": Spec("GET", lambda w: "/profile", signed_in(200)),
        "auth.change_password": Spec("GET", lambda w: "/profile/password", signed_in(200)),
        "admin.members": Spec("GET", lambda w: "/people", by_role(200, 200, 403, 403, 200)),
        "admin.member": Spec("GET", lambda w: f"/people/{w.target.id}", by_role(200, 200, 403, 403, 404)),
        "admin.deactivate": Spec(
            "POST", lambda w: f"/people/{w.target.id}/deactivate", by_role(302, 403, 403, 403, 404)
        ),
        "admin.reactivate": Spec(
            "POST", lambda w: f"/people/{w.target.id}/reactivate", by_role(302, 403, 403, 403, 404)
        ),
        "admin.reset_link": Spec(
            "POST", lambda w: f"/people/{w.target.id}/reset-link", by_role(200, 403, 403, 403, 404)
        ),
        "admin.revoke_invitation": Spec(
            "POST", lambda w: f"/invitations/{w.invitation.id}/revoke", by_role(302, 302, 403, 403, 404)
        ),
        **initiative_specs(),
        **_activity_specs(),
        **criteria_specs(),
        **report_specs(),
        **people_specs(),
        **payment_specs(),
    }


def _activity_specs() -> dict[str, Spec]:
    from matrix_activities import specs  # local: it imports this module

    return specs()


def criteria_specs() -> dict[str, Spec]:
    from matrix_criteria import specs  # local: it imports this module

    return specs()


def people_specs() -> dict[str, Spec]:
    from matrix_people import specs  # local: it imports this module

    return specs()


def report_specs() -> dict[str, Spec]:
    from matrix_reports import specs  # local: it imports this module

    return specs()


def payment_specs() -> dict[str, Spec]:
    from matrix_payments import specs  # local: it imports this module

    return specs()


def _i(world: World) -> str:
    return f"/initiatives/{world.extra['initiative'].id}"


def _lead_membership(world: World) -> int:
    return next(m.id for m in world.extra["initiative"].memberships if m.user_id == world.commissioner.id)


def initiative_specs() -> dict[str, Spec]:
    viewers = by_role(200, 200, 200, 404, 404)
    contributors = by_role(403, 200, 200, 404, 404)
    return {
        "initiatives.list_initiatives": Spec("GET", lambda w: "/initiatives", signed_in(200)),
        "initiatives.new_initiative": Spec("GET", lambda w: "/initiatives/new", by_role(200, 200, 403, 403, 200)),
        "initiatives.overview": Spec("GET", _i, viewers),
        "initiatives.edit_initiative": Spec("GET", lambda w: f"{_i(w)}/edit", viewers),
        "initiatives.members": Spec("GET", lambda w: f"{_i(w)}/members", viewers),
        "initiatives.change_member_role": Spec(
            "POST", lambda w: f"{_i(w)}/members/{_lead_membership(w)}/role", by_role(302, 302, 302, 404, 404)
        ),
        "initiatives.remove_member": Spec(
            "POST", lambda w: f"{_i(w)}/members/{_lead_membership(w)}/remove", by_role(302, 302, 302, 404, 404)
        ),
        "initiatives.tenure_dates": Spec("GET", lambda w: f"{_i(w)}/members/{_lead_membership(w)}/dates", viewers),
        "initiatives.stage_dates": Spec("GET", lambda w: f"{_i(w)}/stages/design/dates", viewers),
        "initiatives.invite_member": Spec("GET", lambda w: f"{_i(w)}/members/invite", by_role(200, 200, 403, 404, 404)),
        "initiatives.sign_off": Spec("GET", lambda w: f"{_i(w)}/stages/design/sign-off", contributors),
        "initiatives.reopen_stage": Spec("GET", lambda w: f"{_i(w)}/stages/design/reopen", contributors),
        "audit.initiative_history": Spec("GET", lambda w: f"{_i(w)}/history", viewers),
        "audit.record_history": Spec(
            "GET", lambda w: f"{_i(w)}/history/initiative/{w.extra['initiative'].id}", viewers
        ),
        "audit.admin_audit": Spec("GET", lambda w: "/admin/audit", by_role(200, 403, 403, 403, 200)),
        # Org-scoped: the outsider (an admin of another organisation) acts on their own organisation's chain.
        "audit.make_checkpoint_now": Spec(
            "POST", lambda w: "/admin/audit/checkpoint", by_role(302, 403, 403, 403, 302)
        ),
        "audit.verify_now": Spec("POST", lambda w: "/admin/audit/verify", by_role(302, 403, 403, 403, 302)),
        "outputs.list_outputs": Spec("GET", lambda w: f"{_i(w)}/outputs", viewers),
        "outputs.edit_output": Spec("GET", lambda w: f"{_i(w)}/outputs/new", contributors),
    }
