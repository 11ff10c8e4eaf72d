"""Every page a commissioner or a citizen partner can reach, in Welsh, has no English interface words.

The crawl is test_reflow_crawl.py's: it follows links from the dashboard, two pages of each kind. On each
page it reads the text a person meets (and the aria-label and title texts a screen reader reads) in the
parts of the page whose language is Welsh, takes out everything people entered (tests/i18n/entered.py),
and fails on any word of the English interface the Welsh one never uses (tests/i18n/english_text.py).

Content that is still only in English (history sentences, criteria reasons not yet on message ids, framework
texts with no Welsh yet, names of English laws, CQC's own words) is shown marked lang="en" with a
data-untranslated reason, and is counted, not failed. The English copy of each section of a bilingual report is
marked data-bilingual (a language choice, like the header's switch). English marked lang="en" otherwise fails, so
nothing can be waved through by marking it English. Reports open in the reader's language, so their sections are
checked as Welsh.
"""

from __future__ import annotations

from collections import Counter

import pytest
from flask import Flask
from playwright.sync_api import Page

from copro_tracker.demo import DEMO_PASSWORD
from tests.i18n.english_text import english_words
from tests.i18n.entered import entered_text

from .test_journeys_foundation import sign_in
from .test_reflow_crawl import MAX_PAGES, PER_KIND, _kind, _links

pytestmark = pytest.mark.browser

_WELSH_TEXT = """() => {
  const welsh = (el) => (el.closest('[lang]')?.getAttribute('lang') || '').startsWith('cy');
  const visible = (el) => !el.closest('script, style, noscript, template, [hidden]');
  const parts = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (el && visible(el) && welsh(el)) parts.push(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
    if (!welsh(el)) continue;
    for (const name of ['aria-label', 'title', 'alt', 'placeholder']) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  return parts.join('\\n');
}"""

_MARKED_ENGLISH = """() => [...document.querySelectorAll('body [lang]')]
  .filter((el) => !el.getAttribute('lang').startsWith('cy'))
  .map((el) => ({
    reason: el.dataset.untranslated || '',
    choice: el.hasAttribute('hreflang') || !!el.closest('.app-language-offer, .app-language-switch, [data-bilingual]'),
    html: el.outerHTML.slice(0, 160),
  }))"""


@pytest.mark.parametrize("email", ["commissioner@northshire.example", "partner@northshire.example"])
def test_every_reachable_page_in_welsh_has_no_english_interface_words(page: Page, app: Flask, email, request):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    entered = entered_text()
    sign_in(page, email, DEMO_PASSWORD)
    page.goto("/language/cy?next=/dashboard")
    origin = page.evaluate("location.origin")

    problems: list[str] = []
    untranslated: Counter[str] = Counter()
    queue, seen, kinds, visited = ["/dashboard"], {"/dashboard"}, Counter(), 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        response = page.goto(path)
        if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited += 1
        if page.evaluate("document.documentElement.lang") != "cy":
            problems.append(
                f"{path}: the page is not in Welsh (html lang={page.evaluate('document.documentElement.lang')!r})"
            )
        found = english_words(page.evaluate(_WELSH_TEXT), entered)
        if found:
            problems.append(f"{path}: English words {found}")
        for marked in page.evaluate(_MARKED_ENGLISH):
            if marked["reason"]:
                untranslated[marked["reason"]] += 1
            elif not marked["choice"]:
                problems.append(f"{path}: marked English without a reason: {marked['html']}")
        for link in _links(page, origin):
            if link not in seen and kinds[_kind(link)] < PER_KIND:
                seen.add(link)
                kinds[_kind(link)] += 1
                queue.append(link)

    summary = ", ".join(f"{reason} {count}" for reason, count in sorted(untranslated.items()))
    request.node.add_report_section("call", "welsh", f"{visited} pages; still English, marked: {summary or 'none'}")
    assert visited > (30 if email.startswith("commissioner") else 15)
    assert not problems, f"{len(problems)} problem(s) on Welsh pages:\n" + "\n".join(problems)
