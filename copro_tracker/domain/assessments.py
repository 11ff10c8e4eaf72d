"""Which of the people's assessments of a criterion counts: one definition for pages and reports.

Re-assessing adds a row and keeps the old one, so there are often several assessments of one
criterion for one initiative. The one that counts is the one recorded last: the highest id (ids only
grow, whereas two assessments can share a timestamp). ``criteria.service.latest_assessments`` asks the
database the same question with ``max(id)``; a test checks the two agree on recorded data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from ..codes import FindingStatus


class _Assessment(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def initiative_id(self) -> int: ...

    @property
    def criterion_id(self) -> str: ...


A = TypeVar("A", bound=_Assessment)


def finding_differs(finding_status: str, assessment_status: str | None) -> bool:
    """The automatic check and the people's assessment reach different statuses.

    "A person needs to confirm" is not a verdict, so it never counts as a disagreement.
    """
    if assessment_status is None or finding_status == FindingStatus.NEEDS_ATTESTATION:
        return False
    return FindingStatus(finding_status) != FindingStatus(assessment_status)


def awaits_response_from(awaiting_response: bool, assessed_by_id: int, user_id: int) -> bool:
    """Whether this person can be the one to co-sign or disagree: never the person who assessed it."""
    return awaiting_response and assessed_by_id != user_id


def assessments_that_count(items: Iterable[A]) -> dict[tuple[int, str], A]:
    """(initiative id, criterion id) -> the assessment that counts, whatever order ``items`` come in."""
    out: dict[tuple[int, str], A] = {}
    for item in items:
        key = (item.initiative_id, item.criterion_id)
        if key not in out or item.id > out[key].id:
            out[key] = item
    return out
