"""HTML for a report: the page in the app, the read-only shared page, and the standalone print HTML that
WeasyPrint turns into the PDF. All three include templates/reports/_body.html, so they say the same thing."""

from __future__ import annotations

from datetime import date, datetime

from flask import render_template
from markupsafe import Markup

from .build import Cell, Chart, Report, Section
from .render_svg import render_chart


def format_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def charts_by_table(section: Section) -> dict[str, Chart]:
    return {chart.table_id: chart for chart in section.charts}


def chart_svg(chart: Chart) -> Markup:
    return render_chart(chart)


def render_print_html(report: Report) -> str:
    """A complete, standalone HTML document (no navigation, no scripts) for the PDF."""
    return render_template("reports/pdf.html", report=report)
