"""Names and consent: pseudonyms, which evidence files may be listed or only counted, file names in
the bundle, and small-number suppression.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace

from ..codes import N_, ConsentLevel
from ..domain.small_numbers import is_small
from .model import SMALL_NUMBER, SUPPRESSED, Cell, EvidenceFile, Person, Report, Section
from .words import ReportText, _

# ---------------------------------------------------------------------------------------------------
# Words come from the labels kept beside the codes (copro_tracker.codes); only the pseudonym prefixes are here.
SIDE_WORDS = {True: N_("Citizen partner"), False: N_("Staff member")}


def _letters(number: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA ..."""
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = string.ascii_uppercase[rest] + out
    return out


def _small(count: int) -> int | str:
    """A count for a breakdown, or "fewer than 5" for 1 to 4 (0 discloses nothing about a person)."""
    return _(SUPPRESSED) if is_small(count, SMALL_NUMBER) else count


def _shown(count: int) -> int | None:
    return None if is_small(count, SMALL_NUMBER) else count


# ---------------------------------------------------------------------------------------------------
# Names and consent


class Names:
    """Every person's name in a report goes through here, so pseudonyms stay stable within it."""

    def __init__(self, people: Mapping[int, Person], anonymise_partners: bool) -> None:
        self.people = people
        self.anonymise_partners = anonymise_partners
        self._given: dict[tuple[str, object], str] = {}
        self._counts: Counter[bool] = Counter()

    def pseudonym(self, key: tuple[str, object], citizen_partner: bool) -> str:
        if key not in self._given:
            self._given[key] = f"{_(SIDE_WORDS[citizen_partner])} {_letters(self._counts[citizen_partner])}"
            self._counts[citizen_partner] += 1
        return self._given[key]

    def person(self, user_id: int | None, *, anonymise: bool = False) -> str:
        if user_id is None:
            return ""
        person = self.people.get(user_id)
        if person is None:
            return _("Someone no longer on record")
        if anonymise or self.hides(person):
            return self.pseudonym(("user", user_id), person.citizen_partner)
        return person.name

    def hides(self, person: Person) -> bool:
        """Whether the report must not name this person: they withdrew consent, or partners are anonymised."""
        return not person.named_use or (self.anonymise_partners and person.citizen_partner)

    def guest(self, name: str, citizen_partner: bool) -> str:
        if self.anonymise_partners and citizen_partner:
            return self.pseudonym(("guest", name), True)
        return _("%(name)s (guest)", name=name)

    def _replacements(self) -> list[tuple[re.Pattern[str], str]]:
        """Each hidden person's full name, then each part of it (three letters or more), with their pseudonym."""
        full, parts = [], []
        for user_id, person in sorted(self.people.items()):
            if not self.hides(person) or not person.name.strip():
                continue
            pseudonym = self.pseudonym(("user", user_id), person.citizen_partner)
            full.append((person.name.strip(), pseudonym))
            parts += [(word, pseudonym) for word in re.split(r"[\s,]+", person.name.strip()) if len(word) >= 3]
        for (kind, name), pseudonym in list(self._given.items()):
            if kind == "guest" and isinstance(name, str) and name.strip():
                full.append((name.strip(), pseudonym))
        ordered = sorted(full, key=lambda item: -len(item[0])) + sorted(parts, key=lambda item: -len(item[0]))
        return [(re.compile(rf"(?<!\w){re.escape(name)}(?!\w)"), pseudonym) for name, pseudonym in ordered]

    def scrub(self, text: str, replacements: list[tuple[re.Pattern[str], str]] | None = None) -> str:
        """Free text (titles, notes, decisions, reasons) with every hidden person's name replaced."""
        original = text
        for pattern, pseudonym in replacements if replacements is not None else self._replacements():
            text = pattern.sub(pseudonym, text)
        return ReportText(text, original.english) if isinstance(original, ReportText) else text

    def scrub_report(self, report: Report) -> Report:
        """The report with hidden people's names replaced in every string it holds (a no-op when nobody is hidden)."""
        replacements = self._replacements()
        if not replacements:
            return report

        def cell(value: Cell) -> Cell:
            return self.scrub(value, replacements) if isinstance(value, str) else value

        def section(item: Section) -> Section:
            return replace(
                item,
                heading=cell(item.heading),
                paragraphs=tuple(cell(p) for p in item.paragraphs),
                tables=tuple(
                    replace(
                        t,
                        caption=cell(t.caption),
                        note=cell(t.note),
                        rows=tuple(tuple(cell(c) for c in r) for r in t.rows),
                    )
                    for t in item.tables
                ),
                charts=tuple(
                    replace(
                        c, title=cell(c.title), summary=cell(c.summary), categories=tuple(cell(x) for x in c.categories)
                    )
                    for c in item.charts
                ),
                subsections=tuple(section(s) for s in item.subsections),
            )

        return replace(
            report,
            title=cell(report.title),
            notes=tuple(cell(n) for n in report.notes),
            sections=tuple(section(s) for s in report.sections),
        )

    def is_partner(self, user_id: int | None) -> bool:
        person = self.people.get(user_id) if user_id is not None else None
        return bool(person and person.citizen_partner)


def usable_evidence(files: Iterable[EvidenceFile]) -> tuple[list[EvidenceFile], int]:
    """(files that may be listed, how many more may only be counted); "do not use" files are dropped."""
    listed, counted = [], 0
    for item in files:
        if item.consent in (ConsentLevel.NAMED, ConsentLevel.ANONYMISED):
            listed.append(item)
        elif item.consent == ConsentLevel.AGGREGATE_ONLY:
            counted += 1
    return listed, counted


def _safe_file_name(name: str) -> str:
    kept = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name).strip(".-")
    return kept[:80] or "file"


def _extension(item: EvidenceFile) -> str:
    stem, dot, ext = item.filename.rpartition(".")
    return f".{_safe_file_name(ext).lower()}" if dot and stem and len(ext) <= 5 else ""


def bundle_file_name(item: EvidenceFile, *, anonymised: bool = False) -> str:
    if item.consent == ConsentLevel.NAMED and not anonymised:
        return f"evidence-{item.id}-{_safe_file_name(item.filename)}"
    return f"evidence-{item.id}{_extension(item)}"
