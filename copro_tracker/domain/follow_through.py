"""When a review of "you said, we did" is overdue: one definition for every screen that shows it.

A recommendation's response can set a date to review what was done. The review is overdue when that
date has passed and no review held by then is recorded. What was done ("we did") does not close it: the
review is where partners look at whether it worked. The recommendations page, the dashboard's
"Waiting for you", the follow-through criteria rule and the evidence report all use this;
``activities.queries.overdue_reviews_clause`` is the same test in SQL, and
tests/web/test_domain_agreement.py checks them on the same records.
"""

from __future__ import annotations

from datetime import date


def review_overdue(review_on: date | None, reviewed_on: date | None, as_of: date) -> bool:
    """The review date is before ``as_of`` and no review held on or before ``as_of`` is recorded."""
    if review_on is None or review_on >= as_of:
        return False
    return reviewed_on is None or reviewed_on > as_of
