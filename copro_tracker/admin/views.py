from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import service
from ..auth.forms import ConfirmForm, MemberRoleForm
from ..codes import OrgRole, PartnerKind, TokenPurpose
from ..models import AccountToken, User
from ..people import disclosure
from ..permissions import authorize, requires
from ..services import ServiceError
from ..tenancy import get_scoped_or_404
from ..web.forms import add_error
from ..web.urls import external_url
from . import bp


@bp.get("/people")
@requires("members.view")
def members():
    search = {"name": request.args.get("name", "")[:120], "role": request.args.get("role", "")}
    return render_template(
        "admin/members.html",
        search=search,
        searching=any(search.values()),
        people=service.members_of(current_user.organisation_id, name=search["name"], role=search["role"]),
        invitations=service.pending_invitations(current_user.organisation_id),
    )


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@requires("members.view")
def member(user_id: int):
    person = get_scoped_or_404(User, user_id, current_user.organisation_id)
    form = MemberRoleForm(obj=person)
    if form.is_submitted():
        authorize("members.manage", person)
        if form.validate():
            try:
                service.change_role(current_user, person, OrgRole(form.role.data), PartnerKind(form.partner_kind.data))
            except ServiceError as error:
                add_error(form, _(str(error)), error.field)
            else:
                flash(_("%(name)s's role has been saved.", name=person.shown_name), "success")
                return redirect(url_for("admin.member", user_id=person.id))
    else:
        form.role.data = person.role.value
        form.partner_kind.data = person.partner_kind.value
    return render_template("admin/member.html", person=person, form=form, confirm=ConfirmForm())


@bp.get("/people/<int:user_id>/needs")
@requires("members.view")
def member_needs(user_id: int):
    """A person's standing communication needs, for staff; each look at someone else's is a recorded disclosure."""
    person = get_scoped_or_404(User, user_id, current_user.organisation_id)
    authorize("needs.view", person)
    page = render_template("admin/member_needs.html", person=person)  # before the commit expires the rows
    disclosure.record_needs_viewed(
        current_user.id, person.organisation_id, "user", person.id, [person.id], where="member_needs"
    )
    return page


@bp.post("/people/<int:user_id>/deactivate")
@requires("members.manage")
def deactivate(user_id: int):
    return _set_active(user_id, active=False)


@bp.post("/people/<int:user_id>/reactivate")
@requires("members.manage")
def reactivate(user_id: int):
    return _set_active(user_id, active=True)


def _set_active(user_id: int, active: bool):
    person = get_scoped_or_404(User, user_id, current_user.organisation_id)
    authorize("members.manage", person)
    if ConfirmForm().validate_on_submit():
        service.set_active(current_user, person, active)
        message = _("%(name)s can sign in again.") if active else _("%(name)s has been deactivated and signed out.")
        flash(message % {"name": person.shown_name}, "success")
    return redirect(url_for("admin.member", user_id=person.id))


@bp.post("/people/<int:user_id>/reset-link")
@requires("members.reset_link")
def reset_link(user_id: int):
    person = get_scoped_or_404(User, user_id, current_user.organisation_id)
    authorize("members.reset_link", person)
    if not ConfirmForm().validate_on_submit() or not person.active:
        return redirect(url_for("admin.member", user_id=person.id))
    _token, secret = service.issue_password_reset(person, actor=current_user)
    link = external_url("auth.reset_password", token=secret)
    hours = current_app.config["RESET_HOURS"]
    return render_template("admin/reset_link.html", person=person, link=link, hours=hours)


@bp.post("/invitations/<int:token_id>/revoke")
@requires("people.invite")
def revoke_invitation(token_id: int):
    token = get_scoped_or_404(AccountToken, token_id, current_user.organisation_id)
    if token.purpose != TokenPurpose.INVITATION:
        return redirect(url_for("admin.members"))
    if ConfirmForm().validate_on_submit():
        service.revoke_invitation(current_user, token)
        flash(_("The invitation for %(email)s has been cancelled.", email=token.email), "success")
    return redirect(url_for("admin.members"))
