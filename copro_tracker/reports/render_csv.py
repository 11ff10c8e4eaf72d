"""CSV: one file per table, zipped, with a README.txt describing every column.

The zip is byte-for-byte reproducible (fixed timestamps, files in report order), so its SHA-256,
recorded in the audit trail, identifies the content. Cells that a spreadsheet would run as a formula
are defused by the app's one CSV writer (`copro_tracker.csv_export`).
"""

from __future__ import annotations

import io
import zipfile

from .. import csv_export
from .build import Report, Table

_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow([c.key for c in table.columns])
    writer.writerows(table.rows)
    return out.getvalue()


def readme(report: Report) -> str:
    lines = [
        report.title,
        "=" * min(len(report.title), 80),
        "",
        f"Organisation: {report.organisation}",
        f"As at: {report.period.as_of.isoformat()}",
    ]
    if report.period.ranged:
        lines.append(
            f"Date range: {report.period.date_from or 'the start'} to {report.period.date_to or report.period.as_of}"
        )
    lines += [f"Produced: {report.generated_at.isoformat(timespec='seconds')}Z", ""]
    lines += [*report.notes, ""]
    lines += [
        "Each table of the report is one CSV file (UTF-8, comma-separated, first row is the column names).",
        "Dates are written as YYYY-MM-DD. 'fewer than 5' marks a small number hidden to protect privacy.",
        "",
    ]
    for table in report.tables():
        lines += [f"{table.id}.csv: {table.caption}"]
        if table.note:
            lines.append(f"  {table.note}")
        for column in table.columns:
            detail = f" ({column.description})" if column.description else ""
            lines.append(f"  - {column.key}: {column.label}{detail}")
        lines.append("")
    return "\n".join(lines)


def render_csv_zip(report: Report) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("README.txt", _FIXED_TIME), readme(report).encode("utf-8"))
        for table in report.tables():
            info = zipfile.ZipInfo(f"{table.id}.csv", _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            # A byte-order mark so spreadsheet programs read the names (Siân, Llunio'r ...) correctly.
            archive.writestr(info, ("\ufeff" + table_csv(table)).encode("utf-8"))
    return buffer.getvalue()
