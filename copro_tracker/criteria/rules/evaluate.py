"""Combining a criterion's checks into one finding, and which initiatives a criterion applies to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from ...codes import StatutoryFunction, worst_status
from ...domain.messages import Message, Phrase
from ..snapshot import InitiativeFacts, InitiativeInfo
from .core import RULES, Finding, Status, _not_applicable
from .words import FUNCTION_WORDS, _join

# ---------------------------------------------------------------------------------------------------
# Combining a criterion's checks


class CheckLike(Protocol):
    @property
    def rule(self) -> str: ...

    @property
    def kwargs(self) -> Mapping[str, object]: ...


class CriterionLike(Protocol):
    @property
    def checks(self) -> Sequence[CheckLike]: ...

    @property
    def applies_to(self) -> AppliesTo | None: ...


@dataclass(frozen=True, slots=True)
class AppliesTo:
    """Which initiatives a criterion is about; any condition left unset does not restrict."""

    functions: tuple[StatutoryFunction, ...] = ()
    collective: bool | None = None
    nhs_partnered: bool | None = None

    def why_not(self, initiative: InitiativeInfo) -> Message | None:
        if self.functions and not set(self.functions) & set(initiative.statutory_functions):
            functions = _join(Phrase(FUNCTION_WORDS[f]) for f in self.functions)
            return Message.of("criteria.applies.functions", functions=functions)
        if self.collective is not None and initiative.collective != self.collective:
            return Message.of("criteria.applies.collective" if self.collective else "criteria.applies.individual")
        if self.nhs_partnered is not None and initiative.nhs_partnered != self.nhs_partnered:
            return Message.of("criteria.applies.nhs")
        return None


def combine(findings: Iterable[Finding]) -> Finding:
    """Worst status wins; not applicable is ignored unless every finding is not applicable."""
    findings = list(findings)
    applicable = [f for f in findings if f.status is not Status.NOT_APPLICABLE]
    if not applicable:
        return Finding(Status.NOT_APPLICABLE, tuple(dict.fromkeys(r for f in findings for r in f.reasons)))
    worst = worst_status(f.status for f in applicable)
    # Two checks can look at the same record (the same rule with different parameters): say it once.
    return Finding(worst, tuple(dict.fromkeys(r for f in applicable for r in f.reasons)))


def evaluate(criterion: CriterionLike, facts: InitiativeFacts) -> Finding:
    """Run every check of ``criterion`` against ``facts`` and combine them (see ``combine``).

    A criterion's own ``needs_attestation`` flag does not change the status computed here: the
    automatic finding and the human attestation are shown side by side, and neither overwrites the
    other (DESIGN §4). Only a check that cannot be computed at all returns needs attestation.
    """
    return _evaluate(criterion, facts, None)


def evaluate_all(criteria: Iterable[CriterionLike], facts: InitiativeFacts) -> list[Finding]:
    """``evaluate`` for many criteria at once, in the same order; use it for a page or a report.

    Criteria share checks (the same rule with the same parameters appears under several frameworks), and a
    rule is pure over an immutable snapshot, so each distinct check runs once per call.
    """
    cache: dict[tuple[str, tuple[tuple[str, object], ...]], Finding] = {}
    return [_evaluate(criterion, facts, cache) for criterion in criteria]


def _evaluate(
    criterion: CriterionLike,
    facts: InitiativeFacts,
    cache: dict[tuple[str, tuple[tuple[str, object], ...]], Finding] | None,
) -> Finding:
    applies_to = criterion.applies_to
    if applies_to is not None and (why := applies_to.why_not(facts.initiative)) is not None:
        return _not_applicable(why)
    findings = []
    for check in criterion.checks:
        kwargs = dict(check.kwargs)
        if cache is None:
            findings.append(RULES[check.rule](facts, **kwargs))
            continue
        key = (check.rule, tuple(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = RULES[check.rule](facts, **kwargs)
        findings.append(cache[key])
    return combine(findings)
