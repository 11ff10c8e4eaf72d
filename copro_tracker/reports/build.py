"""Turn facts, findings, people's assessments and the audit state into a ``Report`` value. Pure: no Flask,
no database. The loader (``reports/data.py``) gathers the inputs; the renderers (``render_*.py``) only
read the ``Report``.

This module is the entry point callers import (``from copro_tracker.reports import build``); the work is
in ``model`` (the report value and its inputs), ``consent`` (pseudonyms, consent, small numbers),
``common`` and ``sections`` (what the kinds share), and one module per kind: ``initiative``,
``portfolio`` and ``quality_statement``.

A report is a title, some notes, and sections of tables (and charts drawn from those tables). Every
renderer is generic over that shape, so the HTML page, the PDF, the CSV files and the JSON bundle
always say the same thing.

What "as at" means (``Period.as_of``), part by part
--------------------------------------------------
- Activities, attendance, ratings, decisions and positions: those held on or before the date.
- Members: people who had joined by the date; someone who left later shows as still a member.
- Stages: worked out from their dates. A stage opened after the date shows as not started; one closed
  after it shows as in progress. Sign-offs are those given on or before the date (current round only).
- "You said, we did": recommendations raised by the date; a response given after it is not shown.
- Evidence files: uploaded by the date. Consent is always today's: a withdrawn consent applies to
  reports about the past too.
- Criteria: judged on everything recorded up to the date (never narrowed by the date range).
- People's assessments: the newest one made by the date; a co-signature or disagreement after it is
  not shown.
- Initiative title, summary and people's names: as they are now.
- Audit: events up to the end of the date are counted; the signed checkpoint is the one made when the
  report was produced, so it covers everything up to that moment.

The date range (``date_from``/``date_to``) only narrows the lists: activities, attendance, decisions,
recommendations, sign-offs, evidence files and memberships that overlap it.

Consent (evidence files): "do not use" files are left out entirely, not even counted; "aggregate only"
files appear only in counts; "anonymised" files are listed without their name or description, and the
person who added them is shown by a pseudonym. With ``anonymise_partners`` every citizen partner is
shown by a pseudonym throughout. Pseudonyms ("Citizen partner A", "Staff member B") are given in order
of first appearance and stay the same for a person everywhere in one report.

Small numbers: in the portfolio and quality-statement reports, which combine initiatives, counts of 1
to 4 in participation breakdowns are shown as "fewer than 5" (and charts leave those bars out). The
initiative report names its members anyway, so it is not suppressed.

Every value in a report is a string, an integer, a date or None (never a float), so the JSON bundle
can be hashed canonically.

Language: each builder takes ``Words`` (reports/words.py) and writes the whole report in that language;
English when none is given. A bilingual report is two builds from the same inputs (reports/service.py).
Keys (table ids, column keys, JSON field names) are the same in every language.
"""

from __future__ import annotations

from ..codes import FINDING_STATUS_LABELS, ConsentLevel, ReportKind
from .common import evaluate_initiative, latest_assessments, stage_status_as_at
from .consent import SIDE_WORDS, Names, bundle_file_name, usable_evidence
from .initiative import build_initiative_report
from .model import (
    REPORT_FORMAT,
    SMALL_NUMBER,
    SUPPRESSED,
    AuditSummary,
    Cell,
    Chart,
    CheckpointInfo,
    Column,
    EqualityInputs,
    EvidenceFile,
    HumanAssessment,
    InitiativeDetails,
    ListedFile,
    Period,
    Person,
    Report,
    ReportInputs,
    Section,
    Series,
    Table,
)
from .portfolio import build_portfolio_report
from .quality_statement import build_quality_statement_report

__all__ = [
    "FINDING_STATUS_LABELS",
    "REPORT_FORMAT",
    "SIDE_WORDS",
    "SMALL_NUMBER",
    "SUPPRESSED",
    "AuditSummary",
    "Cell",
    "Chart",
    "CheckpointInfo",
    "Column",
    "ConsentLevel",
    "EqualityInputs",
    "EvidenceFile",
    "HumanAssessment",
    "InitiativeDetails",
    "ListedFile",
    "Names",
    "Period",
    "Person",
    "Report",
    "ReportInputs",
    "ReportKind",
    "Section",
    "Series",
    "Table",
    "build_initiative_report",
    "build_portfolio_report",
    "build_quality_statement_report",
    "bundle_file_name",
    "evaluate_initiative",
    "latest_assessments",
    "stage_status_as_at",
    "usable_evidence",
]
