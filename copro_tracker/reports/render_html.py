"""HTML for a report: the page in the app, the read-only shared page, and the standalone print HTML that
WeasyPrint turns into the PDF. All three include templates/reports/_body.html, so they say the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from flask import get_template_attribute, render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..formatting import format_date, format_number
from .build import Cell, Chart, Report, Section, Table
from .render_svg import render_chart


def format_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return format_date(value)
    if isinstance(value, int):
        return format_number(value)
    return str(value)


def table_rows(table: Table) -> Markup:
    """A report table's body rows, as templates/reports/_table.html would write them: the first cell of a row
    as its header, numeric and fingerprint columns marked. Made here because a template loop over the
    thousands of cells of a portfolio took most of the page's time."""
    classes = []
    for column in table.columns:
        names = "govuk-table__cell"
        if column.numeric:
            names += " govuk-table__cell--numeric"
        if column.key in ("sha256", "value"):
            names += " app-report-hash"
        classes.append(names)
    row_start, row_end = Markup('    <tr class="govuk-table__row">\n'), Markup("    </tr>\n")
    header, data = Markup('<th scope="row" class="govuk-table__header">{}</th>\n'), Markup('<td class="{}">{}</td>')
    out = []
    for row in table.rows:
        out.append(row_start)
        for index, cell in enumerate(row):
            if index == 0 and table.row_headers:
                out.append(header.format(format_cell(cell)))
            else:
                out.append(data.format(classes[index], format_cell(cell)))
        out.append(row_end)
    return Markup("").join(out)


def charts_by_table(section: Section) -> dict[str, Chart]:
    return {chart.table_id: chart for chart in section.charts}


def chart_svg(chart: Chart) -> Markup:
    return render_chart(chart)


def render_print_html(report: Report) -> str:
    """A complete, standalone HTML document (no navigation, no scripts) for the PDF."""
    return render_template("reports/pdf.html", report=report)


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


def _section_blocks(section: Section, level: int) -> list[_Block]:
    macros = get_template_attribute("reports/_pdf_blocks.html", "heading")
    table_macro = get_template_attribute("reports/_table.html", "report_table")
    chart_macro = get_template_attribute("reports/_pdf_blocks.html", "chart")
    blocks = [_Block(macros(section, level), _HEADING_WEIGHT + len(section.paragraphs), keep_with_next=True)]
    charts = charts_by_table(section)
    for table in section.tables:
        if table.id in charts:
            blocks.append(_Block(chart_macro(charts[table.id]), 10, keep_with_next=True))
        for piece, weight in _table_pieces(table):
            blocks.append(_Block(table_macro(piece, for_pdf=True), max(1, weight)))
    for sub in section.subsections:
        blocks.extend(_section_blocks(sub, level + 1))
    return blocks


def print_parts(report: Report) -> list[list[Markup]]:
    """The report's body cut into parts of about PART_ROWS table rows, never inside a block (a heading, a
    chart, a table piece), and never between a heading and what follows it."""
    blocks = [block for section in report.sections for block in _section_blocks(section, 2)]
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
    report: Report, blocks: list[Markup], *, first: bool, first_page: int, running_title: Markup
) -> str:
    """One part as a standalone HTML document; the first carries the title, details and contents."""
    return render_template(
        "reports/pdf_part.html",
        report=report,
        blocks=blocks,
        first=first,
        first_page=first_page,
        running_title=running_title,
    )
