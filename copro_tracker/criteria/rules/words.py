"""Plain-English words for coded values, and the phrasing helpers every rule family shares.

The pure core cannot use the Flask-Babel labels, so rules say things in these words.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from ...codes import CommunicationNeed, OutputFormat, OutputKind, PartnerKind, StageKind, StatutoryFunction
from ..snapshot import Activity

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


def _at(activity: Activity) -> str:
    return f"{_quote(activity.title)} on {_day(activity.on)}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
