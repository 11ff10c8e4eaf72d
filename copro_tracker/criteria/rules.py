"""Named, pure checks over an ``InitiativeFacts`` snapshot.

Every rule is ``(facts, *, **params) -> Finding``. Parameters are keyword-only and annotated: the framework
loader reads the signature to reject unknown or mistyped parameters in the YAML, and dry-runs every check
against an empty initiative, so a rule raises ``ValueError`` for a parameter value it cannot use.

Reasons are written for a citizen partner: short sentences in plain English that name the stage, the
meeting, the decision, the output and the person concerned. Whenever a sentence names a person it also
carries a ``member`` reference whose label is exactly the name used, so an evidence report that
anonymises people replaces the name with the person's pseudonym (reports/build.py) without rewording.
Text people typed (a decision, a reason) is quoted, never pasted mid-sentence.

Grading, used by most rules: each thing a rule looks at (a stage, a decision, a partner, an output) is
fully in order, partly in order, or not in order. All in order is *met*; none in order at all is
*not met*; anything between is *partly met*. Nothing to look at is *not applicable*.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Protocol

from ..codes import (
    LADDER_RUNGS,
    LIVED_EXPERIENCE_KINDS,
    NATION_LABELS,
    STAGE_ORDER,
    ActivityKind,
    CommunicationNeed,
    FindingStatus,
    Language,
    MemberRole,
    Nation,
    OutputFormat,
    OutputKind,
    PartnerKind,
    Position,
    ReciprocityKind,
    Response,
    Side,
    SignOffDecision,
    StageKind,
    StageStatus,
    StatutoryFunction,
    WelshEffects,
    worst_status,
)
from ..domain.follow_through import review_overdue
from ..domain.gates import MemberFact, SignOffFact, approving_sides
from ..domain.messages import Message, Translator, identity
from ..domain.people import side_for_role
from .snapshot import (
    Activity,
    Attendance,
    Decision,
    InitiativeFacts,
    InitiativeInfo,
    Member,
    Output,
    Recommendation,
    Stage,
)

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
    text: str
    refs: tuple[EvidenceRef, ...] = ()
    # The sentence as a message id with parameters (domain.messages), where the rule has moved to them:
    # ``text`` is then its English rendering, and ``render`` gives it in another language.
    message: Message | None = field(default=None, compare=False)

    @classmethod
    def of(cls, what: str | Message, refs: Sequence[EvidenceRef] = ()) -> Reason:
        if isinstance(what, Message):
            return cls(what.render(), tuple(refs), what)
        return cls(what, tuple(refs))

    def render(self, translate: Translator = identity) -> str:
        return self.message.render(translate) if self.message is not None else self.text


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


# ---------------------------------------------------------------------------------------------------
# Plain-English words for coded values (the pure core cannot use the Flask-Babel labels).

RUNG_WORDS = {
    1: "coercion",
    2: "educating",
    3: "informing",
    4: "consulting",
    5: "engaging",
    6: "co-designing",
    7: "co-producing",
}
OUTPUT_WORDS = {
    OutputKind.PLAN: "plan",
    OutputKind.STRATEGY: "strategy",
    OutputKind.INFORMATION_ADVICE_PLAN: "information and advice plan",
    OutputKind.MARKET_POSITION_STATEMENT: "market position statement",
    OutputKind.TERMS_OF_REFERENCE: "terms of reference",
    OutputKind.OUTCOMES_FRAMEWORK: "list of outcomes the work aims for",
    OutputKind.EVALUATION_REPORT: "evaluation report",
    OutputKind.RESPONSE_STATEMENT: "published response to what people said",
    OutputKind.ACCESSIBLE_VERSION: "accessible version",
    OutputKind.OTHER: "output",
}
FORMAT_WORDS = {
    OutputFormat.EASY_READ: "Easy Read",
    OutputFormat.LARGE_PRINT: "large print",
    OutputFormat.AUDIO: "audio",
    OutputFormat.BSL_VIDEO: "British Sign Language video",
    OutputFormat.WELSH: "Welsh",
    OutputFormat.OTHER_LANGUAGE: "another language",
}
PARTNER_KIND_WORDS = {
    PartnerKind.DRAWS_ON_CARE: "people who draw on care and support",
    PartnerKind.CARER: "unpaid carers",
    PartnerKind.COMMUNITY: "community members",
    PartnerKind.PROVIDER: "care providers",
    PartnerKind.VCSE: "voluntary and community organisations",
    PartnerKind.HEALTHWATCH: "Healthwatch",
    PartnerKind.ADVOCATE: "advocates",
    PartnerKind.OFFICER: "council or NHS officers",
}
FUNCTION_WORDS = {
    StatutoryFunction.PREVENTION: "prevention",
    StatutoryFunction.INFORMATION_ADVICE: "information and advice",
    StatutoryFunction.MARKET_SHAPING: "market shaping and commissioning",
    StatutoryFunction.ASSESSMENT: "assessment",
    StatutoryFunction.STRATEGY_PLAN: "a strategy or plan",
    StatutoryFunction.ADVOCACY: "advocacy",
    StatutoryFunction.OTHER: "other work",
}
# Adjustments and communication needs share one code list (codes.CommunicationNeed).
NEED_WORDS = {
    CommunicationNeed.EASY_READ: "Easy Read documents",
    CommunicationNeed.LARGE_PRINT: "large print",
    CommunicationNeed.BSL_INTERPRETER: "a British Sign Language interpreter",
    CommunicationNeed.HEARING_LOOP: "a hearing loop",
    CommunicationNeed.SCREEN_READER: "documents that work with a screen reader",
    CommunicationNeed.EXTRA_TIME: "extra time to read and respond",
    CommunicationNeed.SUPPORTER_PRESENT: "a supporter with them",
}
# Needs that are formats: a published output must exist in that format for the person to use it. Needs for
# taking part in a meeting (an interpreter, a hearing loop, a supporter, extra time) are not formats.
NEED_FORMATS = {
    CommunicationNeed.EASY_READ: OutputFormat.EASY_READ,
    CommunicationNeed.LARGE_PRINT: OutputFormat.LARGE_PRINT,
}


@lru_cache(maxsize=4096)
def _day(value: date) -> str:
    # Cached: strftime is the single biggest cost when a page evaluates every criterion.
    return f"{value.day} {value:%B %Y}"


def _rung(value: int) -> str:
    return f"rung {value} of 7 ({RUNG_WORDS[value]})"


def _stage_name(kind: StageKind) -> str:
    return f"{kind.value.capitalize()} stage"


def _join(words: Iterable[str]) -> str:
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _every(count: int, noun: str = "citizen partner") -> str:
    """ "the citizen partner", "both citizen partners" or "all 3 citizen partners": never "all 1" or "all 2"."""
    if count == 1:
        return f"the {noun}"
    return f"both {noun}s" if count == 2 else f"all {count} {noun}s"


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


def _none_yet(kind: OutputKind) -> str:
    verb = "have" if kind is OutputKind.TERMS_OF_REFERENCE else "has"
    return f"No {OUTPUT_WORDS[kind]} {verb} been recorded yet."


def _need(code: str) -> str:
    return NEED_WORDS.get(code, code.replace("_", " "))


def _stage_ref(kind: StageKind) -> EvidenceRef:
    return EvidenceRef("stage", kind.value, _stage_name(kind))


def _activity_ref(activity: Activity) -> EvidenceRef:
    return EvidenceRef("activity", activity.id, f"{activity.title} ({_day(activity.on)})")


def _decision_ref(decision: Decision) -> EvidenceRef:
    return EvidenceRef("decision", decision.id, _quote(decision.text, 60))


def _output_ref(output: Output) -> EvidenceRef:
    return EvidenceRef("output", output.id, output.title)


def _member_ref(facts: InitiativeFacts, user_id: int) -> EvidenceRef:
    return EvidenceRef("member", user_id, facts.name_of(user_id))


def _recommendation_ref(item: Recommendation) -> EvidenceRef:
    return EvidenceRef("recommendation", item.id, _quote(item.text, 60))


def _at(activity: Activity) -> str:
    return f"{_quote(activity.title)} on {_day(activity.on)}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Tally:
    """Collects per-item outcomes and reasons, then grades them (see the module docstring)."""

    def __init__(self) -> None:
        self.ok = self.partial = self.none = 0
        self.reasons: list[Reason] = []

    def add(self, outcome: str, text: str | Message, refs: Sequence[EvidenceRef] = ()) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.reasons.append(Reason.of(text, refs))

    def count(self, outcome: str) -> None:
        """An item graded without a reason of its own (a summary reason speaks for all of them)."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def note(self, text: str | Message, refs: Sequence[EvidenceRef] = ()) -> None:
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


def _not_applicable(text: str | Message, refs: Sequence[EvidenceRef] = ()) -> Finding:
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
    names = _join(s.value for s in stages or STAGE_ORDER)
    return _not_applicable(f"Nothing to check yet: the {names} stage has not started.")


def _partners_on_record(facts: InitiativeFacts) -> tuple[Member, ...]:
    """Citizen partners whose situation a check should cover: current ones, or all of them once closed."""
    if facts.initiative.closed:
        return facts.citizen_partners
    return tuple(m for m in facts.citizen_partners if any(t.active_on(facts.as_of) for t in _tenures(facts, m)))


def _tenures(facts: InitiativeFacts, member: Member) -> tuple[Member, ...]:
    return tuple(m for m in facts.members if m.user_id == member.user_id)


# ---------------------------------------------------------------------------------------------------
# X-STAGE


@rule("partner_in_every_stage")
def partner_in_every_stage(
    facts: InitiativeFacts,
    *,
    min_rung: int | None = 5,
    stages: tuple[StageKind, ...] = (),
    require_decision: bool = True,
) -> Finding:
    """Every stage that has started has citizen partners sharing its decisions, not only giving views.

    Implements X-STAGE (catalogue §9): in design, delivery and evaluation a citizen partner attended an
    activity, a decision made there records that partner's position, and the activity reached ``min_rung``
    on the TLAP ladder; a stage with only information or consultation is "feedback only". TLAP's rung 4,
    consultation, is people "asked for views … but may have no power to change things": so an activity
    where partners only gave views and no decision was taken with them is consultation, not co-production.

    Params:
        min_rung: the partner's own ladder rating of that activity must be at least this (None: any).
        stages: which stages to look at (default: design, delivery and evaluation).
        require_decision: True means a decision at the activity must record the partner's position;
            False means taking part in an activity is enough (for criteria about involvement, such as
            "from the start to the end", that do not speak of decisions).

    A stage is in order when a partner contributed to a decision taken with them at the depth asked for.
    It is partly in order when partners were in the room for decisions (their position is recorded) but
    not at that depth: not recorded as contributing, rated lower, or not rated yet. It is not in order when
    partners only gave views (a survey, or a meeting where no decision was taken with them), or took no
    part at all.
    """
    _check_rung("min_rung", min_rung)
    in_scope = _stages_in_scope(facts, stages)
    if not in_scope:
        return _not_started(stages)
    tally = _Tally()
    for stage in in_scope:
        if require_decision:
            _grade_stage_decisions(facts, stage.kind, tally, min_rung)
        else:
            _grade_stage_attendance(facts, stage.kind, tally, min_rung)
    return tally.finding()


_SHARED = (Position.AGREED, Position.DISSENTED, Position.ABSTAINED)


def _taken_with(facts: InitiativeFacts, activity: Activity) -> list[tuple[Decision, Attendance]]:
    """Decisions at ``activity`` that record the position of a citizen partner who was there."""
    rows = [r for r in facts.partner_attendance_at(activity.id) if r.user_id is not None]
    return [
        (decision, row)
        for decision in facts.decisions_at(activity.id)
        for row in rows
        if decision.stance_of(row.user_id) in _SHARED
    ]


def _grade_stage_decisions(facts: InitiativeFacts, kind: StageKind, tally: _Tally, min_rung: int | None) -> None:
    name = _stage_name(kind)
    views_only: list[Activity] = []
    shallow: list[tuple[Activity, Decision, Attendance]] = []
    for activity in facts.activities_in(kind):
        if not facts.partner_attendance_at(activity.id):
            continue
        taken = _taken_with(facts, activity)
        if not taken:
            views_only.append(activity)
        for decision, row in taken:
            deep = row.contributed and (min_rung is None or (row.rating is not None and row.rating >= min_rung))
            if not deep:
                shallow.append((activity, decision, row))
                continue
            assert row.user_id is not None
            text = (
                f"{name}: {facts.name_of(row.user_id)}, a citizen partner, helped make the decision "
                f"{_quote(decision.text)} at {_at(activity)}"
            )
            text += f" and rated it {_rung(row.rating)}." if row.rating is not None else "."
            refs = [_stage_ref(kind), _activity_ref(activity), _decision_ref(decision), _member_ref(facts, row.user_id)]
            tally.add("ok", text, refs)
            return
    if shallow:
        activity, decision, row = shallow[0]
        assert row.user_id is not None
        who = facts.name_of(row.user_id)
        if not row.contributed:
            gap = "is not recorded as contributing there"
        elif row.rating is None:
            gap = f"has not rated it yet, so it cannot show it reached {_rung(min_rung or 1)}"
        else:
            gap = f"rated it {_rung(row.rating)}, below the {_rung(min_rung or 1)} asked for"
        text = f"{name}: {who} was there when {_quote(decision.text)} was decided at {_at(activity)}, but {gap}."
        refs = [_stage_ref(kind), _activity_ref(activity), _decision_ref(decision), _member_ref(facts, row.user_id)]
        tally.add("partial", text, refs)
        return
    if views_only:
        spoke = any(r.contributed for a in views_only for r in facts.partner_attendance_at(a.id))
        what = "gave their views at" if spoke else "attended"
        tally.add(
            "none",
            f"{name}: citizen partners {what} {_join(_at(a) for a in views_only)}, but no decision there was "
            "taken with them. That is consultation, not co-production.",
            [_stage_ref(kind), *(_activity_ref(a) for a in views_only)],
        )
        return
    tally.add("none", f"{name}: no activity yet where a citizen partner contributed to a decision.", [_stage_ref(kind)])


def _grade_stage_attendance(facts: InitiativeFacts, kind: StageKind, tally: _Tally, min_rung: int | None) -> None:
    name = _stage_name(kind)
    lower: list[tuple[Activity, Attendance]] = []
    for activity in facts.activities_in(kind):
        for row in facts.partner_attendance_at(activity.id):
            if min_rung is not None and (row.rating is None or row.rating < min_rung):
                lower.append((activity, row))
                continue
            who = facts.name_of(row.user_id) if row.user_id is not None else row.guest_name or "a citizen partner"
            text = f"{name}: {who} took part in {_at(activity)}"
            text += f" and rated it {_rung(row.rating)}." if row.rating is not None else "."
            refs = [_stage_ref(kind), _activity_ref(activity)]
            if row.user_id is not None:
                refs.append(_member_ref(facts, row.user_id))
            tally.add("ok", text, refs)
            return
    if lower:
        activity, row = lower[0]
        how = f"rated it {_rung(row.rating)}" if row.rating is not None else "have not rated it yet"
        tally.add(
            "partial",
            f"{name}: citizen partners took part in {_at(activity)}, but {how}; the aim is {_rung(min_rung or 1)}.",
            [_stage_ref(kind), _activity_ref(activity)],
        )
        return
    tally.add("none", f"{name}: no activity yet where a citizen partner took part.", [_stage_ref(kind)])


# ---------------------------------------------------------------------------------------------------
# X-EARLY

# Answering these is giving views, not being involved in a decision (TLAP rung 4, consultation).
VIEWS_ONLY_KINDS = frozenset({ActivityKind.SURVEY})


@rule("early_involvement")
def early_involvement(facts: InitiativeFacts, *, stage: StageKind = StageKind.DESIGN) -> Finding:
    """Citizen partners were involved in, or before, the first decision of ``stage``.

    Implements X-EARLY (catalogue §9: "involvement starts before key design decisions"; NHS England's
    principle to involve people early; TLAP: working alongside others "from the start"). Being involved
    means being present and contributing where decisions are shaped: at the first decision itself (their
    position recorded), or at an earlier meeting, workshop or co-design session where they contributed.
    Answering an earlier survey or consultation is giving views, not being involved in the decision.

    Params:
        stage: the stage whose first decision sets the deadline (default design).

    Met when partners contributed at or before the first decision; partly met when partners were only
    present at it without contributing, or first shared a later decision of the stage; not met otherwise.
    """
    decisions = facts.decisions_in(stage)
    stage_name = _stage_name(stage).lower()
    involved = [
        (activity, row)
        for activity in sorted(facts.activities, key=lambda a: (a.on, a.id))
        if activity.kind not in VIEWS_ONLY_KINDS
        for row in facts.partner_attendance_at(activity.id)
        if row.contributed
    ]
    views = [
        a
        for a in sorted(facts.activities, key=lambda a: (a.on, a.id))
        if a.kind in VIEWS_ONLY_KINDS and facts.partner_attendance_at(a.id)
    ]
    if not decisions:
        if involved:
            activity, row = involved[0]
            return Finding(
                Status.MET,
                (
                    Reason(
                        f"{_cap(_who(facts, row))} first contributed at {_at(activity)}, before any decision in "
                        f"the {stage_name}.",
                        _person_refs(facts, row, _activity_ref(activity)),
                    ),
                ),
            )
        return _not_applicable(f"No decision has been recorded in the {stage_name} yet, so it is too early to tell.")
    first = decisions[0]
    first_at = facts.activity(first.activity_id)
    decided = f"the first decision in the {stage_name}, {_quote(first.text)} ({_day(first.on)})"
    early = [(a, r) for a, r in involved if (a.on, a.id) <= ((first_at.on, first_at.id) if first_at else (first.on, 0))]
    if early:
        activity, row = early[0]
        where = "at" if first_at is not None and activity.id == first_at.id else "before"
        text = f"{_cap(_who(facts, row))} contributed at {_at(activity)}, {where} {decided}."
        return Finding(
            Status.MET, (Reason(text, (*_person_refs(facts, row, _activity_ref(activity)), _decision_ref(first))),)
        )
    reasons: list[Reason] = []
    earlier_views = [a for a in views if a.on <= first.on]
    if earlier_views:
        reasons.append(
            Reason(
                f"Citizen partners gave their views at {_join(_at(a) for a in earlier_views)}, before {decided}, but "
                "answering a survey or consultation is not being involved in the decision.",
                tuple(_activity_ref(a) for a in earlier_views),
            )
        )
    present = [r for r in facts.partner_attendance_at(first.activity_id) if r.user_id is not None]
    later = [(a, r) for a, r in involved if a.stage == stage]
    last = decisions[-1]
    if present:
        names = _join(facts.name_of(r.user_id) for r in present if r.user_id is not None)
        reasons.insert(
            0,
            Reason(
                f"{names} {'was' if len(present) == 1 else 'were'} present for {decided}, but no citizen partner is "
                "recorded as contributing to it.",
                (_decision_ref(first), *(_member_ref(facts, r.user_id) for r in present if r.user_id is not None)),
            ),
        )
        return Finding(Status.PARTLY_MET, tuple(reasons))
    if later and later[0][0].on <= last.on:
        activity, row = later[0]
        reasons.insert(
            0,
            Reason(
                f"{_cap(decided)} was made without citizen partners. {_cap(_who(facts, row))} first contributed "
                f"later, at {_at(activity)}.",
                (_decision_ref(first), *_person_refs(facts, row, _activity_ref(activity))),
            ),
        )
        return Finding(Status.PARTLY_MET, tuple(reasons))
    text = f"{_cap(decided)} was made without citizen partners"
    if involved:
        activity, row = involved[0]
        text += (
            f", and {_who(facts, row)} first contributed only after the last decision in the {stage_name}, "
            f"at {_at(activity)}."
        )
        refs = (_decision_ref(first), *_person_refs(facts, row, _activity_ref(activity)))
    else:
        text += ", and no citizen partner has contributed to a meeting or workshop since."
        refs = (_decision_ref(first),)
    reasons.insert(0, Reason(text, refs))
    return Finding(Status.NOT_MET, tuple(reasons))


def _who(facts: InitiativeFacts, row: Attendance) -> str:
    if row.user_id is not None:
        return f"{facts.name_of(row.user_id)}, a citizen partner,"
    return f"{row.guest_name}, a citizen partner," if row.guest_name else "a citizen partner"


def _person_refs(facts: InitiativeFacts, row: Attendance, *refs: EvidenceRef) -> tuple[EvidenceRef, ...]:
    return (*refs, *((_member_ref(facts, row.user_id),) if row.user_id is not None else ()))


# ---------------------------------------------------------------------------------------------------
# X-POWER


@rule("ladder_rating")
def ladder_rating(
    facts: InitiativeFacts, *, min_rung: int = 5, stages: tuple[StageKind, ...] = (), gap: int = 1
) -> Finding:
    """Citizen partners' own ladder ratings reach ``min_rung``; any difference with staff is shown.

    Implements the TLAP ladder signals (catalogue TLAP-LADDER): fail if any activity is rung 1; partners
    rate independently and the tracker flags disagreement with the officer rating.

    Params:
        min_rung: the lowest rung every partner rating of an activity should reach (default 5, engaging).
        stages: which stages' activities to look at (default all).
        gap: show an activity when the two sides' ratings differ by at least this many rungs (default 1:
            a one-rung difference is still a difference).

    Only partners' ratings decide the status. Ratings are never averaged: each side's ratings are listed
    side by side, with who gave them, and a difference is a reason that does not change the status. Any
    partner rating of rung 1 (coercion) makes the check not met, whatever else is recorded.
    """
    _check_rung("min_rung", min_rung)
    _check_positive("gap", gap)
    wanted = stages or STAGE_ORDER
    tally = _Tally()
    unrated: list[Activity] = []
    coerced = False
    for activity in sorted(facts.activities, key=lambda a: (a.on, a.id)):
        if activity.stage not in wanted:
            continue
        rows = facts.attendance_at(activity.id)
        partner = sorted(r.rating for r in rows if r.is_citizen_partner and r.rating is not None)
        staff = sorted(r.rating for r in rows if not r.is_citizen_partner and r.rating is not None)
        if not any(r.is_citizen_partner for r in rows):
            continue
        if not partner:
            unrated.append(activity)
            continue
        at = _at(activity)
        given = _join(_rung(r) for r in dict.fromkeys(partner))
        who = "a citizen partner" if len(partner) == 1 else "citizen partners"
        if partner[0] >= min_rung:
            tally.add("ok", f"{_cap(at)}: {who} rated it {given}.", [_activity_ref(activity)])
        else:
            tally.add(
                "none",
                f"{_cap(at)}: {who} rated it {given}; the aim is {_rung(min_rung)} or above.",
                [_activity_ref(activity)],
            )
        coerced = coerced or partner[0] == 1
        if staff and max(staff[-1] - partner[0], partner[-1] - staff[0]) >= gap:
            sides = [_ratings_of(facts, rows, citizen) for citizen in (True, False)]
            rated = [r.user_id for r in rows if r.rating is not None and r.user_id is not None]
            tally.note(
                f"{_cap(at)}: the two sides rated it differently. Citizen partners: {sides[0]}. Staff: {sides[1]}. "
                "It is worth talking about why you see it differently.",
                [_activity_ref(activity), *(_member_ref(facts, uid) for uid in rated)],
            )
    if unrated:
        tally.note(
            f"Citizen partners have not rated {_plural(len(unrated), 'activity', 'activities')} they took part in.",
            [_activity_ref(a) for a in unrated],
        )
    if tally.ok + tally.none == 0:
        if not unrated:
            return _not_applicable("No citizen partner has taken part in an activity yet.")
        return tally.finding(Status.NOT_MET)
    if coerced:
        tally.note("A citizen partner rated an activity rung 1 (coercion): they felt they had no say at all.")
        return tally.finding(Status.NOT_MET)
    return tally.finding()


def _ratings_of(facts: InitiativeFacts, rows: Sequence[Attendance], citizen: bool) -> str:
    """Each person's rating on one side, as "Amira Partner rung 6 of 7 (co-designing)", never an average."""
    rated = sorted(
        (r for r in rows if r.is_citizen_partner is citizen and r.rating is not None),
        key=lambda r: (-(r.rating or 0), facts.name_of(r.user_id) if r.user_id is not None else r.guest_name),
    )
    return "; ".join(
        f"{facts.name_of(r.user_id) if r.user_id is not None else r.guest_name or 'a guest'} {_rung(r.rating or 1)}"
        for r in rated
    )


@rule("partner_positions_recorded")
def partner_positions_recorded(facts: InitiativeFacts, *, stages: tuple[StageKind, ...] = ()) -> Finding:
    """Every decision records the position of the citizen partners who were there.

    Params:
        stages: which stages' decisions to look at (default all).

    A decision is in order when at least one citizen partner's position is recorded and every partner
    who attended that activity has one; partly when some do; not in order when none do (including a
    decision made with no citizen partner present). Dissent is reported, never counted against.
    """
    tally = _Tally()
    for kind in stages or STAGE_ORDER:
        for decision in facts.decisions_in(kind):
            activity = facts.activity(decision.activity_id)
            present = [r.user_id for r in facts.partner_attendance_at(decision.activity_id) if r.user_id is not None]
            recorded = [
                p.user_id
                for p in decision.positions
                if p.user_id in facts.citizen_partner_ids and p.stance is not Position.ABSENT
            ]
            missing = [uid for uid in present if decision.stance_of(uid) is None]
            refs = [_decision_ref(decision), *([_activity_ref(activity)] if activity else [])]
            label = f"Decision {_quote(decision.text)} ({_day(decision.on)})"
            if recorded and not missing:
                tally.add("ok", f"{label}: citizen partners' positions are recorded.", refs)
            elif recorded:
                tally.add(
                    "partial",
                    f"{label}: {_plural(len(missing), 'citizen partner')} who took part "
                    f"{'has' if len(missing) == 1 else 'have'} no position recorded.",
                    refs + [_member_ref(facts, uid) for uid in missing],
                )
            else:
                tally.add("none", f"{label}: no citizen partner's position is recorded.", refs)
            for position in decision.positions:
                if position.stance is Position.DISSENTED and position.user_id in facts.citizen_partner_ids:
                    tally.note(
                        f"{label}: a citizen partner disagreed, and this is kept on the record.",
                        [_decision_ref(decision), _member_ref(facts, position.user_id)],
                    )
    if tally.ok + tally.partial + tally.none == 0:
        return _not_applicable("No decision has been recorded yet.")
    return tally.finding()


@rule("decisions_changed_by_partners")
def decisions_changed_by_partners(
    facts: InitiativeFacts, *, min_changed: int = 1, stages: tuple[StageKind, ...] = ()
) -> Finding:
    """Decisions record that they changed because of what citizen partners said, and how.

    Implements the X-POWER signal "changed because of partner input" (catalogue §9) and SCIE's review
    principle, evidencing "the changes co-production produced".

    Params:
        min_changed: how many decisions must show a change explained in words (default 1).
        stages: which stages' decisions to look at (default all).

    Met when at least ``min_changed`` decisions changed because of partners and every such decision says
    how; partly met when some did but fewer, or without saying how; not met when none did.
    """
    _check_positive("min_changed", min_changed)
    decisions = [d for kind in stages or STAGE_ORDER for d in facts.decisions_in(kind)]
    if not decisions:
        return _not_applicable("No decision has been recorded yet.")
    reasons: list[Reason] = []
    explained = unexplained = 0
    for decision in decisions:
        if not decision.changed_by_partner_input:
            continue
        label = f"{_quote(decision.text)} ({_day(decision.on)})"
        if decision.how_changed.strip():
            explained += 1
            text = f"{label} changed because of what citizen partners said. How: {_quote(decision.how_changed, 200)}."
            reasons.append(Reason(text, (_decision_ref(decision),)))
        else:
            unexplained += 1
            reasons.append(
                Reason(
                    f"{label} is marked as changed by citizen partners, but does not say how.",
                    (_decision_ref(decision),),
                )
            )
    total = len(decisions)
    if explained + unexplained == 0:
        if total == 1:
            only = decisions[0]
            text = (
                f"The only decision so far, {_quote(only.text)} ({_day(only.on)}), does not record a change made "
                "because of what citizen partners said."
            )
            return Finding(Status.NOT_MET, (Reason(text, (_decision_ref(only),)),))
        return Finding(
            Status.NOT_MET,
            (
                Reason(
                    f"None of the {total} decisions so far records a change made because of what citizen partners said."
                ),
            ),
        )
    changed = explained + unexplained
    summary = f"{changed} of the {_plural(total, 'decision')} so far changed because of what citizen partners said."
    if total == 1:
        summary = "The only decision so far changed because of what citizen partners said."
    if explained >= min_changed and unexplained == 0:
        status = Status.MET
    else:
        status = Status.PARTLY_MET
        if explained < min_changed:
            summary += f" The aim is at least {_plural(min_changed, 'decision')} with the change explained."
    return Finding(status, (Reason(summary), *reasons))


# ---------------------------------------------------------------------------------------------------
# X-LOOP


@rule("recommendations_answered")
def recommendations_answered(facts: InitiativeFacts) -> Finding:
    """Every "you said" has a "we did": a response, a reason when the answer is no, and reviews held.

    Implements X-LOOP (catalogue §9: closing the feedback loop, "you said, we did / we couldn't because";
    NI s.20 written statement of the response; NHS England: tell people how their input influenced what
    happened). A review date that has passed is a gap until a review is recorded as held (date, outcome,
    who); a recorded review closes it, whatever the review found.

    A recommendation is in order when it has a response (with a reason if rejected, with what was done
    if accepted or adapted) and no passed review date is without a review; partly in order when it has a
    response but one of those is missing; not in order when it has no response.
    """
    if not facts.recommendations:
        return _not_applicable("Citizen partners have not made any recommendations yet.")
    tally = _Tally()
    for item in sorted(facts.recommendations, key=lambda r: (r.raised_on or date.min, r.id)):
        said = f"You said {_quote(item.text)}"
        if item.from_user_id is not None:
            said = f"{facts.name_of(item.from_user_id)} said {_quote(item.text)}"
        if item.raised_on is not None:
            said += f" ({_day(item.raised_on)})"
        refs: list[EvidenceRef] = [_recommendation_ref(item)]
        if item.from_user_id is not None:
            refs.append(_member_ref(facts, item.from_user_id))
        if (activity := facts.activity(item.activity_id)) is not None:
            refs.append(_activity_ref(activity))
        if item.response is None:
            tally.add("none", f"{said}. No response is recorded yet.", refs)
            continue
        gaps = []
        if item.response is Response.REJECTED and not item.reason.strip():
            gaps.append("the answer was no, but no reason is recorded")
        if item.response in (Response.ACCEPTED, Response.ADAPTED) and not item.action.strip():
            gaps.append(f"it was {item.response.value}, but what was done is not recorded")
        if review_overdue(item.review_on, item.reviewed_on, facts.as_of):
            assert item.review_on is not None
            gaps.append(f"the review due on {_day(item.review_on)} has passed with no review recorded")
        if gaps:
            tally.add("partial", f"{said}. {_cap('; '.join(gaps))}.", refs)
            continue
        text = f"{said}. {_response_words(item)}"
        if item.reviewed_on is not None:
            by = f" by {facts.name_of(item.reviewed_by)}" if item.reviewed_by is not None else ""
            text += f" Reviewed on {_day(item.reviewed_on)}{by}: {_quote(item.review_outcome, 160)}."
            if item.reviewed_by is not None:
                refs.append(_member_ref(facts, item.reviewed_by))
        tally.add("ok", text, refs)
    return tally.finding()


def _response_words(item: Recommendation) -> str:
    if item.response is Response.REJECTED:
        return f"We could not do this. Why: {_quote(item.reason, 200)}."
    verb = "We did it" if item.response is Response.ACCEPTED else "We did it a different way"
    return f"{verb}: {_quote(item.action, 200)}."


# ---------------------------------------------------------------------------------------------------
# X-ACCESS


@rule("communication_needs_met")
def communication_needs_met(facts: InitiativeFacts, *, standing_needs: bool = False) -> Finding:
    """Every citizen partner's communication needs are recorded, and requested adjustments were provided.

    Params:
        standing_needs: also expect each partner's recorded needs to be met at every activity they
            attend, even when not requested again for that activity (default False).

    Each partner's record and each activity attended with adjustments requested is one item.
    """
    partners = _partners_on_record(facts)
    tally = _Tally()
    for member in partners:
        if member.needs_recorded:
            tally.count("ok")
        else:
            tally.add(
                "none",
                f"{facts.name_of(member.user_id)} has not yet been asked what they need to take part, or the "
                "answer is not recorded.",
                [_member_ref(facts, member.user_id)],
            )
    asked = 0
    for activity in sorted(facts.activities, key=lambda a: (a.on, a.id)):
        for row in facts.partner_attendance_at(activity.id):
            wanted = list(row.adjustments_requested)
            member = facts.member(row.user_id) if row.user_id is not None else None
            if standing_needs and member is not None:
                wanted += [n for n in member.communication_needs if n not in wanted]
            if not wanted:
                continue
            asked += 1
            missing = [n for n in wanted if n not in row.adjustments_provided]
            if not missing:
                tally.count("ok")
                continue
            refs = [_activity_ref(activity)]
            if row.user_id is not None:
                refs.append(_member_ref(facts, row.user_id))
            outcome = "none" if len(missing) == len(wanted) else "partial"
            who = facts.name_of(row.user_id) if row.user_id is not None else "a citizen partner"
            tally.add(
                outcome,
                f"{_cap(_at(activity))}: {who} needed {_join(_need(n) for n in missing)}, but this was not provided.",
                refs,
            )
    if not partners and asked == 0:
        return _not_applicable("There are no citizen partners on this initiative yet.")
    if tally.status is Status.MET:
        parts = []
        if partners:
            parts.append(
                f"{_every(len(partners))} {'has' if len(partners) == 1 else 'have'} communication needs recorded"
            )
        if asked:
            parts.append(f"every adjustment asked for was provided ({_plural(asked, 'request')})")
        tally.note(_cap(" and ".join(parts)) + ".")
    return tally.finding()


@rule("assisted_contributions_confirmed")
def assisted_contributions_confirmed(facts: InitiativeFacts) -> Finding:
    """Contributions recorded on a citizen partner's behalf have been confirmed by that person."""
    tally = _Tally()
    for activity in sorted(facts.activities, key=lambda a: (a.on, a.id)):
        if activity.on_behalf_of is None:
            continue
        refs = [_activity_ref(activity), _member_ref(facts, activity.on_behalf_of)]
        at = _at(activity)
        if activity.on_behalf_confirmed:
            tally.add("ok", f"{_cap(at)}: recorded with help, and confirmed by the person.", refs)
        else:
            tally.add(
                "none",
                f"{_cap(at)}: recorded on someone's behalf, and they have not yet confirmed it is right.",
                refs,
            )
    if not tally.reasons:
        return _not_applicable("Nothing has been recorded on anyone's behalf.")
    return tally.finding()


@rule("accessible_formats")
def accessible_formats(
    facts: InitiativeFacts,
    *,
    formats: tuple[OutputFormat, ...] = (),
    kinds: tuple[OutputKind, ...] = (),
    from_needs: bool = True,
) -> Finding:
    """Published outputs are available in the formats people asked for.

    Implements X-ACCESS and X-PUBLISH's "every public output is available in the formats needed", and
    CA-STG-3.A's "the plan is available in every format that the recorded partner needs require". What a
    person needs to take part in a meeting (an interpreter, a hearing loop, a supporter, extra time) is
    checked against each activity by ``communication_needs_met``; it does not make a published format
    expected. Only needs that are formats do: Easy Read, large print, and Welsh for people who prefer Welsh.

    Params:
        formats: formats every published output in scope must have, whoever the partners are.
        kinds: which kinds of output to look at (default: every kind except accessible versions).
        from_needs: also expect the formats current citizen partners asked for.

    Each output-and-format pair is one item. Each reason names the output, the missing format and whose
    need makes that format expected.
    """
    # format -> the people whose need makes it expected (a dict keeps the order formats were first asked for).
    required: dict[OutputFormat, list[int]] = {f: [] for f in formats}
    if from_needs:
        for member in _partners_on_record(facts):
            for need in member.communication_needs:
                if need in NEED_FORMATS:
                    required.setdefault(NEED_FORMATS[need], []).append(member.user_id)
            if member.preferred_language == Language.WELSH:
                required.setdefault(OutputFormat.WELSH, []).append(member.user_id)
    in_scope = [
        o
        for o in facts.outputs
        if o.published_by(facts.as_of) and (o.kind in kinds if kinds else o.kind is not OutputKind.ACCESSIBLE_VERSION)
    ]
    if not in_scope:
        return _not_applicable("Nothing has been published yet.")
    if not required:
        return _not_applicable(
            "No citizen partner has asked for a particular format, such as Easy Read or large print."
        )
    tally = _Tally()
    for output in in_scope:
        for each, people in required.items():
            why = (
                f"which {_join(facts.name_of(uid) for uid in people)} {'needs' if len(people) == 1 else 'need'}"
                if people
                else "which this criterion expects of everything published"
            )
            refs = [_output_ref(output), *(_member_ref(facts, uid) for uid in people)]
            if each in output.formats:
                tally.add("ok", f"{_quote(output.title)} is available in {FORMAT_WORDS[each]}, {why}.", refs)
            else:
                tally.add("none", f"{_quote(output.title)} is not available in {FORMAT_WORDS[each]}, {why}.", refs)
    return tally.finding()


# ---------------------------------------------------------------------------------------------------
# X-LANG


@rule("language_preference_recorded")
def language_preference_recorded(facts: InitiativeFacts) -> Finding:
    """Every citizen partner has been asked which language they prefer, and the answer is recorded."""
    partners = _partners_on_record(facts)
    if not partners:
        return _not_applicable("There are no citizen partners on this initiative yet.")
    tally = _Tally()
    for member in partners:
        if member.preferred_language:
            tally.count("ok")
        else:
            tally.add(
                "none",
                f"{facts.name_of(member.user_id)} has not been asked which language they prefer yet.",
                [_member_ref(facts, member.user_id)],
            )
    if tally.status is Status.MET:
        verb = "has" if len(partners) == 1 else "have"
        tally.note(f"{_cap(_every(len(partners)))} {verb} a preferred language recorded.")
    return tally.finding()


@rule("welsh_language_offer")
def welsh_language_offer(
    facts: InitiativeFacts, *, nations: tuple[Nation, ...] = (Nation.WALES,), outputs_in_welsh: bool = True
) -> Finding:
    """People who prefer Welsh are served in Welsh without having to ask: meetings, papers and outputs.

    Implements the Active Offer (More than just words: Welsh-language services are provided without the
    person having to ask; their preferred language is asked and acted on) and the service-delivery
    standards as the catalogue paraphrases them (WAL-WLS-SD: offer meetings in Welsh, provide
    interpretation, publish bilingually). Asking someone's language is necessary, not sufficient: it is
    what the answer led to that counts.

    Params:
        nations: where this applies (default Wales only; elsewhere the check is not applicable).
        outputs_in_welsh: also expect every published output to be available in Welsh (default True).

    Items: each citizen partner not yet asked which language they prefer; each activity a partner who
    prefers Welsh took part in (in order when it was held in Welsh, had Welsh interpretation, or its
    material was given in Welsh); each published output (in order when it is in Welsh). When people
    prefer Welsh and nothing at all was offered to them in Welsh, the check is not met, whatever else is
    in order.
    """
    nation = facts.initiative.nation
    if nation not in nations:
        return _not_applicable(f"The Welsh language duties do not apply in {NATION_LABELS[nation]}.")
    tally = _Tally()
    partners = _partners_on_record(facts)
    welsh_speakers = [m.user_id for m in partners if m.preferred_language == Language.WELSH]
    for member in partners:
        if not member.preferred_language:
            tally.add(
                "none",
                f"{facts.name_of(member.user_id)} has not been asked whether they would like to use Welsh.",
                [_member_ref(facts, member.user_id)],
            )
    offered = 0
    for activity in sorted(facts.activities, key=lambda a: (a.on, a.id)):
        present = [r.user_id for r in facts.partner_attendance_at(activity.id) if r.user_id in welsh_speakers]
        if not present:
            continue
        names = _join(facts.name_of(uid) for uid in present)
        prefer = "prefers" if len(present) == 1 else "prefer"
        refs = [_activity_ref(activity), *(_member_ref(facts, uid) for uid in present)]
        ways = [
            way
            for way, done in (
                ("held in Welsh", "cy" in activity.languages),
                ("had Welsh interpretation", "cy" in activity.interpretation),
                ("gave out its papers in Welsh", OutputFormat.WELSH in activity.material_formats),
            )
            if done
        ]
        if ways:
            offered += 1
            tally.add("ok", f"{_cap(_at(activity))} {_join(ways)}, for {names}, who {prefer} Welsh.", refs)
        else:
            tally.add(
                "none",
                f"{_cap(_at(activity))}: {names} {prefer} Welsh, but it was not held in Welsh, had no Welsh "
                "interpretation and gave out no papers in Welsh.",
                refs,
            )
    if outputs_in_welsh:
        for output in facts.outputs:
            if not output.published_by(facts.as_of) or output.kind is OutputKind.ACCESSIBLE_VERSION:
                continue
            if OutputFormat.WELSH in output.formats:
                offered += 1
                tally.add("ok", f"{_quote(output.title)} is published in Welsh.", [_output_ref(output)])
            else:
                tally.add("none", f"{_quote(output.title)} is not published in Welsh yet.", [_output_ref(output)])
    if tally.ok + tally.partial + tally.none == 0:
        if partners:
            return _not_applicable(
                "Everyone has been asked which language they prefer. Nobody who prefers Welsh has taken part in an "
                "activity yet, and nothing has been published."
            )
        return _not_applicable("There are no citizen partners or published outputs yet.")
    if welsh_speakers and offered == 0 and tally.none:
        names = _join(facts.name_of(uid) for uid in welsh_speakers)
        tally.note(
            f"{names} {'prefers' if len(welsh_speakers) == 1 else 'prefer'} Welsh, and nothing (a meeting, "
            "interpretation, papers or a published output) has been offered in Welsh. Asking which language "
            "people prefer is only the first step.",
            [_member_ref(facts, uid) for uid in welsh_speakers],
        )
        return tally.finding(Status.NOT_MET)
    return tally.finding()


@rule("welsh_language_effects_considered")
def welsh_language_effects_considered(
    facts: InitiativeFacts,
    *,
    nations: tuple[Nation, ...] = (Nation.WALES,),
    consulting_kinds: tuple[ActivityKind, ...] = (ActivityKind.SURVEY,),
) -> Finding:
    """Decisions consider their effects on the Welsh language, and consultations ask about them (standards 88-91).

    Params:
        nations: where this applies (default Wales only; elsewhere the check is not applicable).
        consulting_kinds: activity kinds that consult people on proposals (default surveys), which are
            expected to say whether they asked about the effects on Welsh.

    Items: each decision, where "considered" (with what the effects are) or "not relevant" counts and "not
    considered" or no answer does not; and each activity that says whether it asked people about the
    effects on Welsh, plus each consulting activity that does not say. The reasons name each record.
    """
    nation = facts.initiative.nation
    if nation not in nations:
        return _not_applicable(f"The Welsh language standards do not apply in {NATION_LABELS[nation]}.")
    consulting = [
        a
        for a in sorted(facts.activities, key=lambda a: (a.on, a.id))
        if a.asked_about_welsh_effects is not None or a.kind in consulting_kinds
    ]
    if not facts.decisions and not consulting:
        return _not_applicable("No decisions or consultations are recorded yet.")
    tally = _Tally()
    for decision in sorted(facts.decisions, key=lambda d: (d.on, d.id)):
        activity = facts.activity(decision.activity_id)
        refs = [_decision_ref(decision), *([_activity_ref(activity)] if activity else [])]
        label = f"The decision {_quote(decision.text, 60)} on {_day(decision.on)}"
        note = decision.welsh_effects_note.strip()
        if decision.welsh_effects is WelshEffects.CONSIDERED:
            tally.add("ok", f"{label}: its effects on the Welsh language were considered: {note}", refs)
        elif decision.welsh_effects is WelshEffects.NOT_RELEVANT:
            why = f": {note}" if note else "."
            tally.add("ok", f"{label}: recorded as not affecting the Welsh language{why}", refs)
        elif decision.welsh_effects is WelshEffects.NOT_CONSIDERED:
            tally.add("none", f"{label}: its effects on the Welsh language were not considered.", refs)
        else:
            tally.add(
                "none",
                f"{label}: nobody has recorded whether its effects on the Welsh language were considered.",
                refs,
            )
    for activity in consulting:
        at, refs = _cap(_at(activity)), [_activity_ref(activity)]
        if activity.asked_about_welsh_effects:
            tally.add("ok", f"{at}: asked people how the proposals would affect the Welsh language.", refs)
        elif activity.asked_about_welsh_effects is False:
            tally.add("none", f"{at}: did not ask people how the proposals would affect the Welsh language.", refs)
        else:
            tally.add(
                "none",
                f"{at}: nobody has recorded whether it asked people how the proposals would affect the Welsh language.",
                refs,
            )
    return tally.finding()


# ---------------------------------------------------------------------------------------------------
# X-REWARD


@rule("reciprocity_offered")
def reciprocity_offered(facts: InitiativeFacts, *, per_activity: bool = False) -> Finding:
    """Every citizen partner who took part was paid or otherwise thanked, or chose to decline.

    Params:
        per_activity: expect a record for each activity attended, not just one per partner. A
            "declined" record with no activity covers all of that partner's activities.

    Needs attestation when payments and recognition are not recorded in the tracker at all.
    """
    if facts.reciprocity is None:
        return Finding(
            Status.NEEDS_ATTESTATION,
            (
                Reason(
                    "Payments and other thanks are not recorded in the tracker for this initiative. Someone needs "
                    "to confirm what citizen partners were offered for their time."
                ),
            ),
        )
    attended: dict[int, list[Activity]] = {}
    for activity in sorted(facts.activities, key=lambda a: (a.on, a.id)):
        for row in facts.partner_attendance_at(activity.id):
            if row.user_id is not None:
                attended.setdefault(row.user_id, []).append(activity)
    if not attended:
        return _not_applicable("No citizen partner has taken part in an activity yet.")
    tally = _Tally()
    for user_id, activities in sorted(attended.items(), key=lambda item: facts.name_of(item[0])):
        entries = facts.reciprocity_for(user_id)
        member = _member_ref(facts, user_id)
        if not entries:
            tally.add(
                "none",
                f"A citizen partner took part in {_plural(len(activities), 'activity', 'activities')}, but no "
                "payment, voucher, expenses, time credit, training or 'declined' is recorded for them.",
                [member],
            )
            continue
        if not per_activity:
            kinds = _join(dict.fromkeys(e.kind.value.replace("_", " ") for e in entries))
            tally.add("ok", f"A citizen partner has recognition recorded ({kinds}).", [member])
            continue
        declined_all = any(e.kind is ReciprocityKind.DECLINED and e.activity_id is None for e in entries)
        covered = {e.activity_id for e in entries}
        missing = [a for a in activities if not declined_all and a.id not in covered]
        if not missing:
            tally.add("ok", "A citizen partner has recognition recorded for every activity.", [member])
        else:
            tally.add(
                "partial" if len(missing) < len(activities) else "none",
                f"A citizen partner has no payment or other recognition recorded for "
                f"{_plural(len(missing), 'activity', 'activities')}.",
                [member, *(_activity_ref(a) for a in missing)],
            )
    return tally.finding()


# ---------------------------------------------------------------------------------------------------
# X-PUBLISH and outputs


def _kinds_of(kind: OutputKind | None, kinds: tuple[OutputKind, ...]) -> tuple[OutputKind, ...]:
    return tuple(dict.fromkeys(((kind,) if kind is not None else ()) + kinds))


@rule("output_published")
def output_published(
    facts: InitiativeFacts,
    *,
    kind: OutputKind | None = None,
    kinds: tuple[OutputKind, ...] = (),
    must_exist: bool = True,
) -> Finding:
    """The output is published: it has a web address and a publication date (on or before ``as_of``).

    Params:
        kind / kinds: which kinds of output (default: every kind recorded).
        must_exist: when True, a kind with no output at all is not met; when False it is skipped.

    Each kind is one item: in order when any version of it is published, partly when one has a web
    address or a date but not both, not in order otherwise.
    """
    wanted = _kinds_of(kind, kinds)
    present = tuple(dict.fromkeys(o.kind for o in facts.outputs))
    tally = _Tally()
    for each in wanted or present:
        outputs = facts.outputs_of(each)
        words = OUTPUT_WORDS[each]
        if not outputs:
            if must_exist and wanted:
                tally.add("none", _none_yet(each))
            continue
        published = [o for o in outputs if o.published_by(facts.as_of)]
        if published:
            latest = max(published, key=lambda o: (o.published_on or date.min, o.id))
            assert latest.published_on is not None
            tally.add(
                "ok",
                f"The {words} {_quote(latest.title)} was published on {_day(latest.published_on)} at "
                f"{latest.published_url}.",
                [_output_ref(latest)],
            )
            continue
        # A publication date after as_of means "not yet" in an as-at report, not "half published".
        half = [
            o
            for o in outputs
            if (o.published_on is None or o.published_on <= facts.as_of) and (o.published_url or o.published_on)
        ]
        if half:
            tally.add(
                "partial",
                f"The {words} {_quote(half[0].title)} needs both a web address and a publication date to count as "
                "published.",
                [_output_ref(half[0])],
            )
        else:
            tally.add(
                "none",
                f"The {words} {_quote(outputs[0].title)} has not been published yet.",
                [_output_ref(o) for o in outputs],
            )
    if tally.ok + tally.partial + tally.none == 0:
        return _not_applicable("Nothing that needs publishing has been recorded yet.")
    return tally.finding()


@rule("co_authored_output")
def co_authored_output(
    facts: InitiativeFacts,
    *,
    kind: OutputKind | None = None,
    min_partners: int = 1,
    require_vcse: bool = False,
) -> Finding:
    """Outputs list citizen partners (and, if required, a voluntary or community organisation) as co-authors.

    Params:
        kind: which kind of output (default: every kind except accessible versions). When given and
            there is no such output, the check is not met.
        min_partners: how many citizen partner co-authors each output needs (default 1).
        require_vcse: also need a co-author from a voluntary or community organisation.
    """
    _check_positive("min_partners", min_partners)
    if kind is not None:
        outputs = facts.outputs_of(kind)
        if not outputs:
            return Finding(Status.NOT_MET, (Reason(_none_yet(kind)),))
    else:
        outputs = tuple(o for o in facts.outputs if o.kind is not OutputKind.ACCESSIBLE_VERSION)
        if not outputs:
            return _not_applicable("No outputs have been recorded yet.")
    tally = _Tally()
    for output in outputs:
        partners = [uid for uid in output.co_author_ids if uid in facts.citizen_partner_ids]
        vcse = [uid for uid in output.co_author_ids if (m := facts.member(uid)) and m.partner_kind is PartnerKind.VCSE]
        refs = [_output_ref(output), *(_member_ref(facts, uid) for uid in partners)]
        title = _quote(output.title)
        if not partners:
            tally.add("none", f"{title} has no citizen partner listed as a co-author.", refs)
            continue
        gaps = []
        if len(partners) < min_partners:
            gaps.append(f"it needs at least {_plural(min_partners, 'citizen partner')} as co-authors")
        if require_vcse and not vcse:
            gaps.append("no voluntary or community organisation is listed as a co-author")
        written = f"{title} was written with {_plural(len(partners), 'citizen partner')}"
        if gaps:
            tally.add("partial", f"{written}, but {' and '.join(gaps)}.", refs)
        else:
            tally.add("ok", f"{written}{' and a voluntary or community organisation' if require_vcse else ''}.", refs)
    return tally.finding()


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
        return _not_applicable("The evaluation stage has not started yet.")
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
            f"Evaluation stage: {_who(facts, row)} analysed the results with others at {_at(activity)}.",
            [_stage_ref(StageKind.EVALUATION), *_person_refs(facts, row, _activity_ref(activity))],
        )
    elif co_written:
        report = co_written[0]
        partners = [uid for uid in report.co_author_ids if uid in facts.citizen_partner_ids]
        tally.add(
            "ok",
            f"The evaluation report {_quote(report.title)} was written with "
            f"{_join(facts.name_of(u) for u in partners)}.",
            [_output_ref(report), *(_member_ref(facts, uid) for uid in partners)],
        )
    elif attended:
        tally.add(
            "partial",
            f"Evaluation stage: citizen partners took part in {_join(_at(a) for a in attended)}, but none is "
            "recorded as contributing to the analysis (answering a survey is giving views, not analysing together).",
            [_stage_ref(StageKind.EVALUATION), *(_activity_ref(a) for a in attended)],
        )
    else:
        tally.add(
            "none",
            "Evaluation stage: no activity yet where citizen partners analysed the results together.",
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
        words = OUTPUT_WORDS[kind]
        if with_partner:
            partners = [uid for uid in with_partner[0].co_author_ids if uid in facts.citizen_partner_ids]
            tally.add(
                "ok",
                f"The {words} {_quote(with_partner[0].title)} was written with "
                f"{_join(facts.name_of(u) for u in partners)}.",
                [_output_ref(with_partner[0]), *(_member_ref(facts, uid) for uid in partners)],
            )
        elif outputs:
            tally.add(
                "partial",
                f"The {words} {_quote(outputs[0].title)} has no citizen partner as a co-author.",
                [_output_ref(o) for o in outputs],
            )
        else:
            tally.add("none", f"There is no {words} yet.")
    return tally.finding()


# ---------------------------------------------------------------------------------------------------
# Governance: gates and co-leads


@rule("dual_signoff")
def dual_signoff(facts: InitiativeFacts) -> Finding:
    """Each stage gate is signed off by at least one commissioner and one citizen partner.

    "Signed off" means what the stage gate means (``domain.gates.approving_sides``): an approval from
    someone holding a (non-observer) place on the initiative when the gate is judged, i.e. on the day
    a complete stage closed, or today for a stage still waiting. A dissent is kept and reported, but it
    is not an approval: a stage cannot close over both sides' heads. A complete stage missing one side
    is partly in order, missing both is not in order; a stage still awaiting sign-off is at worst
    partly in order, since the gate is not yet closed.
    """
    tally = _Tally()
    for stage in facts.stages:
        if not stage.at_gate:
            continue
        name = Message.of(f"criteria.stage.{stage.kind.value}")
        waiting = stage.status is StageStatus.AWAITING_SIGNOFF
        day = facts.as_of if waiting or stage.closed_on is None else stage.closed_on
        members = [MemberFact(m.user_id, side_for_role(m.org_role), m.role, m.active_on(day)) for m in facts.members]
        # The loader keeps only the current round's sign-offs, so every one here is in round 1.
        sign_offs = [SignOffFact(s.user_id, side_for_role(s.org_role), s.verdict, 1, s.at) for s in stage.signoffs]
        # A closed stage's approvals counted when they closed it; a waiting one's must postdate its last change.
        approved = approving_sides(members, sign_offs, 1, stage.activities_changed_at if waiting else None)
        approvers = [s.user_id for s in stage.signoffs if s.verdict is SignOffDecision.APPROVE]
        refs = [_stage_ref(stage.kind), *(_member_ref(facts, user_id) for user_id in dict.fromkeys(approvers))]
        missing = [side for side in (Side.COMMISSIONER, Side.CITIZEN_PARTNER) if side not in approved]
        sides = (
            Message.of("criteria.sides.both" if len(missing) == 2 else f"criteria.sides.{missing[0].value}")
            if missing
            else None
        )
        if not missing:
            tally.add("ok", Message.of("criteria.signoff.signed", stage=name), refs)
        elif waiting:
            tally.add("partial", Message.of("criteria.signoff.waiting", stage=name, sides=sides), refs)
        else:
            outcome = "none" if len(missing) == 2 else "partial"
            tally.add(outcome, Message.of("criteria.signoff.closed_without", stage=name, sides=sides), refs)
        for signoff in stage.signoffs:
            if signoff.verdict is not SignOffDecision.DISSENT:
                continue
            who = Message.of(
                "criteria.sides.citizen_partner" if signoff.by_citizen_partner else "criteria.sides.commissioner"
            )
            said = (
                Message.of("criteria.signoff.dissent", stage=name, who=who, quote=_quote(signoff.reason, 200))
                if signoff.reason.strip()
                else Message.of("criteria.signoff.dissent_no_reason", stage=name, who=who)
            )
            tally.note(said, [_stage_ref(stage.kind), _member_ref(facts, signoff.user_id)])
    if not tally.reasons:
        return _not_applicable(Message.of("criteria.signoff.none_yet"))
    return tally.finding()


@rule("co_leads_in_place")
def co_leads_in_place(facts: InitiativeFacts) -> Finding:
    """The initiative is co-led: a citizen partner and a commissioner both hold the co-lead role.

    Looks at current memberships, or at every tenure once the initiative is closed.
    """
    pool = facts.members if facts.initiative.closed else facts.current_members
    leads = [m for m in pool if m.role is MemberRole.CO_LEAD]
    partner = [m for m in leads if m.is_citizen_partner]
    staff = [m for m in leads if m.is_staff]
    tally = _Tally()
    when = "" if facts.initiative.closed else "_now"
    for people, who in ((partner, "citizen_partner"), (staff, "commissioner")):
        if people:
            tally.add("ok", Message.of(f"criteria.co_leads.{who}"), [_member_ref(facts, m.user_id) for m in people])
        else:
            tally.add("none", Message.of(f"criteria.co_leads.no_{who}{when}"))
    return tally.finding()


# ---------------------------------------------------------------------------------------------------
# SCIE equality and diversity


@rule("diverse_membership")
def diverse_membership(
    facts: InitiativeFacts,
    *,
    kinds: tuple[PartnerKind, ...] = LIVED_EXPERIENCE_KINDS,
    min_kinds: int | None = None,
    require_attestation: bool = True,
    all_members: bool = False,
) -> Finding:
    """The people involved include the groups this work needs to hear from.

    Params:
        kinds: the groups to look for (default: people who draw on care, and unpaid carers).
        min_kinds: how many of ``kinds`` must be present (default: all of them).
        require_attestation: when the groups are all present, a person must still confirm that those
            most likely to be left out were reached (the records cannot show that), so the status is
            needs attestation rather than met. Set False for a simple stakeholder-coverage check.
        all_members: look at every member, not only citizen partners (for organisations taking part).
    """
    needed = len(kinds) if min_kinds is None else min_kinds
    if not kinds:
        raise ValueError("kinds must name at least one group")
    if not 1 <= needed <= len(kinds):
        raise ValueError(f"min_kinds must be between 1 and {len(kinds)}, got {min_kinds}")
    pool = facts.members if facts.initiative.closed else facts.current_members
    if not all_members:
        pool = tuple(m for m in pool if m.is_citizen_partner)
    who = "the people involved" if all_members else "citizen partners"
    if not pool:
        return Finding(Status.NOT_MET, (Reason(f"There are no {who} on this initiative yet."),))
    present = [k for k in kinds if any(m.partner_kind is k for m in pool)]
    absent = [k for k in kinds if k not in present]
    reasons = []
    if present:
        reasons.append(Reason(f"{who.capitalize()} include {_join(PARTNER_KIND_WORDS[k] for k in present)}."))
    if absent:
        reasons.append(Reason(f"Not yet represented among {who}: {_join(PARTNER_KIND_WORDS[k] for k in absent)}."))
    if (
        facts.initiative.collective
        and not all_members
        and all(m.partner_kind not in LIVED_EXPERIENCE_KINDS for m in pool)
    ):
        reasons.append(
            Reason("None of the citizen partners is recorded as someone who draws on care or as an unpaid carer.")
        )
    if len(present) >= needed:
        if require_attestation:
            reasons.append(
                Reason("A person needs to confirm that the people most likely to be left out were reached and heard.")
            )
            return Finding(Status.NEEDS_ATTESTATION, tuple(reasons))
        return Finding(Status.MET, tuple(reasons))
    return Finding(Status.PARTLY_MET if present else Status.NOT_MET, tuple(reasons))


@rule("methods_per_stage")
def methods_per_stage(facts: InitiativeFacts, *, min_kinds: int = 2, stages: tuple[StageKind, ...] = ()) -> Finding:
    """Each started stage offers more than one way to take part (workshop, survey, steering group...).

    Params:
        min_kinds: how many different kinds of activity each stage should have (default 2).
        stages: which stages to look at (default all).
    """
    _check_positive("min_kinds", min_kinds)
    in_scope = _stages_in_scope(facts, stages)
    if not in_scope:
        return _not_started(stages)
    tally = _Tally()
    for stage in in_scope:
        activities = facts.activities_in(stage.kind)
        kinds = list(dict.fromkeys(a.kind.value.replace("_", " ") for a in activities))
        name = _stage_name(stage.kind)
        refs = [_stage_ref(stage.kind)]
        if len(kinds) >= min_kinds:
            tally.add("ok", f"{name}: people could take part in {len(kinds)} ways ({_join(kinds)}).", refs)
        elif kinds:
            tally.add("partial", f"{name}: only one way to take part so far ({kinds[0]}).", refs)
        else:
            tally.add("none", f"{name}: no activities recorded yet.", refs)
    return tally.finding()


@rule("regular_activity")
def regular_activity(facts: InitiativeFacts, *, max_gap_days: int = 42) -> Finding:
    """While the initiative is running, people hear from it regularly: no long silences between activities.

    Params:
        max_gap_days: the longest acceptable gap between activities, or since the last one (default 42).
    """
    _check_positive("max_gap_days", max_gap_days)
    dated = sorted(facts.activities, key=lambda a: (a.on, a.id))
    if not dated:
        return _not_applicable("No activities have been recorded yet.")
    tally = _Tally()
    for before, after in zip(dated, dated[1:], strict=False):
        days = (after.on - before.on).days
        if days <= max_gap_days:
            tally.count("ok")
            continue
        tally.add(
            "none",
            f"{days} days passed between {_at(before)} and {_at(after)}.",
            [_activity_ref(before), _activity_ref(after)],
        )
    # The silence since the last activity counts too, until the initiative closes.
    if not facts.initiative.closed:
        since = (facts.as_of - dated[-1].on).days
        if since <= max_gap_days:
            tally.count("ok")
        else:
            tally.add(
                "none", f"It is {since} days since the last activity, {_at(dated[-1])}.", [_activity_ref(dated[-1])]
            )
    if tally.status is Status.NOT_APPLICABLE:
        return _not_applicable("Only one activity was recorded, so there is no gap to measure.")
    if tally.status is Status.MET:
        tally.note(f"No gap between activities has been longer than {max_gap_days} days.")
    return tally.finding()


@rule("attestation_only")
def attestation_only(facts: InitiativeFacts, *, what: str) -> Finding:
    """Something the records cannot show: a named person has to confirm it.

    Params:
        what: what the person must confirm, in plain English (one sentence, no full stop needed).
    """
    if not what.strip():
        raise ValueError("what must say what a person needs to confirm")
    return Finding(Status.NEEDS_ATTESTATION, (Reason(f"A person needs to confirm: {what.strip().rstrip('.')}."),))


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

    def why_not(self, initiative: InitiativeInfo) -> str | None:
        if self.functions and not set(self.functions) & set(initiative.statutory_functions):
            return f"This applies only to work on {_join(FUNCTION_WORDS[f] for f in self.functions)}."
        if self.collective is not None and initiative.collective != self.collective:
            if self.collective:
                return "This applies only when people come together to shape services, not to one person's own support."
            return "This applies only to one person shaping their own care and support."
        if self.nhs_partnered is not None and initiative.nhs_partnered != self.nhs_partnered:
            return "This applies only when an NHS body is a partner in the work."
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
