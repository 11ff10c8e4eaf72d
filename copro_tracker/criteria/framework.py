"""The framework library: every ``frameworks/*.yaml`` file, loaded and validated as a whole.

A library that loads is one the app can trust: each file has the expected shape, framework and criterion
ids are unique across all files, every check names a registered rule with parameters its signature
accepts (and runs cleanly on an empty initiative), every CQC quality statement referred to exists, no
paragraph or subsection number appears anywhere but a criterion's ``locators``, and every locator marked
verified says what was read, where (the address of the official text) and when. Any problem raises
``FrameworkError``; each line of its message reads ``<file>: criterion <ID>: <problem>`` so whoever edits
the YAML can go straight to it.
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import yaml

from ..codes import RULE_TOPICS, CriterionTopic, Nation, StatutoryFunction
from ..domain.messages import Text
from .rules import RULES, AppliesTo
from .snapshot import InitiativeFacts

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"
ALL_NATIONS = "all"
NATIONS = frozenset({n.value for n in Nation} | {ALL_NATIONS})
# The research catalogue's confidence tags (shared/reference/criteria-catalogue.md §0).
CONFIDENCE = {
    "P": "Checked against the primary text (legislation or the regulator's own pages).",
    "S": "Taken from a reliable secondary source; wording is reliable, exact locations may not be.",
    "R": "From recollection, not yet verified: must be checked before it is relied on.",
}
_FRAMEWORK_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_CRITERION_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9][A-Za-z0-9.]*)+$")
_PARAGRAPH = re.compile(r"\bpara(?:graph)?s?\.?\s*\d", re.IGNORECASE)
# A subsection such as 4(5) or a dotted paragraph such as 3.2: what a ``source`` line must never carry,
# because it is shown whether or not anyone has checked it.
_PINPOINT = re.compile(r"\w\(\w|\b\d+\.\d+\b")
_ADDRESS = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


class FrameworkError(ValueError):
    """One or more problems in the framework files; ``problems`` holds one line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class Check:
    rule: str
    # Pairs rather than a dict so criteria stay hashable; values are already converted to their types.
    params: tuple[tuple[str, object], ...] = ()

    @property
    def kwargs(self) -> dict[str, object]:
        return dict(self.params)


@dataclass(frozen=True, slots=True)
class Locator:
    """An exact place in an instrument (section, regulation, paragraph, standard) and how it was checked.

    Whether it is shown is decided in one place, ``citations.cite``: only a locator verified against the
    version now in force. The others are kept so the library knows what is still to be checked.
    """

    instrument: str
    # None when not even a candidate number is known (the wording was seen without one).
    locator: str | None
    verified: bool
    # True when the version seen is the one in force now; a number confirmed only for an older text
    # (for example the 2014 guidance) is verified but not current, and is not shown.
    current_version: bool = False
    version_seen: str | None = None
    checked_on: date | None = None
    # What was read, in words that finish "checked against ...", for example "the Act".
    checked_against: str | None = None
    source_url: str | None = None
    note: str | None = None


def welsh_or_english(item: object, name: str, language: str) -> str | None:
    """The item's `name` text in `language`: the Welsh text when asked for and written, else the English."""
    if language == "cy":
        welsh = dict(getattr(item, "cy", ())).get(name)
        if welsh:
            return welsh
    return getattr(item, name)


def has_welsh(item: object, name: str) -> bool:
    return bool(dict(getattr(item, "cy", ())).get(name))


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    title: str
    # The instrument(s) and chapter or section: always shown, so never a paragraph or subsection number.
    source: str
    locators: tuple[Locator, ...]
    summary: str
    checks: tuple[Check, ...]
    needs_attestation: bool
    cqc_statements: tuple[str, ...]
    confidence: str
    # What a person must confirm, in plain English; set exactly when needs_attestation is True.
    attestation: str | None = None
    applies_to: AppliesTo | None = None
    related: tuple[str, ...] = ()
    framework_id: str = ""
    # The Welsh texts beside the English ones (the YAML's `cy:` mapping): title, summary, attestation.
    cy: tuple[tuple[str, str], ...] = ()
    # What it asks, in plain words (codes.CriterionTopic): pages group criteria by this, the code comes second.
    topic: CriterionTopic = CriterionTopic.DECISIONS

    def text(self, name: str, language: str = "en") -> str | None:
        return welsh_or_english(self, name, language)


@dataclass(frozen=True, slots=True)
class QualityStatement:
    id: str
    title: str
    theme_id: str
    summary: str
    confidence: str
    # Our proposal, not CQC's: the per-statement evidence lists were not available to the research.
    likely_evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CqcTheme:
    id: str
    title: str
    statement_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EvidenceCategory:
    id: str
    title: str
    in_use: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class CqcFramework:
    themes: tuple[CqcTheme, ...]
    quality_statements: tuple[QualityStatement, ...]
    evidence_categories: tuple[EvidenceCategory, ...]

    def statement(self, statement_id: str) -> QualityStatement | None:
        return next((s for s in self.quality_statements if s.id == statement_id), None)


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    title: str
    version: str
    nations: tuple[str, ...]
    source: str
    criteria: tuple[Criterion, ...]
    summary: str = ""
    file: str = ""
    cqc: CqcFramework | None = None
    cy: tuple[tuple[str, str], ...] = ()

    def text(self, name: str, language: str = "en") -> str | None:
        return welsh_or_english(self, name, language)

    @property
    def cross_nation(self) -> bool:
        return ALL_NATIONS in self.nations


@dataclass(frozen=True)
class Library:
    frameworks: tuple[Framework, ...]

    @cached_property
    def _criteria(self) -> dict[str, Criterion]:
        return {c.id: c for f in self.frameworks for c in f.criteria}

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(self._criteria.values())

    @property
    def cqc(self) -> CqcFramework | None:
        return next((f.cqc for f in self.frameworks if f.cqc is not None), None)

    def framework(self, framework_id: str) -> Framework | None:
        return next((f for f in self.frameworks if f.id == framework_id), None)

    def criterion(self, criterion_id: str) -> Criterion | None:
        return self._criteria.get(criterion_id)

    def for_nation(self, nation: Nation | str) -> list[Framework]:
        """The frameworks an organisation in ``nation`` is checked against.

        Its own nation's frameworks first, then the cross-nation ones, then the CQC assessment (whose
        file applies to England only, so it appears for England alone).
        """
        chosen = Nation(nation).value
        own = [f for f in self.frameworks if chosen in f.nations and f.cqc is None]
        cross = [f for f in self.frameworks if f.cross_nation and f.cqc is None]
        cqc = [f for f in self.frameworks if f.cqc is not None and (chosen in f.nations or f.cross_nation)]
        return own + cross + cqc

    def checked_for(self, nation: Nation | str) -> list[Framework]:
        """The frameworks with criteria an initiative in ``nation`` is checked against, in ``for_nation`` order.

        The criteria page, the coverage matrix and every report list exactly these.
        """
        return [f for f in self.for_nation(nation) if f.criteria]

    def cqc_for(self, nation: Nation | str) -> Framework | None:
        """The CQC assessment framework that applies in ``nation`` (England only), if any."""
        return next((f for f in self.for_nation(nation) if f.cqc is not None), None)

    def criteria_for(self, nation: Nation | str) -> list[Criterion]:
        return [c for f in self.checked_for(nation) for c in f.criteria]

    def criteria_supporting(self, statement_id: str, nation: Nation | str | None = None) -> list[Criterion]:
        """Criteria whose evidence supports a CQC quality statement (for the per-statement report)."""
        pool = self.criteria_for(nation) if nation is not None else list(self.criteria)
        return [c for c in pool if statement_id in c.cqc_statements]


def load_frameworks(directory: Path | None = None) -> Library:
    """Read and validate every ``*.yaml`` in ``directory`` (default: the packaged frameworks)."""
    folder = directory or FRAMEWORKS_DIR
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise FrameworkError([f"{folder}: no framework files (*.yaml) found"])
    loader = _Loader()
    frameworks = [f for path in paths if (f := loader.load_file(path)) is not None]
    loader.check_library(frameworks)
    if loader.problems:
        raise FrameworkError(loader.problems)
    return Library(tuple(frameworks))


@cache
def default_library() -> Library:
    """The packaged library, loaded and validated once per process (call it at start-up)."""
    return load_frameworks()


# ---------------------------------------------------------------------------------------------------
# YAML reading


# libyaml's parser is several times faster than the pure-Python one; both build with SafeConstructor.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe loader that rejects a key repeated in one mapping, which plain YAML silently lets win."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice in one mapping", key_node.start_mark
            )
        seen.add(key)
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Invalid(Exception):
    """A problem with one value; the caller knows which file and criterion it belongs to."""


_FRAMEWORK_KEYS = {"id", "title", "version", "nations", "source", "criteria"}
_FRAMEWORK_OPTIONAL = {"summary", "themes", "evidence_categories", "cy"}
_CRITERION_KEYS = {
    "id",
    "title",
    "source",
    "locators",
    "summary",
    "checks",
    "needs_attestation",
    "cqc_statements",
    "confidence",
}
_CRITERION_OPTIONAL = {"attestation", "applies_to", "related", "cy", "topic"}
# What the Welsh (`cy:`) mapping may hold: the texts people read, each beside its English original.
_WELSH_KEYS = {"title", "summary", "attestation"}


def _welsh(data: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """The `cy:` mapping: Welsh texts for keys the item has in English, each a non-empty string."""
    raw = data.get("cy")
    if raw is None:
        return ()
    welsh = _mapping(raw, "'cy'")
    unknown = sorted(str(k) for k in welsh.keys() - _WELSH_KEYS)
    if unknown:
        raise _Invalid(f"'cy' has unknown key(s): {', '.join(unknown)} (allowed: {', '.join(sorted(_WELSH_KEYS))})")
    for key, value in welsh.items():
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(f"'cy.{key}' must be non-empty text")
        if data.get(key) is None:
            raise _Invalid(f"'cy.{key}' is given but there is no English '{key}' beside it")
    # Folded like the English (YAML ">-" blocks), kept as sorted pairs so criteria stay hashable.
    return tuple(sorted((str(k), " ".join(str(v).split())) for k, v in welsh.items()))


def _welsh_params(data: Mapping[str, object], params: dict[str, object], where: str) -> list[tuple[str, object]]:
    """A check's `cy:` mapping: the Welsh beside each text parameter a person reads (for example `what`)."""
    raw = data.get("cy")
    if raw is None:
        return list(params.items())
    welsh = _mapping(raw, f"{where}: 'cy'")
    for key, value in welsh.items():
        if not isinstance(params.get(key), Text):
            raise _Invalid(f"{where}: 'cy.{key}' is not a text parameter of this check")
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(f"{where}: 'cy.{key}' must be non-empty text")
        params[key] = Text(params[key].en, " ".join(value.split()))  # type: ignore[union-attr]
    return list(params.items())


def _keys(data: Mapping[str, object], required: set[str], optional: set[str], what: str) -> None:
    missing = sorted(required - data.keys())
    if missing:
        raise _Invalid(f"{what + ' is ' if what else ''}missing required key(s): {', '.join(missing)}")
    unknown = sorted(str(k) for k in data.keys() - required - optional)
    if unknown:
        raise _Invalid(f"{what + ' has ' if what else ''}unknown key(s): {', '.join(unknown)}")


def _topic(data: Mapping[str, object], checks: Sequence[Check]) -> CriterionTopic:
    """The criterion's own 'topic', or else the topic of its first automatic check (codes.RULE_TOPICS)."""
    named = data.get("topic")
    if named is not None:
        if named not in set(CriterionTopic):
            raise _Invalid(f"'topic' must be one of {', '.join(CriterionTopic)}; got {named!r}")
        return CriterionTopic(named)
    for check in checks:
        if check.rule in RULE_TOPICS:
            return RULE_TOPICS[check.rule]
    raise _Invalid(f"'topic' is needed: no check says what it asks (one of {', '.join(CriterionTopic)})")


def _text(data: Mapping[str, object], key: str, optional: bool = False) -> str | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        hint = " (put it in quotes)" if isinstance(value, int | float) or hasattr(value, "isoformat") else ""
        raise _Invalid(f"'{key}' must be text{hint}, not {type(value).__name__}")
    if not value.strip():
        raise _Invalid(f"'{key}' must not be empty")
    return " ".join(value.split())


def _strings(data: Mapping[str, object], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _Invalid(f"'{key}' must be a list of text values")
    if len(set(value)) != len(value):
        raise _Invalid(f"'{key}' lists the same value twice")
    return tuple(value)


def _mapping(value: object, what: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise _Invalid(f"{what} must be a mapping of keys to values")
    return value


# ---------------------------------------------------------------------------------------------------
# Parameter types, read from the rule's signature


def _describe(hint: object) -> str:
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return "one of " + ", ".join(m.value for m in hint)
    if get_origin(hint) is tuple:
        return f"a list of {_describe(get_args(hint)[0])}"
    if get_origin(hint) in (Union, types.UnionType):
        return " or ".join("null" if a is type(None) else _describe(a) for a in get_args(hint))
    words: dict[object, str] = {
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        str: "text",
        Text: "text",
    }
    return words.get(hint, str(hint))


def _coerce(value: object, hint: object) -> object:
    """Check a YAML value against a rule's annotation and convert it (lists to tuples, codes to enums)."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if value is None and len(options) < len(get_args(hint)):
            return None
        for option in options:
            try:
                return _coerce(value, option)
            except _Invalid:
                continue
        raise _Invalid(f"must be {_describe(hint)}; got {value!r}")
    if origin is tuple:
        item = get_args(hint)[0]
        if not isinstance(value, list):
            raise _Invalid(f"must be {_describe(hint)}; got {value!r}")
        return tuple(_coerce(v, item) for v in value)
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        if isinstance(value, str) and value in {m.value for m in hint}:
            return hint(value)
    elif hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif hint is str:
        if isinstance(value, str):
            return value
    elif hint is Text:
        if isinstance(value, str):
            return Text(" ".join(value.split()))
    else:
        raise TypeError(f"rule parameters of type {hint!r} are not supported by the framework loader")
    raise _Invalid(f"must be {_describe(hint)}; got {value!r}")


@cache
def _rule_parameters(rule_name: str) -> dict[str, tuple[object, bool]]:
    """Parameter name -> (type, required) for a registered rule, excluding ``facts``."""
    function = RULES[rule_name]
    hints = get_type_hints(function)
    parameters = list(inspect.signature(function).parameters.values())[1:]
    return {p.name: (hints[p.name], p.default is inspect.Parameter.empty) for p in parameters}


# ---------------------------------------------------------------------------------------------------
# Validation


class _Loader:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.rejected: set[str] = set()

    def problem(self, file: str, criterion: str | None, text: str) -> None:
        self.problems.append(f"{file}: criterion {criterion}: {text}" if criterion else f"{file}: {text}")

    def load_file(self, path: Path) -> Framework | None:
        file = path.name
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader)
        except yaml.YAMLError as exc:
            self.problem(file, None, f"not valid YAML: {' '.join(str(exc).split())}")
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(file, None, f"cannot be read: {exc}")
            return None
        try:
            data = _mapping(data, "the file")
            _keys(data, _FRAMEWORK_KEYS, _FRAMEWORK_OPTIONAL, "the framework")
            framework_id = _text(data, "id")
            assert framework_id is not None
            if not _FRAMEWORK_ID.match(framework_id):
                raise _Invalid(f"framework id {framework_id!r} must be lower_snake_case")
            nations = _strings(data, "nations")
            bad = [n for n in nations if n not in NATIONS]
            if bad or not nations:
                raise _Invalid(f"'nations' must list some of {', '.join(sorted(NATIONS))}; got {list(nations)}")
            if ALL_NATIONS in nations and len(nations) > 1:
                raise _Invalid("'nations' cannot combine 'all' with named nations")
            title, version, source = _text(data, "title"), _text(data, "version"), _text(data, "source")
            summary = _text(data, "summary", optional=True) or ""
            welsh = _welsh(data)
            cqc = self._cqc(data)
            raw_criteria = data["criteria"]
            if not isinstance(raw_criteria, list):
                raise _Invalid("'criteria' must be a list")
            if not raw_criteria and cqc is None:
                raise _Invalid("'criteria' must not be empty")
        except _Invalid as exc:
            self.problem(file, None, str(exc))
            return None
        assert title is not None and version is not None and source is not None
        nation_for_dry_run = Nation.ENGLAND if ALL_NATIONS in nations else Nation(nations[0])
        criteria = []
        for index, raw in enumerate(raw_criteria, start=1):
            criterion = self._criterion(file, index, raw, framework_id, nation_for_dry_run)
            if criterion is not None:
                criteria.append(criterion)
        return Framework(framework_id, title, version, nations, source, tuple(criteria), summary, file, cqc, welsh)

    def _criterion(self, file: str, index: int, raw: object, framework_id: str, nation: Nation) -> Criterion | None:
        label = f"#{index}"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            label = raw["id"]
        try:
            data = _mapping(raw, "a criterion")
            _keys(data, _CRITERION_KEYS, _CRITERION_OPTIONAL, "")
            criterion_id = _text(data, "id")
            assert criterion_id is not None
            if not _CRITERION_ID.match(criterion_id):
                raise _Invalid(f"id {criterion_id!r} must look like X-STAGE or CA-STG-2.A (capitals, hyphens)")
            title, source, summary = _text(data, "title"), _text(data, "source"), _text(data, "summary")
            confidence = data["confidence"]
            if not isinstance(confidence, str) or confidence not in CONFIDENCE:
                raise _Invalid(f"'confidence' must be one of {', '.join(CONFIDENCE)}; got {confidence!r}")
            needs_attestation = data["needs_attestation"]
            if not isinstance(needs_attestation, bool):
                raise _Invalid("'needs_attestation' must be true or false")
            attestation = _text(data, "attestation", optional=True)
            if needs_attestation and attestation is None:
                raise _Invalid("'attestation' must say what a person confirms when needs_attestation is true")
            if attestation is not None and not needs_attestation:
                raise _Invalid("'attestation' is given but needs_attestation is false")
            for key, text in (("title", title), ("source", source), ("summary", summary), ("attestation", attestation)):
                if text and _PARAGRAPH.search(text):
                    raise _Invalid(f"'{key}' mentions a paragraph number; only 'locators' may hold one")
            assert source is not None
            if _PINPOINT.search(source):
                raise _Invalid(
                    "'source' holds a subsection or paragraph number; put it in 'locators' with its provenance"
                )
            locators = _locators(data["locators"], source)
            checks = self._checks(data["checks"], nation)
            cqc_statements = _strings(data, "cqc_statements")
            related = _strings(data, "related")
            applies_to = self._applies_to(data.get("applies_to"))
            welsh = _welsh(data)
            topic = _topic(data, checks)
        except _Invalid as exc:
            self.problem(file, label, str(exc))
            # Remembered so that criteria pointing at this one are not reported as well: one defect, one line.
            self.rejected.add(label)
            return None
        assert title is not None and source is not None and summary is not None
        return Criterion(
            id=criterion_id,
            title=title,
            source=source,
            locators=locators,
            summary=summary,
            checks=checks,
            needs_attestation=needs_attestation,
            cqc_statements=cqc_statements,
            confidence=confidence,
            attestation=attestation,
            applies_to=applies_to,
            related=related,
            framework_id=framework_id,
            cy=welsh,
            topic=topic,
        )

    def _checks(self, raw: object, nation: Nation) -> tuple[Check, ...]:
        if not isinstance(raw, list) or not raw:
            raise _Invalid("'checks' must be a non-empty list (use the attestation_only rule for a human check)")
        checks = []
        empty = InitiativeFacts.empty(nation)
        for number, item in enumerate(raw, start=1):
            data = _mapping(item, f"check {number}")
            _keys(data, {"rule"}, {"params", "cy"}, f"check {number}")
            name = data["rule"]
            if not isinstance(name, str) or name not in RULES:
                raise _Invalid(f"check {number}: unknown rule {name!r} (known rules: {', '.join(sorted(RULES))})")
            where = f"check {number} ({name})"
            params = _mapping(data.get("params") or {}, f"{where}: 'params'")
            accepted = _rule_parameters(name)
            unknown = sorted(str(k) for k in params.keys() - accepted.keys())
            if unknown:
                allowed = ", ".join(accepted) or "none"
                raise _Invalid(f"{where}: unknown parameter(s) {', '.join(unknown)} (accepted: {allowed})")
            missing = sorted(p for p, (_, required) in accepted.items() if required and p not in params)
            if missing:
                raise _Invalid(f"{where}: missing required parameter(s) {', '.join(missing)}")
            converted: list[tuple[str, object]] = []
            for key, value in params.items():
                try:
                    converted.append((key, _coerce(value, accepted[key][0])))
                except _Invalid as exc:
                    raise _Invalid(f"{where}: parameter '{key}' {exc}") from None
            converted = _welsh_params(data, dict(converted), where)
            check = Check(name, tuple(converted))
            try:
                RULES[name](empty, **check.kwargs)
            except ValueError as exc:
                raise _Invalid(f"{where}: {exc}") from None
            checks.append(check)
        return tuple(checks)

    def _applies_to(self, raw: object) -> AppliesTo | None:
        if raw is None:
            return None
        data = _mapping(raw, "'applies_to'")
        _keys(data, set(), {"functions", "collective", "nhs_partnered"}, "'applies_to'")
        if not data:
            raise _Invalid("'applies_to' is empty; leave it out to apply to every initiative")
        values: dict[str, Any] = {}
        for key, hint, default in (
            ("functions", tuple[StatutoryFunction, ...], []),
            ("collective", bool | None, None),
            ("nhs_partnered", bool | None, None),
        ):
            try:
                values[key] = _coerce(data.get(key, default), hint)
            except _Invalid as exc:
                raise _Invalid(f"'applies_to.{key}' {exc}") from None
        return AppliesTo(**values)

    def _cqc(self, data: Mapping[str, object]) -> CqcFramework | None:
        if "themes" not in data and "evidence_categories" not in data:
            return None
        if "themes" not in data or "evidence_categories" not in data:
            raise _Invalid("a CQC framework needs both 'themes' and 'evidence_categories'")
        categories = []
        for item in _list(data["evidence_categories"], "'evidence_categories'"):
            entry = _mapping(item, "an evidence category")
            _keys(entry, {"id", "title", "in_use"}, {"note"}, "an evidence category")
            if not isinstance(entry["in_use"], bool):
                raise _Invalid("evidence category 'in_use' must be true or false")
            categories.append(
                EvidenceCategory(
                    _text(entry, "id") or "",
                    _text(entry, "title") or "",
                    entry["in_use"],
                    _text(entry, "note", optional=True) or "",
                )
            )
        category_ids = {c.id for c in categories}
        themes, statements = [], []
        for item in _list(data["themes"], "'themes'"):
            theme = _mapping(item, "a theme")
            _keys(theme, {"id", "title", "quality_statements"}, set(), "a theme")
            theme_id = _text(theme, "id") or ""
            ids = []
            for raw in _list(theme["quality_statements"], "'quality_statements'"):
                entry = _mapping(raw, "a quality statement")
                _keys(entry, {"id", "title", "summary", "confidence"}, {"likely_evidence"}, "a quality statement")
                statement_id = _text(entry, "id") or ""
                if not isinstance(entry["confidence"], str) or entry["confidence"] not in CONFIDENCE:
                    raise _Invalid(f"quality statement {statement_id}: 'confidence' must be one of P, S, R")
                likely = _strings(entry, "likely_evidence")
                unknown = [c for c in likely if c not in category_ids]
                if unknown:
                    raise _Invalid(f"quality statement {statement_id}: unknown evidence category {unknown[0]!r}")
                statements.append(
                    QualityStatement(
                        statement_id,
                        _text(entry, "title") or "",
                        theme_id,
                        _text(entry, "summary") or "",
                        entry["confidence"],
                        likely,
                    )
                )
                ids.append(statement_id)
            themes.append(CqcTheme(theme_id, _text(theme, "title") or "", tuple(ids)))
        all_ids = [s.id for s in statements]
        if len(set(all_ids)) != len(all_ids):
            raise _Invalid("a quality statement id is used twice")
        return CqcFramework(tuple(themes), tuple(statements), tuple(categories))

    def check_library(self, frameworks: list[Framework]) -> None:
        seen_frameworks: dict[str, str] = {}
        seen_criteria: dict[str, str] = {}
        for framework in frameworks:
            if framework.id in seen_frameworks:
                self.problem(
                    framework.file,
                    None,
                    f"framework id {framework.id!r} is also used in {seen_frameworks[framework.id]}",
                )
            seen_frameworks.setdefault(framework.id, framework.file)
            for criterion in framework.criteria:
                if criterion.id in seen_criteria:
                    self.problem(
                        framework.file, criterion.id, f"duplicate id: also defined in {seen_criteria[criterion.id]}"
                    )
                seen_criteria.setdefault(criterion.id, framework.file)
        cqc_files = [f for f in frameworks if f.cqc is not None]
        if len(cqc_files) > 1:
            self.problem(cqc_files[1].file, None, f"only one file may define CQC themes; {cqc_files[0].file} does")
        statements = {s.id for s in cqc_files[0].cqc.quality_statements} if cqc_files and cqc_files[0].cqc else set()
        for framework in frameworks:
            for criterion in framework.criteria:
                for statement in criterion.cqc_statements:
                    if statement not in statements:
                        where = f" in {cqc_files[0].file}" if cqc_files else " (no CQC framework file was found)"
                        self.problem(
                            framework.file, criterion.id, f"unknown CQC quality statement {statement!r}{where}"
                        )
                for other in criterion.related:
                    if other == criterion.id or (other not in seen_criteria and other not in self.rejected):
                        self.problem(framework.file, criterion.id, f"'related' names unknown criterion {other!r}")


_LOCATOR_KEYS = {"instrument", "verified"}
_LOCATOR_OPTIONAL = {
    "locator",
    "current_version",
    "version_seen",
    "checked_on",
    "checked_against",
    "source_url",
    "note",
}
# What a verified locator must also say: without them nobody can repeat the check.
_PROVENANCE = (
    ("source_url", "the address of the official text it was checked against"),
    ("checked_on", "the date it was checked"),
    ("version_seen", "which version of the text was seen"),
    ("checked_against", "what was read, in words that finish 'checked against ...'"),
    ("current_version", "whether that version is the one in force now (true or false)"),
)


def _locators(raw: object, source: str) -> tuple[Locator, ...]:
    if not isinstance(raw, list):
        raise _Invalid("'locators' must be a list (use [] when the criterion cites no exact place)")
    locators = []
    for number, item in enumerate(raw, start=1):
        data = _mapping(item, f"locator {number}")
        where = f"locator {number}"
        if isinstance(data.get("locator"), str):
            where += f" ({data['locator']})"
        _keys(data, _LOCATOR_KEYS, _LOCATOR_OPTIONAL, where)
        try:
            instrument = _text(data, "instrument")
            assert instrument is not None
            locator = _text(data, "locator", optional=True)
            verified = data["verified"]
            if not isinstance(verified, bool):
                raise _Invalid("'verified' must be true or false")
            current = data.get("current_version", False)
            if not isinstance(current, bool):
                raise _Invalid("'current_version' must be true or false")
            checked_on = data.get("checked_on")
            if checked_on is not None and (not isinstance(checked_on, date) or hasattr(checked_on, "hour")):
                raise _Invalid(f"'checked_on' must be a date written YYYY-MM-DD; got {checked_on!r}")
            address = _text(data, "source_url", optional=True)
            if address is not None and not _ADDRESS.match(address):
                raise _Invalid(f"'source_url' must be a web address starting https://; got {address!r}")
            version_seen = _text(data, "version_seen", optional=True)
            checked_against = _text(data, "checked_against", optional=True)
            note = _text(data, "note", optional=True)
        except _Invalid as exc:
            raise _Invalid(f"{where}: {exc}") from None
        if verified:
            if locator is None:
                raise _Invalid(f"{where}: is verified but has no 'locator': say which section or paragraph")
            for key, meaning in _PROVENANCE:
                if data.get(key) is None:
                    raise _Invalid(f"{where}: is verified but has no '{key}' ({meaning})")
        elif current:
            raise _Invalid(f"{where}: 'current_version' is true but the locator is not verified")
        if instrument not in source:
            # Hidden locators fall back to the source line, which must therefore name the instrument.
            raise _Invalid(f"{where}: instrument {instrument!r} is not named in the criterion's 'source'")
        locators.append(
            Locator(instrument, locator, verified, current, version_seen, checked_on, checked_against, address, note)
        )
    return tuple(locators)


def _list(value: object, what: str) -> list[object]:
    if not isinstance(value, list) or not value:
        raise _Invalid(f"{what} must be a non-empty list")
    return value
