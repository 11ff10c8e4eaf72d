"""One vocabulary: every code list is defined once (copro_tracker.codes) and nothing drifts from it.

These tests scan the package, so a new module that defines its own enumeration, a model column whose
allowed values differ from the code list, a label table missing a code, or a word table keyed by
hand-typed codes fails here rather than as a finding that silently never matches.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from copro_tracker import codes
from copro_tracker.criteria import rules

PACKAGE = Path(codes.__file__).resolve().parent
CODE_LISTS = [
    value
    for value in vars(codes).values()
    if isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ == codes.__name__
]


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests need no app and no database."""
    yield


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_every_code_list_has_one_label_for_each_code():
    assert CODE_LISTS, "codes.py defines no code lists"
    for kind in CODE_LISTS:
        table = codes.LABELS.get(kind)
        assert table is not None, f"{kind.__name__} has no label table in codes.LABELS"
        assert set(table) >= {member.value for member in kind}, f"{kind.__name__}: codes without a label"
        for member in kind:
            assert isinstance(table[member], str) and table[member].strip(), f"{kind.__name__}.{member.name}"
            assert codes.label(member) == table[member]


def test_no_label_table_names_a_code_that_does_not_exist():
    for kind, table in codes.LABELS.items():
        assert set(table) <= {m.value for m in kind} | set(kind), f"{kind.__name__}: labels for unknown codes"


def test_no_module_outside_codes_defines_an_enumeration():
    offenders = []
    for path, tree in _modules():
        if path.name == "codes.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {getattr(b, "attr", getattr(b, "id", "")) for b in node.bases}
                if bases & {"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag"}:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} class {node.name}")
    assert offenders == [], "define code lists in copro_tracker/codes.py only"


def test_no_module_types_out_a_copy_of_a_code_list():
    """A table keyed by two or more codes of one list, or a collection of all of a list's codes, is a hand copy.

    (A shorter collection of codes is data, e.g. the duties a demo initiative serves.)"""
    values = {kind.__name__: {m.value for m in kind} for kind in CODE_LISTS}
    offenders = []
    for path, tree in _modules():
        if path.name == "codes.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                items, whole_list = node.keys, False
            elif isinstance(node, (ast.Set, ast.List, ast.Tuple)):
                items, whole_list = node.elts, True
            else:
                continue
            literals = {k.value for k in items if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            if len(literals) < 2 or len(literals) != len(items):
                continue
            for name, known in values.items():
                if (literals == known if whole_list else literals <= known) and len(known) > 2:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {sorted(literals)} copies {name}")
    assert offenders == [], "refer to the members of copro_tracker.codes instead"


def test_every_model_enum_column_stores_exactly_a_code_list():
    from copro_tracker import models  # noqa: F401 - registers every table on the metadata
    from copro_tracker.extensions import db

    checked = 0
    for table in db.metadata.tables.values():
        for column in table.columns:
            if isinstance(column.type, sa.Enum):
                kind = column.type.enum_class
                assert kind is not None and kind in CODE_LISTS, f"{table.name}.{column.name} uses {kind}"
                assert list(column.type.enums) == [m.value for m in kind], f"{table.name}.{column.name}"
                checked += 1
    assert checked >= 15


def test_rule_word_tables_cover_their_code_lists():
    assert set(rules.PARTNER_KIND_WORDS) == set(codes.PartnerKind)
    assert set(rules.OUTPUT_WORDS) == set(codes.OutputKind)
    assert set(rules.FORMAT_WORDS) == set(codes.OutputFormat)
    assert set(rules.FUNCTION_WORDS) == set(codes.StatutoryFunction)
    assert set(rules.NEED_WORDS) == set(codes.CommunicationNeed)
    assert set(rules.RUNG_WORDS) == set(codes.LADDER_RUNGS)
    assert set(rules.ACTIVITY_KIND_WORDS) == set(codes.ActivityKind)
    assert set(rules.STAGE_WORDS) == set(codes.StageKind)
    assert set(rules.NEED_FORMATS) <= set(codes.CommunicationNeed)
    for kind, table in ((codes.PartnerKind, rules.PARTNER_KIND_WORDS), (codes.OutputKind, rules.OUTPUT_WORDS)):
        assert all(isinstance(key, kind) for key in table), f"{kind.__name__} words keyed by plain strings"


def test_assessment_statuses_are_finding_statuses_and_ordering_is_one_list():
    assert {s.value for s in codes.AssessmentStatus} == {s.value for s in codes.FindingStatus} - {"needs_attestation"}
    assert set(codes.STATUS_ORDER) == set(codes.FindingStatus)
    assert codes.STATUS_ORDER[0] is codes.FindingStatus.NOT_MET
    assert codes.worst_status(["met", "needs_attestation", "not_applicable"]) is codes.FindingStatus.NEEDS_ATTESTATION
    assert codes.worst_status(["needs_attestation", "partly_met"]) is codes.FindingStatus.PARTLY_MET
    assert codes.worst_status(["not_applicable"]) is None
    assert codes.status_rank(codes.AssessmentStatus.NOT_MET) == codes.status_rank("not_met") == 0


def test_stage_order_covers_every_stage_once():
    assert sorted(codes.STAGE_ORDER) == sorted(codes.StageKind) and len(set(codes.STAGE_ORDER)) == len(codes.StageKind)


def test_snapshot_coded_fields_use_the_code_lists():
    from typing import get_type_hints

    from copro_tracker.criteria import snapshot

    seen = set()
    for name in dir(snapshot):
        cls = getattr(snapshot, name)
        if isinstance(cls, type) and hasattr(cls, "__dataclass_fields__"):
            for hint in get_type_hints(cls, vars(snapshot)).values():
                for part in getattr(hint, "__args__", (hint,)):
                    for inner in getattr(part, "__args__", (part,)):
                        if isinstance(inner, type) and issubclass(inner, enum.Enum):
                            assert inner in CODE_LISTS, f"snapshot.{name} uses {inner}"
                            seen.add(inner)
    assert {codes.ActivityKind, codes.StageKind, codes.Side, codes.OutputFormat} <= seen
