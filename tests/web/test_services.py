"""One service error type and one optimistic lock, shared by every service."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from sqlalchemy.orm import Session

from copro_tracker import services
from copro_tracker.extensions import db
from copro_tracker.models import Activity

PACKAGE = Path(services.__file__).resolve().parent


def _exception_classes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = {getattr(b, "attr", getattr(b, "id", "")) for b in node.bases}
            if any(b.endswith(("Error", "Exception", "Conflict")) for b in bases):
                names.append(f"{path.relative_to(PACKAGE)}:{node.name}")
    return names


def test_services_raise_the_one_error_type():
    """A refused write is a ServiceError (or EditConflict); services define no error classes of their own.

    Allowed: the audit service's faults (a missing signing key, a broken chain), which are not refusals of a
    person's input but stop the write whoever makes it."""
    found = [name for path in sorted(PACKAGE.glob("*/service.py")) for name in _exception_classes(path)]
    assert found == [
        "audit/service.py:AuditKeyError",
        "audit/service.py:AuditIntegrityError",
    ]


def test_stale_data_is_handled_in_one_place():
    users = [p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py") if "StaleDataError" in p.read_text()]
    assert users == [Path("services.py")]


def test_check_version_refuses_a_missing_or_older_version(team):
    activity = make_activity(team)
    services.check_version(activity, activity.version)
    for stale in (None, activity.version - 1, activity.version + 1):
        with pytest.raises(services.EditConflict) as refused:
            services.check_version(activity, stale, "Changed by someone else", "title")
        assert str(refused.value) == "Changed by someone else" and refused.value.field == "title"
    services.check_version(activity, None, required=False)


def test_commit_or_conflict_rolls_back_and_keeps_the_other_save(team):
    activity = make_activity(team, title="First title")
    assert activity.version == 1
    # This request holds the record as it was loaded, as a form being edited would.
    db.session.expunge(activity)
    db.session.commit()
    # Someone else saves first, in their own transaction.
    with Session(db.engine) as other:
        other.get(Activity, activity.id).title = "Their title"
        other.commit()
    db.session.add(activity)
    activity.title = "My title"
    with pytest.raises(services.EditConflict):
        services.commit_or_conflict()
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).title == "Their title"
