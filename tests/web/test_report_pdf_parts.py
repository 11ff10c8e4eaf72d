"""The PDF is laid out in parts (render_html.print_parts): long tables cut into captioned pieces, long cell texts
set as short paragraphs, headings kept with what follows; the parts join into one PDF with pages numbered on."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from markupsafe import Markup
from pypdf import PdfReader

from copro_tracker.codes import ReportKind
from copro_tracker.reports import render_html, render_pdf
from copro_tracker.reports.model import Column, Period, Report, Section, Table
from copro_tracker.reports.words import ReportText
from tests.pdf_languages import element_languages, text_by_language


def _report(rows: int, cell: str = "short") -> Report:
    table = Table(
        id="activities",
        caption="Activities",
        columns=(Column("title", "Title"), Column("why", "Why")),
        rows=tuple((f"Session {n}", cell) for n in range(1, rows + 1)),
        note="Every activity recorded.",
    )
    sections = (
        Section(id="first", heading="About", paragraphs=("An initiative.",)),
        Section(id="activities", heading="What happened", tables=(table,)),
    )
    return Report(
        kind=ReportKind.INITIATIVE,
        title='Evidence report: "Quotes" & <brackets>',
        organisation="Northshire County Council",
        generated_at=datetime(2026, 11, 26, tzinfo=UTC),
        period=Period(date(2026, 11, 26)),
        notes=(),
        sections=sections,
        initiative_ids=(1,),
    )


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def test_a_long_table_is_cut_into_captioned_pieces_and_parts_stay_small(request_context):
    parts = render_html.print_parts(_report(300))
    html = ["".join(part) for part in parts]
    assert len(parts) == 3
    assert "Activities (rows 1 to 120 of 300)" in html[0] and "Activities (rows 241 to 300 of 300)" in html[2]
    assert all(chunk.count("<thead") == 1 for chunk in html[1:])  # every piece has its column headers
    assert "Every activity recorded." in html[2] and "Every activity recorded." not in html[0]
    assert 'id="section-activities"' in html[0]  # the heading opens the part its table starts in


def test_long_cell_texts_become_short_paragraphs(request_context):
    text = " ".join(f"Reason number {n} is given here." for n in range(200))
    paragraphs = str(render_html.cell_paragraphs(text))
    assert paragraphs.count('<p class="app-pdf-cell">') > 10
    assert all(len(p) <= render_html.CELL_PARAGRAPH + 40 for p in paragraphs.split("</p>"))
    assert str(render_html.cell_paragraphs("<b>short</b>")) == "&lt;b&gt;short&lt;/b&gt;"
    # Heavy rows weigh more: a few rows of long text get parts of their own.
    assert len(render_html.print_parts(_report(12, text))) >= 3


def test_parts_join_into_one_tagged_pdf_with_pages_numbered_on(request_context):
    progress = []
    pdf = render_pdf.render_report_pdf(_report(300), lambda done, total: progress.append((done, total)))
    assert progress[-1] == (3, 3)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number}" in text
        assert 'Evidence report: "Quotes" & <brackets>' in text  # the running title, safely escaped
    assert pages >= 3


def test_each_language_version_is_tagged_with_its_language_in_the_pdf(request_context):
    """A bilingual PDF: the document's /Lang is the main language, and the other language's structure elements
    carry their own /Lang (PDF/UA: every change of language identified), so each is read in its own voice."""
    english = replace(_report(3), params=(("language", "en"),))
    welsh = replace(
        english,
        params=(("language", "cy"),),
        title="Adroddiad tystiolaeth",
        sections=(
            Section(id="first", heading="Ynghylch", paragraphs=("Menter.",)),
            Section(id="activities", heading="Beth ddigwyddodd"),
        ),
    )
    for reports, document, other in (([welsh, english], "cy", "en-GB"), ([english, welsh], "en-GB", "cy")):
        reader = PdfReader(io.BytesIO(render_pdf.render_report_pdf(reports)))
        assert reader.trailer["/Root"]["/Lang"] == document
        assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
        # Only the changes are tagged: the main language's elements inherit the document's.
        assert set(element_languages(reader)) == {other}
        texts = text_by_language(reader)
        assert set(texts) == {"cy", "en-GB"}
        for words in ("Ynghylch", "Menter.", "Beth ddigwyddodd"):
            assert words in texts["cy"] and words not in texts["en-GB"]
        for words in ("About", "An initiative.", "What happened", "Session 3"):
            assert words in texts["en-GB"] and words not in texts["cy"]


def test_a_pdf_in_one_language_tags_no_element_with_another(request_context):
    reader = PdfReader(io.BytesIO(render_pdf.render_report_pdf(_report(3))))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert element_languages(reader) == []
    assert list(text_by_language(reader)) == ["en-GB"]


def test_a_pages_table_rows_escape_every_cell_and_mark_english_as_the_template_did(app):
    # render_html.table_rows writes the rows without Markup.format (too slow at thousands of cells): each cell
    # must still be escaped, English-only pieces marked, numbers and dates formatted, classes as before.
    table = Table(
        id="t",
        caption="T",
        columns=(
            Column("name", "Name"),
            Column("count", "Count", numeric=True),
            Column("sha256", "Fingerprint"),
            Column("on", "Day"),
            Column("why", "Why"),
            Column("gap", "Gap"),
        ),
        rows=(
            (
                "<b>Ann</b> & co",
                1234,
                Markup("<i>not trusted</i>"),
                date(2025, 3, 3),
                ReportText("Gweler Care Act", (("Care Act", "law"),)),
                None,
            ),
        ),
    )
    with app.test_request_context():
        html = str(render_html.table_rows(table))
    assert html == (
        '    <tr class="govuk-table__row">\n'
        '<th scope="row" class="govuk-table__header">&lt;b&gt;Ann&lt;/b&gt; &amp; co</th>\n'
        '<td class="govuk-table__cell govuk-table__cell--numeric">1,234</td>'
        '<td class="govuk-table__cell app-report-hash">&lt;i&gt;not trusted&lt;/i&gt;</td>'
        '<td class="govuk-table__cell">3 March 2025</td>'
        '<td class="govuk-table__cell">Gweler <span lang="en" data-untranslated="law">Care Act</span></td>'
        '<td class="govuk-table__cell"></td>'
        "    </tr>\n"
    )
