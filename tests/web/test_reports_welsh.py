"""A report asked for in Welsh: Welsh around it, its PDF's /Lang is cy, and the sections still written in
English by reports/build.py are marked lang="en" in the HTML. (WeasyPrint does not carry an element's lang
into the PDF's structure tree, so inside the PDF those sections are not yet marked as English.)"""

from __future__ import annotations

import io

from conftest import Page, login
from pypdf import PdfReader
from test_reports import demo  # noqa: F401 (the demo data fixture)


def _welsh(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "cy"


def test_welsh_pdf_says_it_is_welsh_and_marks_english_sections(client, demo):  # noqa: F811
    login(client, demo["tom"])
    _welsh(client)
    response = client.get(f"/initiatives/{demo['carers'].id}/report/pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Cynnwys" in text and "Sefydliad" in text  # "Contents", "Organisation"


def test_english_pdf_keeps_en_gb(client, demo):  # noqa: F811
    login(client, demo["tom"])
    response = client.get(f"/initiatives/{demo['carers'].id}/report/pdf")
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "Contents" in " ".join(page.extract_text() for page in reader.pages)


def test_welsh_report_page_tags_each_english_section(client, demo):  # noqa: F811
    login(client, demo["tom"])
    _welsh(client)
    page = Page(client.get(f"/initiatives/{demo['carers'].id}/report")).check()
    assert page.soup.html["lang"] == "cy"
    sections = page.soup.select("section.app-report-section")
    assert sections and all(s.get("lang") == "en" and s.get("data-untranslated") == "report" for s in sections)
    assert client.get("/language/en?next=/dashboard").status_code == 302
    page = Page(client.get(f"/initiatives/{demo['carers'].id}/report")).check()
    assert page.soup.html["lang"] == "en"
    assert not page.soup.select("section.app-report-section[lang]")
