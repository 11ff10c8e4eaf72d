"""Reading the Welsh catalogue and the glossary, for the translation tests (no app, no database)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "copro_tracker" / "translations"
WELSH_PO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"
GLOSSARY = TRANSLATIONS / "glossary.yml"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


@cache
def welsh_catalogue() -> Catalog:
    with WELSH_PO.open("rb") as handle:
        return read_po(handle, locale="cy")


def translations(message) -> tuple[str, ...]:
    """Every Welsh text of a catalogue message (plural messages have several)."""
    value = message.string
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value or "",)


# Welsh initial mutations of a word's first letters: (radical, soft, nasal, aspirate). A term can
# appear in any of them ("y comisiynydd", "gan gomisiynydd", "fy nghomisiynydd", "a chomisiynydd").
_MUTATIONS = (
    ("ll", ("l",)),
    ("rh", ("r",)),
    ("p", ("b", "mh", "ph")),
    ("t", ("d", "nh", "th")),
    ("c", ("g", "ngh", "ch")),
    ("b", ("f", "m")),
    ("d", ("dd", "n")),
    ("g", ("", "ng")),
    ("m", ("f",)),
)


def mutated_forms(word: str) -> set[str]:
    """`word` and its mutated forms (only the first word of a phrase mutates)."""
    lower = word.lower()
    forms = {lower}
    for radical, mutated in _MUTATIONS:
        if lower.startswith(radical):
            forms.update(m + lower[len(radical) :] for m in mutated)
            break
    if lower[:1] in "aeiouwyâêîôûŵŷ":
        forms.add("h" + lower)  # "ei hasesiad", "eu hadroddiadau"
    return forms


@dataclass(frozen=True)
class Term:
    en: str
    en_forms: tuple[str, ...]
    cy: str
    cy_forms: tuple[str, ...]
    check: bool

    def english_pattern(self) -> re.Pattern[str]:
        alternatives = "|".join(re.escape(f) for f in sorted(self.en_forms, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)

    def welsh_forms(self) -> set[str]:
        return {form for welsh in self.cy_forms for form in mutated_forms(welsh)}

    def used_in(self, welsh: str) -> bool:
        text = welsh.lower()
        return any(form in text for form in self.welsh_forms())


@cache
def glossary() -> tuple[Term, ...]:
    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    return tuple(
        Term(
            en=entry["en"],
            en_forms=tuple(entry.get("en_forms") or [entry["en"]]),
            cy=entry["cy"],
            cy_forms=tuple(entry.get("cy_forms") or [entry["cy"]]),
            check=entry.get("check", True),
        )
        for entry in data["terms"]
    )
