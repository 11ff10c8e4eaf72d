"""Who took part compared with who the service is for: equality monitoring counts, pure and unit-tested.

The answers are special category data, so only these aggregates ever leave the equality tables, and every
count goes through `small_numbers.suppress` (fewer than 5 → hidden, and enough others hidden that no total
gives one back).

For one question, the people who took part fall into the question's categories, "Prefer not to say" and
"Not answered" (they skipped it, or never saw it); the last two are counted apart and are not in the
denominator of the shares compared with the reference figures, which describe people who did answer.
The shares are shown only when that denominator can be read from the counts shown (so a share never
reveals a hidden "prefer not to say") and is not itself small. A share of a hidden count is hidden.

A question where a person may tick several answers (the seldom-heard groups) has no total that adds up, so
its counts are still suppressed as one column: a hidden cell always has a second hidden cell beside it, which
costs a little detail and leaves no sum to subtract from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..codes import PREFER_NOT_TO_SAY
from .small_numbers import THRESHOLD, is_small, suppress

NOT_ANSWERED = "not_answered"
# One decimal place: reference figures are published to one place, and more would suggest false precision.
_PLACE = Decimal("0.1")

Answer = str | Sequence[str] | None


@dataclass(frozen=True)
class Row:
    category: str
    count: int | None  # None: suppressed
    share: Decimal | None  # percent of those who answered with a category; None: not shown
    reference: Decimal | None  # percent in the reference figures; None: none entered
    difference: Decimal | None  # share minus reference, in percentage points


@dataclass(frozen=True)
class Comparison:
    question: str
    rows: tuple[Row, ...]
    prefer_not: Row
    not_answered: Row
    took_part: int | None  # None: suppressed
    shares_shown: bool
    multiple: bool

    @property
    def any_suppressed(self) -> bool:
        cells = (*self.rows, self.prefer_not, self.not_answered)
        return self.took_part is None or any(row.count is None for row in cells)


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_PLACE, rounding=ROUND_HALF_UP)


def _ticked(answer: Answer) -> tuple[str, ...]:
    if answer is None:
        return ()
    return (answer,) if isinstance(answer, str) else tuple(answer)


def compare(
    question: str,
    categories: Sequence[str],
    answers: Iterable[Answer],
    reference: Mapping[str, Decimal] | None = None,
    *,
    multiple: bool = False,
    threshold: int = THRESHOLD,
) -> Comparison:
    """Count `answers` (one per person who took part: a code, a list of codes if `multiple`, or None for not
    answered) into `categories`, suppress small counts, and set the shares beside `reference` (percent by
    category). An answer outside `categories` (a retired group, a code no longer offered) counts as answered
    but in no row."""
    reference = reference or {}
    counts = dict.fromkeys(categories, 0)
    prefer_not = not_answered = people = 0
    for answer in answers:
        people += 1
        ticked = _ticked(answer)
        if not ticked:
            not_answered += 1
        elif PREFER_NOT_TO_SAY in ticked:
            prefer_not += 1
        else:
            for code in dict.fromkeys(ticked) if multiple else ticked[:1]:
                if code in counts:
                    counts[code] += 1
    grid = [[counts[c]] for c in categories] + [[prefer_not], [not_answered]]
    hidden = suppress(grid, threshold)
    shown = [row[0] for row in hidden.cells]
    answered = people - prefer_not - not_answered
    took_part = None if is_small(people, threshold) else people
    if not multiple and hidden.column_totals and hidden.column_totals[0] is None:
        took_part = None
    shares_shown = (
        took_part is not None
        and shown[-2] is not None
        and shown[-1] is not None
        and answered > 0
        and not is_small(answered, threshold)
    )

    def row(category: str, count: int | None) -> Row:
        share = _percent(count, answered) if shares_shown and count is not None else None
        ref = reference.get(category)
        ref = Decimal(ref).quantize(_PLACE, rounding=ROUND_HALF_UP) if ref is not None else None
        difference = share - ref if share is not None and ref is not None else None
        return Row(category, count, share, ref, difference)

    return Comparison(
        question=question,
        rows=tuple(row(c, n) for c, n in zip(categories, shown, strict=False)),
        prefer_not=Row(PREFER_NOT_TO_SAY, shown[-2], None, None, None),
        not_answered=Row(NOT_ANSWERED, shown[-1], None, None, None),
        took_part=took_part,
        shares_shown=shares_shown,
        multiple=multiple,
    )
