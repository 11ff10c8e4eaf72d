"""Welsh mutations never depend on what a placeholder will hold.

Welsh changes the first letter of a word after certain words ("i Gaerdydd", "a chyngor", "ei fenter") and
after a feminine noun ("menter newydd" but "cyfarfod mawr" / "menter fawr"). A translation cannot know
what a name, a title or a record's word will be, so the rule enforced here, over every Welsh translation
in the catalogue, is:

1. No placeholder comes straight after a word that mutates the next word (TRIGGERS: prepositions such as
   i, o, am, ar, gan, gyda, â; conjunctions a, neu, na; possessives ei, dy, fy, eu; the article; numerals).
   Rephrase so that the value stands after a colon or in brackets ("Yn ôl: %(name)s", "Cyn: %(before)s"),
   after a verb ("Mae %(names)s yn dewis"), or after "ar gyfer", which does not mutate.
   The only exception is a value that never mutates (NEVER_MUTATES): numbers, dates and times, money,
   sizes, web and email addresses, and sentences that always start with a digit or a quotation mark
   (a count such as "3 gweithgaredd", an activity such as "“Gweithdy” ar 3 Mawrth").
2. No adjective that could mutate comes straight after a placeholder that holds a noun (NOUNS), since
   the adjective's form would depend on that noun's gender ("%(thing)s mawr" or "%(thing)s fawr"?).
   Put it in the sentence's own words instead ("cofnod newydd (%(thing)s)").

A count that chooses a noun's form ("2 benderfyniad", "3 phenderfyniad") is not a placeholder mutation:
it is a plural message, and each form is written out (tests/i18n/test_plural_forms.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from .catalogue import translations, welsh_catalogue

TRIGGERS = frozenset(
    {
        # Prepositions (soft, aspirate or nasal mutation after them).
        *("i", "o", "am", "ar", "at", "gan", "dan", "heb", "hyd", "drwy", "trwy", "wrth", "dros", "tros"),
        *("â", "ag", "gyda", "tua", "yn"),
        # Conjunctions and particles.
        *("a", "ac", "neu", "na", "nac", "pan", "fe", "mi", "ni", "oni", "pa", "sut", "rhy", "mor"),
        # Possessives, the article and numerals.
        *("ei", "dy", "fy", "ein", "eu", "y", "yr", "'r", "un", "ail", "dau", "dwy", "tri", "chwe"),
        *("dyma", "dyna", "hen", "prif"),
    }
)
NEVER_MUTATES = frozenset(
    {
        # Numbers, counts and sizes.
        *("count", "num", "total", "amount", "mb", "max", "id", "seq", "rung", "size", "percent", "pence"),
        *("days", "hours", "minutes", "seconds", "weeks", "months", "years"),
        *("checked", "met", "changed", "first", "shown"),
        # Dates and times.
        *("date", "day", "time", "end", "year"),
        # Addresses.
        *("url", "email", "link"),
        # Always start with a digit or a quotation mark: "“Workshop” on 3 March", "3 activities", "2 decisions".
        *("at", "activities", "decisions"),
    }
)
NOUNS = frozenset({"thing", "field", "output", "stage", "kind", "format", "topic", "org", "service", "functions"})
# Adjectives whose first letter mutates after a feminine noun (radical forms; mutated forms are derived).
ADJECTIVES = frozenset(
    {
        *("bach", "byr", "mawr", "da", "drwg", "llawn", "lleol", "cymunedol", "cyhoeddus", "cyhoeddedig"),
        *("personol", "pwysig", "terfynol", "cyfan", "cyffredinol", "blynyddol", "cenedlaethol", "gwreiddiol"),
        *("gwirfoddol", "presennol", "priodol", "diwethaf", "cynnar", "diweddar", "digidol", "dwyieithog"),
        *("perthnasol", "gwahanol", "cywir", "cyntaf", "dilys", "glir", "clir", "brys", "mewnol", "manwl"),
    }
)
_SOFT = (("ll", "l"), ("rh", "r"), ("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"), ("d", "dd"), ("g", ""), ("m", "f"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests read files only."""
    yield


def _adjective_forms() -> frozenset[str]:
    forms = set(ADJECTIVES)
    for word in ADJECTIVES:
        for radical, soft in _SOFT:
            if word.startswith(radical):
                forms.add(soft + word[len(radical) :])
                break
    return frozenset(forms)


def problems_in(text: str) -> list[str]:
    found = []
    adjectives = _adjective_forms()
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        before = re.search(r"([\w'’âêîôûŵŷ]+) $", text[: match.start()])
        if before and name not in NEVER_MUTATES:
            word = before.group(1).lower().replace("’", "'")
            word = "'r" if word.endswith("'r") else word
            if word in TRIGGERS:
                found.append(f"'{word}' mutates %({name})s")
        after = re.match(r" ([\w'’âêîôûŵŷ]+)", text[match.end() :])
        if after and name in NOUNS and after.group(1).lower() in adjectives:
            found.append(f"%({name})s is a noun: '{after.group(1)}' would mutate by its gender")
    return found


def test_the_rule_finds_mutations_that_depend_on_a_placeholder() -> None:
    assert problems_in("Yn ôl i %(name)s") == ["'i' mutates %(name)s"]
    assert problems_in("rhwng %(before)s a %(after)s") == ["'a' mutates %(after)s"]
    assert problems_in("yn y %(stage)s") == ["'y' mutates %(stage)s"]
    assert problems_in("o'r %(title)s") == ["''r' mutates %(title)s"]
    assert problems_in("Cofnododd %(actor)s %(thing)s mawr") == [
        "%(thing)s is a noun: 'mawr' would mutate by its gender"
    ]
    assert problems_in("Cofnododd %(actor)s %(thing)s fawr") == [
        "%(thing)s is a noun: 'fawr' would mutate by its gender"
    ]
    # What the rule allows: a value after a colon, in brackets or after a verb; a number after a trigger.
    assert problems_in("Yn ôl: %(name)s. Cyn: %(before)s (%(thing)s). Mae %(names)s yn dewis") == []
    assert problems_in("am %(days)s diwrnod, ar %(date)s, yn %(at)s") == []


def test_no_welsh_mutation_depends_on_a_placeholder() -> None:
    problems = []
    for message in welsh_catalogue():
        if not message.id:
            continue
        for text in dict.fromkeys(translations(message)):
            problems += [f"{text!r}: {problem}" for problem in problems_in(text)]
    assert not problems, "Rephrase so no mutation depends on a placeholder:\n" + "\n".join(problems)
