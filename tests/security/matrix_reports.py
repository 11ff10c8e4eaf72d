"""The reports blueprint's part of the permission matrix: a share link in the world, and expected statuses.

Initiative reports: staff and every member who can see the initiative ("nothing about us without us").
Portfolio and quality-statement reports, and share links: staff only. The public share-link pages answer
410 to a token they do not know, for everyone (the real lifecycle is in tests/web/test_reports.py).
"""

from __future__ import annotations

from datetime import timedelta

from matrix_world import Spec, World, by_role, everyone

from copro_tracker.codes import ReportKind
from copro_tracker.extensions import db
from copro_tracker.models import ReportRender, ShareLink, utcnow


def extend_world(world: World) -> None:
    initiative = world.extra["initiative"]
    link = ShareLink(
        organisation_id=initiative.organisation_id,
        kind=ReportKind.INITIATIVE,
        initiative_id=initiative.id,
        params={"as_of": utcnow().date().isoformat()},
        token_hash="1" * 64,
        created_by_id=world.commissioner.id,
        expires_at=utcnow() + timedelta(days=30),
    )
    db.session.add(link)
    # A PDF the commissioner asked for, still being made: only they may see it (everyone else: not found).
    render = ReportRender(
        organisation_id=initiative.organisation_id,
        requested_by_id=world.commissioner.id,
        kind=ReportKind.INITIATIVE,
        initiative_id=initiative.id,
        params={"as_of": utcnow().date().isoformat()},
    )
    db.session.add(render)
    db.session.commit()
    world.extra["share_link"] = link
    world.extra["render"] = render


def _i(w: World) -> str:
    return f"/initiatives/{w.extra['initiative'].id}"


def mine(status: int) -> dict[str, int]:
    """Only the commissioner who asked for the render reaches it; for anyone else it does not exist."""
    return by_role(404, status, 404, 404, 404)


def specs() -> dict[str, Spec]:
    viewers = by_role(200, 200, 200, 404, 404)
    staff = by_role(200, 200, 403, 403, 200)
    # The outsider's organisation is in Wales, where CQC's assessment (and so its statements) does not apply.
    statement = by_role(200, 200, 403, 403, 404)
    return {
        "reports.initiative_report": Spec("GET", lambda w: f"{_i(w)}/report", viewers),
        "reports.initiative_download": Spec("GET", lambda w: f"{_i(w)}/report/csv", viewers),
        "reports.index": Spec("GET", lambda w: "/reports", staff),
        "reports.portfolio": Spec("GET", lambda w: "/reports/portfolio", staff),
        "reports.portfolio_download": Spec("GET", lambda w: "/reports/portfolio/json", staff),
        "reports.quality_statement": Spec("GET", lambda w: "/reports/quality-statements/CQC-LA-QS1", statement),
        "reports.quality_statement_download": Spec(
            "GET", lambda w: "/reports/quality-statements/CQC-LA-QS1/csv", statement
        ),
        "reports.new_share_link": Spec(
            "GET",
            lambda w: f"/reports/share-links/new?kind=initiative&initiative={w.extra['initiative'].id}",
            by_role(200, 200, 403, 403, 404),
        ),
        "reports.revoke_share_link": Spec(
            "POST",
            lambda w: f"/reports/share-links/{w.extra['share_link'].id}/revoke",
            by_role(302, 302, 403, 403, 404),
        ),
        "reports.shared_report": Spec("GET", lambda w: "/shared/not-a-real-token", everyone(410)),
        "reports.shared_download": Spec("GET", lambda w: "/shared/not-a-real-token/pdf", everyone(410)),
        "reports.pdf_status": Spec("GET", lambda w: f"/reports/pdf/{w.extra['render'].id}", mine(200)),
        # Not made yet: the file's address sends its owner back to the progress page.
        "reports.pdf_file": Spec("GET", lambda w: f"/reports/pdf/{w.extra['render'].id}/file", mine(302)),
        "reports.shared_pdf_status": Spec("GET", lambda w: "/shared/not-a-real-token/pdf/1", everyone(410)),
        "reports.shared_pdf_file": Spec("GET", lambda w: "/shared/not-a-real-token/pdf/1/file", everyone(410)),
    }
