"""Evidence reports end to end on the demo data: the HTML page, the PDF (parsed with pypdf), the CSV zip, the
JSON bundle (checked by the offline verifier, in-process and as a subprocess), consent, "as at", the size
guard, and share links from creation to withdrawal and expiry."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import Page, link_path, login
from pypdf import PdfReader

from copro_tracker.activities import service as activities
from copro_tracker.audit import ledger
from copro_tracker.audit import service as audit_service
from copro_tracker.audit.verify import verify_bundle
from copro_tracker.auth import service as auth_service
from copro_tracker.codes import OrgRole
from copro_tracker.extensions import db
from copro_tracker.models import Activity, AuditEvent, Initiative, ReportRender, ShareLink, User, utcnow

ROOT = Path(__file__).resolve().parents[2]
DAY_OPS = "Redesigning day opportunities with people with learning disabilities"
CARERS = "Carers' information and advice plan"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output

    def user(email: str) -> User:
        return db.session.scalar(sa.select(User).where(User.email == email))

    def initiative(title: str) -> Initiative:
        return db.session.scalar(sa.select(Initiative).where(Initiative.title == title))

    return {
        "tom": user("commissioner@northshire.example"),
        "amira": user("partner@northshire.example"),
        "ruth": user("ruth.okafor@northshire.example"),
        "dafydd": user("commissioner@glanyrafon.example"),
        "day_ops": initiative(DAY_OPS),
        "carers": initiative(CARERS),
    }


def last_event(action: str) -> AuditEvent:
    return db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc()))


def details(event: AuditEvent) -> dict:
    return json.loads(event.payload)["details"]


def csv_keys(readme: str) -> dict[str, list[str]]:
    """Each table's column keys, in order, from the README ("  - key: name (description)" under "table.csv:")."""
    keys: dict[str, list[str]] = {}
    table = None
    for line in readme.splitlines():
        if re.match(r"^[\w-]+\.csv: ", line):
            table = line.split(".csv:")[0]
            if table in keys:  # a bilingual README describes each table twice
                table = None
            else:
                keys[table] = []
        elif table and line.startswith("  - "):
            keys[table].append(line[4:].split(":")[0])
    return keys


def csv_tables(body: bytes) -> tuple[dict[str, list[dict]], str]:
    """Each CSV file's rows keyed by column key (the files name their columns in the report's language)."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        readme = archive.read("README.txt").decode("utf-8")
        keys = csv_keys(readme)
        tables = {}
        for name in archive.namelist():
            if not name.endswith(".csv"):
                continue
            table = name.removesuffix(".csv")
            rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            assert len(rows[0]) == len(keys[table]), (table, rows[0])
            tables[table] = [dict(zip(keys[table], row, strict=True)) for row in rows[1:]]
        return tables, readme


def pdf_text(body: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(body))
    return reader, " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def upload(user, initiative, name: str, consent: str, description: str = "") -> int:
    activity = db.session.scalar(
        sa.select(Activity).where(Activity.initiative_id == initiative.id).order_by(Activity.id).limit(1)
    )
    evidence = activities.upload_evidence(
        user,
        initiative,
        data=PDF + name.encode(),
        filename=name,
        consent=consent,
        description=description,
        activity_id=activity.id,
        decision_id=None,
    )
    return evidence.id


# --- the page ------------------------------------------------------------------------------------------


def test_initiative_report_page_shows_the_records_accessibly_and_appends_nothing(client, demo):
    login(client, demo["tom"])
    chain = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    response = client.get(f"/initiatives/{demo['day_ops'].id}/report")
    page = Page(response).check()
    assert response.status_code == 200
    text = page.text()
    for expected in (
        "Amira Hassan",
        "George Blake",
        "Co-lead",
        "What makes a good day?",
        "Steering group: choosing providers",
    ):
        assert expected in text
    for table in page.soup.select("main table"):
        assert table.select_one("caption"), "every table has a caption"
        assert all(th.get("scope") in ("col", "row") for th in table.select("th"))
    for svg in page.soup.select("main svg"):
        assert svg["role"] == "img" and svg.select_one("title") and svg.select_one("desc")
        assert svg.find_parent("div", class_="app-chart-pair").select_one("table"), "a data table beside each chart"
    # Summary first: what needs doing, each thing linking to where it is done; then the summary section open
    # and every later section behind "Show this section", so the page is not ten screens long.
    assert page.soup.select("main h2")[0].get_text(strip=True) == "What needs doing"
    assert re.search(r"\d+ things? needs? doing\.", text)
    assert page.soup.select(".app-to-do li a[href^='/initiatives/']")
    sections = page.soup.select("main section.app-report-section")
    assert sections[0].find("details") is None and "Citizen partners who took part" in sections[0].get_text()
    folded = [s for s in sections if s.find_parent("details") is None and s.select_one("details.app-report-fold")]
    assert len(folded) == len([s for s in sections if s.find_parent("details") is None]) - 1
    # Reading is not a disclosure: the page appends nothing to the chain (no event, no checkpoint).
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == chain
    assert last_event("report.generated") is None


def test_a_citizen_partner_member_reads_the_report_but_not_the_portfolio(client, demo):
    login(client, demo["amira"])
    assert client.get(f"/initiatives/{demo['day_ops'].id}/report").status_code == 200
    assert client.get("/reports/portfolio").status_code == 403
    assert client.get(f"/initiatives/{demo['carers'].id}/report").status_code == 404


def test_as_at_a_past_date_leaves_out_later_activities_and_bad_dates_are_explained(client, demo):
    login(client, demo["tom"])
    before = (date.today() - timedelta(days=30)).isoformat()
    text = Page(client.get(f"/initiatives/{demo['day_ops'].id}/report?as_of={before}")).check().text()
    assert "What makes a good day?" in text
    assert "Steering group: choosing providers" not in text
    response = client.get(f"/initiatives/{demo['day_ops'].id}/report?as_of=31-02-2026&date_from=2026-05-01")
    assert response.status_code == 400
    page = Page(response).check()
    assert page.soup.select_one(".govuk-error-summary a[href='#report-as-of-day']")
    assert page.soup.select_one("#report-as-of-day")


def test_the_report_dates_are_typed_as_day_month_and_year(client, demo):
    login(client, demo["tom"])
    url = f"/initiatives/{demo['day_ops'].id}/report"
    before = date.today() - timedelta(days=30)
    fields = {"as_of-day": before.day, "as_of-month": before.month, "as_of-year": before.year}
    page = Page(client.get(url, query_string=fields)).check()
    assert "What makes a good day?" in page.text() and "Steering group: choosing providers" not in page.text()
    assert page.soup.select_one("#report-as-of-year")["value"] == str(before.year)
    download = page.soup.select_one("a[href*='/report/csv']")["href"]
    assert f"as_of={before.isoformat()}" in download, "links keep the date, as an ISO date"

    response = client.get(url, query_string={"as_of-day": "1", "as_of-month": "1", "as_of-year": "1850"})
    assert response.status_code == 400
    page = Page(response).check()
    assert page.errors() == ["The 'as at' date must be in 1900 or later"]
    response = client.get(url, query_string={"date_from-day": "12", "date_from-month": "", "date_from-year": "2025"})
    assert Page(response).check().errors() == ["The start date must include a month"]
    # The ISO form still works for links made before.
    assert client.get(url, query_string={"as_of": before.isoformat()}).status_code == 200


# --- PDF ------------------------------------------------------------------------------------------------


def fetch_pdf(client, url: str):
    """Ask for a PDF as a person does: it is made in the background (at once, in tests), then downloaded."""
    asked = client.get(url)
    assert asked.status_code == 302
    status = Page(client.get(asked.headers["Location"])).check()
    assert "Your report is ready" in status.text()
    link = status.soup.select_one("main a.govuk-button")
    assert link.get_text(strip=True) == "Download the PDF"
    return client.get(link["href"]), status


def test_pdf_is_tagged_has_its_language_and_the_right_content(client, demo):
    login(client, demo["tom"])
    generated = db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "report.generated"))
    response, status = fetch_pdf(client, f"/initiatives/{demo['carers'].id}/report/pdf")
    assert status.soup.select_one("[role=status][aria-live=polite]") is not None
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment;" in response.headers["Content-Disposition"]
    reader, text = pdf_text(response.data)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == f"Evidence report: {CARERS}"
    for expected in (
        "Lena Kowalski",
        "George Blake",
        "Ruth Okafor",
        "Where carers look for help",
        "Disagreed",
        "Carers from the Polish community have not been asked yet.",
        "Awaiting sign-off",
        "Put the carers' assessment form online",
        "Outputs",
        "Information and advice for carers: our plan (draft)",
        "Payments and recognition",
    ):
        assert expected in text, expected
    pages = len(reader.pages)
    assert f"Page {pages}" in reader.pages[-1].extract_text()  # numbered on across the parts it was laid out in
    # Making it disclosed nothing; the download is the disclosure, recorded once per download.
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "report.generated")) == generated + 1
    event = last_event("report.generated")
    assert details(event)["format"] == "pdf"
    assert details(event)["sha256"] == hashlib.sha256(response.data).hexdigest()


def test_a_pdf_of_any_size_is_made_and_only_its_requester_sees_it(app, client, demo):
    """No size limit any more: the portfolio PDF is made too; another person's render is not found."""
    login(client, demo["tom"])
    response, _status = fetch_pdf(client, "/reports/portfolio/pdf")
    assert response.mimetype == "application/pdf"
    render = db.session.scalar(sa.select(ReportRender).order_by(ReportRender.id.desc()))
    assert render.status.value == "ready" and render.sha256 == hashlib.sha256(response.data).hexdigest()
    other = app.test_client()
    login(other, demo["ruth"])
    assert other.get(f"/reports/pdf/{render.id}").status_code == 404
    assert other.get(f"/reports/pdf/{render.id}/file").status_code == 404


def test_the_preparing_page_shows_progress_and_works_without_javascript(client, demo, monkeypatch):
    from copro_tracker.jobs import huey

    queued = []
    monkeypatch.setattr(huey, "enqueue", queued.append)  # the worker has not started on it yet
    login(client, demo["tom"])
    asked = client.get(f"/initiatives/{demo['carers'].id}/report/pdf")
    again = client.get(f"/initiatives/{demo['carers'].id}/report/pdf")
    assert asked.headers["Location"] == again.headers["Location"]  # asking twice makes one render
    assert len(queued) == 1
    page = Page(client.get(asked.headers["Location"])).check()
    assert "Preparing your report" in page.text() and "waiting to be made" in page.text()
    refresh = page.soup.select_one("head noscript")
    assert refresh is not None and 'http-equiv="refresh"' in str(refresh)
    assert page.soup.select_one("[data-app-poll][data-app-poll-active]")["role"] == "status"
    check_again = page.soup.select_one("a[data-app-poll-again]")
    assert check_again.get_text(strip=True) == "Check again" and check_again["href"] == asked.headers["Location"]
    assert client.get(asked.headers["Location"] + "/file").status_code == 302  # not ready: back to the progress
    render = db.session.scalar(sa.select(ReportRender))
    db.session.execute(sa.update(ReportRender).values(status="rendering", parts_done=2, parts_total=5))
    db.session.commit()
    page = Page(client.get(asked.headers["Location"])).check()
    assert "2 of 5 parts laid out" in page.text()
    monkeypatch.undo()
    huey.execute(queued[0])  # what the worker does
    page = Page(client.get(asked.headers["Location"])).check()
    assert "Your report is ready" in page.text() and page.soup.select_one("head noscript") is None
    assert page.soup.select_one("[data-app-poll-active]") is None
    db.session.refresh(render)
    assert render.status.value == "ready" and render.parts_done == render.parts_total > 0


# --- CSV ------------------------------------------------------------------------------------------------


def test_csv_zip_has_one_file_per_table_with_the_right_rows_and_a_readme(client, demo):
    login(client, demo["tom"])
    response = client.get(f"/initiatives/{demo['day_ops'].id}/report/csv")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    tables, readme = csv_tables(response.data)
    for name in (
        "summary",
        "members",
        "stages",
        "sign_offs",
        "activities",
        "attendance",
        "decisions",
        "evidence_files",
    ):
        assert f"{name}.csv" in readme
    assert "- partner_ratings: Citizen partners' ratings (Each partner's own ladder rating, 1 to 7)" in readme
    members = {(r["name"], r["role"]) for r in tables["members"]}
    assert {("Tom Evans", "Co-lead"), ("Amira Hassan", "Co-lead"), ("George Blake", "Member")} <= members
    activities_rows = tables["activities"]
    assert [r["title"] for r in activities_rows] == [
        "What makes a good day?",
        "Choosing the outcomes",
        "Steering group: choosing providers",
    ]
    first = activities_rows[0]
    # Each side's ratings listed, never averaged (it used to say 5.5), and any difference flagged.
    assert (first["attended"], first["partners_attended"], first["partner_ratings"], first["staff_ratings"]) == (
        "5",
        "3",
        "6, 5",
        "6",
    )
    assert first["views_differ"] == "Yes"
    assert len(tables["attendance"]) == 5 + 3 + 3
    stages = {r["stage"]: r["status"] for r in tables["stages"]}
    assert stages == {"Design": "Complete", "Delivery": "Awaiting sign-off", "Evaluation": "Not started"}
    decision = tables["decisions"][0]
    assert decision["agreed"] == "Tom Evans, Amira Hassan, George Blake"
    assert decision["abstained"] == "Lena Kowalski"
    assert tables["you_said_we_did"][0]["response"] == "Adapted"
    event = last_event("report.generated")
    assert details(event)["sha256"] == hashlib.sha256(response.data).hexdigest()


# --- JSON bundle ---------------------------------------------------------------------------------------


def test_outputs_and_recognition_are_in_the_html_csv_and_json(client, demo):
    login(client, demo["tom"])
    base = f"/initiatives/{demo['carers'].id}/report"
    page = Page(client.get(base)).check()
    assert page.soup.select_one("#section-outputs") and page.soup.select_one("#section-recognition")
    assert "Information and advice for carers: our plan (draft)" in page.text()
    tables, readme = csv_tables(client.get(f"{base}/csv").data)
    (plan,) = tables["outputs"]
    assert (plan["output"], plan["version"], plan["published_url"]) == (
        "Information and advice for carers: our plan (draft)",
        "0.3",
        "",
    )
    assert "Lena Kowalski" in plan["co_authors"] and "Ruth Okafor" in plan["co_authors"]
    assert "recognition_by_kind.csv" in readme and "recognition_by_partner" in tables
    bundle = json.loads(client.get(f"{base}/json").data)
    assert "Information and advice for carers: our plan (draft)" in json.dumps(bundle)
    assert "Payments and recognition" in json.dumps(bundle)


def test_json_bundle_verifies_offline_and_tampering_fails(client, demo, tmp_path):
    evidence_id = upload(demo["tom"], demo["day_ops"], "minutes.pdf", "named")
    login(client, demo["tom"])
    response = client.get(f"/initiatives/{demo['day_ops'].id}/report/json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    bundle = json.loads(response.data)
    public_pem = ledger.public_key_pem(audit_service.signing_key())
    checks = verify_bundle(bundle, public_pem)
    assert all(c.ok for c in checks), "\n".join(c.line for c in checks)
    assert any("report data in the bundle matches" in c.message for c in checks)
    assert bundle["report"]["title"] == f"Evidence report: {DAY_OPS}"
    assert bundle["report_sha256"] == details(last_event("report.generated"))["sha256"]
    # Every listed evidence file is in the bundle with its hash; the file itself can be checked beside it.
    stored = db.session.get(activities.Evidence, evidence_id)
    assert bundle["files"] == [{"name": f"evidence-{evidence_id}-minutes.pdf", "sha256": stored.sha256}]
    (tmp_path / f"evidence-{evidence_id}-minutes.pdf").write_bytes(PDF + b"minutes.pdf")
    (tmp_path / "key.pem").write_text(public_pem)
    path = tmp_path / "bundle.json"
    path.write_bytes(response.data)

    def run(target: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "copro_tracker.audit.verify",
                str(target),
                "--public-key",
                str(tmp_path / "key.pem"),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )

    passed = run(path)
    assert passed.returncode == 0, passed.stdout
    assert "RESULT: PASSED" in passed.stdout and "matches its SHA-256" in passed.stdout

    forged = json.loads(response.data)
    forged["report"]["sections"][0]["tables"][0]["rows"][0][1] = "A different initiative"
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    failed = run(tmp_path / "forged.json")
    assert failed.returncode == 1 and "does not match its report_sha256" in failed.stdout

    # Changing the data and its report_sha256 together still fails: no signed event records that hash.
    forged["report_sha256"] = hashlib.sha256(ledger.canonical_json(forged["report"])).hexdigest()
    (tmp_path / "forged-hash.json").write_text(json.dumps(forged))
    failed = run(tmp_path / "forged-hash.json")
    assert failed.returncode == 1 and "not tied to the signed log" in failed.stdout

    rewritten = json.loads(response.data)
    event = rewritten["events"][0]
    event["payload"] = event["payload"].replace('"v":1', '"v":2')
    (tmp_path / "rewritten.json").write_text(json.dumps(rewritten))
    assert run(tmp_path / "rewritten.json").returncode == 1


# --- consent --------------------------------------------------------------------------------------------


def test_consent_is_honoured_in_every_format(client, demo):
    tom, day_ops = demo["tom"], demo["day_ops"]
    upload(tom, day_ops, "agreed-minutes.pdf", "named", "Minutes everyone agreed")
    anonymised = upload(demo["amira"], day_ops, "amira-story.pdf", "anonymised", "Amira's own story")
    upload(tom, day_ops, "attendance-sheet.pdf", "aggregate_only")
    upload(tom, day_ops, "health-notes.pdf", "do_not_use")
    login(client, tom)
    page = Page(client.get(f"/initiatives/{day_ops.id}/report")).check()
    evidence = page.soup.select_one("#section-evidence").find_parent("section").get_text(" ")
    assert "agreed-minutes.pdf" in evidence and "Minutes everyone agreed" in evidence
    assert f"Anonymised file {anonymised}" in evidence and "Citizen partner A" in evidence
    assert "1 more file is held that may only be counted" in evidence
    for hidden in ("amira-story.pdf", "Amira's own story", "attendance-sheet.pdf", "health-notes.pdf"):
        assert hidden not in page.html
    tables, _ = csv_tables(client.get(f"/initiatives/{day_ops.id}/report/csv").data)
    assert [r["file"] for r in tables["evidence_files"]] == ["agreed-minutes.pdf", f"Anonymised file {anonymised}"]
    bundle = json.loads(client.get(f"/initiatives/{day_ops.id}/report/json").data)
    assert [f["name"] for f in bundle["files"]] == [
        f"evidence-{anonymised - 1}-agreed-minutes.pdf",
        f"evidence-{anonymised}.pdf",
    ]
    assert "health-notes" not in json.dumps(bundle) and "amira-story" not in json.dumps(bundle)


def test_partners_names_can_be_replaced_throughout(client, demo):
    login(client, demo["tom"])
    page = Page(client.get(f"/initiatives/{demo['day_ops'].id}/report?anonymise_partners=yes")).check()
    body = page.soup.select_one("main").get_text(" ")
    assert "Amira Hassan" not in body and "George Blake" not in body
    assert "Citizen partner A" in body and "Citizen partner B" in body
    assert "Tom Evans" in body


def test_pseudonyms_follow_the_membership_side_not_todays_org_role(client, demo):
    """Amira joined as a citizen partner and Tom as a commissioner; their organisation roles then swap
    (Amira takes a staff job, Tom a partner's place elsewhere). The report about their work together still
    hides Amira's name as a citizen partner's and shows Tom's."""
    admin = db.session.scalar(sa.select(User).where(User.email == "admin@northshire.example"))
    auth_service.change_role(admin, demo["amira"], OrgRole.COMMISSIONER, demo["amira"].partner_kind)
    auth_service.change_role(admin, demo["tom"], OrgRole.CITIZEN_PARTNER, demo["tom"].partner_kind)
    login(client, admin)
    page = Page(client.get(f"/initiatives/{demo['day_ops'].id}/report?anonymise_partners=yes")).check()
    body = page.soup.select_one("main").get_text(" ")
    assert "Amira Hassan" not in body
    assert "Citizen partner A" in body
    assert "Tom Evans" in body


# --- portfolio and quality statement -------------------------------------------------------------------


def test_portfolio_lists_gaps_first_and_suppresses_small_numbers(client, demo):
    login(client, demo["tom"])
    page = Page(client.get("/reports/portfolio")).check()
    headings = [h.get_text(strip=True) for h in page.soup.select("main section > h2")]
    assert headings[0] == "Gaps"
    text = page.text()
    assert DAY_OPS in text and CARERS in text
    assert "Shaping the home care market" not in text  # another organisation's
    assert "fewer than 5" in text
    tables, _ = csv_tables(client.get("/reports/portfolio/csv").data)
    assert {r["initiative"] for r in tables["initiatives"]} == {DAY_OPS, CARERS}
    gap_counts = [int(r["gaps_in_initiative"]) for r in tables["gaps"]]
    assert gap_counts == sorted(gap_counts, reverse=True)
    assert any(r["gap"] == "Design stage: a member disagreed at the sign-off" for r in tables["gaps"])
    involved = next(r for r in tables["participation_summary"] if r["measure"] == "Citizen partners involved")
    # Amira, George, Ruth and one guest took part: four people, so the figure is suppressed.
    assert involved["value"] == "fewer than 5"


def test_quality_statement_report_covers_every_initiative_and_is_english_only(client, demo):
    login(client, demo["tom"])
    page = Page(client.get("/reports/quality-statements/CQC-LA-QS9")).check()
    text = page.text()
    assert "CQC quality statement CQC-LA-QS9" in text
    assert DAY_OPS in text and CARERS in text
    tables, _ = csv_tables(client.get("/reports/quality-statements/CQC-LA-QS9/csv").data)
    assert {r["initiative"] for r in tables["statement_by_initiative"]} == {DAY_OPS, CARERS}
    assert client.get("/reports/quality-statements/CQC-LA-QS99").status_code == 404
    login(client, demo["dafydd"])  # Glanyrafon is in Wales
    assert client.get("/reports/quality-statements/CQC-LA-QS9").status_code == 404


# --- share links -----------------------------------------------------------------------------------------


def _create_link(client, initiative_id: int, days: str = "7", **extra) -> tuple[str, ShareLink]:
    response = client.post(
        f"/reports/share-links/new?kind=initiative&initiative={initiative_id}", data={"expiry_days": days, **extra}
    )
    page = Page(response).check()
    assert response.status_code == 200, page.errors()
    url = page.soup.select_one("#share-link").get_text(strip=True)
    token = re.fullmatch(r"/shared/([A-Za-z0-9_-]+)", link_path(url)).group(1)
    link = db.session.scalar(sa.select(ShareLink).order_by(ShareLink.id.desc()))
    return token, link


def test_share_link_lifecycle(app, client, demo):
    login(client, demo["tom"])
    form = Page(client.get(f"/reports/share-links/new?kind=initiative&initiative={demo['day_ops'].id}")).check()
    assert form.soup.select_one("#expiry_days")["value"] == "30"
    token, link = _create_link(client, demo["day_ops"].id)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in json.dumps(link.params)
    assert timedelta(days=6, hours=23) < link.expires_at - utcnow() <= timedelta(days=7)
    assert last_event("share_link.created").entity_id == link.id

    visitor = app.test_client()
    response = visitor.get(f"/shared/{token}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = Page(response).check()
    banner = page.text(".govuk-notification-banner")
    assert "Tom Evans of Northshire County Council shared this read-only report" in banner
    assert "This link stops working on" in banner
    # Anonymised unless the sharer chose to name people.
    assert "Amira Hassan" not in page.text() and "What makes a good day?" in page.text()
    assert link.params["anonymise_partners"] == "yes"
    assert not page.soup.select("main form"), "read-only: nothing to submit"
    used = last_event("share_link.used")
    assert used.entity_id == link.id and used.actor_id is None and used.initiative_id == demo["day_ops"].id
    generated = last_event("report.generated")
    assert details(generated)["share_link_id"] == link.id and generated.actor_id is None

    bundle = json.loads(visitor.get(f"/shared/{token}/json").data)
    assert all(c.ok for c in verify_bundle(bundle))
    assert details(last_event("share_link.used"))["format"] == "json"
    pdf, status = fetch_pdf(visitor, f"/shared/{token}/pdf")
    assert pdf.mimetype == "application/pdf" and pdf.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert details(last_event("share_link.used"))["format"] == "pdf"
    assert details(last_event("report.generated"))["sha256"] == hashlib.sha256(pdf.data).hexdigest()
    status_url = status.soup.select_one("main a.govuk-button")["href"].removesuffix("/file")

    assert client.post(f"/reports/share-links/{link.id}/revoke").status_code == 302
    assert last_event("share_link.revoked").entity_id == link.id
    gone = visitor.get(f"/shared/{token}")
    assert gone.status_code == 410
    assert "withdrew the link" in Page(gone).check().text()
    assert visitor.get(f"/shared/{token}/pdf").status_code == 410
    assert visitor.get(status_url).status_code == 410 and visitor.get(status_url + "/file").status_code == 410
    assert "Withdrawn" in Page(client.get("/reports")).check().text()


def test_expired_and_unknown_links_get_a_clear_page(app, client, demo):
    login(client, demo["tom"])
    token, link = _create_link(client, demo["carers"].id, "1")
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    visitor = app.test_client()
    expired = visitor.get(f"/shared/{token}")
    assert expired.status_code == 410 and "The link expired on" in Page(expired).check().text()
    unknown = visitor.get("/shared/" + "x" * 43)
    assert unknown.status_code == 410 and "We do not recognise this link" in Page(unknown).check().text()
    assert visitor.get("/shared/" + "x" * 500).status_code == 410


def test_share_link_form_explains_mistakes(client, demo):
    login(client, demo["tom"])
    url = f"/reports/share-links/new?kind=initiative&initiative={demo['day_ops'].id}"
    for value, message in (
        ("91", "Enter a whole number of days from 1 to 90"),
        ("abc", "Enter a whole number of days from 1 to 90"),
        ("0", "Enter a whole number of days from 1 to 90"),
        ("", "Enter how many days the link should work for"),
    ):
        page = Page(client.post(url, data={"expiry_days": value})).check()
        assert page.errors() == [message]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ShareLink)) == 0


def test_share_link_can_hide_partners_names(app, client, demo):
    login(client, demo["tom"])
    token, link = _create_link(client, demo["day_ops"].id, names="anonymised")
    assert link.params["anonymise_partners"] == "yes"
    body = Page(app.test_client().get(f"/shared/{token}")).check().soup.select_one("main").get_text(" ")
    assert "Amira Hassan" not in body and "Citizen partner A" in body


def test_another_organisation_cannot_share_or_withdraw_our_reports(client, demo):
    login(client, demo["tom"])
    _, link = _create_link(client, demo["day_ops"].id)
    login(client, demo["dafydd"])
    url = f"/reports/share-links/new?kind=initiative&initiative={demo['day_ops'].id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"expiry_days": "7"}).status_code == 404
    assert client.post(f"/reports/share-links/{link.id}/revoke").status_code == 404
    assert db.session.get(ShareLink, link.id).revoked_at is None


def test_share_links_are_rate_limited(app, client, demo, monkeypatch):
    monkeypatch.setitem(app.config, "SHARE_LINK_RATE_LIMIT", "2 per minute")
    login(client, demo["tom"])
    token, _ = _create_link(client, demo["carers"].id)
    visitor = app.test_client()
    assert [visitor.get(f"/shared/{token}").status_code for _ in range(3)] == [200, 200, 429]
