"""The pure core imports without Flask or SQLAlchemy: an inspector's machine, a script or a test can use the
codes, the domain rules, the criteria rules, the audit ledger and the report builder with neither installed.

Each module is imported in a fresh interpreter in which importing Flask, its extensions or SQLAlchemy
raises, so a stray import anywhere along the chain (a package ``__init__`` included) fails here.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCKED = ("flask", "flask_babel", "flask_login", "flask_wtf", "wtforms", "sqlalchemy", "flask_sqlalchemy", "alembic")
PURE = (
    "copro_tracker.codes",
    "copro_tracker.domain.gates",
    "copro_tracker.domain.messages",
    "copro_tracker.domain.people",
    "copro_tracker.domain.follow_through",
    "copro_tracker.domain.assessments",
    "copro_tracker.domain.equality",
    "copro_tracker.domain.small_numbers",
    "copro_tracker.criteria.snapshot",
    "copro_tracker.criteria.rules",
    "copro_tracker.criteria.framework",
    "copro_tracker.criteria.citations",
    "copro_tracker.audit.ledger",
    "copro_tracker.audit.verify",
    "copro_tracker.reports",
    "copro_tracker.reports.build",
    "copro_tracker.reports.render_json",
    "copro_tracker.reports.render_csv",
)
PROBE = """
import importlib, sys
BLOCKED = set(sys.argv[1].split(","))

class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError("blocked in this test: " + name)
        return None

sys.meta_path.insert(0, Refuse())
importlib.import_module(sys.argv[2])
leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
assert not leaked, leaked
"""


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests need no app and no database."""
    yield


@pytest.mark.parametrize("module", PURE)
def test_imports_without_flask_or_sqlalchemy(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(BLOCKED), module],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_probe_can_fail() -> None:
    """The blocker really refuses: the web blueprint of the reports needs Flask, so it cannot be imported."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(BLOCKED), "copro_tracker.reports.views"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "blocked in this test: flask" in result.stderr
