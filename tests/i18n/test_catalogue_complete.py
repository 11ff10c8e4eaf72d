"""A fresh extraction finds every message in the Welsh catalogue, translated, and none fuzzy.

This is the check that keeps the Welsh service whole: a new string wrapped in _() / _l() / N_() without a
Welsh translation fails here, naming it. Add the translation to
copro_tracker/translations/cy/LC_MESSAGES/messages.po (`make extract-messages` adds the empty entry,
using copro_tracker/translations/glossary.yml's terms), then `make translations`.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from .catalogue import PLACEHOLDER, ROOT, WELSH_PO, translations


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests read files only."""
    yield


def extraction_command(output: Path) -> list[str]:
    """`make extract-messages`'s own pybabel extract line, writing to `output` instead of the repository."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = next(line for line in makefile.splitlines() if "pybabel -q extract" in line)
    arguments = shlex.split(line.split("pybabel", 1)[1])
    arguments[arguments.index("-o") + 1] = str(output)
    pybabel = Path(sys.executable).with_name("pybabel")
    return [str(pybabel), *arguments]


def fresh_extraction(directory: Path) -> set[str | tuple[str, ...]]:
    """Every message id a fresh extraction of the code and templates finds now."""
    template = directory / "fresh.pot"
    subprocess.run(extraction_command(template), cwd=ROOT, check=True, capture_output=True)
    with template.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle) if m.id}


def test_fresh_extraction_is_fully_translated(tmp_path: Path) -> None:
    extracted = fresh_extraction(tmp_path)
    assert len(extracted) > 1000  # the extraction really ran over the code and templates
    with WELSH_PO.open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    missing, empty, fuzzy, placeholders = [], [], [], []
    for message_id in sorted(extracted, key=str):
        entry = catalogue.get(message_id)
        if entry is None:
            missing.append(message_id)
            continue
        texts = translations(entry)
        if not all(t.strip() for t in texts):
            empty.append(message_id)
        if entry.fuzzy:
            fuzzy.append(message_id)
        source = message_id[-1] if isinstance(message_id, tuple) else message_id
        if any(set(PLACEHOLDER.findall(t)) != set(PLACEHOLDER.findall(source)) for t in texts if t.strip()):
            placeholders.append(message_id)
    report = [f"{len(extracted)} messages extracted"]
    for name, items in (
        ("missing from the Welsh catalogue", missing),
        ("with an empty Welsh translation", empty),
        ("marked fuzzy (a guess nobody has confirmed)", fuzzy),
        ("whose Welsh has different %(...)s placeholders", placeholders),
    ):
        if items:
            report.append(f"{len(items)} {name}:")
            report.extend(f"  {item!r}" for item in items[:50])
    assert not (missing or empty or fuzzy or placeholders), "\n".join(report)


def test_the_check_notices_a_missing_message() -> None:
    """The comparison above fails for a message the catalogue does not have (so it can fail)."""
    with WELSH_PO.open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    assert catalogue.get("A sentence nobody has written yet") is None
    assert catalogue.get("Your dashboard") is not None and translations(catalogue.get("Your dashboard"))[0]
