"""Outputs and reciprocity pages for one initiative."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import labels
from ..initiatives.access import load_initiative
from ..models import Output
from ..permissions import authorize, can, requires
from ..services import ServiceError
from ..tenancy import get_scoped, parse_id
from ..web.forms import add_error
from . import bp, service
from .forms import OutputForm, ReciprocityForm


def _members(initiative):
    return sorted({m.user_id: m.user for m in initiative.memberships}.values(), key=lambda u: u.display_name)


@bp.get("/initiatives/<int:initiative_id>/outputs")
@requires("initiative.view")
def list_outputs(initiative_id: int):
    initiative = load_initiative(initiative_id, "initiative.view")
    names = {u.id: u.display_name for u in _members(initiative)}
    return render_template(
        "outputs/list.html", initiative=initiative, outputs=service.outputs_for(initiative), names=names
    )


@bp.route("/initiatives/<int:initiative_id>/outputs/new", methods=["GET", "POST"])
@bp.route("/initiatives/<int:initiative_id>/outputs/<int:output_id>/edit", methods=["GET", "POST"])
@requires("initiative.contribute")
def edit_output(initiative_id: int, output_id: int | None = None):
    initiative = load_initiative(initiative_id, "initiative.contribute")
    output = None
    if output_id is not None:
        output = get_scoped(Output, output_id, current_user.organisation_id)
        if output is None or output.initiative_id != initiative.id:
            abort(404)
    form = OutputForm(obj=output)
    form.co_author_ids.choices = [labels.SelectChoice(u.id, u.display_name) for u in _members(initiative)]
    form.evidence_id.choices = [labels.SelectChoice("", _("None"))] + [
        labels.SelectChoice(str(e.id), e.filename) for e in service.evidence_choices(initiative)
    ]
    if not form.is_submitted() and output is not None:
        form.version.data = str(output.version)
        form.evidence_id.data = str(output.evidence_id or "")
        form.kind.data = output.kind.value
    if form.validate_on_submit():
        try:
            saved = service.save_output(
                current_user,
                initiative,
                output,
                expected_version=parse_id(form.version.data),
                kind=form.kind.data,
                title=form.title.data,
                document_version=form.document_version.data or "1",
                co_author_ids=form.co_author_ids.data or [],
                published_url=form.published_url.data or "",
                published_on=form.published_on.data,
                formats=form.formats.data or [],
                evidence_id=parse_id(form.evidence_id.data),
            )
        except ServiceError as error:
            add_error(form, str(error), error.field)
        else:
            flash(_("“%(title)s” has been saved.", title=saved.title), "success")
            return redirect(url_for("outputs.list_outputs", initiative_id=initiative.id))
    return render_template("outputs/form.html", initiative=initiative, form=form, output=output)


def _pence(raw: str) -> int | None:
    if not raw:
        return 0
    try:
        amount = Decimal(raw.replace("£", "").replace(",", "").strip())
    except InvalidOperation:
        return None
    if amount < 0 or amount > 100000 or amount.as_tuple().exponent < -2:
        return None
    return int(amount * 100)


@bp.route("/initiatives/<int:initiative_id>/recognition", methods=["GET", "POST"])
@requires("initiative.view")
def recognition(initiative_id: int):
    initiative = load_initiative(initiative_id, "initiative.view")
    sees_all = can(current_user, "initiative.edit", initiative)
    form = ReciprocityForm()
    # Yourself is not offered: what you are given is recorded, and so approved, by another lead.
    form.user_id.choices = [labels.SelectChoice("", _("Choose a person"))] + [
        labels.SelectChoice(str(u.id), u.display_name) for u in _members(initiative) if u.id != current_user.id
    ]
    form.activity_id.choices = [labels.SelectChoice("", _("Not for one activity"))] + [
        labels.SelectChoice(str(a.id), f"{a.title} ({a.occurred_on:%-d %B %Y})")
        for a in service.activities_of(initiative)
    ]
    if form.is_submitted():
        authorize("initiative.edit", initiative)
        if form.validate():
            pence = _pence(form.amount_pounds.data or "")
            if pence is None:
                add_error(form, _("Enter an amount in pounds, like 25 or 25.50"), "amount_pounds")
            elif parse_id(form.user_id.data) is None:
                add_error(form, _("Choose who it was for"), "user_id")
            else:
                try:
                    service.record_reciprocity(
                        current_user,
                        initiative,
                        user_id=int(form.user_id.data),
                        kind=form.kind.data,
                        amount_pence=pence,
                        hours=form.hours.data or 0,
                        note=form.note.data or "",
                        occurred_on=form.occurred_on.data,
                        activity_id=parse_id(form.activity_id.data),
                    )
                except ServiceError as error:
                    add_error(form, str(error), error.field)
                else:
                    flash(_("Recorded."), "success")
                    return redirect(url_for("outputs.recognition", initiative_id=initiative.id))
    entries = service.reciprocity_for(initiative, None if sees_all else current_user.id)
    return render_template(
        "outputs/recognition.html", initiative=initiative, entries=entries, form=form, sees_all=sees_all
    )
