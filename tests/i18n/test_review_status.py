"""Which Welsh strings a Welsh speaker has reviewed, said in the catalogue itself.

The convention (README "Welsh translations"): a reviewed message carries the translator comment

    # reviewed: <name or role>, <YYYY-MM-DD>

directly above it in copro_tracker/translations/cy/LC_MESSAGES/messages.po. Translator comments (``# ``)
survive ``pybabel update``; extracted comments (``#.``) do not, so a review written as ``#.`` would be lost and
is refused here. Every message without the comment is unreviewed, and the catalogue header must not claim
otherwise: today no message has been reviewed by a Welsh speaker, and the header says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from .catalogue import WELSH_PO, translations

REVIEWED = re.compile(r"^reviewed: (?P<who>[^,]+\S), (?P<day>\d{4}-\d{2}-\d{2})$")


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests read files only."""
    yield


def review_status(catalogue: Catalog) -> tuple[dict[str, tuple[str, date]], list[str]]:
    """(message id -> (reviewer, day)) for reviewed messages, and the problems with review comments."""
    reviewed: dict[str, tuple[str, date]] = {}
    problems: list[str] = []
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        for comment in message.auto_comments:
            if comment.strip().lower().startswith("reviewed"):
                problems.append(f"{key!r}: a review must be a translator comment ('# reviewed: ...'), not '#.'")
        for comment in message.user_comments:
            if not comment.strip().lower().startswith("reviewed"):
                continue
            found = REVIEWED.match(comment.strip())
            if found is None:
                problems.append(f"{key!r}: write the review as '# reviewed: <name or role>, <YYYY-MM-DD>'")
                continue
            try:
                day = date.fromisoformat(found["day"])
            except ValueError:
                problems.append(f"{key!r}: {found['day']} is not a real date")
                continue
            if day > date.today():
                problems.append(f"{key!r}: reviewed on {day}, which has not happened yet")
            if message.fuzzy or not all(text.strip() for text in translations(message)):
                problems.append(f"{key!r}: marked reviewed, but its Welsh is empty or fuzzy")
            reviewed[key] = (found["who"], day)
    return reviewed, problems


def _read(text: str) -> Catalog:
    import io

    return read_po(io.BytesIO(text.encode()), locale="cy")


def test_review_comments_follow_the_convention() -> None:
    with WELSH_PO.open("rb") as handle:
        _, problems = review_status(read_po(handle, locale="cy"))
    assert not problems, "\n".join(problems)


def test_the_header_says_honestly_how_much_has_been_reviewed() -> None:
    text = WELSH_PO.read_text(encoding="utf-8")
    with WELSH_PO.open("rb") as handle:
        reviewed, _ = review_status(read_po(handle, locale="cy"))
    says_none = "none has" in text.split('msgid ""', 1)[0] and "(not yet reviewed)" in text
    if reviewed:
        assert not says_none, f"{len(reviewed)} messages are reviewed: update the header's review status"
    else:
        assert says_none, "no message is reviewed yet: the header must say so"


def test_the_check_reads_reviews_and_refuses_bad_ones() -> None:
    good = 'msgid ""\nmsgstr ""\n\n# reviewed: Welsh language officer, 2026-11-20\nmsgid "Yes"\nmsgstr "Ie"\n'
    reviewed, problems = review_status(_read(good))
    assert reviewed == {"Yes": ("Welsh language officer", date(2026, 11, 20))} and problems == []
    for bad in (
        '#. reviewed: Welsh language officer, 2026-11-20\nmsgid "Yes"\nmsgstr "Ie"\n',
        '# reviewed by Nia\nmsgid "Yes"\nmsgstr "Ie"\n',
        '# reviewed: Nia, 2026-02-30\nmsgid "Yes"\nmsgstr "Ie"\n',
        '# reviewed: Nia, 2999-01-01\nmsgid "Yes"\nmsgstr "Ie"\n',
        '# reviewed: Nia, 2026-01-01\nmsgid "Yes"\nmsgstr ""\n',
    ):
        _, problems = review_status(_read('msgid ""\nmsgstr ""\n\n' + bad))
        assert len(problems) == 1, bad
