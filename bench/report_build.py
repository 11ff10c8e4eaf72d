"""Benchmark: the evidence report for one initiative with 1,000 activities.

Builds a temporary SQLite database (rows bulk-inserted with SQLAlchemy Core: 1,000 activities, 5 people at
each, a decision at every fifth), then times:

  (1) load + build + HTML: reports/data.load_inputs (the facts and the rest, a fixed number of queries),
      build.build_initiative_report and the print HTML (the page HTML costs the same plus the layout);
  (2) our PDF: render_pdf.render_pdf(html) (WeasyPrint with our stylesheet, local-only URL fetcher, PDF/UA-1);
  (3) WeasyPrint alone on the same HTML and stylesheet, untagged and tagged (pdf_variant="pdf/ua-1");
  (4) peak memory (ru_maxrss) of a fresh process that loads, builds and renders the 1,000-activity PDF.

The figures of merit are ratios: (2)/(3 tagged) should be <= 1.2 (DESIGN.md §10), and (1) should be <= 1 s.

    .venv/bin/python bench/report_build.py [--activities 1000] [--repeat 3] [--untagged]
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from copro_tracker import create_app
from copro_tracker.codes import MemberRole, Nation, OrgRole, PartnerKind
from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import Activity, Attendance, Decision, DecisionPosition, Organisation, Stage, User
from copro_tracker.reports import build, data, render_html, render_pdf

KINDS = ["workshop", "co_design_session", "steering_group", "review", "evaluation_panel"]


def make_app(db_path: Path, key_path: Path):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_path}", AUDIT_KEY_FILE=str(key_path))


def populate(activities: int, seed: int) -> tuple[int, int]:
    rng = random.Random(seed)
    db.create_all()
    org = Organisation(name="Benchshire Council", slug="benchshire", nation=Nation.ENGLAND)
    db.session.add(org)
    db.session.commit()

    def person(n: int, role: OrgRole, kind: PartnerKind) -> User:
        user = User(
            organisation_id=org.id,
            email=f"person{n}@bench.example",
            display_name=f"Person {n:02d}",
            password_hash="x",
            role=role,
            partner_kind=kind,
        )
        db.session.add(user)
        return user

    staff = [person(n, OrgRole.COMMISSIONER, PartnerKind.OFFICER) for n in range(3)]
    partners = [person(n, OrgRole.CITIZEN_PARTNER, PartnerKind.DRAWS_ON_CARE) for n in range(3, 9)]
    db.session.commit()
    initiative = initiatives.create(
        staff[0],
        title="A very busy initiative",
        summary="One thousand activities.",
        service_area="Day opportunities",
        statutory_functions=["prevention"],
        level="collective",
    )
    initiatives.add_member(staff[0], initiative, partners[0], MemberRole.CO_LEAD.value)
    for user in staff[1:] + partners[1:]:
        initiatives.add_member(staff[0], initiative, user, MemberRole.MEMBER.value)
    stages = {
        s.kind.value: s.id for s in db.session.scalars(sa.select(Stage).where(Stage.initiative_id == initiative.id))
    }
    start = date.today() - timedelta(days=activities)
    # Bulk loads with Core insert() (about 10x the ORM): these rows bypass the audit capture on purpose.
    db.session.execute(
        sa.insert(Activity),
        [
            {
                "organisation_id": org.id,
                "initiative_id": initiative.id,
                "stage_id": stages[("design", "delivery", "evaluation")[min(2, i * 3 // activities)]],
                "kind": KINDS[i % len(KINDS)],
                "occurred_on": start + timedelta(days=i),
                "title": f"Session {i + 1}: {rng.choice(['planning', 'review', 'co-design', 'feedback'])}",
                "notes": "",
                "recorded_by_id": staff[0].id,
                "version": 1,
            }
            for i in range(activities)
        ],
    )
    ids = list(db.session.scalars(sa.select(Activity.id).where(Activity.initiative_id == initiative.id)))
    rows = []
    for activity_id in ids:
        for user in [staff[rng.randrange(3)], *rng.sample(partners, 4)]:
            needs = ["easy_read"] if user.role == OrgRole.CITIZEN_PARTNER and rng.random() < 0.3 else []
            rows.append(
                {
                    "organisation_id": org.id,
                    "activity_id": activity_id,
                    "user_id": user.id,
                    "guest_name": "",
                    "guest_is_citizen": False,
                    "contributed": rng.random() < 0.8,
                    "adjustments_requested": needs,
                    "adjustments_provided": needs if rng.random() < 0.9 else [],
                    "ladder_rating": rng.randint(3, 7),
                    "rating_note": "",
                }
            )
    db.session.execute(sa.insert(Attendance), rows)
    decisions = [
        {
            "organisation_id": org.id,
            "activity_id": activity_id,
            "what": f"Decision at activity {activity_id}",
            "options_considered": "",
            "changed_by_partner_input": rng.random() < 0.5,
            "how_changed": "",
            "recorded_by_id": staff[0].id,
            "version": 1,
        }
        for activity_id in ids[::5]
    ]
    db.session.execute(sa.insert(Decision), decisions)
    decision_ids = list(db.session.scalars(sa.select(Decision.id).where(Decision.organisation_id == org.id)))
    db.session.execute(
        sa.insert(DecisionPosition),
        [
            {"organisation_id": org.id, "decision_id": d, "user_id": u.id, "position": "agreed"}
            for d in decision_ids
            for u in (staff[0], partners[0], partners[1])
        ],
    )
    db.session.commit()
    return org.id, initiative.id


def build_report(org_id: int, initiative_id: int) -> build.Report:
    organisation = db.session.get(Organisation, org_id)
    inputs = data.load_inputs(organisation, [initiative_id], build.Period(date.today()))
    return build.build_initiative_report(inputs)


def build_html(org_id: int, initiative_id: int) -> tuple[build.Report, str]:
    report = build_report(org_id, initiative_id)
    return report, single_document_html(report)


def single_document_html(report: build.Report) -> str:
    """The whole report as one print document (every part's blocks in one), for comparing with the PDF the
    worker lays out part by part; render_html has no one-document renderer since the PDF went to parts."""
    from markupsafe import Markup

    blocks = [block for part in render_html.print_parts(report) for block in part]
    title = Markup(render_pdf.css_string(report.title))
    return render_html.render_print_part(report, blocks, first=True, first_page=1, running_title=title)


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def _warm_weasyprint():
    import weasyprint

    weasyprint.HTML(string="<p>warm</p>").write_pdf()  # fonts and WeasyPrint's caches, once per process
    return weasyprint


def child_ours(db_path: Path, key_path: Path, org_id: int, initiative_id: int) -> dict:
    """A fresh process: load, build and render the PDF the way the app does; time it and its peak memory."""
    app = make_app(db_path, key_path)
    with app.app_context(), app.test_request_context():
        _warm_weasyprint()
        started = time.perf_counter()
        report, html = build_html(org_id, initiative_id)
        built = time.perf_counter()
        pdf = render_pdf.render_pdf(html)
        done = time.perf_counter()
    from pypdf import PdfReader

    return {
        "build_s": built - started,
        "pdf_s": done - built,
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "bytes": len(pdf),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_alone(html_path: Path, variant: str) -> dict:
    """A fresh process: WeasyPrint alone on the same HTML and stylesheet (no app, no fetcher of ours)."""
    weasyprint = _warm_weasyprint()
    html = html_path.read_text(encoding="utf-8")
    stylesheet = weasyprint.CSS(filename=str(render_pdf.STYLESHEET))
    options = {"pdf_variant": "pdf/ua-1"} if variant == "tagged" else {}
    started = time.perf_counter()
    pdf = weasyprint.HTML(string=html, base_url=str(render_pdf.STATIC) + "/").write_pdf(
        stylesheets=[stylesheet], **options
    )
    return {
        "pdf_s": time.perf_counter() - started,
        "bytes": len(pdf),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--untagged", action="store_true", help="also time WeasyPrint alone without tagging")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "ours":
            db_path, key_path, org_id, initiative_id = args.child[1:]
            figures = child_ours(Path(db_path), Path(key_path), int(org_id), int(initiative_id))
        else:
            figures = child_alone(Path(args.child[1]), args.child[2])
        print(json.dumps(figures))
        return

    folder = Path(tempfile.mkdtemp(prefix="report-bench-"))
    db_path, key_path, html_path = folder / "bench.sqlite", folder / "key.pem", folder / "report.html"
    app = make_app(db_path, key_path)
    with app.app_context(), app.test_request_context():
        started = time.perf_counter()
        org_id, initiative_id = populate(args.activities, args.seed)
        print(f"populated {args.activities} activities in {time.perf_counter() - started:.1f} s ({db_path})")
        build_html(org_id, initiative_id)  # warm-up: templates compiled, framework library cached
        html_s, (report, html) = best(lambda: build_html(org_id, initiative_id), args.repeat)
        html_path.write_text(html, encoding="utf-8")
        print(f"(1) load + build + HTML: {html_s:.3f} s ({report.row_count} table rows, {len(html) / 1e6:.1f} MB HTML)")
    # The PDF renders run as separate processes, started together so that a busy machine slows them alike,
    # and so that each one's peak memory is its own.
    commands = {
        "ours": ["ours", str(db_path), str(key_path), str(org_id), str(initiative_id)],
        "alone_tagged": ["alone", str(html_path), "tagged"],
    }
    if args.untagged:
        commands["alone_untagged"] = ["alone", str(html_path), "untagged"]
    running = {
        name: subprocess.Popen([sys.executable, __file__, "--child", *command], stdout=subprocess.PIPE, text=True)
        for name, command in commands.items()
    }
    results = {}
    for name, process in running.items():
        out, _ = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"{name} failed")
        results[name] = json.loads(out.strip().splitlines()[-1])
    ours, alone = results["ours"], results["alone_tagged"]
    rate = ours["pages"] / ours["pdf_s"]
    size_mb = ours["bytes"] / 1e6
    print(f"(2) our PDF: {ours['pdf_s']:.1f} s for {ours['pages']} pages ({rate:.1f} pages/s), {size_mb:.1f} MB")
    print(f"(3) WeasyPrint alone, same HTML, tagged PDF/UA-1: {alone['pdf_s']:.1f} s")
    print(f"    ratio ours / WeasyPrint alone: {ours['pdf_s'] / alone['pdf_s']:.3f}")
    if "alone_untagged" in results:
        untagged = results["alone_untagged"]
        cost = alone["pdf_s"] / untagged["pdf_s"]
        print(f"    WeasyPrint alone, untagged: {untagged['pdf_s']:.1f} s (tagging costs {cost:.2f}x)")
    print(
        f"(4) peak RSS, load + build + PDF in a fresh process: {ours['peak_mib']:.0f} MiB "
        f"(WeasyPrint alone: {alone['peak_mib']:.0f} MiB)"
    )
    import weasyprint

    print(f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, {platform.machine()}")


if __name__ == "__main__":
    main()
