"""What every kind of report shares: cell words and columns, as-at views of an initiative, and criteria findings
with people's assessments.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ..codes import FINDING_STATUS_LABELS, StageStatus
from ..criteria.framework import Criterion, Framework
from ..criteria.rules import EvidenceRef, Finding, Reason, evaluate_all
from ..criteria.snapshot import InitiativeFacts, Stage
from ..domain.assessments import assessments_that_count
from ..domain.messages import CATALOGUE, Message
from .consent import Names
from .model import Column, HumanAssessment, ReportInputs
from .words import _, language, translator, with_english
from .words import day as _day


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _ratings(values: Sequence[int]) -> str:
    """Each rating given, highest first ("6, 5"): ladder ratings are shown side by side, never averaged."""
    return ", ".join(str(v) for v in sorted(values, reverse=True))


def _views_differ(partner: Sequence[int], staff: Sequence[int]) -> str:
    """Whether the two sides' ratings differ at all: one rung is still a difference."""
    if not partner or not staff:
        return ""
    return _yes(len(set(partner) | set(staff)) > 1)


def _percent(part: int, whole: int) -> str:
    return f"{round(part * 100 / whole)}%" if whole else ""


def _quote(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cols(*specs: tuple[str, str] | tuple[str, str, str] | Column) -> tuple[Column, ...]:
    out = []
    for spec in specs:
        if isinstance(spec, Column):
            out.append(spec)
        else:
            out.append(Column(*spec))
    return tuple(out)


def _num(key: str, label: str, description: str = "") -> Column:
    return Column(key, label, description, numeric=True)


# ---------------------------------------------------------------------------------------------------
# As-at views of an initiative


def stage_status_as_at(stage: Stage, as_of: date) -> StageStatus:
    if stage.status == StageStatus.NOT_STARTED or stage.opened_on is None or stage.opened_on > as_of:
        return StageStatus.NOT_STARTED
    if stage.closed_on is not None and stage.closed_on <= as_of:
        return StageStatus.COMPLETE
    if stage.status == StageStatus.COMPLETE:
        return StageStatus.IN_PROGRESS
    return stage.status


def _left_on(left_on: date | None, as_of: date) -> date | None:
    return left_on if left_on is not None and left_on <= as_of else None


def latest_assessments(items: Iterable[HumanAssessment], initiative_id: int) -> dict[tuple[str, str], HumanAssessment]:
    """(framework id, criterion id) -> the assessment that counts for this initiative (domain.assessments)."""
    counted = assessments_that_count(item for item in items if item.initiative_id == initiative_id)
    return {(item.framework_id, item.criterion_id): item for item in counted.values()}


@dataclass(frozen=True, slots=True)
class _Evaluated:
    framework: Framework
    criterion: Criterion
    finding: Finding
    assessment: HumanAssessment | None


def evaluate_initiative(
    inputs: ReportInputs,
    facts: InitiativeFacts | None,
    frameworks: Sequence[Framework],
    initiative_id: int | None = None,
) -> list[_Evaluated]:
    """Each criterion's finding with the people's assessment; without facts (the portfolio as at today reads
    stored summaries) the stored findings must be there."""
    ident = facts.initiative.id if facts is not None else initiative_id
    criteria = [(f, c) for f in frameworks for c in f.criteria]
    stored = inputs.findings.get(ident)
    if stored is not None and all(c.id in stored for _, c in criteria):
        findings = [stored[c.id] for _, c in criteria]
    elif facts is None:
        raise LookupError(f"no stored findings for initiative {ident}")
    else:
        findings = evaluate_all([c for _, c in criteria], facts)
    assessed = latest_assessments(inputs.assessments, ident)
    return [
        _Evaluated(f, c, finding, assessed.get((f.id, c.id)))
        for (f, c), finding in zip(criteria, findings, strict=True)
    ]


def _assessment_words(names: Names, item: HumanAssessment | None) -> tuple[str, str, str]:
    """(status, who assessed, citizen partner's response) for a table row."""
    if item is None:
        return _("Not assessed yet"), "", ""
    status = _(FINDING_STATUS_LABELS[item.status]) if item.status in FINDING_STATUS_LABELS else item.status
    by = names.person(item.assessed_by)
    if item.assessed_on:
        by = f"{by}, {_day(item.assessed_on)}"
    if item.cosigned_by is not None:
        response = _("Co-signed by %(name)s", name=names.person(item.cosigned_by))
    elif item.disagreed_by is not None and item.disagreement_reason.strip():
        response = _(
            "%(name)s disagreed: %(reason)s", name=names.person(item.disagreed_by), reason=item.disagreement_reason
        )
    elif item.disagreed_by is not None:
        response = _("%(name)s disagreed", name=names.person(item.disagreed_by))
    else:
        response = _("Waiting for a citizen partner to co-sign")
    return status, by, response


ATTESTATION = "criteria.attestation"


def _reasons(finding: Finding, names: Names) -> str:
    texts, english = [], []
    for reason in finding.reasons:
        text = _reason_text(reason, names)
        texts.append(text)
        if reason.message is None:
            # Stored before reasons had message ids: the whole sentence is English.
            english.append((text, "reason"))
        elif reason.message.id == ATTESTATION:
            # The framework files word what a person must confirm in English only.
            english.append((str(dict(reason.message.params)["what"]), "criterion"))
    return with_english(" ".join(texts), tuple(english))


def _reason_text(reason: Reason, names: Names) -> str:
    """The reason as this report may show it: a person is named as the report names them (a pseudonym
    when anonymised). Rules put a person's name in the text only with a member reference labelled with it."""
    text = reason.render(translator())
    for ref in reason.refs:
        if ref.kind == "member" and isinstance(ref.id, int) and ref.label:
            shown = names.person(ref.id)
            if shown != ref.label:
                text = re.sub(rf"(?<!\w){re.escape(ref.label)}(?!\w)", shown, text)
    return text


def _records(finding: Finding, names: Names, facts: InitiativeFacts) -> str:
    """The records behind a finding (meetings, decisions, outputs, people), named as in the rest of the report
    and in its language (the rules label stages and meetings in English)."""
    labels = [_record_label(ref, names, facts) for ref in finding.evidence_refs]
    return "; ".join(dict.fromkeys(label for label in labels if label.strip()))


def _record_label(ref: EvidenceRef, names: Names, facts: InitiativeFacts) -> str:
    if ref.kind == "member":
        return names.person(ref.id)
    if ref.kind == "stage" and f"criteria.stage.{ref.id}" in CATALOGUE:
        return Message.of(f"criteria.stage.{ref.id}").render(translator())
    if ref.kind == "activity" and isinstance(ref.id, int) and (activity := facts.activity(ref.id)) is not None:
        return f"{activity.title} ({_day(activity.on)})" if activity.on else activity.title
    return ref.label


def _params(inputs: ReportInputs, **extra: str) -> tuple[tuple[str, str], ...]:
    period = inputs.period
    values = {
        **extra,
        "as_of": period.as_of.isoformat(),
        "date_from": period.date_from.isoformat() if period.date_from else "",
        "date_to": period.date_to.isoformat() if period.date_to else "",
        "anonymise_partners": "yes" if inputs.anonymise_partners else "no",
        "language": language(),
    }
    return tuple(sorted(values.items()))


def _status_counts(evaluated: Sequence[_Evaluated]) -> Counter[str]:
    return Counter(e.finding.status.value for e in evaluated)
