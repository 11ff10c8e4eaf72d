"""The help page: a plain-English glossary, the TLAP ladder and every framework in the library, linked from the
footer of every page."""

from __future__ import annotations

from conftest import get_page


def test_help_explains_the_words_the_ladder_and_each_framework(client, app):
    page = get_page(client, "/help")
    text = page.text()
    for term in ("Co-production", "Citizen partner", "Co-lead", "Sign-off", "Adjustments", "You said, we did"):
        assert term in text
    rungs = [" ".join(li.get_text(" ").split()) for li in page.soup.select("#ladder ~ ol li")]
    assert len(rungs) == 7 and rungs[0].startswith("1. Coercion") and rungs[-1].startswith("7. Co-production")
    titles = [h.get_text(strip=True) for h in page.soup.select("#frameworks ~ h3")]
    assert titles == [f.title for f in app.extensions["criteria_library"].frameworks]
    assert len(titles) >= 10


def test_every_page_links_to_help_in_its_footer(client):
    for url in ("/sign-in", "/privacy"):
        assert get_page(client, url).soup.select_one(".govuk-footer a[href='/help']")
