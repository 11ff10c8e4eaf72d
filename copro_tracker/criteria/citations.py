"""What a reader is shown of where a criterion comes from: the one place that decides it.

An inspector's first question about a finding is "where does it say that?". The answer shown must never
be a number nobody has checked. So a criterion always shows its ``source`` (the instrument and chapter or
section, which the loader keeps free of subsection and paragraph numbers), and an exact locator only when
it was verified against the version of the text in force now, together with what was read, where and
when. Everything else stays in the YAML for whoever does the next check, and is counted once per
framework rather than flagged under every criterion.

The criteria page, the coverage page, the library page and every report format (HTML, PDF, CSV, JSON)
take their words from here. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .framework import Criterion, Framework, Locator


def day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


@dataclass(frozen=True, slots=True)
class CheckedReference:
    """A locator that may be shown: verified against the current text, with its provenance."""

    instrument: str
    locator: str
    checked_against: str
    checked_on: date
    source_url: str
    version_seen: str

    @property
    def place(self) -> str:
        return f"{self.instrument}, {self.locator}"

    @property
    def text(self) -> str:
        return f"{self.place} — checked against {self.checked_against} on {day(self.checked_on)}"

    @property
    def text_with_address(self) -> str:
        """For formats without links (PDF, CSV, JSON): the address is part of the words."""
        return f"{self.text} ({self.source_url})"


@dataclass(frozen=True, slots=True)
class Citation:
    criterion_id: str
    # The instrument and chapter or section: safe to show whatever has been checked.
    source: str
    checked: tuple[CheckedReference, ...]
    # Locators held back because they are not verified for the current text.
    unchecked: int

    @property
    def lines(self) -> tuple[str, ...]:
        return (self.source, *(r.text for r in self.checked))

    @property
    def text(self) -> str:
        """One line for a report cell, addresses included."""
        return ". ".join((self.source, *(r.text_with_address for r in self.checked)))


def shown(locator: Locator) -> bool:
    """A locator's number is shown only when it has been verified against the version in force now."""
    return (
        locator.verified
        and locator.current_version
        and locator.locator is not None
        and locator.checked_on is not None
        and bool(locator.source_url)
        and bool(locator.checked_against)
    )


def cite(criterion: Criterion) -> Citation:
    checked = tuple(
        CheckedReference(
            instrument=item.instrument,
            locator=item.locator or "",
            checked_against=item.checked_against or "",
            checked_on=item.checked_on,  # type: ignore[arg-type]  # shown() guarantees it
            source_url=item.source_url or "",
            version_seen=item.version_seen or "",
        )
        for item in criterion.locators
        if shown(item)
    )
    return Citation(criterion.id, criterion.source, checked, len(criterion.locators) - len(checked))


def _english(text: str, **values: object) -> str:
    return text % values if values else text


def _english_plural(singular: str, plural: str, num: int, **values: object) -> str:
    return (singular if num == 1 else plural) % {"num": num, **values}


@dataclass(frozen=True, slots=True)
class FrameworkChecks:
    """How many of a framework's references have been checked, for the one notice per framework."""

    total: int
    checked: int
    # Criteria with at least one reference not checked against the current text, in framework order.
    unchecked_criteria: tuple[str, ...]
    # Criteria whose wording itself is from recollection (confidence R).
    unconfirmed_wording: tuple[str, ...]

    @property
    def notice(self) -> str | None:
        """The words shown once under the framework's heading (in English), or None when there is nothing to say."""
        return self.notice_in()

    def notice_in(
        self,
        gettext: Callable[..., str] = _english,
        ngettext: Callable[..., str] = _english_plural,
    ) -> str | None:
        """The notice through the given translators (the web layer passes Flask-Babel's)."""
        parts = []
        if self.total:
            parts.append(
                ngettext(
                    "%(checked)s of %(num)s reference in this framework has been checked against the original text.",
                    "%(checked)s of %(num)s references in this framework have been checked against the original text.",
                    self.total,
                    checked=self.checked,
                )
            )
            if self.unchecked_criteria:
                parts.append(
                    gettext(
                        "Not yet checked against the original text: %(ids)s. "
                        "For these only the instrument and chapter or section is shown.",
                        ids=", ".join(self.unchecked_criteria),
                    )
                )
        if self.unconfirmed_wording:
            parts.append(
                gettext(
                    "The wording of %(ids)s is from recollection and not yet checked against the original text.",
                    ids=", ".join(self.unconfirmed_wording),
                )
            )
        return " ".join(parts) or None


def framework_checks(framework: Framework) -> FrameworkChecks:
    citations = [cite(c) for c in framework.criteria]
    return FrameworkChecks(
        total=sum(len(c.locators) for c in framework.criteria),
        checked=sum(len(c.checked) for c in citations),
        unchecked_criteria=tuple(c.criterion_id for c in citations if c.unchecked),
        unconfirmed_wording=tuple(c.id for c in framework.criteria if c.confidence == "R"),
    )
