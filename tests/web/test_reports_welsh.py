"""A report page in Welsh: Welsh around it, and the sections still written in English by reports/build.py
marked lang="en". (PDFs are now made in the background; their language is not yet checked here.)"""

from __future__ import annotations

from conftest import Page, login
from test_reports import demo  # noqa: F401 (the demo data fixture)


def _welsh(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "cy"


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
