"""Activity pages: record and edit activities, attendance, ratings, confirmations, decisions,
"you said, we did" recommendations and evidence files. Routes are thin: form → permission → service."""

from __future__ import annotations

from urllib.parse import quote

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename
from wtforms.fields.choices import SelectChoice

from .. import labels, storage
from ..codes import Nation, Side
from ..formatting import format_date
from ..models import Evidence
from ..people import disclosure
from ..permissions import authorize, can, requires
from ..services import EditConflict, ServiceError
from ..web import uploads
from ..web.forms import add_error, show_conflict
from . import bp, queries, service, withdraw
from .forms import (
    ActivityForm,
    ConfirmActivityForm,
    EvidenceForm,
    RatingForm,
    RecommendationForm,
    RespondForm,
    ReviewForm,
    WithdrawForm,
    attendance_form_class,
    decision_form_class,
)


def _load(initiative_id: int, action: str = "initiative.view"):
    initiative = queries.get_initiative(initiative_id, current_user.organisation_id)
    if initiative is None:
        abort(404)
    authorize(action, initiative)
    return initiative


def _activity(initiative, activity_id: int):
    activity = queries.get_activity(initiative, activity_id)
    if activity is None:
        abort(404)
    return activity


def _int(value) -> int | None:
    try:
        number = int(str(value or "").strip())
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


def _version(form) -> int | None:
    return _int(form.version.data)


# --- activities -------------------------------------------------------------------------------------


def _activity_choices(form: ActivityForm, initiative, activity=None) -> None:
    stages = queries.open_stages(initiative)
    if activity is not None and activity.stage not in stages:
        stages = [activity.stage, *stages]
    form.stage_id.choices = [SelectChoice(str(s.id), labels.label(labels.STAGE, s.kind)) for s in stages]
    members = [m for m in initiative.memberships if m.left_on is None]
    form.attendees.choices = [
        SelectChoice(str(m.user_id), f"{m.user.shown_name} ({labels.label(labels.SIDE, m.side)})") for m in members
    ]
    partners = [m for m in members if m.side == Side.CITIZEN_PARTNER]
    form.on_behalf_of.choices = [SelectChoice("", _("No, I am recording this myself"))] + [
        SelectChoice(str(m.user_id), m.user.shown_name) for m in partners
    ]


def _details(form: ActivityForm, may_record_for_others: bool) -> service.ActivityDetails:
    if form.everyone_attended.data:
        form.attendees.data = [choice.value for choice in form.attendees.choices]
    attendees = [n for n in (_int(v) for v in form.attendees.data or []) if n is not None]
    if len(attendees) != len(form.attendees.data or []):
        raise ServiceError(_("Choose attendees from the list of current members"), "attendees")
    stage_id = _int(form.stage_id.data)
    if stage_id is None:
        raise ServiceError(_("Choose which stage the activity is part of"), "stage_id")
    on_behalf = _int(form.on_behalf_of.data) if may_record_for_others else None
    if may_record_for_others and form.on_behalf_of.data and on_behalf is None:
        raise ServiceError(_("Choose a citizen partner from the list"), "on_behalf_of")
    return service.ActivityDetails(
        stage_id=stage_id,
        kind=form.kind.data or "",
        occurred_on=form.occurred_on.data,
        title=form.title.data or "",
        notes=form.notes.data or "",
        attendee_ids=attendees,
        guests=service.parse_guests(form.guests.data or ""),
        guests_are_citizens=bool(form.guests_are_citizens.data),
        on_behalf_of_id=on_behalf,
        languages=tuple(form.languages.data or ()),
        interpretation=tuple(form.interpretation.data or ()),
        material_formats=tuple(form.material_formats.data or ()),
        asked_about_welsh_effects=(form.welsh_effects.data or "") if _in_wales() else None,
    )


@bp.route("/initiatives/<int:initiative_id>/activities/new", methods=["GET", "POST"])
@requires("initiative.contribute")
def new_activity(initiative_id: int):
    initiative = _load(initiative_id, "initiative.contribute")
    form = ActivityForm()
    _activity_choices(form, initiative)
    may_record_for_others = current_user.is_commissioner_side
    if not form.is_submitted():
        wanted = request.args.get("stage", "")
        stage = next((s for s in queries.open_stages(initiative) if s.kind.value == wanted), None)
        stage = stage or next((s for s in queries.open_stages(initiative) if s.kind == initiative.current_stage), None)
        form.stage_id.data = str(stage.id) if stage else None
    if form.validate_on_submit():
        try:
            activity = service.record_activity(current_user, initiative, _details(form, may_record_for_others))
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("Activity recorded. Now say who contributed and which adjustments were provided."), "success")
            # The commit expired every row: reading activity.id or initiative.id would reload them (and the
            # initiative's members and stages with it) just to build this link.
            activity_id = sa.inspect(activity).identity[0]
            return redirect(url_for("activities.attendance", initiative_id=initiative_id, activity_id=activity_id))
    if not form.stage_id.choices:
        flash(_("There is no open stage to record an activity in."), "error")
    return render_template(
        "activities/form.html", form=form, initiative=initiative, activity=None, record_for_others=may_record_for_others
    )


@bp.get("/initiatives/<int:initiative_id>/activities/<int:activity_id>")
@requires("initiative.view")
def activity(initiative_id: int, activity_id: int):
    initiative = _load(initiative_id)
    record = _activity(initiative, activity_id)
    return render_template(
        "activities/activity.html",
        initiative=initiative,
        activity=record,
        ratings=queries.ratings(initiative, record),
        sides={a.id: queries.side_of_attendance(initiative, a) for a in record.attendances},
        evidence=queries.evidence_for(initiative, Evidence.activity_id == record.id),
        decisions=[d for d in record.decisions if d.withdrawn_at is None],
        my_attendance=next((a for a in record.attendances if a.user_id == current_user.id), None),
        contribute=can(current_user, "initiative.contribute", initiative),
        # Need to know: others see only that adjustments were arranged; staff and co-leads can open them.
        arranged=any(
            a.adjustments_requested or a.adjustments_provided
            for a in record.attendances
            if a.user_id != current_user.id
        ),
        arranges=can(current_user, "needs.arrange", initiative),
    )


@bp.get("/initiatives/<int:initiative_id>/activities/<int:activity_id>/adjustments")
@requires("needs.arrange")
def activity_adjustments(initiative_id: int, activity_id: int):
    """Each attendee's adjustments, for staff and co-leads; every opening is recorded as a disclosure."""
    initiative = _load(initiative_id)
    authorize("needs.arrange", initiative)
    record = _activity(initiative, activity_id)
    rows = [a for a in record.attendances if can(current_user, "needs.view", a)]
    # Rendered first: recording commits, which would expire every row read and reload each one.
    page = render_template(
        "activities/adjustments.html",
        initiative=initiative,
        activity=record,
        rows=rows,
        sides={a.id: queries.side_of_attendance(initiative, a) for a in rows},
        contribute=can(current_user, "initiative.contribute", initiative),
    )
    disclosure.record_needs_viewed(
        current_user.id,
        initiative.organisation_id,
        "activity",
        record.id,
        [a.user_id for a in rows],
        initiative_id=initiative.id,
        where="activity_adjustments",
    )
    return page


@bp.route("/initiatives/<int:initiative_id>/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@requires("initiative.contribute")
def edit_activity(initiative_id: int, activity_id: int):
    initiative = _load(initiative_id, "initiative.contribute")
    record = _activity(initiative, activity_id)
    form = ActivityForm()
    _activity_choices(form, initiative, record)
    if not form.is_submitted():
        form.stage_id.data = str(record.stage_id)
        form.kind.data = record.kind.value
        form.occurred_on.data = record.occurred_on
        form.title.data = record.title
        form.notes.data = record.notes
        form.attendees.data = [str(a.user_id) for a in record.attendances if a.user_id]
        form.guests.data = "\n".join(a.guest_name for a in record.attendances if not a.user_id)
        form.guests_are_citizens.data = any(a.guest_is_citizen for a in record.attendances if not a.user_id)
        form.languages.data = list(record.languages or [])
        form.interpretation.data = list(record.interpretation or [])
        form.material_formats.data = list(record.material_formats or [])
        if record.asked_about_welsh_effects is not None:
            form.welsh_effects.data = "yes" if record.asked_about_welsh_effects else "no"
        form.version.data = str(record.version)
    conflict = None
    if form.validate_on_submit():
        try:
            details = _details(form, False)
            service.update_activity(current_user, initiative, record, details, _version(form))
        except EditConflict as error:
            conflict = queries.get_activity(initiative, activity_id)
            show_conflict(form, error, conflict.version, "title")
            return render_template(
                "activities/form.html", form=form, initiative=initiative, activity=record, conflict=conflict
            ), 409
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("activities.activity", initiative_id=initiative.id, activity_id=record.id))
    return render_template("activities/form.html", form=form, initiative=initiative, activity=record)


@bp.route("/initiatives/<int:initiative_id>/activities/<int:activity_id>/attendance", methods=["GET", "POST"])
@requires("initiative.contribute")
def attendance(initiative_id: int, activity_id: int):
    initiative = _load(initiative_id, "initiative.contribute")
    record = _activity(initiative, activity_id)
    # Need to know: adjustment fields only for the rows this person may change (their own, or all for staff and
    # co-leads); showing them someone else's is a disclosure, recorded when the form is first opened.
    editable = {a.id for a in record.attendances if can(current_user, "needs.edit", a)}
    form = attendance_form_class(record.attendances, editable)()
    if not form.is_submitted():
        form.version.data = str(record.version)
        for row in record.attendances:
            form[f"contributed_{row.id}"].data = row.contributed
            if row.id in editable:
                form[f"requested_{row.id}"].data = list(row.adjustments_requested or [])
                form[f"provided_{row.id}"].data = list(row.adjustments_provided or [])
    if form.validate_on_submit():
        rows = [
            service.AttendanceRow(
                row.id,
                bool(form.everyone_contributed.data or form[f"contributed_{row.id}"].data),
                list(form[f"requested_{row.id}"].data or []) if row.id in editable else None,
                list(form[f"provided_{row.id}"].data or []) if row.id in editable else None,
            )
            for row in record.attendances
        ]
        try:
            service.record_attendance(current_user, record, rows, _version(form))
        except EditConflict as error:
            current = queries.get_activity(initiative, activity_id)
            form.version.data = str(current.version)
            add_error(form, _("%(error)s. Check your answers, then save again.", error=_(str(error))))
            return render_template(
                "activities/attendance.html", form=form, initiative=initiative, activity=current, conflict=True
            ), 409
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("Attendance saved."), "success")
            return redirect(url_for("activities.activity", initiative_id=initiative.id, activity_id=record.id))
    page = render_template("activities/attendance.html", form=form, initiative=initiative, activity=record)
    if not form.is_submitted():
        # Opening the form shows others' adjustments to staff and co-leads: a disclosure, recorded after
        # rendering (the commit would expire every row read and reload each one).
        disclosure.record_needs_viewed(
            current_user.id,
            initiative.organisation_id,
            "activity",
            record.id,
            [a.user_id for a in record.attendances if a.id in editable],
            initiative_id=initiative.id,
            where="attendance_form",
        )
    return page


@bp.route("/initiatives/<int:initiative_id>/activities/<int:activity_id>/confirm", methods=["GET", "POST"])
@requires("activity.confirm")
def confirm_activity(initiative_id: int, activity_id: int):
    initiative = _load(initiative_id)
    record = _activity(initiative, activity_id)
    authorize("activity.confirm", record)
    form = ConfirmActivityForm()
    if not form.is_submitted():
        form.notes.data = record.notes
    if form.validate_on_submit():
        try:
            service.confirm(
                current_user,
                record,
                correct=form.outcome.data == "correct",
                notes=form.notes.data or "",
                note=form.confirmation_note.data or "",
            )
        except ServiceError as error:
            add_error(form, _(str(error)), error.field or "outcome")
        else:
            flash(_("Thank you. The record now shows that you have checked it."), "success")
            return redirect(url_for("activities.activity", initiative_id=initiative.id, activity_id=record.id))
    return render_template("activities/confirm.html", form=form, initiative=initiative, activity=record)


@bp.route("/initiatives/<int:initiative_id>/activities/<int:activity_id>/rating", methods=["GET", "POST"])
@requires("attendance.rate")
def rate_activity(initiative_id: int, activity_id: int):
    initiative = _load(initiative_id)
    record = _activity(initiative, activity_id)
    mine = next((a for a in record.attendances if a.user_id == current_user.id), None)
    if mine is None:
        abort(403)
    authorize("attendance.rate", mine)
    form = RatingForm()
    if not form.is_submitted() and mine.ladder_rating:
        form.rating.data = str(mine.ladder_rating)
        form.note.data = mine.rating_note
    if form.validate_on_submit():
        rating = _int(form.rating.data)
        try:
            service.rate(current_user, mine, rating or 0, form.note.data or "")
        except ServiceError as error:
            add_error(form, _(str(error)), error.field or "rating")
        else:
            flash(_("Your rating has been saved."), "success")
            return redirect(url_for("activities.activity", initiative_id=initiative.id, activity_id=record.id))
    return render_template("activities/rate.html", form=form, initiative=initiative, activity=record)


# --- decisions --------------------------------------------------------------------------------------


def _decision_details(form, attendances) -> service.DecisionDetails:
    return service.DecisionDetails(
        what=form.what.data or "",
        options_considered=form.options_considered.data or "",
        positions={a.user_id: form[f"position_{a.user_id}"].data for a in attendances if a.user_id is not None},
        changed_by_partner_input=form.changed.data == "yes",
        how_changed=form.how_changed.data or "",
        welsh_effects=(form.welsh_effects.data or "") if "welsh_effects" in form else None,
        welsh_effects_note=(form.welsh_effects_note.data or "") if "welsh_effects_note" in form else "",
    )


def _in_wales() -> bool:
    # Every initiative a user can reach is their own organisation's (tenancy), so its nation is the user's.
    return current_user.organisation.nation == Nation.WALES


@bp.route("/initiatives/<int:initiative_id>/activities/<int:activity_id>/decisions/new", methods=["GET", "POST"])
@requires("initiative.contribute")
def new_decision(initiative_id: int, activity_id: int):
    initiative = _load(initiative_id, "initiative.contribute")
    record = _activity(initiative, activity_id)
    form = decision_form_class(record.attendances, _in_wales())()
    if form.validate_on_submit():
        try:
            service.record_decision(current_user, record, _decision_details(form, record.attendances))
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("Decision recorded."), "success")
            return redirect(url_for("activities.activity", initiative_id=initiative.id, activity_id=record.id))
    return render_template(
        "activities/decision_form.html", form=form, initiative=initiative, activity=record, decision=None
    )


@bp.route("/initiatives/<int:initiative_id>/decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@requires("initiative.contribute")
def edit_decision(initiative_id: int, decision_id: int):
    initiative = _load(initiative_id, "initiative.contribute")
    decision = queries.get_decision(initiative, decision_id)
    if decision is None:
        abort(404)
    record = decision.activity
    form = decision_form_class(record.attendances, _in_wales())()
    if not form.is_submitted():
        if "welsh_effects" in form:
            form.welsh_effects.data = decision.welsh_effects.value if decision.welsh_effects else None
            form.welsh_effects_note.data = decision.welsh_effects_note
        form.what.data = decision.what
        form.options_considered.data = decision.options_considered
        form.changed.data = "yes" if decision.changed_by_partner_input else "no"
        form.how_changed.data = decision.how_changed
        form.version.data = str(decision.version)
        for position in decision.positions:
            if f"position_{position.user_id}" in form:
                form[f"position_{position.user_id}"].data = position.position.value
    if form.validate_on_submit():
        try:
            service.update_decision(current_user, decision, _decision_details(form, record.attendances), _version(form))
        except EditConflict as error:
            current = queries.get_decision(initiative, decision_id)
            show_conflict(form, error, current.version, "what")
            return render_template(
                "activities/decision_form.html",
                form=form,
                initiative=initiative,
                activity=record,
                decision=decision,
                conflict=current,
            ), 409
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("Decision saved."), "success")
            return redirect(url_for("activities.activity", initiative_id=initiative.id, activity_id=record.id))
    return render_template(
        "activities/decision_form.html", form=form, initiative=initiative, activity=record, decision=decision
    )


# --- you said, we did -------------------------------------------------------------------------------


@bp.get("/initiatives/<int:initiative_id>/you-said-we-did")
@requires("initiative.view")
def recommendations(initiative_id: int):
    initiative = _load(initiative_id)
    items = queries.recommendations_for(initiative)
    return render_template(
        "activities/recommendations.html",
        initiative=initiative,
        recommendations=items,
        overdue={r.id for r in items if queries.is_overdue(r, service_today())},
        respond=can(current_user, "recommendation.respond", initiative),
        contribute=can(current_user, "initiative.contribute", initiative),
    )


def service_today():
    from ..initiatives.service import today

    return today()


@bp.route("/initiatives/<int:initiative_id>/recommendations/new", methods=["GET", "POST"])
@requires("initiative.contribute")
def new_recommendation(initiative_id: int):
    initiative = _load(initiative_id, "initiative.contribute")
    form = RecommendationForm()
    form.activity_id.choices = [SelectChoice("", _("Not linked to an activity"))] + [
        SelectChoice(str(a.id), f"{a.title} ({format_date(a.occurred_on)})")
        for a in queries.activity_choices(initiative)
    ]
    if not form.is_submitted():
        form.activity_id.data = request.args.get("activity", "")
    if form.validate_on_submit():
        try:
            service.make_recommendation(
                current_user,
                initiative,
                form.text.data or "",
                _int(form.activity_id.data),
                None,
                raised_on=form.raised_on.data,
            )
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("Recommendation saved."), "success")
            return redirect(url_for("activities.recommendations", initiative_id=initiative.id))
    return render_template("activities/recommendation_form.html", form=form, initiative=initiative)


@bp.route("/initiatives/<int:initiative_id>/recommendations/<int:recommendation_id>/respond", methods=["GET", "POST"])
@requires("recommendation.respond")
def respond_recommendation(initiative_id: int, recommendation_id: int):
    initiative = _load(initiative_id)
    recommendation = queries.get_recommendation(initiative, recommendation_id)
    if recommendation is None:
        abort(404)
    authorize("recommendation.respond", recommendation)
    form = RespondForm()
    if not form.is_submitted():
        form.response.data = recommendation.response.value if recommendation.response else None
        form.reason.data = recommendation.response_reason
        form.action_taken.data = recommendation.action_taken
        form.review_on.data = recommendation.review_on
        form.version.data = str(recommendation.version)
    status = 200
    if form.validate_on_submit():
        try:
            service.respond(
                current_user,
                recommendation,
                response=form.response.data or "",
                reason=form.reason.data or "",
                action_taken=form.action_taken.data or "",
                review_on=form.review_on.data,
                expected_version=_version(form),
            )
        except EditConflict as error:
            recommendation = queries.get_recommendation(initiative, recommendation_id)
            show_conflict(form, error, recommendation.version, "response")
            status = 409
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("Response saved."), "success")
            return redirect(url_for("activities.recommendations", initiative_id=initiative.id))
    page = render_template(
        "activities/respond.html",
        form=form,
        initiative=initiative,
        recommendation=recommendation,
        conflict=status == 409,
    )
    return page, status


@bp.route("/initiatives/<int:initiative_id>/recommendations/<int:recommendation_id>/review", methods=["GET", "POST"])
@requires("recommendation.respond")
def review_recommendation(initiative_id: int, recommendation_id: int):
    initiative = _load(initiative_id)
    recommendation = queries.get_recommendation(initiative, recommendation_id)
    if recommendation is None:
        abort(404)
    authorize("recommendation.respond", recommendation)
    form = ReviewForm()
    people = {m.user_id: m.user for m in initiative.memberships}
    form.reviewed_by.choices = [SelectChoice("", _("Choose a person"))] + [
        SelectChoice(str(uid), person.shown_name)
        for uid, person in sorted(people.items(), key=lambda i: i[1].display_name)
    ]
    if not form.is_submitted():
        form.reviewed_on.data = recommendation.reviewed_on
        form.reviewed_by.data = str(recommendation.reviewed_by_id or current_user.id)
        form.outcome.data = recommendation.review_outcome
        form.version.data = str(recommendation.version)
    status = 200
    if form.validate_on_submit():
        try:
            service.record_review(
                current_user,
                recommendation,
                reviewed_on=form.reviewed_on.data,
                reviewed_by_id=_int(form.reviewed_by.data),
                outcome=form.outcome.data or "",
                expected_version=_version(form),
            )
        except EditConflict as error:
            recommendation = queries.get_recommendation(initiative, recommendation_id)
            show_conflict(form, error, recommendation.version, "outcome")
            status = 409
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            flash(_("Review saved."), "success")
            return redirect(url_for("activities.recommendations", initiative_id=initiative.id))
    page = render_template(
        "activities/review.html",
        form=form,
        initiative=initiative,
        recommendation=recommendation,
        conflict=status == 409,
    )
    return page, status


# --- evidence files ---------------------------------------------------------------------------------


@bp.get("/initiatives/<int:initiative_id>/evidence")
@requires("evidence.view")
def evidence_list(initiative_id: int):
    initiative = _load(initiative_id, "evidence.view")
    return render_template(
        "activities/evidence_list.html",
        initiative=initiative,
        evidence=queries.evidence_for(initiative),
        contribute=can(current_user, "initiative.contribute", initiative),
    )


# A file over the limit gets a form error that keeps the description and consent choice, however big it is: the
# upload's body is read through, keeping at most one byte more than the limit of the file (web/uploads.py), so
# the fields after it are still read. Only a body over UPLOAD_READ_CEILING meets the 413 page. This must run
# before CSRF protection reads the form.


uploads.allow_oversize(bp, "activities.upload_evidence")


@bp.route("/initiatives/<int:initiative_id>/evidence/new", methods=["GET", "POST"])
@requires("initiative.contribute")
def upload_evidence(initiative_id: int):
    initiative = _load(initiative_id, "initiative.contribute")
    form = EvidenceForm()
    if not form.is_submitted():
        form.activity_id.data = request.args.get("activity", "")
        form.decision_id.data = request.args.get("decision", "")
    else:
        upload = form.file.data
        has_file = bool(upload and getattr(upload, "filename", ""))
        valid = form.validate()
        if not has_file:
            add_error(form, _("Select a file to upload"), "file")
        elif valid:
            try:
                evidence = service.upload_evidence(
                    current_user,
                    initiative,
                    data=upload.read(),
                    filename=upload.filename,
                    consent=form.consent.data or "",
                    description=form.description.data or "",
                    activity_id=_int(form.activity_id.data),
                    decision_id=_int(form.decision_id.data),
                )
            except ServiceError as error:
                add_error(form, _(str(error)), error.field if error.field in ("file", "consent") else "file")
            else:
                flash(_("%(name)s has been uploaded.", name=evidence.filename), "success")
                if evidence.activity_id:
                    return redirect(
                        url_for("activities.activity", initiative_id=initiative.id, activity_id=evidence.activity_id)
                    )
                return redirect(url_for("activities.evidence_list", initiative_id=initiative.id))
    return render_template("activities/evidence_form.html", form=form, initiative=initiative)


@bp.get("/initiatives/<int:initiative_id>/evidence/<int:evidence_id>/download")
@requires("evidence.view")
def download_evidence(initiative_id: int, evidence_id: int):
    initiative = _load(initiative_id, "evidence.view")
    evidence = queries.get_evidence(initiative, evidence_id)
    if evidence is None:
        abort(404)
    authorize("evidence.view", evidence)
    try:
        # Read whole (files are at most MAX_CONTENT_LENGTH): no file handle or connection outlives the request.
        data = storage.read(evidence.storage_key)
    except storage.NotFound:
        abort(404)
    except storage.StoreUnavailable:
        current_app.logger.exception("Evidence %s could not be read from the store", evidence.storage_key)
        abort(503)
    response = Response(data, mimetype=evidence.content_type)
    fallback = secure_filename(evidence.filename) or "evidence"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(evidence.filename, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- withdrawing a mistake ---------------------------------------------------------------------------


def _withdraw_page(initiative, record, what: str, back: str):
    authorize("record.withdraw", record)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            withdraw.withdraw(current_user._get_current_object(), record, form.reason.data or "")
        except ServiceError as error:
            add_error(form, _(str(error)), error.field or "reason")
        else:
            flash(
                _("It has been withdrawn. Its history keeps that it existed, and why it went."),
                "success",
            )
            return redirect(back)
    return render_template("activities/withdraw.html", form=form, initiative=initiative, what=what, back=back)


@bp.route("/initiatives/<int:initiative_id>/activities/<int:activity_id>/withdraw", methods=["GET", "POST"])
@requires("record.withdraw")
def withdraw_activity(initiative_id: int, activity_id: int):
    initiative = _load(initiative_id)
    record = _activity(initiative, activity_id)
    back = url_for("initiatives.overview", initiative_id=initiative.id)
    return _withdraw_page(initiative, record, record.title, back)


@bp.route("/initiatives/<int:initiative_id>/decisions/<int:decision_id>/withdraw", methods=["GET", "POST"])
@requires("record.withdraw")
def withdraw_decision(initiative_id: int, decision_id: int):
    initiative = _load(initiative_id)
    decision = queries.get_decision(initiative, decision_id)
    if decision is None:
        abort(404)
    back = url_for("activities.activity", initiative_id=initiative.id, activity_id=decision.activity_id)
    return _withdraw_page(initiative, decision, _("the decision"), back)


@bp.route("/initiatives/<int:initiative_id>/recommendations/<int:recommendation_id>/withdraw", methods=["GET", "POST"])
@requires("record.withdraw")
def withdraw_recommendation(initiative_id: int, recommendation_id: int):
    initiative = _load(initiative_id)
    recommendation = queries.get_recommendation(initiative, recommendation_id)
    if recommendation is None:
        abort(404)
    back = url_for("activities.recommendations", initiative_id=initiative.id)
    return _withdraw_page(initiative, recommendation, _("the recommendation"), back)


@bp.route("/initiatives/<int:initiative_id>/evidence/<int:evidence_id>/withdraw", methods=["GET", "POST"])
@requires("record.withdraw")
def withdraw_evidence(initiative_id: int, evidence_id: int):
    initiative = _load(initiative_id, "evidence.view")
    evidence = queries.get_evidence(initiative, evidence_id)
    if evidence is None:
        abort(404)
    back = url_for("activities.evidence_list", initiative_id=initiative.id)
    return _withdraw_page(initiative, evidence, evidence.filename, back)
