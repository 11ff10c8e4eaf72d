"""Plain-English words for coded values, and the phrasing helpers every rule family shares.

The pure core cannot use the Flask-Babel labels, so rules say things in these words.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from ...codes import (
    N_,
    ActivityKind,
    CommunicationNeed,
    OutputFormat,
    OutputKind,
    PartnerKind,
    StageKind,
    StatutoryFunction,
)
from ...domain.messages import AndList, Day, Message, Phrase
from ..snapshot import Activity

# ---------------------------------------------------------------------------------------------------
# Plain-English words for coded values (the pure core cannot use the Flask-Babel labels). Marked with N_ so
# they are extracted for translation; a reason carries them as ``Phrase`` parameters, translated when shown.

STAGE_WORDS = {
    StageKind.DESIGN: N_("design"),
    StageKind.DELIVERY: N_("delivery"),
    StageKind.EVALUATION: N_("evaluation"),
}
RUNG_WORDS = {
    1: N_("coercion"),
    2: N_("educating"),
    3: N_("informing"),
    4: N_("consulting"),
    5: N_("engaging"),
    6: N_("co-designing"),
    7: N_("co-producing"),
}
ACTIVITY_KIND_WORDS = {
    ActivityKind.WORKSHOP: N_("workshop"),
    ActivityKind.CO_DESIGN_SESSION: N_("co design session"),
    ActivityKind.STEERING_GROUP: N_("steering group"),
    ActivityKind.SURVEY: N_("survey"),
    ActivityKind.TRAINING: N_("training"),
    ActivityKind.REVIEW: N_("review"),
    ActivityKind.EVALUATION_PANEL: N_("evaluation panel"),
    ActivityKind.OTHER: N_("other"),
}
OUTPUT_WORDS = {
    OutputKind.PLAN: N_("plan"),
    OutputKind.STRATEGY: N_("strategy"),
    OutputKind.INFORMATION_ADVICE_PLAN: N_("information and advice plan"),
    OutputKind.MARKET_POSITION_STATEMENT: N_("market position statement"),
    OutputKind.TERMS_OF_REFERENCE: N_("terms of reference"),
    OutputKind.OUTCOMES_FRAMEWORK: N_("list of outcomes the work aims for"),
    OutputKind.EVALUATION_REPORT: N_("evaluation report"),
    OutputKind.RESPONSE_STATEMENT: N_("published response to what people said"),
    OutputKind.ACCESSIBLE_VERSION: N_("accessible version"),
    OutputKind.OTHER: N_("output"),
}
FORMAT_WORDS = {
    OutputFormat.EASY_READ: N_("Easy Read"),
    OutputFormat.LARGE_PRINT: N_("large print"),
    OutputFormat.AUDIO: N_("audio"),
    OutputFormat.BSL_VIDEO: N_("British Sign Language video"),
    OutputFormat.WELSH: N_("Welsh"),
    OutputFormat.OTHER_LANGUAGE: N_("another language"),
}
PARTNER_KIND_WORDS = {
    PartnerKind.DRAWS_ON_CARE: N_("people who draw on care and support"),
    PartnerKind.CARER: N_("unpaid carers"),
    PartnerKind.COMMUNITY: N_("community members"),
    PartnerKind.PROVIDER: N_("care providers"),
    PartnerKind.VCSE: N_("voluntary and community organisations"),
    PartnerKind.HEALTHWATCH: N_("Healthwatch"),
    PartnerKind.ADVOCATE: N_("advocates"),
    PartnerKind.OFFICER: N_("council or NHS officers"),
}
FUNCTION_WORDS = {
    StatutoryFunction.PREVENTION: N_("prevention"),
    StatutoryFunction.INFORMATION_ADVICE: N_("information and advice"),
    StatutoryFunction.MARKET_SHAPING: N_("market shaping and commissioning"),
    StatutoryFunction.ASSESSMENT: N_("assessment"),
    StatutoryFunction.STRATEGY_PLAN: N_("a strategy or plan"),
    StatutoryFunction.ADVOCACY: N_("advocacy"),
    StatutoryFunction.OTHER: N_("other work"),
}
# Adjustments and communication needs share one code list (codes.CommunicationNeed).
NEED_WORDS = {
    CommunicationNeed.EASY_READ: N_("Easy Read documents"),
    CommunicationNeed.LARGE_PRINT: N_("large print"),
    CommunicationNeed.BSL_INTERPRETER: N_("a British Sign Language interpreter"),
    CommunicationNeed.HEARING_LOOP: N_("a hearing loop"),
    CommunicationNeed.SCREEN_READER: N_("documents that work with a screen reader"),
    CommunicationNeed.EXTRA_TIME: N_("extra time to read and respond"),
    CommunicationNeed.SUPPORTER_PRESENT: N_("a supporter with them"),
}
# Needs that are formats: a published output must exist in that format for the person to use it. Needs for
# taking part in a meeting (an interpreter, a hearing loop, a supporter, extra time) are not formats.
NEED_FORMATS = {
    CommunicationNeed.EASY_READ: OutputFormat.EASY_READ,
    CommunicationNeed.LARGE_PRINT: OutputFormat.LARGE_PRINT,
}


@lru_cache(maxsize=4096)
def _day_text(value: date) -> str:
    """A date for a record's label (refs), always English; in a reason a date is a ``Day`` parameter."""
    # Cached: strftime is the single biggest cost when a page evaluates every criterion.
    return f"{value.day} {value:%B %Y}"


def _day(value: date) -> Day:
    return Day(value)


def _rung(value: int) -> Message:
    return Message.of("criteria.rung", rung=value, word=Phrase(RUNG_WORDS[value]))


def _stage_name(kind: StageKind) -> Message:
    """ "Design stage", to start a sentence."""
    return Message.of(f"criteria.stage.{kind.value}")


def _stage_in_sentence(kind: StageKind) -> Message:
    """ "design stage", within a sentence."""
    return Message.of(f"criteria.stage_in_sentence.{kind.value}")


def _stage_label(kind: StageKind) -> str:
    """ "Design stage" as a record's label (refs)."""
    return f"{kind.value.capitalize()} stage"


def _join(words: Iterable[object]) -> AndList:
    return AndList.of(words)


def _plural(count: int, noun: str) -> Message:
    """ "1 decision", "2 decisions": ``noun`` names the plural message ``criteria.count.<noun>``."""
    return Message.of(f"criteria.count.{noun}", count=count)


def _every(count: int, noun: str = "citizen_partner") -> Message:
    """ "the citizen partner", "both citizen partners" or "all 3 citizen partners": never "all 1" or "all 2"."""
    if count == 1:
        return Message.of(f"criteria.every.{noun}.one")
    if count == 2:
        return Message.of(f"criteria.every.{noun}.two")
    return Message.of(f"criteria.every.{noun}.many", count=count)


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


def _none_yet(kind: OutputKind) -> Message:
    plural = "_plural" if kind is OutputKind.TERMS_OF_REFERENCE else ""
    return Message.of(f"criteria.outputs.none_yet{plural}", output=Phrase(OUTPUT_WORDS[kind]))


def _at(activity: Activity) -> Message:
    return Message.of("criteria.at", title=_quote(activity.title), day=Day(activity.on))
