"""Admin pages: retention periods, legal holds, and what is due for disposal or was disposed of. Thin:
form → permission → service."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..auth import step_up
from ..extensions import db
from ..models import Disposal, Initiative, LegalHold, utcnow
from ..permissions import authorize, requires
from ..services import ServiceError
from ..tenancy import get_scoped_or_404, parse_id, scoped
from ..web.forms import add_error
from . import bp, disposal, service
from .forms import WHOLE, LiftHoldForm, PlaceHoldForm, chosen, period_label, rules_form

RECENT_DISPOSALS = 50


@bp.route("/admin/retention", methods=["GET", "POST"])
@requires("retention.manage")
def rules():
    current = service.rules_for(current_user.organisation_id)
    form = rules_form(current)
    if form.validate_on_submit():
        try:
            changed = service.set_rules(current_user._get_current_object(), chosen(form))
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            if changed:
                flash(_("The retention periods have been saved."), "success")
            else:
                flash(_("Nothing was changed."), "success")
            return redirect(url_for("retention.rules"))
    return render_template("retention/rules.html", form=form)


@bp.get("/admin/retention/disposal")
@requires("retention.manage")
def disposals():
    today = utcnow().date()
    held = service.holds_in_force(current_user.organisation_id)
    due = disposal.find_due(current_user.organisation_id, today, ahead=disposal.SOON, holds=held)
    done = db.session.scalars(
        scoped(Disposal, current_user.organisation_id)
        .options(sa.orm.joinedload(Disposal.initiative))
        .order_by(Disposal.disposed_at.desc(), Disposal.id.desc())
        .limit(RECENT_DISPOSALS)
    ).all()
    return render_template(
        "retention/disposal.html",
        due=due,
        done=done,
        today=today,
        soon_days=disposal.SOON.days,
        organisation_held=bool(held.organisation_wide),
        period_label=period_label,
    )


def _hold_choices() -> list[SelectChoice]:
    initiatives = db.session.execute(
        sa.select(Initiative.id, Initiative.title)
        .where(Initiative.organisation_id == current_user.organisation_id)
        .order_by(Initiative.title, Initiative.id)
    ).all()
    whole = SelectChoice(WHOLE, _("The whole organisation"))
    return [whole, *(SelectChoice(str(i), title) for i, title in initiatives)]


@bp.route("/admin/legal-holds", methods=["GET", "POST"])
@requires("legal_hold.manage")
def holds():
    form = PlaceHoldForm()
    form.scope.choices = _hold_choices()
    if form.validate_on_submit():
        initiative = None
        if form.scope.data != WHOLE:
            ident = parse_id(form.scope.data)
            initiative = (
                db.session.scalar(scoped(Initiative, current_user.organisation_id, Initiative.id == ident))
                if ident
                else None
            )
            if initiative is None:
                add_error(form, _("Choose what the hold covers"), "scope")
        if not form.scope.errors:
            try:
                service.place_hold(current_user._get_current_object(), initiative, form.reason.data)
            except ServiceError as error:
                add_error(form, _(str(error)), error.field)
            else:
                flash(_("The legal hold is in place: nothing under it will be disposed of or erased."), "success")
                return redirect(url_for("retention.holds"))
    rows = db.session.scalars(
        scoped(LegalHold, current_user.organisation_id)
        .options(
            sa.orm.joinedload(LegalHold.initiative),
            sa.orm.joinedload(LegalHold.placed_by),
            sa.orm.joinedload(LegalHold.lifted_by),
        )
        .order_by(LegalHold.lifted_at.is_not(None), LegalHold.placed_at.desc(), LegalHold.id.desc())
    ).all()
    return render_template("retention/holds.html", form=form, holds=rows)


@bp.route("/admin/legal-holds/<int:hold_id>/lift", methods=["GET", "POST"])
@requires("legal_hold.manage")
def lift(hold_id: int):
    hold = get_scoped_or_404(LegalHold, hold_id, current_user.organisation_id)
    authorize("legal_hold.manage", hold)
    if hold.lifted_at is not None:
        return redirect(url_for("retention.holds"))
    person = current_user._get_current_object()
    if request.method == "POST" and not step_up.is_recent(person):
        flash(_("Confirm your password again: it is asked for again after a few minutes."), "error")
        return step_up.ask(url_for("retention.lift", hold_id=hold.id))
    form = LiftHoldForm()
    if not form.is_submitted():
        form.version.data = str(hold.version)
    if form.validate_on_submit():
        try:
            service.lift_hold(person, hold, form.reason.data, parse_id(form.version.data))
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("The legal hold has been lifted."), "success")
            return redirect(url_for("retention.holds"))
    return render_template("retention/lift.html", form=form, hold=hold, stepped_up=step_up.is_recent(person))
