"""A report asked for in Welsh: Welsh around it, its PDF's /Lang is cy, and the sections still written in
English by reports/build.py are marked lang="en" (in the HTML and in the PDF's tagged structure)."""

from __future__ import annotations

import io

from conftest import Page, login
from pypdf import PdfReader

from .test_reports import demo  # noqa: F401 (the demo data fixture)


def _welsh(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "cy"


def _languages_in_structure(reader: PdfReader) -> set[str]:
    """Every /Lang set on an element of the PDF's structure tree."""
    found: set[str] = set()
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if "/Lang" in node:
                found.add(str(node["/Lang"]))
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, list) else [kids])
        elif isinstance(node, list):
            stack.extend(node)
    return found


def test_welsh_pdf_says_it_is_welsh_and_marks_english_sections(client, demo):  # noqa: F811
    login(client, demo["tom"])
    _welsh(client)
    response = client.get(f"/initiatives/{demo['carers'].id}/report/pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert "en" in _languages_in_structure(reader)  # the sections build.py wrote in English
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Cynnwys" in text and "Sefydliad" in text  # "Contents", "Organisation"


def test_english_pdf_keeps_en_gb_and_marks_nothing_else(client, demo):  # noqa: F811
    login(client, demo["tom"])
    response = client.get(f"/initiatives/{demo['carers'].id}/report/pdf")
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "en" not in _languages_in_structure(reader)


def test_welsh_report_page_tags_each_english_section(client, demo):  # noqa: F811
    login(client, demo["tom"])
    _welsh(client)
    page = Page(client.get(f"/initiatives/{demo['carers'].id}/report")).check()
    assert page.soup.html["lang"] == "cy"
    sections = page.soup.select("section.app-report-section")
    assert sections and all(s.get("lang") == "en" and s.get("data-untranslated") == "report" for s in sections)
    english = Page(client.get("/language/en?next=/dashboard", follow_redirects=True))
    assert english.soup.html["lang"] == "en"
    page = Page(client.get(f"/initiatives/{demo['carers'].id}/report")).check()
    assert not page.soup.select("section.app-report-section[lang]")
