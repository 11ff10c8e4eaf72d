"""The language a report is written in, for the pure report builders.

A builder is given ``Words`` (a language code and the translator functions for it) by its caller: the web
layer passes Flask-Babel's catalogue for the chosen language, tests and the CLI may pass none and get
English. The builders mark every sentence, heading and column label with ``_`` (or ``ngettext``), so
``make extract-messages`` finds them, and ``_`` translates through the ``Words`` of the build in progress.

The current ``Words`` is held in a context variable for the length of one build rather than passed to each
of the sixty helpers that write text: the helpers stay as they were, and a build in one thread or task never
sees another's language. Nothing here imports Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from ..codes import Language
from ..domain.messages import Day, Translator, identity

Plural = Callable[[str, str, int], str]


def _english_plural(singular: str, plural: str, num: int) -> str:
    return singular if num == 1 else plural


@dataclass(frozen=True)
class Words:
    language: str = "en"
    gettext: Translator = identity
    ngettext: Plural = _english_plural


ENGLISH = Words()
# The languages a report can be written in, and the HTML lang value of each (tagged PDF spans carry it too).
LANGUAGES = (Language.ENGLISH.value, Language.WELSH.value)
HTML_LANG = {Language.ENGLISH.value: "en-GB", Language.WELSH.value: "cy"}

_current: ContextVar[Words] = ContextVar("report_words", default=ENGLISH)


@contextmanager
def writing_in(words: Words) -> Iterator[Words]:
    token = _current.set(words)
    try:
        yield words
    finally:
        _current.reset(token)


def language() -> str:
    return _current.get().language


def translator() -> Translator:
    return _current.get().gettext


def _(text: str, **params: object) -> str:
    """`text` in the report's language, with %(name)s parameters filled in."""
    out = _current.get().gettext(text)
    return out % params if params else out


def ngettext(singular: str, plural: str, num: int, **params: object) -> str:
    out = _current.get().ngettext(singular, plural, num)
    return out % {"num": num, **params}


def day(value: date | None) -> str:
    """A date as people write it ("3 March 2025"), with the month in the report's language."""
    return Day(value).render(_current.get().gettext) if value else ""


class ReportText(str):
    """Text in the report's language holding pieces that exist only in English (framework texts with no Welsh
    yet, the names of laws as cited, CQC's own words). A renderer marks each piece lang="en" with its reason
    (``data-untranslated``), so it is read out as English and a Welsh check can tell it from a missed word.
    Everywhere else (CSV, JSON, comparisons) it is the plain string."""

    english: tuple[tuple[str, str], ...]

    def __new__(cls, text: str, english: tuple[tuple[str, str], ...] = ()) -> ReportText:
        value = super().__new__(cls, text)
        value.english = tuple((piece, reason) for piece, reason in english if piece)
        return value

    def __reduce__(self):  # pickled (the PDF job, caches) as what it is
        return (ReportText, (str(self), self.english))


def english_only(text: str, reason: str = "source") -> str:
    """`text` as is in an English report; marked as English in any other."""
    if not text or language() == "en":
        return text
    return ReportText(text, ((text, reason),))


def with_english(text: str, pieces: tuple[tuple[str, str], ...]) -> str:
    """`text` (already in the report's language) with the English-only pieces it quotes marked."""
    if language() == "en" or not pieces:
        return text
    return ReportText(text, pieces)


def localized(item: object, name: str) -> str:
    """A framework's or criterion's text in the report's language; English (marked so) where no Welsh is written."""
    from ..criteria.framework import has_welsh, welsh_or_english

    text = welsh_or_english(item, name, language()) or ""
    if language() != "en" and text and not has_welsh(item, name):
        return ReportText(text, ((text, "framework"),))
    return text
