"""zxcvbn's advice is a fixed set of English sentences: each is a message id here, and nothing else gets through."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxcvbn.feedback

from copro_tracker.auth.password_feedback import FEEDBACK, GENERAL, feedback_phrase
from copro_tracker.auth.passwords import password_problems
from copro_tracker.domain.messages import Translation


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests need no app."""
    yield


def installed_sentences() -> set[str]:
    """Every sentence the installed zxcvbn's feedback.py passes to gettext (its `_`)."""
    tree = ast.parse(Path(zxcvbn.feedback.__file__).read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and isinstance(node.args[0], ast.Constant)
    }


def test_the_list_is_exactly_the_installed_zxcvbn_sentences() -> None:
    sentences = installed_sentences()
    assert len(sentences) > 20  # the parse really found them
    assert sentences - FEEDBACK == set(), "zxcvbn has sentences with no message id: add them and their Welsh"
    assert FEEDBACK - sentences == set(), "message ids zxcvbn no longer says: remove them"


def test_an_unknown_sentence_becomes_the_general_hint() -> None:
    assert feedback_phrase("This is a very common password.").text == "This is a very common password."
    assert feedback_phrase("Something a newer zxcvbn says.").text == GENERAL


def test_every_part_of_a_refusal_goes_through_the_translator() -> None:
    """Rendered with a translator that marks what it translated, no part of the refusal is left unmarked."""
    marked = Translation("xx", lambda text: f"<{text}>", lambda one, many, n: f"<{(one if n == 1 else many)}>")
    for password in ("password12", "qwertyuiop", "aaaaaaaaaaaa", "abcdefghij1", "Jennifer1990"):
        (problem,) = password_problems(password)
        parts = problem.render(marked).split(" – ")
        assert len(parts) >= 2, password
        assert all(part.startswith("<") and part.endswith(">") for part in parts), (password, parts)
    (short,) = password_problems("short")
    assert short.render(marked) == "<Password must be at least 10 characters>"
