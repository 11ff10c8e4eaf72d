"""Outputs pages for one initiative."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import labels
from ..initiatives.access import load_initiative
from ..models import Output
from ..permissions import requires
from ..services import ServiceError
from ..tenancy import get_scoped, parse_id
from ..web.forms import add_error
from . import bp, service
from .forms import OutputForm


def _members(initiative):
    return sorted({m.user_id: m.user for m in initiative.memberships}.values(), key=lambda u: u.display_name)


@bp.get("/initiatives/<int:initiative_id>/outputs")
@requires("initiative.view")
def list_outputs(initiative_id: int):
    initiative = load_initiative(initiative_id, "initiative.view")
    names = {u.id: u.shown_name for u in _members(initiative)}
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
    form.co_author_ids.choices = [labels.SelectChoice(u.id, u.shown_name) for u in _members(initiative)]
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
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("“%(title)s” has been saved.", title=saved.title), "success")
            return redirect(url_for("outputs.list_outputs", initiative_id=initiative.id))
    return render_template("outputs/form.html", initiative=initiative, form=form, output=output)
