"""Recording an activity with 20 people in real Chromium, by keyboard: "everyone took part", then one compact row
per person with "everyone who attended contributed", and known needs already filled in. axe checks every page and
the states JavaScript makes (see conftest.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import make_user
from initiative_factories import make_initiative
from playwright.sync_api import Locator, Page, expect

from copro_tracker.codes import OrgRole
from copro_tracker.extensions import db
from copro_tracker.initiatives import service
from copro_tracker.models import Activity, Attendance

from .test_journey_initiative import contributed, fill_date, group
from .test_journeys_foundation import follow, on_page, sign_in

pytestmark = pytest.mark.browser

PEOPLE = 20


def press(page: Page, locator: Locator, key: str = "Space") -> None:
    locator.focus()
    page.keyboard.press(key)


def test_twenty_people_attend_and_contribute_in_a_few_key_presses(page: Page, org, commissioner, check_a11y):
    partners = [
        make_user(org, OrgRole.CITIZEN_PARTNER, name=f"Partner {n:02d}", communication_needs=["large_print"])
        for n in range(1, PEOPLE)
    ]
    initiative = make_initiative(commissioner, partners[0])
    for person in partners[1:]:
        service.add_member(commissioner, initiative, person, "member")
    initiative_id = initiative.id

    sign_in(page, commissioner.email)
    page.goto(f"/initiatives/{initiative_id}/activities/new")
    on_page(page, "Record an activity")
    group(page, "What kind of activity was it?").get_by_label("Workshop").check()
    fill_date(page, "When did it happen?", date.today() - timedelta(days=1))
    page.get_by_label("Title").fill("Big workshop")
    group(page, "Which languages was it held in?").get_by_label("English").check()
    took_part = group(page, "Who took part?")
    expect(took_part.get_by_role("checkbox", checked=True)).to_have_count(0)  # nobody assumed, not even the recorder
    everyone = page.get_by_role("checkbox", name="Everyone in the initiative took part")
    press(page, everyone)
    expect(took_part.get_by_role("checkbox", checked=True)).to_have_count(PEOPLE)
    press(page, took_part.get_by_label("Partner 19 (Citizen partner)"))  # one was not there after all
    expect(everyone).not_to_be_checked()
    check_a11y(page)
    follow(lambda: press(page, page.get_by_role("button", name="Save and continue"), "Enter"), page)

    on_page(page, "Who contributed, and adjustments")
    rows = page.locator("table.app-attendance-table tbody tr")
    expect(rows).to_have_count(PEOPLE - 1)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4_000, f"the attendance page for {PEOPLE - 1} people is {height}px tall"
    expect(rows.filter(has_text="Partner 01")).to_contain_text("Asked for: Large print")  # known needs filled in
    all_contributed = page.get_by_role("checkbox", name="Everyone who attended contributed")
    press(page, all_contributed)
    expect(page.locator("input[name^=contributed_]:checked")).to_have_count(PEOPLE - 1)
    press(page, contributed(page, "Partner 18"))
    expect(all_contributed).not_to_be_checked()
    page.get_by_text("Adjustments for Partner 01").click()
    group(page, "Provided for Partner 01").get_by_label("Large print").check()
    check_a11y(page)
    follow(lambda: press(page, page.get_by_role("button", name="Save attendance"), "Enter"), page)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Attendance saved.")

    db.session.expire_all()
    activity = db.session.query(Activity).one()
    by_name = {a.name: a for a in db.session.query(Attendance).filter_by(activity_id=activity.id)}
    assert len(by_name) == PEOPLE - 1 and "Partner 19" not in by_name
    assert [name for name, a in by_name.items() if not a.contributed] == ["Partner 18"]
    assert by_name["Partner 01"].adjustments_provided == ["large_print"]
