"""Names and consent: pseudonyms, which evidence files may be listed or only counted, file names in
the bundle, and small-number suppression.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable, Mapping

from ..codes import ConsentLevel
from .model import SMALL_NUMBER, SUPPRESSED, EvidenceFile, Person

# ---------------------------------------------------------------------------------------------------
# Words come from the labels kept beside the codes (copro_tracker.codes); only the pseudonym prefixes are here.
SIDE_WORDS = {True: "Citizen partner", False: "Staff member"}


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
    return SUPPRESSED if 0 < count < SMALL_NUMBER else count


def _shown(count: int) -> int | None:
    return None if 0 < count < SMALL_NUMBER else count


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
            self._given[key] = f"{SIDE_WORDS[citizen_partner]} {_letters(self._counts[citizen_partner])}"
            self._counts[citizen_partner] += 1
        return self._given[key]

    def person(self, user_id: int | None, *, anonymise: bool = False) -> str:
        if user_id is None:
            return ""
        person = self.people.get(user_id)
        if person is None:
            return "Someone no longer on record"
        if anonymise or (self.anonymise_partners and person.citizen_partner):
            return self.pseudonym(("user", user_id), person.citizen_partner)
        return person.name

    def guest(self, name: str, citizen_partner: bool) -> str:
        if self.anonymise_partners and citizen_partner:
            return self.pseudonym(("guest", name), True)
        return f"{name} (guest)"

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


def bundle_file_name(item: EvidenceFile) -> str:
    if item.consent == ConsentLevel.NAMED:
        return f"evidence-{item.id}-{_safe_file_name(item.filename)}"
    return f"evidence-{item.id}{_extension(item)}"
