"""Initiative pages: list, create, edit, overview (stages as a task list), members, sign-off, reopen."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms import RadioField

from .. import labels, mail
from ..auth import service as accounts
from ..auth.forms import ConfirmForm, InviteForm
from ..codes import OrgRole, PartnerKind, StageKind, StageStatus
from ..notifications import jobs as notification_jobs
from ..permissions import authorize, can, membership_of, requires
from ..services import EditConflict, ServiceError
from ..tenancy import parse_id
from ..web.forms import add_error
from ..web.govuk import GovRadioInput
from ..web.paging import pagination, paging
from ..web.urls import external_url
from . import bp, queries, service
from .access import load_initiative
from .forms import (
    AddMemberForm,
    InitiativeForm,
    MemberRoleForm,
    ReopenForm,
    SignOffForm,
    StageDatesForm,
    TenureForm,
    role_choices,
)

LIST_PAGE_SIZE = 25


def _stage(initiative, kind: str):
    if kind not in {k.value for k in StageKind}:
        abort(404)
    return queries.stage_by_kind(initiative, StageKind(kind))


@bp.get("/initiatives")
@requires("initiative.list")
def list_initiatives():
    search = {
        "title": request.args.get("title", "")[:200],
        "stage": request.args.get("stage", ""),
        "service_area": request.args.get("service_area", "")[:120],
        "co_lead": request.args.get("co_lead", ""),
    }
    co_lead_id = int(search["co_lead"]) if search["co_lead"].isdigit() and len(search["co_lead"]) < 10 else None
    stmt = queries.filter_initiatives(
        queries.visible_initiatives_stmt(current_user),
        title=search["title"],
        stage=search["stage"],
        service_area=search["service_area"],
        co_lead_id=co_lead_id,
    )
    page = paging(queries.count_rows(stmt), LIST_PAGE_SIZE)
    return render_template(
        "initiatives/list.html",
        initiatives=queries.initiatives_page(stmt, page.size, page.offset),
        page=page,
        pages=pagination(page, _("Pages of initiatives")),
        search=search,
        searching=any(search.values()),
        co_leads=queries.co_lead_choices(current_user),
    )


@bp.route("/initiatives/new", methods=["GET", "POST"])
@requires("initiative.create")
def new_initiative():
    form = InitiativeForm()
    if form.validate_on_submit():
        initiative = service.create(
            current_user,
            title=form.title.data,
            summary=form.summary.data,
            service_area=form.service_area.data or "",
            statutory_functions=form.statutory_functions.data,
            level=form.level.data,
            nhs_partnered=bool(form.nhs_partnered.data),
        )
        flash(_("Initiative created. Next, add the people you will work with."), "success")
        return redirect(url_for("initiatives.members", initiative_id=initiative.id))
    return render_template("initiatives/form.html", form=form, initiative=None)


@bp.route("/initiatives/<int:initiative_id>/edit", methods=["GET", "POST"])
@requires("initiative.edit")
def edit_initiative(initiative_id: int):
    initiative = load_initiative(initiative_id, "initiative.edit")
    form = InitiativeForm(obj=initiative)
    if not form.is_submitted():
        form.version.data = str(initiative.version)
    if form.validate_on_submit():
        try:
            service.update(
                current_user,
                initiative,
                expected_version=parse_id(form.version.data) or 0,
                title=form.title.data,
                summary=form.summary.data,
                service_area=form.service_area.data or "",
                statutory_functions=form.statutory_functions.data,
                level=form.level.data,
                nhs_partnered=bool(form.nhs_partnered.data),
            )
        except EditConflict as error:
            # Keep what the person typed; show what is saved now so they can reconcile.
            current = queries.get_initiative(initiative_id, current_user.organisation_id)
            form.version.data = str(current.version)
            add_error(form, _("%(error)s. Check the saved version below, then save again.", error=str(error)), "title")
            return render_template("initiatives/form.html", form=form, initiative=current, conflict=current), 409
        flash(_("Changes saved."), "success")
        return redirect(url_for("initiatives.overview", initiative_id=initiative.id))
    return render_template("initiatives/form.html", form=form, initiative=initiative)


@bp.get("/initiatives/<int:initiative_id>")
@requires("initiative.view")
def overview(initiative_id: int):
    initiative = load_initiative(initiative_id)
    views = queries.stage_views(initiative, queries.activity_lines(initiative))
    next_step = queries.next_step(
        views,
        current_user.id,
        manage=can(current_user, "initiative.manage_members", initiative),
        contribute=can(current_user, "initiative.contribute", initiative),
        sign=can(current_user, "stage.sign_off", initiative),
    )
    return render_template(
        "initiatives/overview.html",
        initiative=initiative,
        stages=views,
        next_step=next_step,
        missing_co_leads=queries.missing_co_leads(initiative),
        membership=membership_of(current_user, initiative),
    )


@bp.route("/initiatives/<int:initiative_id>/members", methods=["GET", "POST"])
@requires("initiative.view")
def members(initiative_id: int):
    initiative = load_initiative(initiative_id)
    form = AddMemberForm()
    manage = can(current_user, "initiative.manage_members", initiative)
    candidates = service.candidates_to_add(initiative) if manage else []
    form.user_id.choices = [labels.SelectChoice("", _("Choose a person"))] + [
        labels.SelectChoice(str(p.id), f"{p.shown_name} ({labels.label(labels.ROLE, p.role)})") for p in candidates
    ]
    if form.is_submitted():
        authorize("initiative.manage_members", initiative)
        if form.validate():
            person = next((p for p in candidates if str(p.id) == form.user_id.data), None)
            if person is None:
                add_error(form, _("Choose a person from the list"), "user_id")
            else:
                try:
                    membership = service.add_member(
                        current_user, initiative, person, form.role.data, form.joined_on.data
                    )
                except ServiceError as error:
                    add_error(form, _(str(error)), error.field)
                else:
                    notification_jobs.added_to_initiative(membership)
                    flash(_("%(name)s has been added and told.", name=person.shown_name), "success")
                    return redirect(url_for("initiatives.members", initiative_id=initiative.id))
    return render_template(
        "initiatives/members.html",
        initiative=initiative,
        form=form,
        manage=manage,
        role_form=MemberRoleForm(),
        confirm=ConfirmForm(),
        missing_co_leads=queries.missing_co_leads(initiative),
    )


@bp.post("/initiatives/<int:initiative_id>/members/<int:membership_id>/role")
@requires("initiative.manage_members")
def change_member_role(initiative_id: int, membership_id: int):
    initiative = load_initiative(initiative_id, "initiative.manage_members")
    membership = service.get_membership(initiative, membership_id) or abort(404)
    form = MemberRoleForm()
    if form.validate_on_submit():
        try:
            service.change_member_role(current_user, initiative, membership, form.role.data)
        except ServiceError as error:
            flash(_(str(error)), "error")
        else:
            flash(_("%(name)s's role has been changed.", name=membership.user.shown_name), "success")
    else:
        flash(_("Choose a role"), "error")
    return redirect(url_for("initiatives.members", initiative_id=initiative.id))


@bp.post("/initiatives/<int:initiative_id>/members/<int:membership_id>/remove")
@requires("initiative.manage_members")
def remove_member(initiative_id: int, membership_id: int):
    initiative = load_initiative(initiative_id, "initiative.manage_members")
    membership = service.get_membership(initiative, membership_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        service.remove_member(current_user, initiative, membership)
        flash(_("%(name)s has left the initiative. Their record stays.", name=membership.user.shown_name), "success")
    return redirect(url_for("initiatives.members", initiative_id=initiative.id))


@bp.route("/initiatives/<int:initiative_id>/members/<int:membership_id>/dates", methods=["GET", "POST"])
@requires("initiative.manage_members")
def tenure_dates(initiative_id: int, membership_id: int):
    initiative = load_initiative(initiative_id, "initiative.manage_members")
    membership = service.get_membership(initiative, membership_id) or abort(404)
    form = TenureForm()
    if not form.is_submitted():
        form.joined_on.data = membership.joined_on
        form.left_on.data = membership.left_on
    if form.validate_on_submit():
        try:
            service.set_tenure(current_user, initiative, membership, form.joined_on.data, form.left_on.data)
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("%(name)s's dates have been saved.", name=membership.user.shown_name), "success")
            return redirect(url_for("initiatives.members", initiative_id=initiative.id))
    return render_template("initiatives/tenure.html", form=form, initiative=initiative, membership=membership)


@bp.route("/initiatives/<int:initiative_id>/stages/<kind>/dates", methods=["GET", "POST"])
@requires("initiative.edit")
def stage_dates(initiative_id: int, kind: str):
    initiative = load_initiative(initiative_id, "initiative.edit")
    stage = _stage(initiative, kind)
    form = StageDatesForm()
    if not form.is_submitted():
        form.opened_on.data = stage.opened_on
        form.closed_on.data = stage.closed_on
    if form.validate_on_submit():
        try:
            # Only a finished stage shows (and accepts) a finish date; the gate sets it otherwise.
            finished = form.closed_on.data if stage.status == StageStatus.COMPLETE else None
            service.set_stage_dates(current_user, stage, form.opened_on.data, finished)
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("The stage's dates have been saved."), "success")
            return redirect(url_for("initiatives.overview", initiative_id=initiative.id))
    return render_template("initiatives/stage_dates.html", form=form, initiative=initiative, stage=stage)


class InitiativeInviteForm(InviteForm):
    initiative_role = RadioField(
        _l("Their role in this initiative"),
        widget=GovRadioInput(),
        choices=role_choices(),
        default="member",
    )


@bp.route("/initiatives/<int:initiative_id>/members/invite", methods=["GET", "POST"])
@requires("initiative.manage_members")
def invite_member(initiative_id: int):
    initiative = load_initiative(initiative_id, "initiative.manage_members")
    authorize("people.invite")
    form = InitiativeInviteForm()
    form.role.choices = [c for c in form.role.choices if c.value != OrgRole.ADMIN.value]
    if form.validate_on_submit():
        # Someone with an account here already needs no link to join: they are added, and told as they
        # chose to hear (in the app, and by email if they want it). Anyone else gets the invitation email.
        existing = accounts.account_in(current_user.organisation_id, form.email.data)
        if existing is not None:
            try:
                membership = service.add_member(
                    current_user, initiative, existing, form.initiative_role.data or "member"
                )
            except ServiceError as error:
                add_error(form, _(str(error)), "email")
            else:
                notification_jobs.added_to_initiative(membership)
                flash(
                    _(
                        "%(name)s already has an account, so they have been added to this initiative and told.",
                        name=existing.shown_name,
                    ),
                    "success",
                )
                return redirect(url_for("initiatives.members", initiative_id=initiative.id))
            return render_template("initiatives/invite.html", form=form, initiative=initiative)
        try:
            token, secret = accounts.invite(
                current_user,
                email=form.email.data,
                display_name=form.display_name.data,
                role=OrgRole(form.role.data),
                partner_kind=PartnerKind(form.partner_kind.data),
                initiative_id=initiative.id,
                initiative_role=form.initiative_role.data or "member",
            )
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            link = external_url("auth.accept_invitation", token=secret)
            subject, body = mail.compose(
                mail.languages_for(None, current_user.organisation.nation),
                lambda: (
                    _("You are invited to join %(title)s", title=initiative.title),
                    ngettext(
                        '%(inviter)s has invited you to work together on "%(title)s".\n\n'
                        "Open this link to set up your account (it works once, for %(num)s day):\n%(link)s\n",
                        '%(inviter)s has invited you to work together on "%(title)s".\n\n'
                        "Open this link to set up your account (it works once, for %(num)s days):\n%(link)s\n",
                        current_app.config["INVITATION_DAYS"],
                        inviter=current_user.display_name,
                        title=initiative.title,
                        link=link,
                    ),
                ),
            )
            emailed = mail.send(token.email, subject, body)
            return render_template("auth/invitation_created.html", token=token, link=link, emailed=emailed)
    return render_template("initiatives/invite.html", form=form, initiative=initiative)


@bp.route("/initiatives/<int:initiative_id>/stages/<kind>/sign-off", methods=["GET", "POST"])
@requires("stage.sign_off")
def sign_off(initiative_id: int, kind: str):
    initiative = load_initiative(initiative_id, "stage.sign_off")
    stage = _stage(initiative, kind)
    form = SignOffForm()
    if form.validate_on_submit():
        try:
            record = service.sign_off(current_user, stage, form.decision.data, form.comment.data or "")
        except ServiceError as error:
            add_error(form, _(str(error)), error.field or "decision")
        else:
            flash(
                _("Your view has been recorded.")
                if record.decision.value == "dissent"
                else _("Your sign-off has been recorded."),
                "success",
            )
            return redirect(url_for("initiatives.overview", initiative_id=initiative.id))
    view = next(v for v in queries.stage_views(initiative) if v.stage.id == stage.id)
    return render_template("initiatives/sign_off.html", form=form, initiative=initiative, view=view)


@bp.route("/initiatives/<int:initiative_id>/stages/<kind>/reopen", methods=["GET", "POST"])
@requires("stage.reopen")
def reopen_stage(initiative_id: int, kind: str):
    initiative = load_initiative(initiative_id, "stage.reopen")
    stage = _stage(initiative, kind)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            service.reopen(current_user, stage, form.reason.data)
        except ServiceError as error:
            add_error(form, _(str(error)), error.field or "reason")
        else:
            flash(
                _("The %(stage)s stage has been reopened.", stage=labels.label(labels.STAGE, stage.kind).lower()),
                "success",
            )
            return redirect(url_for("initiatives.overview", initiative_id=initiative.id))
    return render_template("initiatives/reopen.html", form=form, initiative=initiative, stage=stage)
