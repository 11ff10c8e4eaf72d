"""Long lists a page at a time: which page was asked for, and the GOV.UK pagination component's links.

Lists are cut in the database (LIMIT/OFFSET after a COUNT), so a page costs the same however long the
list grows; the other query-string arguments (filters) are kept in every link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

# Far beyond any real list, and small enough that page x size never overflows an OFFSET.
MAX_PAGE = 100_000


@dataclass(frozen=True, slots=True)
class Paging:
    """Page `number` (from 1) of a list of `total` items, `size` to a page."""

    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def first_item(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last_item(self) -> int:
        return min(self.offset + self.size, self.total)


def requested_page(arg: str = "page") -> int:
    """The page number in the query string; anything that is not a sensible page number means page 1."""
    raw = request.args.get(arg, "")
    if not raw.isdigit() or len(raw) > 6:
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


def paging(total: int, size: int, arg: str = "page") -> Paging:
    """The page asked for, moved back to the last page when the list has become shorter."""
    wanted = Paging(requested_page(arg), size, total)
    return wanted if wanted.number <= wanted.pages else Paging(wanted.pages, size, total)


def _numbers(current: int, last: int) -> list[int | None]:
    """Page numbers to link: first, last, and the current one with its neighbours; None is an ellipsis."""
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    out: list[int | None] = []
    for number in shown:
        if out and number - (out[-1] or 0) > 1:
            out.append(None)
        out.append(number)
    return out


def pagination(page: Paging, label: str, arg: str = "page", anchor: str = "") -> dict[str, Any] | None:
    """Parameters for govukPagination, or None when everything fits on one page."""
    if page.pages <= 1:
        return None
    args = request.args.to_dict(flat=False)
    args.pop(arg, None)
    endpoint = request.endpoint or ""
    values = dict(request.view_args or {})

    def href(number: int) -> str:
        return url_for(endpoint, **values, **args, **({arg: number} if number > 1 else {})) + anchor

    params: dict[str, Any] = {
        "landmarkLabel": label,
        "items": [
            {"ellipsis": True}
            if number is None
            else {
                "number": number,
                "href": href(number),
                "current": number == page.number,
                "visuallyHiddenText": _("Page %(number)s", number=number),
            }
            for number in _numbers(page.number, page.pages)
        ],
    }
    hidden = Markup('<span class="govuk-visually-hidden"> {}</span>').format(_("page"))
    if page.number > 1:
        params["previous"] = {"href": href(page.number - 1), "html": escape(_("Previous")) + hidden}
    if page.number < page.pages:
        params["next"] = {"href": href(page.number + 1), "html": escape(_("Next")) + hidden}
    return params
