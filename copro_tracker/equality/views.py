"""Equality monitoring pages. A person answers on /profile/equality (also offered, skippable, straight after
accepting an invitation); admins see suppressed counts on /admin/equality and manage the groups and the
reference figures. No route shows one person's answers to anyone else. Thin: form → permission → service."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import labels
from ..codes import EQUALITY_CODES, PREFER_NOT_TO_SAY, EqualityQuestion
from ..extensions import db
from ..models import Initiative, SeldomHeardGroup
from ..permissions import authorize, requires
from ..services import ServiceError
from ..tenancy import get_scoped_or_404, parse_id, scoped
from ..web.forms import add_error
from . import bp, queries, service
from .forms import EqualityForm, GroupForm, RetireForm, reference_form

AFTER_INVITATION = "invitation"


def group_name(group: SeldomHeardGroup) -> str:
    return group.name_cy if str(get_locale() or "en") == "cy" and group.name_cy else group.name


@bp.route("/profile/equality", methods=["GET", "POST"])
@requires("equality.own")
def own_answers():
    person = current_user._get_current_object()
    answers = service.answers_of(person)
    if answers is not None:
        authorize("equality.answers", answers)
    welcome = request.args.get("after") == AFTER_INVITATION
    form = EqualityForm()
    offered = service.groups(person.organisation_id)
    ticked = set(answers.seldom_heard or []) if answers else set()
    # A retired group the person ticked stays on their form, so saving does not silently drop it.
    retired = [g for g in service.groups(person.organisation_id, include_retired=True) if str(g.id) in ticked]
    shown = {g.id: g for g in [*offered, *retired]}
    form.offer_groups([(str(g.id), group_name(g)) for g in shown.values()])
    if not form.is_submitted() and answers is not None:
        for name in EqualityForm.QUESTIONS:
            getattr(form, name).data = answers.answer(EqualityQuestion(name))
        form.seldom_heard.data = list(answers.seldom_heard or [])
    if form.validate_on_submit():
        try:
            changed = service.save_answers(
                person, {name: getattr(form, name).data for name in EqualityForm.QUESTIONS}, form.seldom_heard.data
            )
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            if changed:
                flash(_("Your answers have been saved. Only you can see them."), "success")
            elif welcome:
                flash(_("You did not answer any questions. You can answer them later on your profile."), "success")
            return redirect(url_for("main.dashboard") if welcome else url_for("auth.profile"))
    return render_template("equality/own_answers.html", form=form, welcome=welcome, answered=answers is not None)


# --- admins: counts only --------------------------------------------------------------------------------------


def _category_label(question: str, code: str, groups: dict[str, SeldomHeardGroup]) -> str:
    if question == EqualityQuestion.SELDOM_HEARD.value:
        if code in groups:
            return group_name(groups[code])
        return _("None of these")
    return labels.label(labels.EQUALITY_ANSWERS[question], code)


@bp.get("/admin/equality")
@requires("equality.aggregates")
def overview():
    initiatives = db.session.scalars(
        scoped(Initiative, current_user.organisation_id).order_by(Initiative.title, Initiative.id)
    ).all()
    chosen = parse_id(request.args.get("initiative"))
    initiative = next((i for i in initiatives if i.id == chosen), None)
    data = queries.overview(current_user.organisation_id, initiative.id if initiative else None)
    return render_template(
        "equality/overview.html",
        data=data,
        initiatives=initiatives,
        initiative=initiative,
        category_label=lambda q, c: _category_label(q, c, data.groups),
    )


@bp.route("/admin/equality/groups", methods=["GET", "POST"])
@requires("equality.manage")
def manage_groups():
    form = GroupForm()
    if form.validate_on_submit():
        try:
            service.add_group(current_user, form.name.data or "", form.name_cy.data or "")
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("The group has been added. People can now say they belong to it."), "success")
            return redirect(url_for("equality.manage_groups"))
    groups = service.groups(current_user.organisation_id, include_retired=True)
    return render_template("equality/groups.html", form=form, groups=groups, retire_form=RetireForm(formdata=None))


@bp.post("/admin/equality/groups/<int:group_id>/retire")
@requires("equality.manage")
def retire_group(group_id: int):
    group = get_scoped_or_404(SeldomHeardGroup, group_id, current_user.organisation_id)
    authorize("equality.manage", group)
    if RetireForm().validate_on_submit():
        try:
            service.retire_group(current_user, group)
        except ServiceError as error:
            flash(_(str(error)), "error")
        else:
            flash(_("People will no longer be asked about this group. Answers already given still count."), "success")
    return redirect(url_for("equality.manage_groups"))


def _categories(question: EqualityQuestion) -> list[tuple[str, object]]:
    if question == EqualityQuestion.SELDOM_HEARD:
        return [(str(g.id), group_name(g)) for g in service.groups(current_user.organisation_id)]
    table = labels.EQUALITY_ANSWERS[question.value]
    return [(code.value, table[code]) for code in EQUALITY_CODES[question] if code.value != PREFER_NOT_TO_SAY]


@bp.route("/admin/equality/reference/<question>", methods=["GET", "POST"])
@requires("equality.manage")
def reference(question: str):
    try:
        asked = EqualityQuestion(question)
    except ValueError:
        abort(404)
    categories = _categories(asked)
    form = reference_form(categories)
    saved = service.reference_figures(current_user.organisation_id).get(asked.value)
    if not form.is_submitted() and saved is not None:
        form.source.data, form.as_of.data = saved.source, saved.as_of
        for code, _label in categories:
            getattr(form, f"figure_{code}").data = saved.figures.get(code, "")
    if form.validate_on_submit():
        figures = {code: getattr(form, f"figure_{code}").data for code, _label in categories}
        try:
            service.set_reference(current_user, asked, figures, form.source.data or "", form.as_of.data)
        except ServiceError as error:
            add_error(form, _(str(error)), f"figure_{error.field}" if error.field in figures else error.field)
        else:
            flash(_("The reference figures have been saved."), "success")
            return redirect(url_for("equality.overview"))
    fields = [getattr(form, f"figure_{code}") for code, _label in categories]
    return render_template("equality/reference.html", form=form, question=asked, fields=fields)
