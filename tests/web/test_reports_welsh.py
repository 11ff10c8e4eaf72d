"""Reports in Welsh, English or both: the report's own words (sections, tables, notes) in the chosen language,
the page around it in the reader's, and each part tagged with its language for screen readers and tagged PDF.

The Welsh check is the Welsh crawl's (tests/i18n/english_text.py): no word of the English interface the Welsh
one never uses, after taking out what people entered and what is marked lang="en" with a reason (English-only
framework texts, the names of laws, CQC's own words)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from bs4 import BeautifulSoup
from conftest import Page, login
from pypdf import PdfReader
from test_reports import _create_link, csv_tables, demo  # noqa: F401 (demo: the demo data fixture)

from copro_tracker.extensions import db
from copro_tracker.models import Initiative
from tests.i18n.english_text import english_words
from tests.i18n.entered import entered_text
from tests.pdf_languages import element_languages, text_by_language


def _welsh(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "cy"


def _welsh_text(soup: BeautifulSoup) -> str:
    """The report's text outside anything marked as another language (which must say why it is English)."""
    main = soup.select_one("main")
    for marked in main.select("[lang]"):
        if not marked["lang"].startswith("cy"):
            assert marked.get("data-untranslated") or marked.has_attr("data-bilingual"), str(marked)[:200]
            marked.decompose()
    return main.get_text(" ")


def _sections(page: Page) -> list:
    """The report's sections (a section's parts inherit its language)."""
    return [s for s in page.soup.select("section.app-report-section") if s.find_parent("section") is None]


def _pdf(client, url: str) -> PdfReader:
    """A report's PDF as a person gets it, whatever the language of the pages on the way."""
    asked = client.get(url)
    assert asked.status_code == 302
    status = Page(client.get(asked.headers["Location"])).check()
    response = client.get(status.soup.select_one("main a.govuk-button")["href"])
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def _wales_initiative(demo) -> Initiative:  # noqa: F811
    organisation_id = demo["dafydd"].organisation_id
    return db.session.scalars(
        db.select(Initiative).where(Initiative.organisation_id == organisation_id).order_by(Initiative.id)
    ).first()


@pytest.mark.parametrize(
    "who, path",
    [
        ("tom", "/initiatives/{carers}/report"),
        ("tom", "/initiatives/{day_ops}/report"),
        ("tom", "/reports/portfolio"),
        ("tom", "/reports/quality-statements/CQC-LA-QS9"),
        ("dafydd", "/reports/portfolio"),
    ],
)
def test_a_welsh_report_has_no_english_interface_text(client, demo, who, path):  # noqa: F811
    login(client, demo[who])
    _welsh(client)
    page = Page(client.get(path.format(carers=demo["carers"].id, day_ops=demo["day_ops"].id))).check()
    assert page.soup.html["lang"] == "cy"
    sections = _sections(page)
    # The reader's language, so no section needs a lang of its own.
    assert sections and not any(s.has_attr("lang") for s in sections)
    found = english_words(_welsh_text(page.soup), entered_text())
    assert not found, found


def test_the_welsh_organisations_own_initiative_report_is_welsh_throughout(client, demo):  # noqa: F811
    login(client, demo["dafydd"])
    _welsh(client)
    page = Page(client.get(f"/initiatives/{_wales_initiative(demo).id}/report")).check()
    evidence = page.soup.select_one("section[aria-labelledby=section-evidence]")
    assert evidence.select_one("h2").get_text(strip=True) == "Ffeiliau tystiolaeth"
    found = english_words(_welsh_text(page.soup), entered_text())
    assert not found, found


def test_an_english_reader_can_choose_a_welsh_report(client, demo):  # noqa: F811
    login(client, demo["tom"])
    page = Page(client.get(f"/initiatives/{demo['carers'].id}/report?language=cy")).check()
    assert page.soup.html["lang"] == "en"
    assert page.soup.select_one("#report-language-cy").has_attr("checked")
    sections = _sections(page)
    assert sections and all(s["lang"] == "cy" for s in sections)
    assert sections[0].select_one("h2").get_text(strip=True) == "Crynodeb"
    assert page.soup.select_one("h1").get_text(strip=True).startswith("Evidence report")  # the page's own words
    front = page.soup.select_one(".app-report-front")
    assert front["lang"] == "cy" and "Sefydliad" in front.get_text()
    # The report itself, front and sections, is in Welsh; only the page around it is English.
    report = BeautifulSoup(
        "<main>" + str(front) + "".join(str(s) for s in _sections(page)) + "</main>",
        "html.parser",
    )
    found = english_words(_welsh_text(report), entered_text())
    assert not found, found
    # The download links carry the choice.
    assert all("language=cy" in a["href"] for a in page.soup.select(".app-report-controls ul.govuk-list a"))


def _section_order(page: Page) -> list[tuple[str, str]]:
    return [(s["aria-labelledby"], s.get("lang", "")) for s in _sections(page)]


def test_a_bilingual_report_puts_welsh_first_in_wales_and_english_first_elsewhere(client, demo):  # noqa: F811
    login(client, demo["tom"])  # Northshire is in England
    page = Page(client.get(f"/initiatives/{demo['carers'].id}/report?language=bilingual")).check()
    order = _section_order(page)
    assert order[:2] == [("section-summary", ""), ("section-summary-cy", "cy")]
    assert len(order) % 2 == 0 and all(lang == "cy" for _, lang in order[1::2])
    headings = [s.select_one("h2").get_text(strip=True) for s in _sections(page)]
    assert headings[:2] == ["Summary", "Crynodeb"]
    # Ids stay unique with both languages on one page.
    ids = [tag["id"] for tag in page.soup.select("[id]")]
    assert len(ids) == len(set(ids))

    login(client, demo["dafydd"])  # Glanyrafon is in Wales
    page = Page(client.get("/reports/portfolio?language=bilingual")).check()
    order = _section_order(page)
    assert order[:2] == [("section-gaps", "cy"), ("section-gaps-en", "")]
    headings = [s.select_one("h2").get_text(strip=True) for s in _sections(page)]
    assert headings[:2] == ["Bylchau", "Gaps"]


def test_the_pdf_says_its_language(client, demo):  # noqa: F811
    login(client, demo["tom"])
    base = f"/initiatives/{demo['carers'].id}/report/pdf"
    for language, lang, title, heading in (
        ("en", "en-GB", "Evidence report", "Summary"),
        ("cy", "cy", "Adroddiad tystiolaeth", "Crynodeb"),
    ):
        reader = _pdf(client, f"{base}?language={language}")
        assert reader.trailer["/Root"]["/Lang"] == lang
        assert reader.metadata.title.startswith(title)
        assert heading in "".join(p.extract_text() for p in reader.pages[:2])


def test_a_pdf_is_made_in_the_readers_language_unless_chosen(client, demo):  # noqa: F811
    """The background job carries the choice: by default the reader's language, or as chosen."""
    login(client, demo["tom"])
    _welsh(client)
    base = f"/initiatives/{demo['carers'].id}/report/pdf"
    assert _pdf(client, base).trailer["/Root"]["/Lang"] == "cy"
    assert _pdf(client, f"{base}?language=en").trailer["/Root"]["/Lang"] == "en-GB"


def test_a_bilingual_pdf_has_each_section_in_both_languages(client, demo):  # noqa: F811
    login(client, demo["dafydd"])  # in Wales: Welsh first, so the PDF's language is Welsh
    reader = _pdf(client, f"/initiatives/{_wales_initiative(demo).id}/report/pdf?language=bilingual")
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    text = "".join(p.extract_text() for p in reader.pages)
    # After the contents (in Welsh, the main language): each section in Welsh, then the same section in English.
    at = text.index("Crynodeb", text.index("Crynodeb") + 1)
    for heading in ("Summary", "Aelodau a rolau", "Members and roles"):
        at = text.index(heading, at)
    # Each section's language is tagged: the Welsh ones inherit the document's /Lang, the English ones carry
    # en-GB on their structure elements, so a screen reader reads each in its own voice.
    assert set(element_languages(reader)) <= {"en-GB", "en", "zxx"}
    texts = text_by_language(reader)
    for heading in ("Crynodeb", "Aelodau a rolau", "Ffeiliau tystiolaeth"):
        assert heading in texts["cy"] and heading not in texts["en-GB"]
    for heading in ("Summary", "Members and roles", "Evidence files"):
        assert heading in texts["en-GB"] and heading not in texts["cy"]


def test_csv_headers_are_in_the_reports_language(client, demo):  # noqa: F811
    login(client, demo["tom"])
    body = client.get(f"/initiatives/{demo['day_ops'].id}/report/csv?language=cy").data
    tables, readme = csv_tables(body)
    assert "Sefydliad" in readme  # the README is in Welsh too
    members = tables["members"]
    assert members and set(members[0]) >= {"name", "role"}  # the helper maps each Welsh header to its key
    assert {r["role"] for r in members} >= {"Cyd-arweinydd"}
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        first = next(csv.reader(io.StringIO(archive.read("members.csv").decode("utf-8-sig"))))
    assert first[:2] == ["Enw", "Ochr"]


def test_a_share_link_keeps_the_language_chosen(app, client, demo):  # noqa: F811
    login(client, demo["tom"])
    form = Page(client.get(f"/reports/share-links/new?kind=initiative&initiative={demo['carers'].id}")).check()
    assert form.soup.select_one("input[name=language][value=en]").has_attr("checked")  # England: English
    token, link = _create_link(client, demo["carers"].id, language="cy")
    assert link.params["language"] == "cy"
    client.get("/logout")
    page = Page(client.get(f"/shared/{token}")).check()
    sections = _sections(page)
    assert sections and all(s["lang"] == "cy" for s in sections)
    assert sections[0].select_one("h2").get_text(strip=True) == "Crynodeb"

    login(client, demo["dafydd"])  # Wales: both languages unless chosen otherwise, Welsh first
    initiative = _wales_initiative(demo)
    form = Page(client.get(f"/reports/share-links/new?kind=initiative&initiative={initiative.id}")).check()
    assert form.soup.select_one("input[name=language][value=bilingual]").has_attr("checked")
    token, link = _create_link(client, initiative.id)
    assert link.params["language"] == "bilingual"
    page = Page(client.get(f"/shared/{token}")).check()
    order = _section_order(page)
    assert order[0][0] == "section-summary" and order[1][0] == "section-summary-en"


def test_a_welsh_reader_of_an_english_first_bilingual_report_has_each_part_tagged(client, demo):  # noqa: F811
    """The page is Welsh and the report English first: the English parts (front and sections) say en-GB, the
    Welsh ones inherit the page's cy, and the Welsh notes inside the English front say cy again."""
    login(client, demo["tom"])  # Northshire is in England: English first
    _welsh(client)
    page = Page(client.get(f"/initiatives/{demo['carers'].id}/report?language=bilingual")).check()
    assert page.soup.html["lang"] == "cy"
    order = _section_order(page)
    assert order[:2] == [("section-summary", "en-GB"), ("section-summary-cy", "")]
    assert all(lang == "en-GB" for _, lang in order[0::2]) and all(lang == "" for _, lang in order[1::2])
    front = page.soup.select_one(".app-report-front")
    assert front["lang"] == "en-GB"
    notes = front.select(".govuk-inset-text")
    assert [n.get("lang", "") for n in notes] == ["", "cy"]
    assert "Sefydliad" not in front.select_one(".app-report-meta").get_text()  # details in the main language


def test_report_date_errors_are_in_welsh_in_the_error_summary(client, demo):  # noqa: F811
    login(client, demo["tom"])
    _welsh(client)
    url = f"/initiatives/{demo['day_ops'].id}/report"

    def errors(**query) -> list[str]:
        response = client.get(url, query_string=query)
        assert response.status_code == 400
        page = Page(response).check()
        # Each message in the summary is also shown at its field, and links to it.
        for link in page.soup.select(".govuk-error-summary a"):
            assert page.soup.select_one(link["href"]) is not None, link["href"]
        return page.errors()

    assert errors(date_from="2025-02-30") == ["Rhaid i'r dyddiad dechrau fod yn ddyddiad go iawn, fel 2026-03-31"]
    assert errors(**{"date_to-day": "12", "date_to-month": "", "date_to-year": "2025"}) == [
        "Rhaid i'r dyddiad gorffen gynnwys mis"
    ]
    assert errors(as_of="2999-01-01") == ["Rhaid i'r dyddiad 'fel yr oedd ar' fod heddiw neu yn y gorffennol"]
    assert errors(date_from="2025-06-01", date_to="2025-05-01") == [
        "Rhaid i'r dyddiad gorffen fod yr un fath â'r dyddiad dechrau neu ar ei ôl"
    ]
    assert errors(as_of="2025-01-01", date_from="2025-06-01") == [
        "Rhaid i'r dyddiad dechrau fod ar y dyddiad 'fel yr oedd ar' neu cyn hynny"
    ]
    assert all(not english_words(text, []) for text in errors(as_of="nonsense", date_from="2025-13-01"))


def test_a_share_links_lifetime_is_counted_in_the_readers_language(client, demo):  # noqa: F811
    login(client, demo["tom"])
    url = f"/reports/share-links/new?kind=initiative&initiative={demo['carers'].id}"
    hint = Page(client.get(url)).soup.select_one("#expiry_days-hint").get_text(" ", strip=True)
    assert hint == "From 1 to 90 days. After that the link stops working."
    _welsh(client)
    hint = Page(client.get(url)).soup.select_one("#expiry_days-hint").get_text(" ", strip=True)
    assert hint == "O 1 i 90 diwrnod. Ar ôl hynny bydd y ddolen yn peidio â gweithio."


def test_a_welsh_pdf_has_no_english_interface_text(client, demo):  # noqa: F811
    """The Welsh crawl's check, on the PDF as a screen reader reads it: the text in Welsh-tagged parts (what is
    tagged English says so, as on the page: English-only framework texts, the names of laws)."""
    login(client, demo["dafydd"])
    for initiative in (_wales_initiative(demo), demo["carers"]):
        if initiative.organisation_id != demo["dafydd"].organisation_id:
            login(client, demo["tom"])
        reader = _pdf(client, f"/initiatives/{initiative.id}/report/pdf?language=cy")
        welsh = text_by_language(reader).get("cy", "")
        assert "Crynodeb" in welsh
        # A PDF's text comes back line by line as laid out: people's text wraps where the page did, so spaces
        # and line ends count as one space on both sides before their text is taken out.
        # A word broken at a hyphen ("cyd-\ngynhyrchu", "15-\nminute") is one word again.
        entered = sorted({" ".join(value.split()) for value in entered_text()}, key=len, reverse=True)
        text = " ".join(re.sub(r"-[ \t]*\n\s*", "-", welsh).split())
        found = english_words(text, entered)
        assert not found, " ".join([str(initiative.id)] + sorted(found))


def test_the_audit_table_says_what_each_kind_of_entry_records_in_the_reports_language(client, demo):  # noqa: F811
    """Beside each audit action's code (what the JSON bundle and the chain say), its plain words, from the same
    messages as the history page's filter."""
    login(client, demo["dafydd"])
    base = f"/initiatives/{_wales_initiative(demo).id}/report"
    for language, started in (("cy", "Dechreuodd rhywun y fenter"), ("en", "Someone started the initiative")):
        page = Page(client.get(f"{base}?language={language}")).check()
        rows = {
            row.select_one("td").get_text(strip=True): row.select_one("th").get_text(strip=True)
            for row in page.soup.select("tr")
            if row.select_one("th[scope=row]") and row.select_one("td")
        }
        assert rows.get("initiative.created") == started, rows.get("initiative.created")
