"""Report pages and downloads, share links, and the public read-only page a share link opens."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..codes import REPORT_LANGUAGE_LABELS, RenderStatus
from ..criteria import pages as criteria_pages
from ..extensions import db, limiter
from ..initiatives import queries
from ..models import Organisation, ReportRender, ShareLink
from ..people import disclosure
from ..permissions import authorize, can, public, requires
from ..services import ServiceError
from ..tenancy import get_scoped, parse_id
from ..web.forms import add_error
from ..web.urls import external_url
from . import rendering, service
from .build import ReportKind
from .forms import ShareLinkForm
from .render_html import (
    cell_html,
    cell_paragraphs,
    chart_svg,
    charts_by_table,
    format_cell,
    marked,
    report_body,
    table_rows,
)

bp = Blueprint("reports", __name__)
FORMAT_RULE = "<any(pdf, csv, json):fmt>"
FORMAT_WORDS = {
    "pdf": _l("PDF (for printing and reading)"),
    "csv": _l("Spreadsheet files (CSV, zipped)"),
    "json": _l("Data with audit proofs (JSON)"),
}


@bp.app_template_global("report_charts_by_table")
def _charts_by_table(section):
    return charts_by_table(section)


@bp.app_template_global("report_table_rows")
def _table_rows(table):
    return table_rows(table)


@bp.app_template_global("report_chart_svg")
def _chart_svg(chart):
    return chart_svg(chart)


@bp.app_template_global("report_pdf_cell")
def _report_pdf_cell(value):
    return cell_paragraphs(value)


@bp.app_template_global("report_cell_html")
def _report_cell_html(value):
    return cell_html(value)


@bp.app_template_global("report_body")
def _report_body(reports, fold=False):
    return report_body(reports, fold=fold)


@bp.app_template_filter("report_cell")
def _report_cell(value):
    return format_cell(value)


@bp.app_template_filter("report_text")
def _report_text(value):
    return marked(value)


LANGUAGE_WORDS = {choice.value: _l(label) for choice, label in REPORT_LANGUAGE_LABELS.items()}


def _reader_language() -> str:
    return str(get_locale() or "en")


def _share_limit() -> str:
    return current_app.config["SHARE_LINK_RATE_LIMIT"]


def _organisation() -> Organisation:
    return current_user.organisation


def _send(download: service.Download) -> Response:
    response = Response(download.body, mimetype=download.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _download_links(endpoint: str, spec: service.ReportSpec, **values) -> list[dict]:
    return [
        {"format": fmt, "text": FORMAT_WORDS[fmt], "href": url_for(endpoint, fmt=fmt, **values, **spec.query())}
        for fmt in ("pdf", "csv", "json")
    ]


def _page(
    kind: ReportKind,
    heading: str,
    back: tuple[str, str],
    download_endpoint: str,
    *,
    share_values: dict,
    context: dict | None = None,
    **values,
):
    spec, errors = service.parse_spec(
        kind,
        request.args,
        initiative_id=values.get("initiative_id"),
        statement_id=values.get("statement_id"),
        default_language=_reader_language(),
    )
    organisation = _organisation()
    context = {
        "heading": heading,
        "back": back,
        "errors": errors,
        "args": request.args,
        "kind": kind.value,
        "report": None,
        "languages": LANGUAGE_WORDS,
        "chosen_language": spec.language if spec is not None else _reader_language(),
        **(context or {}),
    }
    if spec is None:
        return render_template("reports/page.html", **context), 400
    if spec.show_needs and not can(current_user, "needs.report"):
        spec = replace(spec, show_needs=False)
    spec = replace(spec, equality=can(current_user, "equality.report"))
    # Reading a report is not a disclosure and appends nothing; downloads and share-link opens are recorded,
    # and so is staff asking to see each person's adjustments (need to know).
    reports = service.prepare_all(organisation, spec, read_only=True)
    report = reports[0]
    if spec.show_needs:
        disclosure.record_needs_viewed(
            current_user.id,
            organisation.id,
            "initiative" if spec.initiative_id else "organisation",
            spec.initiative_id or organisation.id,
            service.attendee_ids(organisation, list(report.initiative_ids)),
            initiative_id=spec.initiative_id,
            where="report",
        )
    context["named_needs_url"] = (
        url_for(request.endpoint, **values, **spec.query(), named_needs="yes")
        if can(current_user, "needs.report") and not spec.show_needs and not spec.anonymise_partners
        else None
    )
    share_url = None
    if can(current_user, "report.share"):
        share_url = url_for("reports.new_share_link", kind=kind.value, **share_values, **spec.query())
    html = render_template(
        "reports/page.html",
        **{
            **context,
            "report": report,
            "reports": reports,
            "spec": spec,
            "downloads": _download_links(download_endpoint, spec, **values),
            "share_url": share_url,
        },
    )
    return html


def _download(kind: ReportKind, fmt: str, page_endpoint: str, **values):
    spec, errors = service.parse_spec(
        kind,
        request.args,
        initiative_id=values.get("initiative_id"),
        statement_id=values.get("statement_id"),
        default_language=_reader_language(),
    )
    if spec is None:
        abort(400)
    # Downloads give totals only; equality monitoring (suppressed counts) for staff, as on the page.
    spec = replace(spec, show_needs=False, equality=can(current_user, "equality.report"))
    if fmt == "pdf":
        # Made in the background: the person waits on a page that shows its progress, not in this request.
        render = rendering.request_pdf(_organisation(), spec, user=current_user._get_current_object())
        return redirect(url_for("reports.pdf_status", render_id=render.id))
    return _send(service.download(_organisation(), spec, fmt))


# --- initiative report (staff, and members who can see the initiative) --------------------------------


def _initiative(initiative_id: int):
    # Memberships only: the permission check reads them, and the report loads its own facts.
    initiative = queries.get_initiative_with_members(initiative_id, current_user.organisation_id) or abort(404)
    authorize("report.view", initiative)
    return initiative


@bp.get("/initiatives/<int:initiative_id>/report")
@requires("report.view")
def initiative_report(initiative_id: int):
    initiative = _initiative(initiative_id)
    # The page opens with what needs doing now, from the same criteria as the criteria page (whatever dates the
    # report covers): people read the report to decide what to do next.
    criteria = criteria_pages.initiative_page(
        initiative.id,
        current_user.organisation_id,
        _organisation().nation.value,
        current_app.extensions["criteria_library"],
        initiative,
    )
    return _page(
        ReportKind.INITIATIVE,
        _("Evidence report: %(title)s", title=initiative.title),
        (url_for("initiatives.overview", initiative_id=initiative.id), _("Back to the initiative")),
        "reports.initiative_download",
        share_values={"initiative": initiative.id},
        context={"criteria_page": criteria, "initiative": initiative},
        initiative_id=initiative.id,
    )


@bp.get(f"/initiatives/<int:initiative_id>/report/{FORMAT_RULE}")
@requires("report.view")
def initiative_download(initiative_id: int, fmt: str):
    initiative = _initiative(initiative_id)
    return _download(ReportKind.INITIATIVE, fmt, "reports.initiative_report", initiative_id=initiative.id)


# --- organisation reports (staff only) --------------------------------------------------------------


@bp.get("/reports")
@requires("report.portfolio")
def index():
    organisation = _organisation()
    framework = current_app.extensions["criteria_library"].cqc_for(organisation.nation.value)
    cqc = framework.cqc if framework is not None else None
    return render_template(
        "reports/index.html",
        cqc=cqc,
        links=service.share_links(organisation.id),
        now=service.utcnow(),
        problem=service.link_problem,
    )


@bp.get("/reports/portfolio")
@requires("report.portfolio")
def portfolio():
    return _page(
        ReportKind.PORTFOLIO,
        _("Co-production portfolio"),
        (url_for("reports.index"), _("Back to reports")),
        "reports.portfolio_download",
        share_values={},
    )


@bp.get(f"/reports/portfolio/{FORMAT_RULE}")
@requires("report.portfolio")
def portfolio_download(fmt: str):
    return _download(ReportKind.PORTFOLIO, fmt, "reports.portfolio")


def _statement_or_404(statement_id: str) -> str:
    if not service.statement_exists(_organisation(), statement_id):
        abort(404)
    return statement_id


@bp.get("/reports/quality-statements/<statement_id>")
@requires("report.portfolio")
def quality_statement(statement_id: str):
    _statement_or_404(statement_id)
    return _page(
        ReportKind.QUALITY_STATEMENT,
        _("CQC quality statement %(id)s", id=statement_id),
        (url_for("reports.index"), _("Back to reports")),
        "reports.quality_statement_download",
        share_values={"statement": statement_id},
        statement_id=statement_id,
    )


@bp.get(f"/reports/quality-statements/<statement_id>/{FORMAT_RULE}")
@requires("report.portfolio")
def quality_statement_download(statement_id: str, fmt: str):
    _statement_or_404(statement_id)
    return _download(ReportKind.QUALITY_STATEMENT, fmt, "reports.quality_statement", statement_id=statement_id)


# --- share links ----------------------------------------------------------------------------------


def _share_spec() -> tuple[service.ReportSpec, str]:
    """The report a new link is for, from the query string; 404 for anything not in this organisation."""
    try:
        kind = ReportKind(request.args.get("kind", ""))
    except ValueError:
        abort(404)
    organisation = _organisation()
    initiative_id = statement_id = None
    if kind == ReportKind.INITIATIVE:
        raw = request.args.get("initiative", "")
        initiative = queries.get_initiative(parse_id(raw), organisation.id) if parse_id(raw) else None
        if initiative is None:
            abort(404)
        authorize("report.share", initiative)
        initiative_id, what = initiative.id, _("Evidence report: %(title)s", title=initiative.title)
    elif kind == ReportKind.QUALITY_STATEMENT:
        statement_id = _statement_or_404(request.args.get("statement", ""))
        what = _("CQC quality statement %(id)s", id=statement_id)
    else:
        what = _("Co-production portfolio")
    spec, errors = service.parse_spec(kind, request.args, initiative_id=initiative_id, statement_id=statement_id)
    if spec is None:
        abort(400)
    return spec, what


@bp.route("/reports/share-links/new", methods=["GET", "POST"])
@requires("report.share")
def new_share_link():
    spec, what = _share_spec()
    form = ShareLinkForm()
    default_language = service.default_share_language(_organisation().nation.value)
    if not form.is_submitted():
        form.language.data = default_language
    if form.validate_on_submit():
        try:
            chosen = service.ReportSpec(
                spec.kind,
                spec.period,
                spec.initiative_id,
                spec.statement_id,
                form.names.data != "named",
                form.language.data if form.language.data in service.LANGUAGE_CHOICES else default_language,
            )
            link, token = service.create_share_link(current_user, chosen, form.days)
        except ServiceError as error:
            add_error(form, _(str(error)), "expiry_days")
        else:
            return render_template(
                "reports/share_link_created.html",
                link=link,
                what=what,
                url=external_url("reports.shared_report", token=token),
            )
    return render_template("reports/share_link_form.html", form=form, what=what, spec=spec)


@bp.post("/reports/share-links/<int:link_id>/revoke")
@requires("report.share")
def revoke_share_link(link_id: int):
    link = get_scoped(ShareLink, link_id, current_user.organisation_id) or abort(404)
    service.revoke_share_link(current_user, link)
    flash(_("The link has been withdrawn. Anyone who opens it now is told it no longer works."), "success")
    return redirect(url_for("reports.index"))


# --- the public, read-only page a share link opens ----------------------------------------------------


def _link_or_gone(token: str):
    link = service.find_share_link(token)
    problem = service.link_problem(link)
    if problem is not None:
        return None, (render_template("reports/link_unusable.html", problem=problem, link=link), 410)
    return link, None


def _shared_headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/shared/<token>")
@public
@limiter.limit(_share_limit)
def shared_report(token: str):
    link, gone = _link_or_gone(token)
    if gone is not None:
        return gone
    organisation = db.session.get(Organisation, link.organisation_id)
    spec = service.spec_for_link(link)
    reports = service.prepare_all(organisation, spec)
    report = reports[0]
    html = render_template(
        "reports/shared.html",
        report=report,
        reports=reports,
        link=link,
        downloads=[
            {"format": fmt, "text": FORMAT_WORDS[fmt], "href": url_for("reports.shared_download", token=token, fmt=fmt)}
            for fmt in ("pdf", "csv", "json")
        ],
    )
    service.record_generated(
        organisation, report, "html", hashlib.sha256(html.encode("utf-8")).hexdigest(), share_link=link
    )
    return _shared_headers(Response(html, mimetype="text/html"))


@bp.get(f"/shared/<token>/{FORMAT_RULE}")
@public
@limiter.limit(_share_limit)
def shared_download(token: str, fmt: str):
    link, gone = _link_or_gone(token)
    if gone is not None:
        return gone
    organisation = db.session.get(Organisation, link.organisation_id)
    if fmt == "pdf":
        render = rendering.request_pdf(organisation, service.spec_for_link(link), share_link=link)
        return redirect(url_for("reports.shared_pdf_status", token=token, render_id=render.id))
    return _shared_headers(_send(service.download(organisation, service.spec_for_link(link), fmt, share_link=link)))


# --- report PDFs made in the background ----------------------------------------------------------------


def _render_or_404(render_id: int) -> ReportRender:
    """A render the signed-in person asked for, and may still see: anyone else's is not found."""
    render = rendering.find_for_user(render_id, current_user) or abort(404)
    if render.initiative_id is not None:
        _initiative(render.initiative_id)
    else:
        authorize("report.portfolio")
    return render


def _back_url(render: ReportRender) -> str:
    spec = rendering.spec_of(render)
    if render.initiative_id is not None:
        return url_for("reports.initiative_report", initiative_id=render.initiative_id, **spec.query())
    if spec.statement_id:
        return url_for("reports.quality_statement", statement_id=spec.statement_id, **spec.query())
    return url_for("reports.portfolio", **spec.query())


def _status(render: ReportRender, *, self_url: str, file_url: str, back_url: str, shared: bool = False):
    response = Response(
        render_template(
            "reports/pdf_status.html",
            render=render,
            self_url=self_url,
            file_url=file_url,
            back_url=back_url,
            shared=shared,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return _shared_headers(response) if shared else response


def _file(render: ReportRender, share_link: ShareLink | None = None) -> Response:
    body = rendering.open_ready(render, share_link=share_link)
    return _send(service.Download(body, service.MIMETYPES["pdf"], render.filename, render.sha256))


@bp.get("/reports/pdf/<int:render_id>")
@requires("report.view")
def pdf_status(render_id: int):
    render = _render_or_404(render_id)
    return _status(
        render,
        self_url=url_for("reports.pdf_status", render_id=render.id),
        file_url=url_for("reports.pdf_file", render_id=render.id),
        back_url=_back_url(render),
    )


@bp.get("/reports/pdf/<int:render_id>/file")
@requires("report.view")
def pdf_file(render_id: int):
    render = _render_or_404(render_id)
    if render.status != RenderStatus.READY:
        return redirect(url_for("reports.pdf_status", render_id=render.id))
    return _file(render)


@bp.get("/shared/<token>/pdf/<int:render_id>")
@public
@limiter.limit(_share_limit)
def shared_pdf_status(token: str, render_id: int):
    link, gone = _link_or_gone(token)
    if gone is not None:
        return gone
    render = rendering.find_for_link(render_id, link) or abort(404)
    return _status(
        render,
        self_url=url_for("reports.shared_pdf_status", token=token, render_id=render.id),
        file_url=url_for("reports.shared_pdf_file", token=token, render_id=render.id),
        back_url=url_for("reports.shared_report", token=token),
        shared=True,
    )


@bp.get("/shared/<token>/pdf/<int:render_id>/file")
@public
@limiter.limit(_share_limit)
def shared_pdf_file(token: str, render_id: int):
    link, gone = _link_or_gone(token)
    if gone is not None:
        return gone
    render = rendering.find_for_link(render_id, link) or abort(404)
    if render.status != RenderStatus.READY:
        return redirect(url_for("reports.shared_pdf_status", token=token, render_id=render.id))
    return _shared_headers(_file(render, share_link=link))
