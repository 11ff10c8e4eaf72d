"""Every text a person reads from the framework files has Welsh beside it: each framework's title and summary,
each criterion's title, summary and attestation, and each check's text parameters (what a person must confirm).
Welsh pages then show Welsh, not English marked lang="en"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from copro_tracker.criteria.framework import FrameworkError, Library, default_library, load_frameworks
from copro_tracker.criteria.rules import RULES
from copro_tracker.criteria.snapshot import InitiativeFacts
from copro_tracker.domain.messages import Text, Translation

WELSH = Translation("cy")


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests read files only."""
    yield


def _gaps(library: Library) -> list[str]:
    gaps = []
    for framework in library.frameworks:
        for name in ("title", "summary"):
            if getattr(framework, name) and not dict(framework.cy).get(name, "").strip():
                gaps.append(f"{framework.id}.{name}")
        for criterion in framework.criteria:
            welsh = dict(criterion.cy)
            for name in ("title", "summary", "attestation"):
                if getattr(criterion, name) and not welsh.get(name, "").strip():
                    gaps.append(f"{criterion.id}.{name}")
            for number, check in enumerate(criterion.checks, start=1):
                for key, value in check.params:
                    if isinstance(value, Text) and not value.cy.strip():
                        gaps.append(f"{criterion.id} check {number} ({check.rule}).{key}")
    return gaps


def test_every_framework_text_has_welsh_beside_it() -> None:
    gaps = _gaps(default_library())
    assert not gaps, f"{len(gaps)} framework texts with no Welsh (add a `cy:` text beside each):\n" + "\n".join(gaps)


def test_what_a_person_must_confirm_is_shown_in_welsh_on_a_welsh_page() -> None:
    checks = [c for c in default_library().criteria for c in c.checks if c.rule == "attestation_only"]
    assert len(checks) >= 18
    for check in checks:
        (reason,) = RULES["attestation_only"](InitiativeFacts.empty(), **check.kwargs).reasons
        english, welsh = reason.render(), reason.render(WELSH)
        what = check.kwargs["what"]
        assert what.en.rstrip(".") in english and what.en.rstrip(".") not in welsh
        assert what.cy.rstrip(".") in welsh, (check, welsh)


def test_a_check_welsh_text_must_be_for_a_text_parameter_and_a_missing_one_is_found(tmp_path: Path) -> None:
    folder = Path(__file__).resolve().parents[2] / "copro_tracker" / "criteria" / "frameworks"
    for other in folder.glob("*.yaml"):
        (tmp_path / other.name).write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
    text = (folder / "scie.yaml").read_text(encoding="utf-8")
    welsh = re.search(r'\n        cy:\n          what: "[^"]*"', text)
    assert welsh is not None
    (tmp_path / "scie.yaml").write_text(text.replace(welsh.group(0), welsh.group(0).replace("what:", "who:")))
    with pytest.raises(FrameworkError, match=r"'cy.who' is not a text parameter of this check"):
        load_frameworks(tmp_path)
    (tmp_path / "scie.yaml").write_text(text.replace(welsh.group(0), ""))
    assert "SCIE-KF check 1 (attestation_only).what" in _gaps(load_frameworks(tmp_path))
