"""The framework library: the real files load, nations select the right frameworks, and each kind of
defect in a file is caught with a message naming the file, the criterion and the problem."""

from __future__ import annotations

import dataclasses
import random
import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from copro_tracker.codes import (
    RULE_TOPICS,
    ActivityKind,
    CriterionTopic,
    MemberRole,
    Nation,
    OutputFormat,
    OutputKind,
    PartnerKind,
    Position,
    ReciprocityKind,
    Response,
    Side,
    SignOffDecision,
    StageKind,
    StageStatus,
    StatutoryFunction,
)
from copro_tracker.criteria.citations import cite
from copro_tracker.criteria.framework import (
    FRAMEWORKS_DIR,
    Framework,
    FrameworkError,
    Library,
    default_library,
    load_frameworks,
)
from copro_tracker.criteria.rules import RULES, Status, evaluate, evaluate_all
from copro_tracker.criteria.snapshot import (
    Activity,
    Attendance,
    Decision,
    InitiativeFacts,
    InitiativeInfo,
    Member,
    MemberPosition,
    Output,
    ReciprocityEntry,
    Recommendation,
    SignOff,
    Stage,
)


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests are pure, so no app and no database."""
    yield


@pytest.fixture(scope="module")
def library() -> Library:
    return load_frameworks()


def ids(frameworks: list[Framework]) -> list[str]:
    return [f.id for f in frameworks]


# ---------------------------------------------------------------------------------------------------
# The real library


def test_real_library_loads_with_expected_frameworks(library: Library) -> None:
    counts = {f.id: len(f.criteria) for f in library.frameworks}
    assert counts == {
        "care_act_england": 13,
        "cqc_la_assessment": 0,
        "cross_cutting": 13,
        "nhs_involvement_england": 16,
        "ni_ppi": 9,
        "scie": 6,
        "scotland_nsce": 7,
        "scotland_sds": 4,
        "sswb_wales": 11,
        "tlap": 3,
        "welsh_language_standards": 3,
    }
    assert default_library() is default_library()
    for framework in library.frameworks:
        assert framework.version and framework.title and framework.source and framework.summary


@pytest.mark.parametrize(
    ("nation", "expected"),
    [
        (
            "england",
            ["care_act_england", "nhs_involvement_england", "cross_cutting", "scie", "tlap", "cqc_la_assessment"],
        ),
        ("wales", ["sswb_wales", "welsh_language_standards", "cross_cutting", "scie", "tlap"]),
        ("scotland", ["scotland_nsce", "scotland_sds", "cross_cutting", "scie", "tlap"]),
        ("northern_ireland", ["ni_ppi", "cross_cutting", "scie", "tlap"]),
    ],
)
def test_for_nation_selects_own_then_cross_nation_then_cqc(library: Library, nation: str, expected: list[str]) -> None:
    assert ids(library.for_nation(nation)) == expected
    assert ids(library.for_nation(Nation(nation))) == expected


def test_for_nation_rejects_unknown_nation(library: Library) -> None:
    with pytest.raises(ValueError):
        library.for_nation("cymru")


def test_catalogue_coverage(library: Library) -> None:
    have = {c.id for c in library.criteria}
    required = {
        # England: co-production definition and prevention, not passive recipients, strengths, I&A plan,
        # market shaping, assessment and communication, advocacy, Accessible Information Standard.
        *("CA-STG-2.A", "CA-STG-2.B", "CA-STG-2.C", "CA-STG-3.A", "CA-STG-4.A", "CA-REG-ASSESS-3"),
        *("CA-STG-6.A", "CA-ACT-67", "ENG-AIS-1"),
        *("WAL-ACT-6", "WAL-ACT-16", "WAL-WLS-88-91", "WAL-WLS-SD", "WAL-MTJW-AO"),
        *(f"WAL-PRIN-{n}" for n in range(1, 6)),
        *(f"NI-PPI-S{n}" for n in range(1, 6)),
        "NI-ACT-19",
        "NI-ACT-20",
        *(f"SCO-NSCE-{n}" for n in range(1, 8)),
        *("TLAP-NCAG-DEF", "TLAP-LADDER", "SCIE-P1", "SCIE-P2", "SCIE-P3", "SCIE-P4"),
        *("X-STAGE", "X-EARLY", "X-POWER", "X-LOOP", "X-ACCESS", "X-LANG", "X-REWARD", "X-PUBLISH", "X-EVAL"),
    }
    assert required <= have
    assert len(library.framework("scotland_nsce").criteria) == 7  # type: ignore[union-attr]


def test_every_rule_is_used_by_some_criterion(library: Library) -> None:
    used = {check.rule for c in library.criteria for check in c.checks}
    assert used == set(RULES)


def test_every_criterion_says_what_it_asks_in_one_of_the_topics(library: Library) -> None:
    """The grouping is defined once: codes.RULE_TOPICS for every automatic rule, the file for the rest."""
    assert set(RULE_TOPICS) == set(RULES) - {"attestation_only"}
    assert library.criterion("X-STAGE").topic is CriterionTopic.DECISIONS  # type: ignore[union-attr]
    assert library.criterion("X-EARLY").topic is CriterionTopic.EARLY  # type: ignore[union-attr]
    assert library.criterion("X-CAPACITY").topic is CriterionTopic.PEOPLE  # type: ignore[union-attr]
    assert {c.topic for c in library.criteria} == set(CriterionTopic)


def test_cqc_framework(library: Library) -> None:
    cqc = library.cqc
    assert cqc is not None
    assert [t.title for t in cqc.themes] == [
        "Working with people",
        "Providing support",
        "Ensuring safety within the system",
        "Leadership",
    ]
    assert [s.id for s in cqc.quality_statements] == [f"CQC-LA-QS{n}" for n in range(1, 10)]
    assert {c.id for c in cqc.evidence_categories if not c.in_use} == {"observation", "outcomes"}
    supporting = {c.id for c in library.criteria_supporting("CQC-LA-QS2", "england")}
    assert {"X-STAGE", "CA-STG-3.A"} <= supporting
    assert library.criteria_supporting("CQC-LA-QS2", "wales") == [
        c for c in library.criteria_for("wales") if "CQC-LA-QS2" in c.cqc_statements
    ]


def test_unconfirmed_locations_are_never_shown(library: Library) -> None:
    for criterion in library.criteria:
        for item in criterion.locators:
            if not (item.verified and item.current_version):
                assert item.locator is None or all(item.locator not in line for line in cite(criterion).lines)
    unconfirmed = {"CA-STG-2.A", "CA-STG-2.B", "CA-STG-3.A", "CA-STG-6.A", "CA-STG-10.A", "WAL-WLS-SD"}
    assert all(not cite(library.criterion(cid)).checked for cid in unconfirmed)  # type: ignore[arg-type]
    # Seen in the research draft but with no date or address recorded: held back until someone checks it.
    assess = library.criterion("CA-REG-ASSESS-3")
    assert assess is not None and assess.locators and not cite(assess).checked


def test_params_are_converted_to_their_types(library: Library) -> None:
    publish = library.criterion("X-PUBLISH")
    assert publish is not None
    kinds = publish.checks[0].kwargs["kinds"]
    assert isinstance(kinds, tuple) and all(isinstance(k, OutputKind) for k in kinds)
    assert hash(publish)


def _rich_facts(nation: str) -> InitiativeFacts:
    members = (
        Member(1, "Asha", "commissioner", "officer", "co_lead", needs_recorded=True, preferred_language="en"),
        Member(
            2,
            "Ben",
            "citizen_partner",
            "draws_on_care",
            "co_lead",
            communication_needs=("easy_read",),
            needs_recorded=True,
            preferred_language="cy",
        ),
        Member(3, "Cai", "citizen_partner", "carer"),
    )
    return InitiativeFacts(
        initiative=InitiativeInfo(1, "Day services", nation, ("prevention", "information_advice"), nhs_partnered=True),
        as_of=date(2025, 6, 1),
        members=members,
        stages=(Stage("design", "complete"), Stage("delivery", "in_progress"), Stage("evaluation")),
        activities=(
            Activity(1, "design", "workshop", date(2025, 1, 10), "Workshop"),
            Activity(2, "delivery", "survey", date(2025, 4, 10), "Survey", on_behalf_of=3),
        ),
        attendance=(Attendance(1, 2, is_citizen_partner=True, contributed=True, rating=6), Attendance(2, 3, "", True)),
        decisions=(Decision(1, 1, date(2025, 1, 10), "Venue", True, "Moved", (MemberPosition(2, "agreed"),)),),
        recommendations=(Recommendation(1, "Evenings", response="accepted", action="Done"),),
        outputs=(
            Output(
                1, "information_advice_plan", "Plan", (2,), published_url="https://x", published_on=date(2025, 5, 1)
            ),
        ),
        reciprocity=(ReciprocityEntry(1, 2, "payment", 1, 2500),),
    )


@pytest.mark.parametrize("nation", [n.value for n in Nation])
def test_every_criterion_evaluates_for_every_nation(library: Library, nation: str) -> None:
    criteria = library.criteria_for(nation)
    for facts in (InitiativeFacts.empty(nation), _rich_facts(nation)):
        findings = evaluate_all(criteria, facts)
        for criterion, finding in zip(criteria, findings, strict=True):
            assert finding == evaluate(criterion, facts), criterion.id
            assert isinstance(finding.status, Status), criterion.id
            assert finding.reasons, f"{criterion.id} gave no reason"


def _random_facts(rng: random.Random) -> InitiativeFacts:
    """A small snapshot with random codes and some dangling ids (user 99, activity 77) the loader might send."""

    def some(make: Callable[[], Any]) -> Any:
        return make() if rng.random() < 0.7 else None

    def day() -> date:
        return date(2025, 1, 1) + timedelta(days=rng.randint(0, 300))

    users = list(range(1, rng.randint(2, 6)))
    anyone = [*users, 99]
    members = tuple(
        Member(
            u,
            f"M{u}",
            rng.choice(list(Side)),
            some(lambda: rng.choice(list(PartnerKind))),
            rng.choice(list(MemberRole)),
            some(day),
            some(day),
            tuple(rng.sample(["easy_read", "large_print"], 1)),
            "",
            rng.random() < 0.5,
            rng.choice(["en", "cy", None]),
        )
        for u in users
    )
    activities = tuple(
        Activity(
            i,
            rng.choice(list(StageKind)),
            rng.choice(list(ActivityKind)),
            day(),
            f"A{i}",
            on_behalf_of=some(lambda: rng.choice(anyone)),
            languages=tuple(rng.sample(["en", "cy"], rng.randint(0, 2))),
        )
        for i in range(rng.randint(0, 6))
    )
    ids = [*(a.id for a in activities), 77]
    return InitiativeFacts(
        initiative=InitiativeInfo(
            1,
            "x",
            rng.choice(list(Nation)),
            tuple(rng.sample(list(StatutoryFunction), 2)),
            rng.random() < 0.7,
            closed=rng.random() < 0.2,
            nhs_partnered=rng.random() < 0.5,
        ),
        as_of=day(),
        members=members,
        stages=tuple(
            Stage(
                k,
                rng.choice(list(StageStatus)),
                signoffs=tuple(
                    SignOff(
                        rng.choice(anyone),
                        rng.choice(list(Side)),
                        rng.choice(list(SignOffDecision)),
                        rng.choice(["", "why"]),
                    )
                    for _ in range(rng.randint(0, 2))
                ),
            )
            for k in rng.sample(list(StageKind), rng.randint(0, 3))
        ),
        activities=activities,
        attendance=tuple(
            Attendance(
                rng.choice(ids),
                some(lambda: rng.choice(anyone)),
                "guest",
                rng.random() < 0.6,
                rng.random() < 0.6,
                tuple(rng.sample(["easy_read", "hearing_loop"], rng.randint(0, 2))),
                ("easy_read",),
                some(lambda: rng.randint(1, 7)),
            )
            for _ in range(rng.randint(0, 10))
        ),
        decisions=tuple(
            Decision(
                i,
                rng.choice(ids),
                day(),
                f"D{i}",
                rng.random() < 0.5,
                rng.choice(["", "how"]),
                tuple(MemberPosition(rng.choice(anyone), rng.choice(list(Position))) for _ in range(rng.randint(0, 3))),
            )
            for i in range(rng.randint(0, 4))
        ),
        recommendations=tuple(
            Recommendation(
                i,
                f"R{i}",
                some(day),
                activity_id=some(lambda: rng.choice(ids)),
                response=some(lambda: rng.choice(list(Response))),
                review_on=some(day),
                reviewed_on=some(day),
            )
            for i in range(rng.randint(0, 3))
        ),
        outputs=tuple(
            Output(
                i,
                rng.choice(list(OutputKind)),
                f"O{i}",
                tuple(rng.sample(anyone, 2)),
                published_url=some(lambda: "u"),
                published_on=some(day),
                formats=tuple(rng.sample(list(OutputFormat), rng.randint(0, 3))),
            )
            for i in range(rng.randint(0, 3))
        ),
        reciprocity=None
        if rng.random() < 0.3
        else tuple(
            ReciprocityEntry(i, rng.choice(anyone), rng.choice(list(ReciprocityKind)), some(lambda: rng.choice(ids)))
            for i in range(rng.randint(0, 4))
        ),
    )


def test_random_snapshots_always_give_a_reasoned_finding(library: Library) -> None:
    rng = random.Random(20250601)  # fixed seed: a failure here always reproduces
    for _ in range(150):
        facts = _random_facts(rng)
        criteria = library.criteria_for(facts.initiative.nation)
        for criterion, finding in zip(criteria, evaluate_all(criteria, facts), strict=True):
            assert finding.reasons and all(r.text.strip() for r in finding.reasons), (criterion.id, facts)


# ---------------------------------------------------------------------------------------------------
# Validation errors: copies of the real files with exactly one defect each


@pytest.fixture
def frameworks_copy(tmp_path: Path) -> Path:
    target = tmp_path / "frameworks"
    shutil.copytree(FRAMEWORKS_DIR, target)
    return target


def _edit(folder: Path, file: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = folder / file
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_FAST_LOADER)
    change(data)
    path.write_text(yaml.dump(data, Dumper=_FAST_DUMPER, sort_keys=False, allow_unicode=True), encoding="utf-8")


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _criterion(data: dict[str, Any], criterion_id: str) -> dict[str, Any]:
    return next(c for c in data["criteria"] if c["id"] == criterion_id)


def _set(criterion_id: str, key: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda data: _criterion(data, criterion_id).__setitem__(key, value)


def _check(criterion_id: str, **values: object) -> Callable[[dict[str, Any]], None]:
    return lambda data: _criterion(data, criterion_id)["checks"][0].update(values)


def _drop(criterion_id: str, key: str) -> Callable[[dict[str, Any]], None]:
    return lambda data: _criterion(data, criterion_id).pop(key)


def _locator(criterion_id: str, **values: object) -> Callable[[dict[str, Any]], None]:
    """Change the criterion's first locator; a None value removes the key."""

    def change(data: dict[str, Any]) -> None:
        item = _criterion(data, criterion_id)["locators"][0]
        for key, value in values.items():
            if value is None:
                item.pop(key, None)
            else:
                item[key] = value

    return change


DEFECTS = [
    ("missing key", "tlap.yaml", _drop("TLAP-LADDER", "summary"), "TLAP-LADDER", "missing required key(s): summary"),
    ("unknown key", "tlap.yaml", _set("TLAP-LADDER", "paragraph", "2.3"), "TLAP-LADDER", "unknown key(s): paragraph"),
    ("empty title", "scie.yaml", _set("SCIE-P1", "title", " "), "SCIE-P1", "'title' must not be empty"),
    ("locators type", "scie.yaml", _set("SCIE-P1", "locators", 2.2), "SCIE-P1", "'locators' must be a list"),
    ("confidence", "scie.yaml", _set("SCIE-P2", "confidence", "X"), "SCIE-P2", "'confidence' must be one of P, S, R"),
    ("confidence list", "scie.yaml", _set("SCIE-P2", "confidence", ["S"]), "SCIE-P2", "'confidence' must be one of P"),
    (
        "verified without a source",
        "ni_ppi.yaml",
        _locator("NI-PPI-S1", source_url=None),
        "NI-PPI-S1",
        "locator 1 (Standard 1: Leadership): is verified but has no 'source_url'",
    ),
    (
        "verified without a date",
        "care_act_england.yaml",
        _locator("CA-ACT-1", checked_on=None),
        "CA-ACT-1",
        "locator 1 (section 1(3)(b) and (e)): is verified but has no 'checked_on'",
    ),
    (
        "verified without the version seen",
        "sswb_wales.yaml",
        _locator("WAL-ACT-5", version_seen=None),
        "WAL-ACT-5",
        "locator 1 (section 5): is verified but has no 'version_seen'",
    ),
    (
        "verified without saying whether the version is current",
        "sswb_wales.yaml",
        _locator("WAL-ACT-5", current_version=None),
        "WAL-ACT-5",
        "locator 1 (section 5): is verified but has no 'current_version'",
    ),
    (
        "current but not verified",
        "nhs_involvement_england.yaml",
        _locator("NHS-ACT-13Q", current_version=True),
        "NHS-ACT-13Q",
        "locator 1 (section 13Q): 'current_version' is true but the locator is not verified",
    ),
    (
        "date that is not a date",
        "sswb_wales.yaml",
        _locator("WAL-ACT-5", checked_on="last week"),
        "WAL-ACT-5",
        "locator 1 (section 5): 'checked_on' must be a date written YYYY-MM-DD",
    ),
    (
        "source that is not an address",
        "sswb_wales.yaml",
        _locator("WAL-ACT-5", source_url="legislation.gov.uk"),
        "WAL-ACT-5",
        "locator 1 (section 5): 'source_url' must be a web address starting https://",
    ),
    (
        "instrument missing from the source line",
        "sswb_wales.yaml",
        _locator("WAL-ACT-5", instrument="Care Act 2014"),
        "WAL-ACT-5",
        "locator 1 (section 5): instrument 'Care Act 2014' is not named in the criterion's 'source'",
    ),
    (
        "subsection in the source line",
        "care_act_england.yaml",
        _set("CA-ACT-4", "source", "Care Act 2014, section 4(5)"),
        "CA-ACT-4",
        "'source' holds a subsection or paragraph number",
    ),
    (
        "dotted paragraph in the source line",
        "care_act_england.yaml",
        _set("CA-STG-6.A", "source", "Care and Support Statutory Guidance, 6.44"),
        "CA-STG-6.A",
        "'source' holds a subsection or paragraph number",
    ),
    (
        "paragraph outside locator",
        "care_act_england.yaml",
        _set("CA-STG-2.A", "source", "Care and Support Statutory Guidance, para 2.22"),
        "CA-STG-2.A",
        "'source' mentions a paragraph number",
    ),
    (
        "attestation flag",
        "scie.yaml",
        _set("SCIE-P4", "needs_attestation", "yes"),
        "SCIE-P4",
        "'needs_attestation' must be true or false",
    ),
    (
        "attestation text missing",
        "scie.yaml",
        _set("SCIE-P4", "needs_attestation", True),
        "SCIE-P4",
        "'attestation' must say what a person confirms",
    ),
    ("no checks", "scie.yaml", _set("SCIE-P4", "checks", []), "SCIE-P4", "'checks' must be a non-empty list"),
    (
        "unknown rule",
        "tlap.yaml",
        _check("TLAP-LADDER", rule="ladder_ratings"),
        "TLAP-LADDER",
        "check 1: unknown rule 'ladder_ratings'",
    ),
    (
        "unknown param",
        "tlap.yaml",
        _check("TLAP-LADDER", params={"min_rungs": 5}),
        "TLAP-LADDER",
        "check 1 (ladder_rating): unknown parameter(s) min_rungs (accepted: min_rung, stages, gap)",
    ),
    (
        "missing param",
        "tlap.yaml",
        _check("TLAP-MIR", params={}),
        "TLAP-MIR",
        "check 1 (attestation_only): missing required parameter(s) what",
    ),
    (
        "param type",
        "cross_cutting.yaml",
        _check("X-PUBLISH", params={"kinds": "plan"}),
        "X-PUBLISH",
        "check 1 (output_published): parameter 'kinds' must be a list of one of plan, strategy",
    ),
    (
        "param code",
        "care_act_england.yaml",
        _check("CA-STG-2.D", params={"kind": "prevention_strategy"}),
        "CA-STG-2.D",
        "check 1 (output_published): parameter 'kind' must be one of plan, strategy,",
    ),
    (
        "param value refused by the rule",
        "tlap.yaml",
        _check("TLAP-LADDER", params={"min_rung": 9}),
        "TLAP-LADDER",
        "check 1 (ladder_rating): min_rung must be a ladder rung from 1 to 7, got 9",
    ),
    (
        "unknown quality statement",
        "scie.yaml",
        _set("SCIE-P3", "cqc_statements", ["CQC-LA-QS1", "CQC-LA-QS99"]),
        "SCIE-P3",
        "unknown CQC quality statement 'CQC-LA-QS99' in cqc_la_assessment.yaml",
    ),
    (
        "unknown related criterion",
        "scie.yaml",
        _set("SCIE-P3", "related", ["X-ACCES"]),
        "SCIE-P3",
        "'related' names unknown criterion 'X-ACCES'",
    ),
    (
        "applies_to",
        "care_act_england.yaml",
        _set("CA-STG-3.A", "applies_to", {"functions": ["info"]}),
        "CA-STG-3.A",
        "'applies_to.functions' must be one of prevention, information_advice, market_shaping",
    ),
    ("bad id", "scie.yaml", _set("SCIE-KF", "id", "scie kf"), "scie kf", "id 'scie kf' must look like X-STAGE"),
    ("unknown topic", "scie.yaml", _set("SCIE-P3", "topic", "access"), "SCIE-P3", "'topic' must be one of"),
    # A criterion checked only by a person has no automatic check to say what it asks: its file must.
    ("no topic", "scie.yaml", _drop("SCIE-KF", "topic"), "SCIE-KF", "'topic' is needed"),
]


@pytest.mark.parametrize(
    ("file", "change", "criterion", "problem"), [d[1:] for d in DEFECTS], ids=[d[0] for d in DEFECTS]
)
def test_defect_is_reported_with_file_criterion_and_problem(
    frameworks_copy: Path, file: str, change: Callable[[dict[str, Any]], None], criterion: str, problem: str
) -> None:
    _edit(frameworks_copy, file, change)
    with pytest.raises(FrameworkError) as caught:
        load_frameworks(frameworks_copy)
    assert f"{file}: criterion {criterion}: {problem}" in str(caught.value)
    assert len(caught.value.problems) == 1, caught.value.problems  # one defect, one line: no knock-on reports


def test_duplicate_criterion_id_across_files(frameworks_copy: Path) -> None:
    def steal(data: dict[str, Any]) -> None:
        data["criteria"][0]["id"] = "X-STAGE"

    _edit(frameworks_copy, "tlap.yaml", steal)
    with pytest.raises(FrameworkError) as caught:
        load_frameworks(frameworks_copy)
    assert "tlap.yaml: criterion X-STAGE: duplicate id: also defined in cross_cutting.yaml" in str(caught.value)


def test_duplicate_framework_id(frameworks_copy: Path) -> None:
    def rename(data: dict[str, Any]) -> None:
        for criterion in data["criteria"]:
            criterion["id"] = criterion["id"].replace("SCIE", "SCIEX")
            criterion.pop("related", None)

    shutil.copy(frameworks_copy / "scie.yaml", frameworks_copy / "scie_copy.yaml")
    _edit(frameworks_copy, "scie_copy.yaml", rename)
    with pytest.raises(FrameworkError) as caught:
        load_frameworks(frameworks_copy)
    assert str(caught.value) == "scie_copy.yaml: framework id 'scie' is also used in scie.yaml"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.__setitem__("nations", ["cymru"]), "'nations' must list some of all, england"),
        (lambda d: d.__setitem__("nations", ["all", "wales"]), "'nations' cannot combine 'all'"),
        (lambda d: d.__setitem__("version", 0.1), "'version' must be text (put it in quotes)"),
        (lambda d: d.pop("source"), "the framework is missing required key(s): source"),
        (lambda d: d.__setitem__("criteria", []), "'criteria' must not be empty"),
    ],
    ids=["nation", "all plus nation", "version", "missing key", "no criteria"],
)
def test_framework_level_defects(frameworks_copy: Path, change: Callable[[dict[str, Any]], None], problem: str) -> None:
    _edit(frameworks_copy, "tlap.yaml", change)
    with pytest.raises(FrameworkError) as caught:
        load_frameworks(frameworks_copy)
    assert f"tlap.yaml: {problem}" in str(caught.value)


def test_invalid_yaml_and_repeated_keys(frameworks_copy: Path) -> None:
    (frameworks_copy / "broken.yaml").write_text("id: broken\ncriteria: [\n", encoding="utf-8")
    path = frameworks_copy / "tlap.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("locators: []", "locators: []\n    locators: []", 1))
    with pytest.raises(FrameworkError) as caught:
        load_frameworks(frameworks_copy)
    message = str(caught.value)
    assert "broken.yaml: not valid YAML" in message
    assert "tlap.yaml: not valid YAML: the key 'locators' appears twice in one mapping" in message
    assert len(caught.value.problems) >= 2  # every problem is reported, not just the first


def test_missing_cqc_file_is_named(frameworks_copy: Path) -> None:
    (frameworks_copy / "cqc_la_assessment.yaml").unlink()
    with pytest.raises(FrameworkError) as caught:
        load_frameworks(frameworks_copy)
    assert "criterion X-STAGE: unknown CQC quality statement 'CQC-LA-QS2' (no CQC framework file was found)" in str(
        caught.value
    )


def test_cqc_evidence_category_must_exist(frameworks_copy: Path) -> None:
    def typo(data: dict[str, Any]) -> None:
        data["themes"][0]["quality_statements"][0]["likely_evidence"] = ["peoples_experiences"]

    _edit(frameworks_copy, "cqc_la_assessment.yaml", typo)
    with pytest.raises(FrameworkError, match="CQC-LA-QS1: unknown evidence category 'peoples_experiences'"):
        load_frameworks(frameworks_copy)


def test_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match="no framework files"):
        load_frameworks(tmp_path)


def test_welsh_texts_sit_beside_the_english_and_are_chosen_by_language(tmp_path) -> None:
    from copro_tracker.criteria.framework import FrameworkError, load_frameworks

    library = load_frameworks()
    criterion = library.criterion("WAL-PRIN-1")
    assert criterion.text("title", "cy") == "Egwyddor: llais a rheolaeth"
    assert criterion.text("title", "en") == "Principle: voice and control"
    # Every criterion has its Welsh now (tests/i18n/test_framework_welsh.py); one without falls back to English.
    english_only = dataclasses.replace(criterion, cy=())
    assert english_only.text("summary", "cy") == english_only.summary

    source = (FRAMEWORKS_DIR / "tlap.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "frameworks"
    bad.mkdir()
    (bad / "tlap.yaml").write_text(source.replace('      title: "Ysgol', '      tagline: "Ysgol', 1), encoding="utf-8")
    with pytest.raises(FrameworkError, match="'cy' has unknown key"):
        load_frameworks(bad)
