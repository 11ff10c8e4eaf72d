"""Where a criterion comes from, as shown: only numbers checked against the text in force now, with provenance.

The expected lines follow shared/reference/criteria-catalogue.md §12 ("Locators verified on 2026-11-26").
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from copro_tracker.criteria.citations import cite, framework_checks
from copro_tracker.criteria.framework import Criterion, Library, Locator, default_library

CHECKED = "26 November 2026"
# Criterion id -> the exact lines shown after the source line, as §12 records them.
VERIFIED = {
    "CA-ACT-1": ["Care Act 2014, section 1(3)(b) and (e) — checked against the Act on " + CHECKED],
    "CA-ACT-67": [
        "Care Act 2014, section 67(2), (4) and (5) — checked against the Act on " + CHECKED,
        "Care Act 2014, section 68(3) — checked against a glossary quoting the Act on " + CHECKED,
    ],
    "CA-STG-4.A": ["Care Act 2014, section 5 — checked against a commentary quoting the Act on " + CHECKED],
    "ENG-AIS-1": [
        "NHS England, Accessible Information Standard, standard DCB1605 — checked against NHS England's 2017 "
        "change paper on " + CHECKED
    ],
    "WAL-ACT-5": ["Social Services and Well-being (Wales) Act 2014, section 5 — checked against the Act on " + CHECKED],
    "WAL-ACT-6": [
        "Social Services and Well-being (Wales) Act 2014, section 6(2)(a)-(d) and 6(3)(a)-(b) — checked against "
        "the Act on " + CHECKED
    ],
    "WAL-ACT-16": [
        "Social Services and Well-being (Wales) Act 2014, section 16(1)(b) — checked against the Welsh "
        "Government's law site on " + CHECKED
    ],
    "WAL-REG-16": [
        "Social Enterprise, Co-operative and Third Sector (Wales) Regulations 2015, regulations 3 and 4 — checked "
        "against the regulations on " + CHECKED
    ],
    "WAL-WLS-88-91": [
        "Welsh Language Standards (No. 1) Regulations 2015, Schedule 2, Part 1, standards 88 to 91 — checked "
        "against the regulations on " + CHECKED
    ],
    "NI-ACT-19": [
        "Health and Social Care (Reform) Act (Northern Ireland) 2009, section 19(1) and (2) — checked against "
        "the Act on " + CHECKED
    ],
    "NI-ACT-20": [
        "Health and Social Care (Reform) Act (Northern Ireland) 2009, section 20(1)-(4) — checked against the Act "
        "on " + CHECKED
    ],
    **{
        f"NI-PPI-S{number}": [
            f"Public Health Agency, PPI standards (2015), Standard {number}: {name} — checked against the Public "
            "Health Agency's announcement of the standards on " + CHECKED
        ]
        for number, name in (
            (1, "Leadership"),
            (2, "Governance"),
            (3, "Opportunities and Support for Involvement"),
            (4, "Knowledge and Skills"),
            (5, "Measuring Outcomes"),
        )
    },
}
# A subsection (4(1)), a dotted paragraph (3.2) or a numbered paragraph: never in an unchecked line.
PINPOINT = re.compile(r"\w\(\w|\b\d+\.\d+\b|\bpara(?:graph)?s?\.?\s*\d", re.IGNORECASE)


@pytest.fixture(scope="module")
def library() -> Library:
    return default_library()


def _shown_text(criterion: Criterion) -> list[str]:
    citation = cite(criterion)
    return [*citation.lines, citation.text]


def test_every_displayed_locator_has_verified_provenance(library: Library) -> None:
    for framework in library.frameworks:
        for criterion in framework.criteria:
            citation = cite(criterion)
            by_place = {f"{item.instrument}, {item.locator}": item for item in criterion.locators}
            for ref in citation.checked:
                item = by_place[ref.place]
                assert item.verified and item.current_version, criterion.id
                assert ref.source_url.startswith("https://") and ref.source_url == item.source_url
                assert isinstance(ref.checked_on, date) and ref.version_seen and ref.checked_against
                assert f"checked against {ref.checked_against} on" in ref.text
                assert ref.source_url in citation.text
            # The source line is shown unchecked, so it names an instrument and chapter or section only.
            assert not PINPOINT.search(citation.source), (criterion.id, citation.source)
            for item in criterion.locators:
                if item.locator and not (item.verified and item.current_version):
                    for text in _shown_text(criterion):
                        assert item.locator not in text, (criterion.id, item.locator)
            notice = framework_checks(framework).notice or ""
            for item in criterion.locators:
                if item.locator and not (item.verified and item.current_version):
                    assert item.locator not in notice


def test_catalogue_verifications_are_shown_exactly(library: Library) -> None:
    for criterion_id, lines in VERIFIED.items():
        criterion = library.criterion(criterion_id)
        assert criterion is not None, criterion_id
        assert [r.text for r in cite(criterion).checked] == lines
    others = [c.id for c in library.criteria if cite(c).checked and c.id not in VERIFIED]
    assert others == [], "only locators the catalogue records as verified are shown"


def test_the_three_corrections(library: Library) -> None:
    wal16 = library.criterion("WAL-ACT-16")
    assert wal16 is not None
    assert "section 16(1)(b)" in cite(wal16).text
    assert not re.search(r"16\(1\)(?!\(b\))", " ".join(_shown_text(wal16)))

    ca4 = library.criterion("CA-ACT-4")
    assert ca4 is not None
    shown = " ".join(_shown_text(ca4))
    assert "3.2" not in shown and "4(1)" not in shown and "4(5)" not in shown
    assert "Care Act 2014, section 4 (information and advice)" in cite(ca4).source
    notice = framework_checks(library.framework("care_act_england")).notice  # type: ignore[arg-type]
    assert notice is not None and "3.2" not in notice

    everything = " ".join(line for criterion in library.criteria for line in _shown_text(criterion)) + " ".join(
        framework_checks(f).notice or "" for f in library.frameworks
    )
    assert not re.search(r"\b6\.\d+", everything), "no Care and Support Statutory Guidance chapter 6 paragraph"
    ch6 = library.criterion("CA-STG-6.A")
    assert ch6 is not None and all(item.locator is None for item in ch6.locators)


def test_a_number_verified_only_for_an_older_text_is_not_shown() -> None:
    older = Locator(
        "Care and Support Statutory Guidance",
        "paragraph 3.2",
        verified=True,
        current_version=False,
        version_seen="2014 text",
        checked_on=date(2026, 11, 26),
        checked_against="the 2014 guidance",
        source_url="https://example.org/guidance",
    )
    current = Locator(
        "Care Act 2014",
        "section 4",
        verified=True,
        current_version=True,
        version_seen="as enacted",
        checked_on=date(2026, 11, 26),
        checked_against="the Act",
        source_url="https://example.org/act",
    )
    criterion = Criterion(
        "CA-X-1",
        "t",
        "Care Act 2014; Care and Support Statutory Guidance, chapter 3",
        (older, current),
        "s",
        (),
        False,
        (),
        "S",
    )
    citation = cite(criterion)
    assert citation.lines == (
        "Care Act 2014; Care and Support Statutory Guidance, chapter 3",
        "Care Act 2014, section 4 — checked against the Act on 26 November 2026",
    )
    assert citation.unchecked == 1
    assert citation.text.endswith("(https://example.org/act)")


def test_notice_once_per_framework_says_which_references_are_checked(library: Library) -> None:
    care = framework_checks(library.framework("care_act_england"))  # type: ignore[arg-type]
    shown = sum(len(cite(c).checked) for c in library.framework("care_act_england").criteria)  # type: ignore[union-attr]
    assert care.checked == shown == 5
    assert care.total == sum(len(c.locators) for c in library.framework("care_act_england").criteria)  # type: ignore[union-attr]
    assert care.notice is not None
    assert care.notice.startswith(f"{care.checked} of {care.total} references in this framework have been checked")
    assert "Not yet checked against the original text: CA-STG-2.A," in care.notice
    assert "CA-ACT-1," not in care.notice.split("Not yet checked")[1]
    ni = framework_checks(library.framework("ni_ppi"))  # type: ignore[arg-type]
    assert (ni.checked, ni.total) == (7, 7)
    assert ni.notice is not None and "Not yet checked against the original text:" not in ni.notice
    assert "The wording of NI-PPI-S1, NI-PPI-S2, NI-PPI-S3, NI-PPI-S4, NI-PPI-S5 is from recollection" in ni.notice
    tlap = framework_checks(library.framework("tlap"))  # type: ignore[arg-type]
    assert tlap.total == 0 and tlap.notice is None
