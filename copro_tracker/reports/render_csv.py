"""CSV: one file per table, zipped, with a README.txt describing every column.

The first row of each file names the columns in the report's language (both, "Welsh / English" or the other
way round, for a bilingual report); the README gives each column's stable key beside its name, as the JSON
bundle's keys are. The zip is byte-for-byte reproducible (fixed timestamps, files in report order), so its
SHA-256, recorded in the audit trail, identifies the content. Cells that a spreadsheet would run as a formula
are defused by the app's one CSV writer (`copro_tracker.csv_export`).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from .. import csv_export
from .build import SUPPRESSED, Report, Table
from .words import ENGLISH, Words, _, writing_in

_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def table_csv(table: Table, also: Table | None = None) -> str:
    """The table as CSV; `also`: the same table in the report's second language, whose names join the header."""
    out = io.StringIO()
    writer = csv_export.writer(out)
    if also is None:
        writer.writerow([c.label for c in table.columns])
    else:
        writer.writerow([f"{c.label} / {o.label}" for c, o in zip(table.columns, also.columns, strict=True)])
    writer.writerows(table.rows)
    return out.getvalue()


def readme(report: Report, words: Words = ENGLISH) -> str:
    with writing_in(words):
        return _readme(report)


def _readme(report: Report) -> str:
    period = report.period
    lines = [
        report.title,
        "=" * min(len(report.title), 80),
        "",
        _("Organisation: %(organisation)s", organisation=report.organisation),
        _("As at: %(day)s", day=period.as_of.isoformat()),
    ]
    if period.ranged:
        lines.append(
            _(
                "Date range: %(start)s to %(end)s",
                start=period.date_from.isoformat() if period.date_from else _("the start"),
                end=(period.date_to or period.as_of).isoformat(),
            )
        )
    lines += [_("Produced: %(at)s", at=f"{report.generated_at.isoformat(timespec='seconds')}Z"), ""]
    lines += [*report.notes, ""]
    lines += [
        _(
            "Each table of the report is one CSV file (UTF-8, comma-separated, first row is the column names). "
            "Below, each column's name follows its key, which stays the same in every language."
        ),
        _(
            "Dates are written as YYYY-MM-DD. '%(suppressed)s' marks a small number hidden to protect privacy.",
            suppressed=_(SUPPRESSED),
        ),
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


def render_csv_zip(reports: Report | Sequence[Report], words: Sequence[Words] = (ENGLISH,)) -> bytes:
    """The zip for the report, or for its language versions (main language first, with the Words each was
    written in): the rows are the main version's, the column names and README in every version's language."""
    versions = [reports] if isinstance(reports, Report) else list(reports)
    main = versions[0]
    second = {t.id: t for t in versions[1].tables()} if len(versions) > 1 else {}
    text = "\n\n".join(readme(report, language) for report, language in zip(versions, words, strict=True))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("README.txt", _FIXED_TIME), text.encode("utf-8"))
        for table in main.tables():
            info = zipfile.ZipInfo(f"{table.id}.csv", _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            # A byte-order mark so spreadsheet programs read the names (Siân, Llunio'r ...) correctly.
            archive.writestr(info, ("\ufeff" + table_csv(table, second.get(table.id))).encode("utf-8"))
    return buffer.getvalue()
