"""Where each criterion comes from, as every page and report format shows it on the demo data.

Only exact references verified against the text in force now are shown, each with what was read and when;
the notice about unchecked references appears once per framework. The words come from one pure function
(``criteria.citations.cite``), so each format is checked against the same expected lines.
"""

from __future__ import annotations

import io
import json
import re

import pytest
import sqlalchemy as sa
from conftest import Page, login
from pypdf import PdfReader
from test_reports import csv_tables, fetch_pdf

from copro_tracker.criteria.citations import cite
from copro_tracker.extensions import db
from copro_tracker.models import Initiative, User

DAY_OPS = "Redesigning day opportunities with people with learning disabilities"
HOME_CARE = "Shaping the home care market together / Llunio'r farchnad gofal cartref gyda'n gilydd"
CA_ACT_1 = "Care Act 2014, section 1(3)(b) and (e) — checked against the Act on 26 November 2026"
CA_ACT_1_URL = "https://www.legislation.gov.uk/ukpga/2014/23/section/1/enacted"
WAL_ACT_16 = (
    "Social Services and Well-being (Wales) Act 2014, section 16(1)(b) — checked against the Welsh Government's "
    "law site on 26 November 2026"
)
# Never shown: unverified, verified for an older text only, or the wrong subsection for the criterion.
NEVER = ("paragraph 3.2", "3.2", "4(1)", "4(5)", "regulation 3(1)(b)", "2.20", "2.29", "10.14", "4.3 to 4.4")
CHECKED_LINE = re.compile(r"([^.;]*?, [^;]*? — checked against .*? on \d{1,2} \w+ \d{4})")


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    initiatives = {i.title: i for i in db.session.scalars(sa.select(Initiative))}
    return {
        "tom": users["commissioner@northshire.example"],
        "admin": users["admin@northshire.example"],
        "dafydd": users["commissioner@glanyrafon.example"],
        "day_ops": initiatives[DAY_OPS],
        "home_care": initiatives[HOME_CARE],
    }


@pytest.fixture
def verified(app) -> set[str]:
    library = app.extensions["criteria_library"]
    return {ref.text for c in library.criteria for ref in cite(c).checked}


def _checked_lines(text: str) -> list[str]:
    return [" ".join(m.split()).strip() for m in CHECKED_LINE.findall(" ".join(text.split()))]


def _assert_only_verified(text: str, verified: set[str]) -> None:
    lines = _checked_lines(text)
    assert lines, "some checked reference is shown"
    for line in lines:
        assert any(line.endswith(v) for v in verified), line
    for word in NEVER:
        assert word not in text, word


def _sources_text(page: Page) -> str:
    section = page.soup.select_one("#section-sources").find_parent("section")
    return " ".join(section.get_text(" ").split())


def test_criteria_page_and_coverage_show_only_verified_numbers(client, demo, verified):
    login(client, demo["tom"])
    page = Page(client.get(f"/initiatives/{demo['day_ops'].id}/criteria")).check()
    main = " ".join(page.soup.select_one("main").get_text(" ").split())
    section = " ".join(page.soup.select_one("#framework-care_act_england").find_parent("section").get_text(" ").split())
    _assert_only_verified(section, verified)
    assert CA_ACT_1 in main and main.count("in this framework have been checked against the original text") >= 1
    assert page.soup.find("a", string="the Act", href=CA_ACT_1_URL) is not None

    coverage = Page(client.get("/coverage")).check()
    text = " ".join(coverage.soup.select_one("main").get_text(" ").split())
    assert CA_ACT_1 in text and "Care Act 2014, section 4 (information and advice)" in text
    assert "Not yet checked against the original text: CA-STG-2.A" in text
    _assert_only_verified(text, verified)


def test_welsh_organisation_sees_the_corrected_section_16_locator(client, demo, verified):
    login(client, demo["dafydd"])
    page = Page(client.get(f"/initiatives/{demo['home_care'].id}/criteria")).check()
    text = " ".join(page.soup.select_one("main").get_text(" ").split())
    assert WAL_ACT_16 in text
    assert "section 16(1) " not in text and "section 16(1)." not in text
    for line in _checked_lines(text):
        assert any(line.endswith(v) for v in verified), line


def test_library_page_shows_verified_numbers_with_where_and_when(client, demo, verified):
    login(client, demo["admin"])
    page = Page(client.get("/admin/criteria-library")).check()
    text = " ".join(page.soup.select_one("main").get_text(" ").split())
    _assert_only_verified(text, verified)
    assert CA_ACT_1 in text and WAL_ACT_16 in text
    assert "Standard 3: Opportunities and Support for Involvement — checked against" in text


def test_every_report_format_shows_only_verified_numbers(client, demo, verified):
    login(client, demo["tom"])
    base = f"/initiatives/{demo['day_ops'].id}/report"
    html = _sources_text(Page(client.get(base)).check())
    _assert_only_verified(html, verified)
    assert CA_ACT_1 in html and CA_ACT_1_URL in html
    assert "in this framework have been checked against the original text" in html

    reader = PdfReader(io.BytesIO(fetch_pdf(client, f"{base}/pdf")[0].data))
    pdf = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    start = pdf.index("Where each criterion comes from")
    pdf_sources = pdf[start:]
    assert "section 1(3)(b) and (e) — checked against the Act on 26 November 2026" in pdf_sources
    assert "paragraph 3.2" not in pdf_sources and "4(1)" not in pdf_sources

    rows = csv_tables(client.get(f"{base}/csv").data)[0]["sources_care_act_england"]
    by_id = {r["criterion"].split(":")[0]: r for r in rows}
    assert by_id["CA-ACT-1"]["checked_references"] == f"{CA_ACT_1} ({CA_ACT_1_URL})"
    assert by_id["CA-ACT-4"]["checked_references"] == ""
    assert by_id["CA-ACT-4"]["source"].startswith("Care Act 2014, section 4 (information and advice)")
    for row in rows:
        _assert_only_verified(row["source"] + " " + CA_ACT_1, verified)
        for line in filter(None, row["checked_references"].split("; ")):
            assert re.sub(r" \(https://\S+\)$", "", line) in verified

    bundle = json.loads(client.get(f"{base}/json").data)
    sources = next(s for s in bundle["report"]["sections"] if s["id"] == "sources")
    care = next(s for s in sources["subsections"] if s["id"] == "sources-care-act-england")
    assert care["paragraphs"][0].startswith("5 of ")
    json_rows = {row[0].split(":")[0]: row for row in care["tables"][0]["rows"]}
    assert json_rows["CA-ACT-1"][2] == f"{CA_ACT_1} ({CA_ACT_1_URL})"
    _assert_only_verified(json.dumps(sources, ensure_ascii=False), verified)

    portfolio = _sources_text(Page(client.get("/reports/portfolio")).check())
    _assert_only_verified(portfolio, verified)
    statement = _sources_text(Page(client.get("/reports/quality-statements/CQC-LA-QS1")).check())
    assert CA_ACT_1 in statement  # CA-ACT-1 supports QS1
    _assert_only_verified(statement, verified)
