"""The dashboard's lists come a page at a time (GOV.UK pagination), at a fixed number of statements."""

from __future__ import annotations

from activity_fixtures import make_activity, make_team, team_fixture  # noqa: F401
from conftest import Page, get_page, login, make_user
from query_counter import count_queries

from copro_tracker.codes import OrgRole


def _lines(page) -> list[str]:
    return [" ".join(li.get_text(" ").split()) for li in page.soup.select(".app-waiting li")]


def _initiative_rows(page) -> list:
    return page.soup.select_one("#your-initiatives").find_next("table").select("tbody tr")


def test_waiting_items_and_initiatives_page_through_at_a_fixed_cost(client, team, org, commissioner):
    login(client, team.partner)
    make_activity(team, title="Confirm me", on_behalf_of=team.partner, people=[team.partner])
    small = count_queries(lambda: client.get("/dashboard"))
    for n in range(14):
        make_activity(team, title=f"Session {n:02d}", people=[team.partner])
    for _n in range(11):
        make_team(org, commissioner, make_user(org, OrgRole.CITIZEN_PARTNER))
    large = count_queries(lambda: client.get("/dashboard"))
    assert small == large <= 12

    login(client, commissioner)
    staff = count_queries(lambda: client.get("/dashboard"))
    assert staff <= 12

    login(client, team.partner)
    first = get_page(client, "/dashboard")
    lines = _lines(first)
    # 1 confirmation then 16 ratings (the confirmed-for-you activity is still unrated): 10 on a page.
    assert len(lines) == 10
    assert lines[0].startswith("Check what was recorded for you: Confirm me")
    assert all(line.startswith("Rate how co-produced it felt") for line in lines[1:])
    assert "16 things are waiting for you. Showing 1 to 10." in first.text()
    nav = first.soup.select_one("nav.govuk-pagination[aria-label='Pages of what is waiting for you']")
    assert nav.select_one("a[rel=next]")["href"] == "/dashboard?waiting_page=2#waiting"
    second = get_page(client, "/dashboard?waiting_page=2")
    assert len(_lines(second)) == 6 and not set(_lines(second)) & set(lines)
    # The count chooses the Welsh form too (16: "peth"; the English-only sentence said "16 things" in both).
    with client.session_transaction() as session:
        session["lang"] = "cy"
    assert "Mae 16 peth yn aros amdanoch. Yn dangos 1–10." in Page(client.get("/dashboard")).text()
    with client.session_transaction() as session:
        session["lang"] = "en"

    # The staff member sees all 12 of the organisation's initiatives, 10 to a page.
    login(client, commissioner)
    page = get_page(client, "/dashboard")
    assert len(_initiative_rows(page)) == 10
    assert len(_initiative_rows(get_page(client, "/dashboard?initiatives_page=2"))) == 2
    # Each list keeps the other's page in its links.
    link = get_page(client, "/dashboard?waiting_page=1&initiatives_page=2").soup.select_one(
        "nav[aria-label='Pages of your initiatives'] a[rel=prev]"
    )
    assert link["href"] == "/dashboard?waiting_page=1#your-initiatives"
