"""History pages: per initiative and per record, with filters, CSV export and an "as at" view; and
the admin's view of the latest checkpoint and verification, with buttons to make a checkpoint or verify now.
Read-only otherwise, except that exports are audited."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import labels
from ..extensions import db
from ..initiatives.access import load_initiative
from ..jobs import after_commit
from ..models import AuditCheckpoint, AuditEvent, AuditVerification
from ..people import disclosure
from ..permissions import can, requires
from ..tenancy import parse_id
from ..web.paging import pagination, paging
from . import capture, history, jobs

bp = Blueprint("audit", __name__)

# 25 entries keep a history page well under 12,000 px at 1280 px (issue 14): an entry with a table of changes is
# about 250 px, and 50 of them reached 11,915 px on the demo data.
HISTORY_PAGE_SIZE = 25


def _date_arg(name: str) -> tuple[date | None, str | None]:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return None, raw


def _filters() -> tuple[history.Filters, list[tuple[str, str]]]:
    """The filters asked for, and the problems with them as (field, message in the reader's language)."""
    problems = []
    since, bad_since = _date_arg("from")
    until, bad_until = _date_arg("to")
    if bad_since:
        problems.append(("from", _("'From' must be a real date, like 2026-03-31")))
    if bad_until:
        problems.append(("to", _("'To' must be a real date, like 2026-03-31")))
    actor = request.args.get("person", "")
    show = request.args.get("show", "")
    return (
        history.Filters(
            show=show if show in history.SHOW_CHOICES else "changes",
            actor_id=parse_id(actor),
            since=since,
            until=until,
            action=request.args.get("action") or None,
        ),
        problems,
    )


@bp.get("/initiatives/<int:initiative_id>/history")
@requires("initiative.view")
def initiative_history(initiative_id: int):
    initiative = load_initiative(initiative_id, stages=False)
    filters, problems = _filters()
    if request.args.get("download") == "csv":
        rows = history.events(current_user.organisation_id, initiative.id, filters)
        entries = history.describe(
            current_user.organisation_id, rows, show_payments=can(current_user, "payment.history", initiative)
        )
        capture.record(
            db.session,
            "audit.exported",
            initiative.organisation_id,
            "initiative",
            initiative.id,
            initiative_id=initiative.id,
            rows=len(entries),
            format="csv",
        )
        db.session.commit()
        return Response(
            history.to_csv(entries, labels.translation()),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="initiative-{initiative.id}-history.csv"'},
        )
    page = paging(history.count(current_user.organisation_id, initiative.id, filters), HISTORY_PAGE_SIZE)
    rows = history.events(current_user.organisation_id, initiative.id, filters, page.size, page.offset)
    return render_template(
        "audit/history.html",
        initiative=initiative,
        entries=history.describe(
            current_user.organisation_id, rows, show_payments=can(current_user, "payment.history", initiative)
        ),
        page=page,
        pages=pagination(page, _("Pages of the history")),
        show=filters.show,
        problems=problems,
        people=history.actors(current_user.organisation_id, initiative.id),
        actions=history.action_choices(current_user.organisation_id, initiative.id, labels.translation()),
        args=request.args,
    )


@bp.get("/initiatives/<int:initiative_id>/history/<entity_type>/<int:entity_id>")
@requires("initiative.view")
def record_history(initiative_id: int, entity_type: str, entity_id: int):
    initiative = load_initiative(initiative_id, stages=False)
    filters = history.Filters(entity_type=entity_type, entity_id=entity_id)
    rows = history.events(current_user.organisation_id, initiative.id, filters)
    if not rows:
        abort(404)
    when, bad = _date_arg("as_at")
    state = history.as_at(current_user.organisation_id, entity_type, entity_id, when) if when else None
    return render_template(
        "audit/record.html",
        initiative=initiative,
        entity_type=entity_type,
        entity_label=_(history.ENTITY_LABELS[entity_type]) if entity_type in history.ENTITY_LABELS else entity_type,
        entity_id=entity_id,
        entries=history.describe(
            current_user.organisation_id, rows, show_payments=can(current_user, "payment.history", initiative)
        ),
        as_at=when,
        state=state,
        bad_date=bad,
    )


@bp.get("/admin/audit")
@requires("audit.admin")
def admin_audit():
    org_id = current_user.organisation_id
    size = db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.organisation_id == org_id))
    checkpoint = db.session.scalar(
        sa.select(AuditCheckpoint).where(AuditCheckpoint.organisation_id == org_id).order_by(AuditCheckpoint.id.desc())
    )
    verification = db.session.scalar(
        sa.select(AuditVerification)
        .where(AuditVerification.organisation_id == org_id)
        .order_by(AuditVerification.id.desc())
    )
    return render_template("audit/admin.html", size=size, checkpoint=checkpoint, verification=verification)


@bp.get("/admin/audit/disclosures")
@requires("needs.disclosures")
def needs_disclosures():
    """Every look by someone at another person's communication needs or adjustments, newest first."""
    filters = history.Filters(action=disclosure.NEEDS_VIEWED)
    org_id = current_user.organisation_id
    page = paging(history.count(org_id, None, filters), HISTORY_PAGE_SIZE)
    rows = history.events(org_id, None, filters, page.size, page.offset)
    return render_template(
        "audit/disclosures.html",
        entries=history.disclosures_of_needs(org_id, rows),
        page=page,
        pages=pagination(page, _("Pages of the list")),
    )


@bp.post("/admin/audit/checkpoint")
@requires("audit.admin")
def make_checkpoint_now():
    """Queue a checkpoint and a full verification (audit/jobs.py); the result shows on the audit page."""
    # Queued when this request's transaction ends: a job run at once (tests) has a connection of its own, and
    # on SQLite it would wait for the write lock a write request holds from its first query (app.py).
    after_commit(jobs.check_integrity, current_user.organisation_id, current_user.id)
    db.session.commit()
    flash(
        _(
            "A checkpoint has been asked for. It is made and the trail checked in the background: the result "
            "appears below when it is done (reload the page)."
        ),
        "success",
    )
    return redirect(url_for("audit.admin_audit"))


@bp.post("/admin/audit/verify")
@requires("audit.admin")
def verify_now():
    """Queue a full verification (audit/jobs.py); its result is stored, shown below and audited (`audit.verified`)."""
    after_commit(jobs.check_integrity, current_user.organisation_id, current_user.id, checkpoint=False)
    db.session.commit()  # as above
    flash(
        _(
            "A check of the whole audit trail has been asked for. It runs in the background: the result appears "
            "below when it is done (reload the page)."
        ),
        "success",
    )
    return redirect(url_for("audit.admin_audit"))
