"""Payments pages: an initiative's payments, one offer or claim and its steps, the rates card, your own
payments, and the finance export. Routes are thin: form → permission → service → page."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from .. import codes, labels, storage
from ..domain import payments as rules
from ..formatting import format_date
from ..initiatives.access import load_initiative
from ..models import Initiative, ReciprocityEntry
from ..permissions import authorize, can, requires
from ..services import EditConflict, ServiceError
from ..tenancy import parse_id
from ..web import uploads
from ..web.forms import add_error, show_conflict
from . import bp, export, queries, service
from .forms import (
    ApproveForm,
    ChangeOfferForm,
    ChooseForm,
    ClaimForm,
    ExportForm,
    OfferForm,
    PaidForm,
    WithdrawForm,
    rate_card_form_class,
)


def _members(initiative: Initiative):
    return sorted({m.user_id: m.user for m in initiative.memberships}.values(), key=lambda u: u.display_name)


def _activity_choices(initiative: Initiative, empty: str) -> list:
    return [labels.SelectChoice("", empty)] + [
        labels.SelectChoice(str(a.id), f"{a.title} ({format_date(a.occurred_on)})")
        for a in queries.activities_of(initiative)
    ]


def _load_item(initiative_id: int, entry_id: int) -> tuple[Initiative, ReciprocityEntry]:
    initiative = load_initiative(initiative_id, "initiative.view")
    entry = queries.get_item(initiative, entry_id)
    # Another person's payment is not shown to a partner at all: it does not exist for them.
    if entry is None or not can(current_user, "payment.view", entry):
        abort(404)
    return initiative, entry


# --- an initiative's payments ----------------------------------------------------------------------


@bp.get("/initiatives/<int:initiative_id>/payments")
@requires("payment.view")
def initiative_payments(initiative_id: int):
    initiative = load_initiative(initiative_id, "initiative.view")
    sees_all = can(current_user, "payment.view", initiative)
    items = queries.items_for_initiative(initiative, None if sees_all else current_user.id)
    return render_template(
        "payments/initiative.html",
        initiative=initiative,
        items=items,
        sees_all=sees_all,
        may_offer=can(current_user, "payment.offer", initiative),
        may_claim=can(current_user, "payment.claim", initiative),
    )


@bp.route("/initiatives/<int:initiative_id>/payments/offer", methods=["GET", "POST"])
@requires("payment.offer")
def new_offer(initiative_id: int):
    initiative = load_initiative(initiative_id, "payment.offer")
    form = OfferForm()
    form.user_id.choices = [labels.SelectChoice("", _("Choose a person"))] + [
        labels.SelectChoice(str(u.id), u.shown_name) for u in _members(initiative) if u.id != current_user.id
    ]
    form.activity_id.choices = _activity_choices(initiative, _("Choose an activity"))
    if not form.is_submitted():
        form.activity_id.data = request.args.get("activity", "")
    if form.validate_on_submit():
        try:
            entry = service.make_offer(
                current_user,
                initiative,
                user_id=parse_id(form.user_id.data) or 0,
                activity_id=parse_id(form.activity_id.data),
                units=int(form.units.data.strip()),
                amount_pence=rules.parse_pounds(form.amount_pounds.data or ""),
                note=form.note.data or "",
            )
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("The offer has been made."), "success")
            return redirect(url_for("payments.item", initiative_id=initiative.id, entry_id=entry.id))
    card = service.current_rate_card(initiative.organisation_id)
    return render_template("payments/offer.html", initiative=initiative, form=form, card=card)


# A receipt over the limit gets a form error that keeps the other answers, as evidence uploads do
# (web/uploads.py): the body is read through, keeping at most one byte more than the limit of the file.


uploads.allow_oversize(bp, "payments.new_claim")


@bp.route("/initiatives/<int:initiative_id>/payments/claim", methods=["GET", "POST"])
@requires("payment.claim")
def new_claim(initiative_id: int):
    initiative = load_initiative(initiative_id, "payment.claim")
    on_behalf = can(current_user, "payment.view", initiative)
    form = ClaimForm()
    if on_behalf:
        form.user_id.choices = [labels.SelectChoice(str(u.id), u.shown_name) for u in _members(initiative)]
    else:
        del form.user_id  # a member claims only their own expenses, whatever is sent
    form.activity_id.choices = _activity_choices(initiative, _("Not for one activity"))
    if not form.is_submitted():
        if on_behalf:
            form.user_id.data = str(current_user.id)
        form.activity_id.data = request.args.get("activity", "")
    else:
        upload = form.receipt.data
        has_file = bool(upload and getattr(upload, "filename", ""))
        valid = form.validate()
        if not has_file:
            add_error(form, _("Select the receipt to upload"), "receipt")
        elif valid:
            try:
                entry = service.claim_expenses(
                    current_user,
                    initiative,
                    user_id=(parse_id(form.user_id.data) or 0) if on_behalf else current_user.id,
                    activity_id=parse_id(form.activity_id.data),
                    amount_pence=rules.parse_pounds(form.amount_pounds.data) or 0,
                    note=form.note.data or "",
                    spent_on=form.spent_on.data,
                    receipt=upload.read(),
                    receipt_name=upload.filename,
                )
            except ServiceError as error:
                add_error(form, _(str(error)), error.field)
            else:
                flash(_("Your claim has been sent for approval."), "success")
                return redirect(url_for("payments.item", initiative_id=initiative.id, entry_id=entry.id))
    card = service.current_rate_card(initiative.organisation_id)
    return render_template("payments/claim.html", initiative=initiative, form=form, card=card, on_behalf=on_behalf)


# --- one offer or claim ----------------------------------------------------------------------------


# Each step's form on the item page has its own prefix, so the page's field ids stay unique.
STEP_FORMS = {
    "choose_form": (ChooseForm, "choose"),
    "approve_form": (ApproveForm, "approve"),
    "paid_form": (PaidForm, "paid"),
    "withdraw_form": (WithdrawForm, "withdraw"),
}


def _step_form(name: str, **kwargs):
    form_class, prefix = STEP_FORMS[name]
    return form_class(prefix=prefix, **kwargs)


def _item_page(initiative: Initiative, entry: ReciprocityEntry, status: int = 200, **forms):
    version = str(entry.version)
    defaults = {name: _step_form(name, formdata=None, version=version) for name in STEP_FORMS}
    if entry.kind and not entry.is_claim:
        defaults["choose_form"].choice.data = entry.kind.value
    defaults.update(forms)
    # The form that was sent, if any, feeds the page's error summary.
    posted = next(iter(forms.values()), None)
    card = service.current_rate_card(initiative.organisation_id)
    total = service.year_total(entry.user_id, initiative.organisation_id, entry.occurred_on)
    adding = 0 if entry.status in rules.COUNTED or entry.is_claim else entry.amount_pence
    threshold = card.year_threshold_pence if card else None
    steps = {step: rules.allowed(entry.status, step) for step in rules.STEPS}
    offer = not entry.is_claim
    may = {
        "choose": offer and steps["choose"] and can(current_user, "payment.choose", entry),
        "change_offer": offer and steps["change_offer"] and can(current_user, "payment.offer", entry),
        "approve": steps["approve"] and can(current_user, "payment.approve", entry),
        "approve_refused": steps["approve"]
        and can(current_user, "payment.view", initiative)
        and not rules.may_approve(current_user.id, entry.user_id, entry.claimed_by_id),
        "mark_paid": steps["mark_paid"] and can(current_user, "payment.mark_paid", entry),
        "withdraw": steps["withdraw"] and can(current_user, "payment.withdraw", entry),
    }
    page = render_template(
        "payments/item.html",
        initiative=initiative,
        entry=entry,
        card=card,
        total=total,
        adding=adding,
        warn=rules.over_threshold(total, adding, threshold),
        threshold=threshold,
        may=may,
        form=posted,
        **defaults,
    )
    return page, status


@bp.get("/initiatives/<int:initiative_id>/payments/<int:entry_id>")
@requires("payment.view")
def item(initiative_id: int, entry_id: int):
    initiative, entry = _load_item(initiative_id, entry_id)
    return _item_page(initiative, entry)


def _step_route(initiative_id: int, entry_id: int, action: str, name: str, field: str, call) -> object:
    """One step on an item: permission, form, service; a refusal shows the item page again with the message."""
    initiative, entry = _load_item(initiative_id, entry_id)
    authorize(action, entry)
    form = _step_form(name)
    if not form.validate():
        return _item_page(initiative, entry, 400, **{name: form})
    try:
        call(entry, form, parse_id(form.version.data))
    except EditConflict as error:
        show_conflict(form, error, entry.version, field)
        return _item_page(initiative, entry, 409, **{name: form})
    except ServiceError as error:
        add_error(form, _(str(error)), error.field if error.field in form else field)
        return _item_page(initiative, entry, 400, **{name: form})
    return redirect(url_for("payments.item", initiative_id=initiative.id, entry_id=entry.id))


@bp.post("/initiatives/<int:initiative_id>/payments/<int:entry_id>/choose")
@requires("payment.choose")
def choose(initiative_id: int, entry_id: int):
    def call(entry, form, version):
        service.choose(current_user, entry, expected_version=version, choice=form.choice.data)
        flash(_("The choice has been saved."), "success")

    return _step_route(initiative_id, entry_id, "payment.choose", "choose_form", "choice", call)


@bp.post("/initiatives/<int:initiative_id>/payments/<int:entry_id>/approve")
@requires("payment.approve")
def approve(initiative_id: int, entry_id: int):
    def call(entry, form, version):
        service.approve(current_user, entry, expected_version=version)
        flash(_("Approved."), "success")

    return _step_route(initiative_id, entry_id, "payment.approve", "approve_form", "version", call)


@bp.post("/initiatives/<int:initiative_id>/payments/<int:entry_id>/paid")
@requires("payment.mark_paid")
def mark_paid(initiative_id: int, entry_id: int):
    def call(entry, form, version):
        service.mark_paid(
            current_user, entry, expected_version=version, reference=form.reference.data, paid_on=form.paid_on.data
        )
        flash(_("Marked as paid."), "success")

    return _step_route(initiative_id, entry_id, "payment.mark_paid", "paid_form", "reference", call)


@bp.post("/initiatives/<int:initiative_id>/payments/<int:entry_id>/withdraw")
@requires("payment.withdraw")
def withdraw(initiative_id: int, entry_id: int):
    def call(entry, form, version):
        service.withdraw(current_user, entry, expected_version=version, reason=form.reason.data)
        flash(_("Withdrawn. It stays on the record with the reason."), "success")

    return _step_route(initiative_id, entry_id, "payment.withdraw", "withdraw_form", "reason", call)


@bp.route("/initiatives/<int:initiative_id>/payments/<int:entry_id>/change", methods=["GET", "POST"])
@requires("payment.offer")
def change_offer(initiative_id: int, entry_id: int):
    initiative, entry = _load_item(initiative_id, entry_id)
    authorize("payment.offer", entry)
    if entry.is_claim:
        abort(404)
    form = ChangeOfferForm()
    if not form.is_submitted():
        form.version.data = str(entry.version)
        form.units.data = str(entry.units or 1)
        form.amount_pounds.data = rules.pounds_plain(entry.amount_pence)
        form.note.data = entry.note
    elif form.validate():
        try:
            service.change_offer(
                current_user,
                entry,
                expected_version=parse_id(form.version.data),
                units=int(form.units.data.strip()),
                amount_pence=rules.parse_pounds(form.amount_pounds.data) or 0,
                note=form.note.data or "",
            )
        except EditConflict as error:
            show_conflict(form, error, entry.version, "amount_pounds")
            return render_template("payments/change.html", initiative=initiative, entry=entry, form=form), 409
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("The offer has been changed."), "success")
            return redirect(url_for("payments.item", initiative_id=initiative.id, entry_id=entry.id))
    return render_template("payments/change.html", initiative=initiative, entry=entry, form=form)


def _file_response(data: bytes, content_type: str, filename: str, fallback: str) -> Response:
    response = Response(data, mimetype=content_type)
    safe = secure_filename(filename) or fallback
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{safe}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/initiatives/<int:initiative_id>/payments/<int:entry_id>/receipt")
@requires("payment.view")
def receipt(initiative_id: int, entry_id: int):
    initiative, entry = _load_item(initiative_id, entry_id)
    if not entry.has_receipt:
        abort(404)
    try:
        data = storage.read(entry.receipt_storage_key)
    except storage.NotFound:
        abort(404)
    except storage.StoreUnavailable:
        current_app.logger.exception("Receipt %s could not be read from the store", entry.receipt_storage_key)
        abort(503)
    # Read before the disclosure commits, which expires the row (reading it after would load it again).
    content_type, filename = entry.receipt_content_type, entry.receipt_filename
    service.receipt_downloaded(current_user, entry)
    return _file_response(data, content_type, filename, "receipt")


# --- the rates card --------------------------------------------------------------------------------


@bp.route("/admin/payments", methods=["GET", "POST"])
@requires("payment.rates")
def rates():
    card = service.current_rate_card(current_user.organisation_id)
    form = rate_card_form_class()()
    if not form.is_submitted() and card is not None:
        form.expenses_rules.data = card.expenses_rules
        form.benefits_advice.data = card.benefits_advice
        form.benefits_advice_url.data = card.benefits_advice_url
        form.year_threshold.data = rules.pounds_plain(card.year_threshold_pence) if card.year_threshold_pence else ""
        for kind in codes.ActivityKind:
            rate = card.rate_for(kind)
            if rate is not None:
                form[f"basis_{kind.value}"].data = rate[0].value
                form[f"rate_{kind.value}"].data = rules.pounds_plain(rate[1])
    if form.validate_on_submit():
        rates_given = {}
        for kind in codes.ActivityKind:
            pence = rules.parse_pounds(form[f"rate_{kind.value}"].data or "")
            if pence is not None:
                rates_given[kind.value] = (form[f"basis_{kind.value}"].data, pence)
        try:
            service.add_rate_card(
                current_user,
                service.RateCardDetails(
                    effective_from=form.effective_from.data,
                    rates=rates_given,
                    expenses_rules=form.expenses_rules.data or "",
                    year_threshold_pence=rules.parse_pounds(form.year_threshold.data or ""),
                    benefits_advice=form.benefits_advice.data or "",
                    benefits_advice_url=form.benefits_advice_url.data or "",
                ),
            )
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("The rates card has been saved."), "success")
            return redirect(url_for("payments.rates"))
    return render_template(
        "payments/rates.html",
        form=form,
        card=card,
        history=service.rate_card_history(current_user.organisation_id),
        kinds=list(codes.ActivityKind),
    )


# --- your payments ---------------------------------------------------------------------------------


@bp.get("/profile/payments")
@requires("payment.own")
def my_payments():
    items = queries.items_for_person(current_user)
    card = service.current_rate_card(current_user.organisation_id)
    return render_template(
        "payments/mine.html",
        items=items,
        total=service.year_total(current_user.id, current_user.organisation_id),
        card=card,
    )


@bp.get("/profile/payments/download")
@requires("payment.own")
def my_payments_download():
    items = queries.items_for_person(current_user)
    # The file is made before the disclosure is recorded: recording commits, which would expire every row read.
    data = export.to_csv(export.OWN_HEADERS, export.own_rows(items))
    service.record_own_download(current_user, len(items))
    return _file_response(data, "text/csv", "your-payments.csv", "your-payments.csv")


# --- the finance export ----------------------------------------------------------------------------


def _export_range() -> tuple[ExportForm, tuple[date, date] | None]:
    form = ExportForm(formdata=request.args if request.args else None)
    if request.args and form.validate():
        return form, (form.start.data, form.end.data)
    return form, None


@bp.get("/payments/export")
@requires("payment.export")
def finance_export():
    form, span = _export_range()
    items = queries.finance_items(current_user.organisation_id, *span) if span is not None else None
    page = render_template(
        "payments/export.html",
        form=form,
        span=span,
        items=items,
        totals=export.totals(items or []),
        query=request.query_string.decode(),
    )
    if items is not None:
        # After the page is made: recording commits, which would expire every row the page reads.
        service.record_export(current_user, start=span[0], end=span[1], fmt="html", item_ids=[i.id for i in items])
    return page, (400 if request.args and span is None else 200)


@bp.get("/payments/export/csv")
@requires("payment.export")
def finance_export_csv():
    form, span = _export_range()
    if span is None:
        query = request.query_string.decode()
        return redirect(url_for("payments.finance_export") + (f"?{query}" if query else ""))
    items = queries.finance_items(current_user.organisation_id, *span)
    data = export.to_csv(export.FINANCE_HEADERS, export.finance_rows(items))
    service.record_export(current_user, start=span[0], end=span[1], fmt="csv", item_ids=[i.id for i in items])
    name = f"payments-{span[0].isoformat()}-to-{span[1].isoformat()}.csv"
    return _file_response(data, "text/csv", name, name)
