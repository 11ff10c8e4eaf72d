"""Evaluation with partners (X-EVAL)."""

from __future__ import annotations

from ...codes import OutputKind, StageKind
from ...domain.messages import Message, Phrase
from ..snapshot import InitiativeFacts
from .core import (
    VIEWS_ONLY_KINDS,
    Finding,
    _activity_ref,
    _member_ref,
    _not_applicable,
    _output_ref,
    _person_refs,
    _stage_ref,
    _Tally,
    _who,
    rule,
)
from .words import OUTPUT_WORDS, _at, _join, _quote

# ---------------------------------------------------------------------------------------------------
# X-EVAL


@rule("evaluation_with_partners")
def evaluation_with_partners(
    facts: InitiativeFacts, *, require_report: bool = False, require_outcomes_framework: bool = False
) -> Finding:
    """The evaluation is done with citizen partners, not just about them.

    Implements X-EVAL (catalogue §9: "EVALUATION includes a co-analysis activity with partners"; outcome
    measures "defined in DESIGN, with a partner as co-author"), NI Standard 5 (measure the impact and
    evaluate the outcomes of involvement), the Scottish Impact standard and SCIE's review principle. None
    of these names a particular document, so what counts is evidence that partners analysed the results
    together: a partner contributing to an evaluation-stage meeting, panel or workshop (not a survey), or
    a partner co-writing the evaluation report.

    Params:
        require_report: also expect an evaluation report with a citizen partner as co-author (only for a
            criterion whose text names a report; default False).
        require_outcomes_framework: expect the outcomes the work aims for to have been written with a
            citizen partner (for criteria that name outcome measures agreed with partners; default False).

    Items: partners analysed the results together; the report and the outcomes, when required.
    """
    stage = facts.stage(StageKind.EVALUATION)
    if stage is None or not stage.started:
        return _not_applicable(Message.of("criteria.evaluation.not_started"))
    tally = _Tally()
    reports = facts.outputs_of(OutputKind.EVALUATION_REPORT)
    co_written = [o for o in reports if any(uid in facts.citizen_partner_ids for uid in o.co_author_ids)]
    analysed = [
        (activity, row)
        for activity in facts.activities_in(StageKind.EVALUATION)
        if activity.kind not in VIEWS_ONLY_KINDS
        for row in facts.partner_attendance_at(activity.id)
        if row.contributed
    ]
    attended = [a for a in facts.activities_in(StageKind.EVALUATION) if facts.partner_attendance_at(a.id)]
    if analysed:
        activity, row = analysed[0]
        tally.add(
            "ok",
            Message.of("criteria.evaluation.analysed", who=_who(facts, row), at=_at(activity)),
            [_stage_ref(StageKind.EVALUATION), *_person_refs(facts, row, _activity_ref(activity))],
        )
    elif co_written:
        report = co_written[0]
        partners = [uid for uid in report.co_author_ids if uid in facts.citizen_partner_ids]
        tally.add(
            "ok",
            Message.of(
                "criteria.evaluation.report_with",
                title=_quote(report.title),
                names=_join(facts.name_of(u) for u in partners),
            ),
            [_output_ref(report), *(_member_ref(facts, uid) for uid in partners)],
        )
    elif attended:
        tally.add(
            "partial",
            Message.of("criteria.evaluation.attended_only", activities=_join(_at(a) for a in attended)),
            [_stage_ref(StageKind.EVALUATION), *(_activity_ref(a) for a in attended)],
        )
    else:
        tally.add(
            "none",
            Message.of("criteria.evaluation.none"),
            [_stage_ref(StageKind.EVALUATION)],
        )
    wanted = [
        (OutputKind.EVALUATION_REPORT, require_report),
        (OutputKind.OUTCOMES_FRAMEWORK, require_outcomes_framework),
    ]
    for kind, required in wanted:
        if not required:
            continue
        outputs = facts.outputs_of(kind)
        with_partner = [o for o in outputs if any(uid in facts.citizen_partner_ids for uid in o.co_author_ids)]
        words = Phrase(OUTPUT_WORDS[kind])
        if with_partner:
            partners = [uid for uid in with_partner[0].co_author_ids if uid in facts.citizen_partner_ids]
            tally.add(
                "ok",
                Message.of(
                    "criteria.evaluation.output_with",
                    output=words,
                    title=_quote(with_partner[0].title),
                    names=_join(facts.name_of(u) for u in partners),
                ),
                [_output_ref(with_partner[0]), *(_member_ref(facts, uid) for uid in partners)],
            )
        elif outputs:
            tally.add(
                "partial",
                Message.of("criteria.evaluation.output_without", output=words, title=_quote(outputs[0].title)),
                [_output_ref(o) for o in outputs],
            )
        else:
            tally.add("none", Message.of("criteria.evaluation.output_missing", output=words))
    return tally.finding()
