"""The Welsh catalogue uses the glossary's term wherever the English text uses the English one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .catalogue import PLACEHOLDER, Term, glossary, mutated_forms, translations, welsh_catalogue


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests read files only."""
    yield


def test_mutations_cover_the_three_mutations_and_h_prefix() -> None:
    assert {"comisiynydd", "gomisiynydd", "nghomisiynydd", "chomisiynydd"} <= mutated_forms("comisiynydd")
    assert "fenter" in mutated_forms("menter")
    assert "hasesiad" in mutated_forms("asesiad")
    assert "lesiant" in mutated_forms("llesiant")


def test_term_is_found_mutated_and_missed_when_absent() -> None:
    term = Term("commissioner", ("commissioner",), "comisiynydd", ("comisiynydd",), True)
    assert term.english_pattern().search("Sign-off by a Commissioner member")
    assert not term.english_pattern().search("commissioners-only")  # a different word
    assert term.used_in("Cymeradwyaeth gan gomisiynydd")
    assert not term.used_in("Cymeradwyaeth gan swyddog")


def test_glossary_terms_are_unique_and_complete() -> None:
    terms = glossary()
    english = [t.en.lower() for t in terms]
    assert len(english) == len(set(english))
    for term in terms:
        assert term.cy in term.cy_forms, term.en
        assert term.en_forms, term.en


def test_catalogue_uses_the_glossary_terms() -> None:
    problems = []
    terms = [t for t in glossary() if t.check]
    for message in welsh_catalogue():
        if not message.id:
            continue
        english = " ".join(message.id) if isinstance(message.id, (tuple, list)) else message.id
        english = PLACEHOLDER.sub("", english)  # "%(framework)s" is a value, not the word
        for welsh in translations(message):
            if not welsh:
                continue  # a missing translation is tests/i18n/test_catalogue_complete.py's concern
            for term in terms:
                if term.english_pattern().search(english) and not term.used_in(welsh):
                    problems.append(f"{english!r}: uses {term.en!r}, so the Welsh needs {term.cy!r}: {welsh!r}")
    assert not problems, "\n".join(problems)


def test_framework_welsh_texts_use_the_glossary_terms() -> None:
    from copro_tracker.criteria.framework import load_frameworks

    library = load_frameworks()
    items = [*library.frameworks, *library.criteria]
    terms = [t for t in glossary() if t.check]
    problems = []
    checked = 0
    for item in items:
        for name, welsh in item.cy:
            checked += 1
            english = getattr(item, name) or ""
            for term in terms:
                if term.english_pattern().search(english) and not term.used_in(welsh):
                    problems.append(f"{getattr(item, 'id', '?')}.{name}: uses {term.en!r}, so needs {term.cy!r}")
    assert checked > 90  # the Welsh texts are there to check
    assert not problems, "\n".join(problems)
