"""The pages the crawls (test_reflow_crawl.py, test_welsh_crawl.py) check, found once and shared out in parts.

Each crawl used to be one long browser test per role, so `pytest -n 2` could not share it between its two
workers. Now the pages are found first without a browser: the same breadth-first walk from the dashboard,
following the same links (`a[href]`, resolved against the page's final address, the same SKIP list, at most
PER_KIND pages of each kind) through the Flask test client, which takes a fraction of a second per page.
Each part then visits its share in Chromium and makes every check the crawl made on it.

The commissioner's pages are checked in three parts, by page group (GROUPS): the criteria pages (a third
of what a commissioner reaches, and the tallest), the records of an initiative (activities, decisions,
recommendations, files, payments, stages, members), and the rest (history, reports, people, profile,
help). A partner's 70 or so pages are one part.
Nothing is lost by sharing out:
- a page's group depends only on its path with the ids taken out (its kind), never on ids or the walk's
  order, so every test process (each with its own database) puts a page of that kind in the same group,
  and any page not named by a group is in "rest";
- every part finds all the pages and proves, before checking its own, that the groups together hold each
  page exactly once and that the walk was complete (fewer than MAX_PAGES, more than the role's minimum):
  the union of the parts is every page the crawl reaches;
- every part, on every page it visits, reads the links the browser itself sees (after JavaScript) and
  fails on one the walk did not find while its kind still had room: the walk and the browser agree.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask
from playwright.sync_api import Page

from copro_tracker.extensions import db
from copro_tracker.models import User

MAX_PAGES = 200
PER_KIND = 2  # pages of one kind (the same path with other ids) share a template: two of each are enough
# Links the crawl does not open: downloads (not pages), the language switch (a redirect back to the same page,
# checked elsewhere) and the same page again filtered or as at a date (the layout is the page's own).
SKIP = re.compile(
    r"/language/|/download$|/receipt$|/(pdf|csv|json)$|[?&](format|as_at|as-at|at)=|/sign-out$|^/$|/shared/",
)
ROLES = ("commissioner@northshire.example", "partner@northshire.example")
START = "/dashboard"
# Sections of an initiative that are its records; with the commissioner's demo pages, about 70 criteria pages,
# 60 record pages and 50 others.
_RECORDS = frozenset(
    {
        "activities", "decisions", "recommendations", "you-said-we-did", "evidence", "outputs", "payments",
        "stages", "members", "edit", "report",
    }
)  # fmt: skip
GROUPS = ("criteria", "records", "rest")
# A partner reaches about 70 pages, two of them criteria pages: one part, whose own walk is short.
PARTS = [(ROLES[0], group) for group in GROUPS] + [(ROLES[1], "all")]


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _keep(url: str, origin: str) -> str | None:
    url, _ = urldefrag(url)
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if SKIP.search(path) else path


def _links(page: Page, origin: str) -> list[str]:
    """The links a person can follow on the browser's page, as the crawl opens them."""
    hrefs = page.eval_on_selector_all("a[href]", "(links) => links.map((a) => a.href)")
    return [path for path in (_keep(href, origin) for href in hrefs) if path is not None]


def group_of(path: str) -> str:
    """The part that checks this page, by its kind alone."""
    bits = _kind(path).split("?")[0].strip("/").split("/")
    if bits[0] == "coverage" or bits[:1] == ["initiatives"] and bits[2:3] == ["criteria"]:
        return "criteria"
    if bits[0] == "initiatives" and len(bits) > 1 and (len(bits) == 2 or bits[2] in _RECORDS):
        return "records"
    return "rest"


@dataclass
class Pages:
    """What the walk found: the pages in the order it opened them, and what it would have opened next."""

    paths: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # every link queued, pages or not (a 404, a file)
    kinds: Counter[str] = field(default_factory=Counter)  # links queued per kind

    def share(self, group: str) -> list[str]:
        return [path for path in self.paths if group in ("all", group_of(path))]

    def missed(self, links: list[str]) -> list[str]:
        """Links the browser sees that the walk would have opened but did not find."""
        return [link for link in links if link not in self.seen and self.kinds[_kind(link)] < PER_KIND]


def find_pages(app: Flask, email: str, *, language: str | None = None) -> Pages:
    """Walk the site as `email` (in `language`, as the person would switch to it) from the dashboard."""
    user = db.session.scalar(sa.select(User).where(User.email == email))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    if language is not None:
        client.get(f"/language/{language}?next={START}")
    origin = "http://localhost"
    found = Pages(seen={START})
    queue = [START]
    while queue and len(found.paths) < MAX_PAGES:
        path = queue.pop(0)
        response = client.get(path, follow_redirects=True)
        if not 200 <= response.status_code < 300 or response.mimetype != "text/html":
            continue
        found.paths.append(path)
        final = response.request.url  # links resolve against where a redirect ended, as in a browser
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        for anchor in soup.select("a[href]"):
            link = _keep(urljoin(final, anchor["href"].strip()), origin)
            if link is not None and link not in found.seen and found.kinds[_kind(link)] < PER_KIND:
                found.seen.add(link)
                found.kinds[_kind(link)] += 1
                queue.append(link)
    return found


def expect_complete(found: Pages, email: str) -> None:
    """The walk reached every page (it did not stop at MAX_PAGES) and the groups hold each page exactly once."""
    assert len(found.paths) < MAX_PAGES, "the crawl stopped early: raise MAX_PAGES"
    assert len(found.paths) > (30 if email.startswith("commissioner") else 15), sorted(found.paths)
    assert len(set(found.paths)) == len(found.paths)
    union = [path for group in GROUPS for path in found.share(group)]
    assert sorted(union) == sorted(found.paths), "a page is in no part, or in two"
