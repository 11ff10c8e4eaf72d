"""HTML for a report: the page in the app, the read-only shared page, and the print HTML that WeasyPrint
turns into the PDF, part by part. All of them lay out sections with templates/reports/_table.html, so they
say the same thing.

A report is given as its versions, one per language, the main language first (``service.prepare_all``):
one for English or Welsh, two for a bilingual report, which shows each section in both languages, one
after the other. Each version's words inside the sections (the report's own text and the few words the
templates add, such as "Show this section") are in that version's language, and each section carries its
``lang`` where it differs from the document's, so screen readers and tagged PDF read it in the right voice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from flask import get_template_attribute, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..formatting import format_date, format_number
from .build import Cell, Chart, Report, Section, Table
from .render_svg import render_chart
from .words import HTML_LANG, ReportText


def format_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return format_date(value)
    if isinstance(value, int):
        return format_number(value)
    return str(value)


_ROW_START, _ROW_END = '    <tr class="govuk-table__row">\n', "    </tr>\n"
_ROW_HEADER = '<th scope="row" class="govuk-table__header">'


def table_rows(table: Table) -> Markup:
    """A report table's body rows, as templates/reports/_table.html would write them: the first cell of a row
    as its header, numeric and fingerprint columns marked. Made here because a template loop over the
    thousands of cells of a portfolio took most of the page's time; joined as plain strings, every cell
    escaped as ``cell_html`` does, because ``Markup.format`` per cell (string.Formatter) cost more than the rest."""
    openings = []
    for column in table.columns:
        names = "govuk-table__cell"
        if column.numeric:
            names += " govuk-table__cell--numeric"
        if column.key in ("sha256", "value"):
            names += " app-report-hash"
        openings.append(f'<td class="{names}">')
    # The same date or number recurs down a column (days, counts): formatted through Babel once per table.
    formatted: dict[tuple[type, Cell], str] = {}
    out: list[str] = []
    append = out.append
    row_headers = table.row_headers
    for row in table.rows:
        append(_ROW_START)
        for index, cell in enumerate(row):
            if isinstance(cell, str):
                # str(): a str subclass is escaped as text, as format_cell did (only ReportText is marked up).
                html = marked(cell) if isinstance(cell, ReportText) else escape(str(cell))
            else:
                key = (type(cell), cell)
                html = formatted.get(key)
                if html is None:
                    html = formatted[key] = escape(format_cell(cell))
            if index == 0 and row_headers:
                append(_ROW_HEADER)
                append(html)
                append("</th>\n")
            else:
                append(openings[index])
                append(html)
                append("</td>")
        append(_ROW_END)
    return Markup("".join(out))  # noqa: S704 - every cell went through escape() or marked(); the rest is constant


def marked(text: object) -> Markup:
    """Report text for HTML: escaped, with any piece that exists only in English marked lang="en"."""
    out = escape(text)
    for piece, reason in getattr(text, "english", ()):
        # A command is in no human language ("zxx"); everything else marked is English.
        lang = "zxx" if reason == "command" else "en"
        span = Markup('<span lang="{}" data-untranslated="{}">{}</span>').format(lang, reason, piece)
        out = out.replace(escape(piece), span, 1)
    return out


def cell_html(value: Cell) -> Markup:
    return marked(value) if isinstance(value, ReportText) else escape(format_cell(value))


def report_language(report: Report) -> str:
    return dict(report.params).get("language", "en")


def page_language() -> str:
    return str(get_locale() or "en")


def _with_suffix(report: Report, suffix: str) -> Report:
    """A second language version's sections, tables and charts with ids of their own (one page holds both)."""
    if not suffix:
        return report

    def section(item: Section) -> Section:
        return replace(
            item,
            id=item.id + suffix,
            tables=tuple(replace(t, id=t.id + suffix) for t in item.tables),
            charts=tuple(replace(c, id=c.id + suffix, table_id=c.table_id + suffix) for c in item.charts),
            subsections=tuple(section(s) for s in item.subsections),
        )

    return replace(report, sections=tuple(section(s) for s in report.sections))


@dataclass(frozen=True)
class Version:
    """One language version of a report, as laid out: `lang` is its HTML lang value."""

    report: Report
    language: str
    lang: str
    main: bool


def versions(reports: Sequence[Report]) -> list[Version]:
    out = []
    for index, report in enumerate(reports):
        language = report_language(report)
        suffix = "" if index == 0 else f"-{language}"
        out.append(Version(_with_suffix(report, suffix), language, HTML_LANG.get(language, language), index == 0))
    return out


def _lang_attribute(version: Version, document_language: str, *, always: bool = False) -> str:
    return version.lang if always or version.language != document_language else ""


def report_body(reports: Sequence[Report], *, fold: bool = False) -> Markup:
    """The report's details, notes, contents and sections for a web page (the page's own words around it are in
    the reader's language; the report's are in its own)."""
    laid_out = versions(reports)
    document = page_language()
    section_macro = get_template_attribute("reports/_table.html", "report_section")
    front_macro = get_template_attribute("reports/_front.html", "front")
    with force_locale(laid_out[0].language):
        parts = [front_macro(laid_out, document)]
    for index in range(len(laid_out[0].report.sections)):
        for version in laid_out:
            with force_locale(version.language):
                parts.append(
                    section_macro(
                        version.report.sections[index],
                        2,
                        fold=fold and index > 0,
                        lang=_lang_attribute(version, document),
                        second=not version.main,
                    )
                )
    return Markup("").join(parts)


def charts_by_table(section: Section) -> dict[str, Chart]:
    return {chart.table_id: chart for chart in section.charts}


def chart_svg(chart: Chart) -> Markup:
    return render_chart(chart)


# --- the PDF in parts ------------------------------------------------------------------------------
#
# WeasyPrint's layout time per line grows with the size of the document it is laying out (bench/RESULTS.md:
# 100 activities in 10 s, 1,000 in 30 minutes), so one long document is super-linear however its tables are
# split. The PDF is therefore laid out as a series of short documents ("parts", each about PART_ROWS table
# rows) whose pages are then joined into one tagged PDF: the time grows with the number of parts, linearly.
# A table longer than a part is cut into pieces of at most PART_ROWS rows, each with the table's caption
# (saying which rows it holds) and its column headers, so every piece reads on its own.

PART_ROWS = 120
# A row counts as one, plus one for each CHARS_PER_ROW characters it holds: a few criteria rows carry long
# lists of reasons (tens of thousands of characters at 1,000 activities) and weigh as much as many short rows.
CHARS_PER_ROW = 300
# WeasyPrint breaks a paragraph into lines in time that grows with the square of its length, so long cell
# texts are set as several paragraphs of at most this many characters, cut after a sentence or list item.
CELL_PARAGRAPH = 400
_HEADING_WEIGHT = 3
_BREAK_AFTER = re.compile(r"(?<=[.;])\s+")


def cell_paragraphs(value: Cell) -> Markup:
    """A cell's text for the PDF: as it is when short; else paragraphs cut after a sentence or list item."""
    if isinstance(value, ReportText):
        # Pieces marked as English stay whole: the text is short enough, or its pieces are.
        return marked(value)
    text = format_cell(value)
    if len(text) <= CELL_PARAGRAPH:
        return escape(text)
    chunks: list[str] = []
    for piece in _BREAK_AFTER.split(text):
        if chunks and len(chunks[-1]) + len(piece) < CELL_PARAGRAPH:
            chunks[-1] = f"{chunks[-1]} {piece}"
        else:
            chunks.append(piece)
    return Markup("").join(Markup('<p class="app-pdf-cell">{}</p>').format(chunk) for chunk in chunks)


def _row_weight(row: tuple[Cell, ...]) -> int:
    return 1 + sum(len(format_cell(cell)) for cell in row) // CHARS_PER_ROW


@dataclass(frozen=True)
class _Block:
    html: Markup
    weight: int
    # A heading stays in the same part as what follows it.
    keep_with_next: bool = False


def _table_pieces(table: Table) -> list[tuple[Table, int]]:
    """The table cut into pieces of about PART_ROWS weight (never inside a row), each with its weight."""
    groups: list[list[tuple[Cell, ...]]] = [[]]
    weights = [0]
    for row in table.rows:
        weight = _row_weight(row)
        if groups[-1] and weights[-1] + weight > PART_ROWS:
            groups.append([])
            weights.append(0)
        groups[-1].append(row)
        weights[-1] += weight
    if len(groups) == 1:
        return [(table, weights[0])]
    total = len(table.rows)
    pieces = []
    first = 0
    for number, (rows, weight) in enumerate(zip(groups, weights, strict=True), start=1):
        caption = _("%(caption)s (rows %(first)s to %(last)s of %(total)s)") % {
            "caption": table.caption,
            "first": f"{first + 1:,}",
            "last": f"{first + len(rows):,}",
            "total": f"{total:,}",
        }
        piece_id = table.id if number == 1 else f"{table.id}-{number}"
        note = table.note if number == len(groups) else ""
        pieces.append((replace(table, id=piece_id, caption=caption, rows=tuple(rows), note=note), weight))
        first += len(rows)
    return pieces


def _section_blocks(section: Section, level: int, lang: str) -> list[_Block]:
    macros = get_template_attribute("reports/_pdf_blocks.html", "heading")
    table_macro = get_template_attribute("reports/_table.html", "report_table")
    chart_macro = get_template_attribute("reports/_pdf_blocks.html", "chart")

    def block(html: Markup, weight: int, keep_with_next: bool = False) -> _Block:
        # Every block says its language: the tagged PDF's structure elements carry it.
        return _Block(Markup('<div lang="{}">{}</div>').format(lang, html), weight, keep_with_next)

    blocks = [block(macros(section, level), _HEADING_WEIGHT + len(section.paragraphs), keep_with_next=True)]
    charts = charts_by_table(section)
    for table in section.tables:
        if table.id in charts:
            blocks.append(block(chart_macro(charts[table.id]), 10, keep_with_next=True))
        for piece, weight in _table_pieces(table):
            blocks.append(block(table_macro(piece, for_pdf=True), max(1, weight)))
    for sub in section.subsections:
        blocks.extend(_section_blocks(sub, level + 1, lang))
    return blocks


def _as_versions(reports: Report | Sequence[Report]) -> list[Version]:
    return versions([reports] if isinstance(reports, Report) else reports)


def print_parts(reports: Report | Sequence[Report]) -> list[list[Markup]]:
    """The report's body cut into parts of about PART_ROWS table rows, never inside a block (a heading, a
    chart, a table piece), and never between a heading and what follows it. A bilingual report has each
    section in both languages, the main one first."""
    laid_out = _as_versions(reports)
    blocks = []
    for index in range(len(laid_out[0].report.sections)):
        for version in laid_out:
            with force_locale(version.language):
                blocks.extend(_section_blocks(version.report.sections[index], 2, version.lang))
    parts: list[list[Markup]] = []
    current: list[Markup] = []
    weight = 0
    held: list[_Block] = []
    for block in blocks:
        if block.keep_with_next:
            held.append(block)
            continue
        group = [*held, block]
        held = []
        group_weight = sum(b.weight for b in group)
        if current and weight + group_weight > PART_ROWS:
            parts.append(current)
            current, weight = [], 0
        current.extend(b.html for b in group)
        weight += group_weight
    current.extend(b.html for b in held)
    if current or not parts:
        parts.append(current)
    return parts


def render_print_part(
    reports: Report | Sequence[Report],
    blocks: list[Markup],
    *,
    first: bool,
    first_page: int,
    running_title: Markup,
) -> str:
    """One part as a standalone HTML document; the first carries the title, details and contents. The
    document's language (the PDF's /Lang) is the report's main language."""
    laid_out = _as_versions(reports)
    main = laid_out[0]
    with force_locale(main.language):
        return render_template(
            "reports/pdf_part.html",
            report=main.report,
            versions=laid_out,
            main=main,
            blocks=blocks,
            first=first,
            first_page=first_page,
            running_title=running_title,
        )
