"""The initiative overview leads with what its open stage needs next, from where the reader stands, and lists its
pages as a navigation list; the sign-off button sits with the stage it signs."""

from __future__ import annotations

from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import get_page, login

from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import Initiative


def _next(page) -> str:
    block = page.soup.select_one(".app-next-step")
    return " ".join(block.get_text(" ").split()) if block else ""


def test_the_next_step_follows_the_stage(client, team):
    url = f"/initiatives/{team.initiative.id}"
    login(client, team.commissioner)
    page = get_page(client, url)
    assert "needs an activity where a citizen partner took part" in _next(page)
    button = page.soup.select_one(".app-next-step a.govuk-button")
    assert button.get_text(strip=True) == "Record an activity" and "stage=design" in button["href"]

    make_activity(team, title="Workshop one")
    initiative = db.session.get(Initiative, team.initiative.id)
    initiatives.refresh_stage(initiative.stages[0])
    db.session.commit()
    page = get_page(client, url)
    assert page.soup.select_one(".app-next-step a.govuk-button").get_text(strip=True) == (
        "Give your view on the design stage"
    )
    client.post(f"{url}/stages/design/sign-off", data={"decision": "approve", "comment": ""})
    page = get_page(client, url)
    assert "Nothing for you to do now" in _next(page) and "sign-off by a citizen partner member" in _next(page)
    assert page.soup.select_one(".app-next-step a.govuk-button") is None


def test_pages_are_a_navigation_list_and_sign_off_sits_with_its_stage(client, team):
    login(client, team.commissioner)
    page = get_page(client, f"/initiatives/{team.initiative.id}")
    nav = page.soup.select_one("nav[aria-labelledby=initiative-pages]")
    names = [a.get_text(strip=True) for a in nav.select("li a")]
    assert names[:3] == ["Members", "You said, we did", "Evidence files"] and len(names) == 9
    design = page.soup.select_one("section[aria-labelledby=stage-design]")
    button = design.select_one("a.app-stage__sign-off")
    assert button.get_text(strip=True) == "Sign off or disagree: design stage"
    needs = design.select_one("ul.govuk-list--bullet")
    assert needs.find_next("a", class_="app-stage__sign-off") is button, "right after what the stage still needs"
    assert design.select_one("table") is None or button.find_next("table") is not None


def test_a_member_who_cannot_record_sees_what_the_stage_is_waiting_for(client, team):
    login(client, team.observer)
    page = get_page(client, f"/initiatives/{team.initiative.id}")
    assert "Nothing for you to do now" in _next(page)
