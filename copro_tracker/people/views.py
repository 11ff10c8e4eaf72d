"""Your data (what is held about you, downloads, corrections, consent to being named, erasure requests), and
the admins' list of people's requests. Thin: form → permission → service."""

from __future__ import annotations

from datetime import date, datetime

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..audit import capture
from ..auth import step_up
from ..codes import DataRequestKind, DataRequestStatus
from ..extensions import db
from ..models import DataRequest, utcnow
from ..permissions import authorize, requires
from ..services import EditConflict, ServiceError
from ..tenancy import get_scoped_or_404, parse_id, scoped
from ..web.forms import add_error, show_conflict
from ..web.templating import format_date, format_datetime
from . import bp, erasure, service, your_data
from .forms import AnswerForm, CorrectionForm, EraseForm, ErasureRequestForm, NamedUseForm


@bp.app_template_filter("data_cell")
def data_cell(value: object) -> str:
    """A cell of "Your data": dates in plain English, nothing for None, everything else as text."""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return "" if value is None else str(value)


@bp.get("/profile/your-data")
@requires("data.own")
def your_data_page():
    person = current_user._get_current_object()
    form = NamedUseForm()
    form.named.data = "yes" if person.named_use_withdrawn_at is None else "no"
    data = your_data.gather(person)
    return render_template(
        "people/your_data.html",
        data=data,
        form=form,
        erasure_asked=data.erasure_asked,
        page_events=your_data.PAGE_EVENTS,
    )


def _download(kind: str) -> Response:
    person = current_user._get_current_object()
    data = your_data.gather(person, all_events=True)
    # Taking a copy away is a disclosure, recorded like every other download.
    capture.record(db.session, "person.data_exported", person.organisation_id, "user", person.id, format=kind)
    db.session.commit()
    if kind == "json":
        body, mimetype = your_data.to_json(data, utcnow()), "application/json"
    else:
        body, mimetype = your_data.to_csv(data), "text/csv"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="your-data.{kind}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/profile/your-data/json")
@requires("data.own")
def download_json():
    return _download("json")


@bp.get("/profile/your-data/csv")
@requires("data.own")
def download_csv():
    return _download("csv")


@bp.route("/profile/your-data/correction", methods=["GET", "POST"])
@requires("data.own")
def ask_correction():
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            service.ask(current_user, DataRequestKind.CORRECTION.value, form.details.data or "")
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(
                _("Your request has been sent to your organisation's admins. Their answer will show here."), "success"
            )
            return redirect(url_for("people.your_data_page"))
    return render_template("people/correction.html", form=form)


@bp.route("/profile/your-data/erasure", methods=["GET", "POST"])
@requires("data.own")
def ask_erasure():
    form = ErasureRequestForm()
    if form.validate_on_submit():
        try:
            service.ask(current_user, DataRequestKind.ERASURE.value, form.details.data or "")
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(
                _("Your request has been sent to your organisation's admins. Their answer will show here."), "success"
            )
            return redirect(url_for("people.your_data_page"))
    return render_template("people/erasure_request.html", form=form)


@bp.post("/profile/your-data/named-use")
@requires("data.own")
def named_use():
    form = NamedUseForm()
    if form.validate_on_submit() and form.named.data in ("yes", "no"):
        service.set_named_use(current_user._get_current_object(), form.named.data == "yes")
        if form.named.data == "yes":
            flash(_("Reports can use your name again."), "success")
        else:
            flash(_("Reports made from now on will show you by a made-up name, not your own."), "success")
    else:
        flash(_("Choose whether reports can use your name"), "error")
    return redirect(url_for("people.your_data_page"))


# --- admins: people's requests -------------------------------------------------------------------------------


@bp.get("/admin/data-requests")
@requires("data.requests")
def data_requests():
    # Each row names who asked: their accounts come in the same query, not one query per request.
    rows = db.session.scalars(
        scoped(DataRequest, current_user.organisation_id)
        .options(joinedload(DataRequest.user))
        .order_by((DataRequest.status == DataRequestStatus.OPEN).desc(), DataRequest.id.desc())
    ).all()
    return render_template("people/requests.html", requests=rows)


@bp.route("/admin/data-requests/<int:request_id>", methods=["GET", "POST"])
@requires("data.requests")
def data_request(request_id: int):
    item = get_scoped_or_404(DataRequest, request_id, current_user.organisation_id)
    authorize("data.requests", item)
    form = AnswerForm()
    if not form.is_submitted():
        form.version.data = str(item.version)
    status = 200
    if form.validate_on_submit():
        try:
            service.answer(
                current_user,
                item,
                done=form.done.data == "yes",
                outcome=form.outcome.data or "",
                expected_version=parse_id(form.version.data),
            )
        except EditConflict as error:
            item = get_scoped_or_404(DataRequest, request_id, current_user.organisation_id)
            show_conflict(form, error, item.version, "outcome")
            status = 409
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("Your answer has been saved. The person can see it."), "success")
            return redirect(url_for("people.data_requests"))
    return _request_page(item, form, EraseForm(formdata=None)), status


def _request_page(item: DataRequest, form: AnswerForm, erase_form: EraseForm) -> str:
    person = item.user
    blockers = erasure.erasure_blockers(person, current_user) if item.kind == DataRequestKind.ERASURE else []
    return render_template(
        "people/request.html",
        item=item,
        person=person,
        form=form,
        erase_form=erase_form,
        blockers=blockers,
        stepped_up=step_up.is_recent(current_user._get_current_object()),
    )


@bp.post("/admin/data-requests/<int:request_id>/erase")
@requires("data.requests")
def erase_person(request_id: int):
    item = get_scoped_or_404(DataRequest, request_id, current_user.organisation_id)
    authorize("data.requests", item)
    if item.kind != DataRequestKind.ERASURE or item.status != DataRequestStatus.OPEN:
        abort(404)
    if not step_up.is_recent(current_user._get_current_object()):
        # Erasure cannot be undone: the admin proves it is them, within the last few minutes.
        flash(_("Confirm your password again: it is asked for again after a few minutes."), "error")
        return step_up.ask(url_for("people.data_request", request_id=item.id))
    erase_form = EraseForm()
    if erase_form.validate_on_submit():
        try:
            erasure.erase(item.user, current_user, item, note=erase_form.note.data or "")
        except ServiceError as error:
            add_error(erase_form, _(str(error)), "checked")
        else:
            flash(_("Their details have been erased, and the audit trail still verifies."), "success")
            return redirect(url_for("people.data_requests"))
    form = AnswerForm(formdata=None)
    form.version.data = str(item.version)
    return _request_page(item, form, erase_form)
