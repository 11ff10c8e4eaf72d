"""The rule registry and what a rule returns: ``Finding``, ``Reason``, ``EvidenceRef``, the ``rule``
decorator, grading (``_Tally``) and the helpers several families share.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ...codes import LADDER_RUNGS, STAGE_ORDER, ActivityKind, FindingStatus, StageKind
from ...domain.messages import Message, Phrase, Text, Translator, identity
from ..snapshot import Activity, Attendance, Decision, InitiativeFacts, Member, Output, Recommendation, Stage
from .words import STAGE_WORDS, _day_text, _join, _quote, _stage_label

# Rules and their callers say ``Status``: it is the code list ``codes.FindingStatus``, not a copy of it.
Status = FindingStatus


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """A record behind a reason. ``kind`` is activity, decision, output, member, stage, recommendation..."""

    kind: str
    id: int | str
    label: str


@dataclass(frozen=True, slots=True)
class Reason:
    """One sentence of a finding: ``message`` is the sentence as a message id with parameters
    (domain.messages), ``text`` its English rendering, and ``render`` gives it in another language.

    Rules make reasons only with ``Reason.of(message)``, so they never return finished English; a reason
    is built from ``text`` alone only when read back from storage written before messages existed.
    """

    text: str
    refs: tuple[EvidenceRef, ...] = ()
    message: Message | None = field(default=None, compare=False)

    @classmethod
    def of(cls, message: Message, refs: Sequence[EvidenceRef] = ()) -> Reason:
        if not isinstance(message, Message):
            raise TypeError(f"a reason is a Message, not {type(message).__name__}: {message!r}")
        return cls(_sentence(message.render()), tuple(refs), message)

    def render(self, translate: Translator = identity) -> str:
        return _sentence(self.message.render(translate)) if self.message is not None else self.text


def _sentence(text: str) -> str:
    """A reason is a sentence: its first letter is upper case, whatever parameter it starts with."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True, slots=True)
class Finding:
    status: Status
    reasons: tuple[Reason, ...] = ()

    @property
    def evidence_refs(self) -> tuple[EvidenceRef, ...]:
        """Every record named by any reason, once each, in the order first named."""
        return tuple(dict.fromkeys(ref for reason in self.reasons for ref in reason.refs))


RuleFunction = Callable[..., Finding]
RULES: dict[str, RuleFunction] = {}


def rule(name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule under ``name``; the shape is enforced here so the loader can trust it."""

    def register(function: RuleFunction) -> RuleFunction:
        if name in RULES:
            raise ValueError(f"rule {name!r} is registered twice")
        parameters = list(inspect.signature(function).parameters.values())
        if not parameters or parameters[0].name != "facts":
            raise TypeError(f"rule {name!r}: the first parameter must be 'facts'")
        for parameter in parameters[1:]:
            if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
                raise TypeError(f"rule {name!r}: parameter {parameter.name!r} must be keyword-only")
            if parameter.annotation is inspect.Parameter.empty:
                raise TypeError(f"rule {name!r}: parameter {parameter.name!r} needs a type annotation")
        RULES[name] = function
        return function

    return register


def _stage_ref(kind: StageKind) -> EvidenceRef:
    return EvidenceRef("stage", kind.value, _stage_label(kind))


def _activity_ref(activity: Activity) -> EvidenceRef:
    return EvidenceRef("activity", activity.id, f"{activity.title} ({_day_text(activity.on)})")


def _decision_ref(decision: Decision) -> EvidenceRef:
    return EvidenceRef("decision", decision.id, _quote(decision.text, 60))


def _output_ref(output: Output) -> EvidenceRef:
    return EvidenceRef("output", output.id, output.title)


def _member_ref(facts: InitiativeFacts, user_id: int) -> EvidenceRef:
    return EvidenceRef("member", user_id, facts.name_of(user_id))


def _recommendation_ref(item: Recommendation) -> EvidenceRef:
    return EvidenceRef("recommendation", item.id, _quote(item.text, 60))


class _Tally:
    """Collects per-item outcomes and reasons, then grades them (see the module docstring)."""

    def __init__(self) -> None:
        self.ok = self.partial = self.none = 0
        self.reasons: list[Reason] = []

    def add(self, outcome: str, text: Message, refs: Sequence[EvidenceRef] = ()) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.reasons.append(Reason.of(text, refs))

    def count(self, outcome: str) -> None:
        """An item graded without a reason of its own (a summary reason speaks for all of them)."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def note(self, text: Message, refs: Sequence[EvidenceRef] = ()) -> None:
        """A reason that informs without counting towards the grade (dissent, rating gaps...)."""
        self.reasons.append(Reason.of(text, refs))

    @property
    def status(self) -> Status:
        if self.ok + self.partial + self.none == 0:
            return Status.NOT_APPLICABLE
        if self.partial == 0 and self.none == 0:
            return Status.MET
        if self.ok == 0 and self.partial == 0:
            return Status.NOT_MET
        return Status.PARTLY_MET

    def finding(self, status: Status | None = None) -> Finding:
        return Finding(status or self.status, tuple(self.reasons))


def _not_applicable(text: Message, refs: Sequence[EvidenceRef] = ()) -> Finding:
    return Finding(Status.NOT_APPLICABLE, (Reason.of(text, refs),))


def _check_rung(name: str, value: int | None) -> None:
    if value is not None and value not in LADDER_RUNGS:
        raise ValueError(f"{name} must be a ladder rung from 1 to 7, got {value}")


def _check_positive(name: str, value: float, allow_zero: bool = False) -> None:
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'zero or more' if allow_zero else 'more than zero'}, got {value}")


def _stages_in_scope(facts: InitiativeFacts, stages: tuple[StageKind, ...]) -> tuple[Stage, ...]:
    wanted = stages or STAGE_ORDER
    return tuple(stage for stage in facts.started_stages if stage.kind in wanted)


def _not_started(stages: tuple[StageKind, ...]) -> Finding:
    names = _join(Phrase(STAGE_WORDS[s]) for s in stages or STAGE_ORDER)
    return _not_applicable(Message.of("criteria.not_started", stages=names))


def _partners_on_record(facts: InitiativeFacts) -> tuple[Member, ...]:
    """Citizen partners whose situation a check should cover: current ones, or all of them once closed."""
    if facts.initiative.closed:
        return facts.citizen_partners
    return tuple(m for m in facts.citizen_partners if any(t.active_on(facts.as_of) for t in _tenures(facts, m)))


def _tenures(facts: InitiativeFacts, member: Member) -> tuple[Member, ...]:
    return tuple(m for m in facts.members if m.user_id == member.user_id)


# Answering these is giving views, not being involved in a decision (TLAP rung 4, consultation).
VIEWS_ONLY_KINDS = frozenset({ActivityKind.SURVEY})


def _who(facts: InitiativeFacts, row: Attendance) -> Message:
    if row.user_id is not None:
        return Message.of("criteria.who.named", name=facts.name_of(row.user_id))
    if row.guest_name:
        return Message.of("criteria.who.named", name=row.guest_name)
    return Message.of("criteria.who.anyone")


def _person_refs(facts: InitiativeFacts, row: Attendance, *refs: EvidenceRef) -> tuple[EvidenceRef, ...]:
    return (*refs, *((_member_ref(facts, row.user_id),) if row.user_id is not None else ()))


@rule("attestation_only")
def attestation_only(facts: InitiativeFacts, *, what: Text) -> Finding:
    """Something the records cannot show: a named person has to confirm it.

    Params:
        what: what the person must confirm, in plain English (one sentence, no full stop needed); the check's
            ``cy: {what: ...}`` gives the Welsh beside it.
    """
    words = Text.of(what).trimmed()
    if not words.en:
        raise ValueError("what must say what a person needs to confirm")
    return Finding(Status.NEEDS_ATTESTATION, (Reason.of(Message.of("criteria.attestation", what=words)),))
