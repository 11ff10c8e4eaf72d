"""The Welsh page check's word test: it flags English interface words, not Welsh, names or people's text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .english_text import english_words


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests read files only."""
    yield


def test_english_interface_words_are_found() -> None:
    assert english_words("Your dashboard", []) == ["dashboard", "your"]
    assert "initiative" in english_words("Mae'r initiative wedi'i chreu", [])


def test_welsh_and_entered_text_pass() -> None:
    assert english_words("Eich dangosfwrdd. Mae'r fenter wedi'i chreu.", []) == []
    title = "Redesigning day opportunities with people"
    assert english_words(f"Yn ôl i {title}", [title]) == []
    # A long title shown shortened is still the person's own text.
    assert english_words("Penderfyniad “Redesigning day opportun…”", [title]) == []
