"""Finding English interface words on a page shown in Welsh.

The vocabulary is the English side of the interface itself: every word of every message id in the
Welsh catalogue and of the criteria frameworks' English texts. Words that the Welsh side also uses
(names such as CQC, Healthwatch or Think Local Act Personal, file types, "axe") are taken out, so a
word is flagged only when it is English the Welsh interface never needs. Text that people entered
(titles, notes, names: every string stored in the database) is removed from the page first, so demo
data written in English does not count.
"""

from __future__ import annotations

import re
from functools import cache

import yaml

from .catalogue import PLACEHOLDER, ROOT, translations, welsh_catalogue

FRAMEWORKS = ROOT / "copro_tracker" / "criteria" / "frameworks"
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
# Short words English and Welsh share in spelling ("a", "i", "am", "to", "hi", "he", "we", "ac", "yn"...)
# are ignored: three letters or more, and these three-letter words that are Welsh too.
_SHARED = {"ers", "dim", "pan", "nid", "and"} - {"and"}


def words(text: str) -> set[str]:
    return {w.lower().strip("'") for w in _WORD.findall(text) if len(w.strip("'")) >= 3}


def _framework_texts() -> tuple[list[str], list[str]]:
    english: list[str] = []
    welsh: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "summary", "label", "name", "text") and isinstance(value, str):
                    english.append(value)
                elif key == "cy" and isinstance(value, dict):
                    welsh.extend(str(v) for v in value.values())
                elif key.endswith("_cy") and isinstance(value, str):
                    welsh.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted(FRAMEWORKS.glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return english, welsh


@cache
def english_vocabulary() -> frozenset[str]:
    """Words of the English interface that its Welsh version never uses."""
    english: set[str] = set()
    welsh: set[str] = set()
    for message in welsh_catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        for text in ids:
            english |= words(PLACEHOLDER.sub(" ", text))
        for text in translations(message):
            welsh |= words(text)
    framework_english, framework_welsh = _framework_texts()
    for text in framework_english:
        english |= words(text)
    for text in framework_welsh:
        welsh |= words(text)
    return frozenset(english - welsh - _SHARED)


_SHORTENED = re.compile(r"“([^”…]+)…”")


def without(text: str, entered: list[str]) -> str:
    """`text` with every piece of people's own text taken out (longest first, so names inside titles go too).

    Long titles are shown shortened, “Day services will offer…”: a shortened quote counts as people's own
    text when what is left of it begins something they entered."""

    def shortened(match: re.Match[str]) -> str:
        start = match.group(1).strip()
        return " " if any(value.startswith(start) for value in entered) else match.group(0)

    text = _SHORTENED.sub(shortened, text)
    for value in entered:
        text = text.replace(value, " ")
    return text


def english_words(text: str, entered: list[str]) -> list[str]:
    """The English interface words in `text`, after removing what people entered."""
    vocabulary = english_vocabulary()
    return sorted(w for w in words(without(text, entered)) if w in vocabulary)
