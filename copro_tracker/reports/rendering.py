"""Report PDFs made in the background: asked for in a request, rendered by the job worker, then downloaded.

Asking (`request_pdf`) records a `ReportRender` and queues `render_pdf_job`; the person is shown a
"Preparing your report" page (its progress is the count of parts laid out, render_pdf.render_report_pdf)
until the file is ready. The worker builds the report exactly as a download did (with a covering signed
checkpoint), lays it out part by part, stores the PDF (storage area "reports") and keeps what
`report.generated` will record. Downloading it (`open_ready`) is the disclosure, audited as before.

Each worker process runs one job at a time (jobs/worker.py), so a process never renders two PDFs at once.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from .. import jobs, storage
from ..codes import RenderStatus
from ..codes import ReportKind as StoredKind
from ..extensions import db
from ..models import Organisation, ReportRender, ShareLink, User, utcnow
from . import render_pdf, service

AREA = "reports"
UNFINISHED = (RenderStatus.QUEUED, RenderStatus.RENDERING)
# A render still unfinished after this long was lost (its worker stopped mid-job): asking again starts a new one.
STALE_AFTER = timedelta(minutes=30)
log = logging.getLogger(__name__)


def request_pdf(
    organisation: Organisation,
    spec: service.ReportSpec,
    *,
    user: User | None = None,
    share_link: ShareLink | None = None,
) -> ReportRender:
    """The render of this report for this person (or link): one still under way is reused, else a new one."""
    params = spec.params()
    same = sa.select(ReportRender).where(
        ReportRender.organisation_id == organisation.id,
        ReportRender.kind == StoredKind(spec.kind.value),
        ReportRender.initiative_id.is_(None)
        if spec.initiative_id is None
        else ReportRender.initiative_id == spec.initiative_id,
        ReportRender.status.in_(UNFINISHED),
        ReportRender.created_at > utcnow() - STALE_AFTER,
        ReportRender.requested_by_id == user.id if user is not None else ReportRender.share_link_id == share_link.id,
    )
    for existing in db.session.scalars(same):
        if existing.params == params:
            return existing
    render = ReportRender(
        organisation_id=organisation.id,
        requested_by_id=user.id if user is not None else None,
        share_link_id=share_link.id if share_link is not None else None,
        kind=StoredKind(spec.kind.value),
        initiative_id=spec.initiative_id,
        params=params,
    )
    db.session.add(render)
    db.session.flush()
    jobs.after_commit(render_pdf_job, render.id)  # the worker must find the row: queued once it is committed
    db.session.commit()
    return render


def spec_of(render: ReportRender) -> service.ReportSpec:
    """The report a render is of, from its stored parameters (as for a share link)."""
    link = ShareLink(
        organisation_id=render.organisation_id,
        kind=render.kind,
        initiative_id=render.initiative_id,
        params=render.params,
        created_at=render.created_at,
    )
    spec = service.spec_for_link(link)
    # Asked for by a person with the right to it (the views decided); a share link's render never has it.
    wanted = render.requested_by_id is not None and (render.params or {}).get("equality") == "yes"
    return replace(spec, equality=wanted)


@jobs.task()
def render_pdf_job(render_id: int) -> None:
    """The job: build the report, lay out its PDF part by part (saving progress), store it."""
    render = db.session.get(ReportRender, render_id)
    if render is None or render.status not in UNFINISHED:
        return
    render.status = RenderStatus.RENDERING
    db.session.commit()
    organisation = db.session.get(Organisation, render.organisation_id)
    # The worker has no request: the templates get one addressed to BASE_URL, and the report is written in the
    # language chosen when it was asked for (carried in the render's parameters); the PDF's /Lang is its main one.
    spec = spec_of(render)
    language = service.languages_of(spec.language, organisation.nation.value)[0]
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]), force_locale(language):
        _render(render_id, render)


def _render(render_id: int, render: ReportRender) -> None:
    try:
        organisation = db.session.get(Organisation, render.organisation_id)
        reports = service.prepare_all(organisation, spec_of(render))
        report = reports[0]

        def progress(done: int, total: int) -> None:
            db.session.execute(
                sa.update(ReportRender).where(ReportRender.id == render_id).values(parts_done=done, parts_total=total)
            )
            db.session.commit()

        body = render_pdf.render_report_pdf(reports, progress)
        stored = storage.save(body, area=AREA)
        digest = hashlib.sha256(body).hexdigest()
        db.session.refresh(render)
        render.storage_key = stored.key
        render.sha256 = digest
        render.size = len(body)
        render.filename = service.file_name(report, "pdf")
        render.disclosure = service.disclosure(organisation, report, "pdf", digest)
        render.status = RenderStatus.READY
        render.finished_at = utcnow()
        db.session.commit()
    except Exception:
        log.exception("Report PDF %s could not be made", render_id)
        db.session.rollback()
        db.session.execute(
            sa.update(ReportRender)
            .where(ReportRender.id == render_id)
            .values(status=RenderStatus.FAILED, finished_at=utcnow())
        )
        db.session.commit()


def find_for_user(render_id: int, user: User) -> ReportRender | None:
    """A render this person asked for; anyone else's is not found."""
    render = db.session.get(ReportRender, render_id)
    if render is None or render.requested_by_id != user.id or render.organisation_id != user.organisation_id:
        return None
    return render


def find_for_link(render_id: int, link: ShareLink) -> ReportRender | None:
    render = db.session.get(ReportRender, render_id)
    if render is None or render.share_link_id != link.id:
        return None
    return render


def open_ready(render: ReportRender, *, share_link: ShareLink | None = None) -> bytes:
    """The finished PDF's bytes; its download is the disclosure, recorded as report.generated."""
    body = storage.read(render.storage_key, area=AREA)
    service.record_disclosure(render.organisation_id, render.disclosure, share_link=share_link)
    return body
