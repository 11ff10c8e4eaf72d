"""Issue 13's pages in real Chromium, with axe on every page loaded (see conftest.py): your data and its
requests, an activity's adjustments, a person's needs, who looked, the admins' requests, withdrawing a file,
and the share-link form with its warning."""

from __future__ import annotations

from datetime import date

import pytest
from initiative_factories import make_initiative
from playwright.sync_api import Page, expect

from copro_tracker.activities import service as activities
from copro_tracker.extensions import db
from copro_tracker.models import Activity, Attendance, Initiative
from copro_tracker.people import service as people

from .test_journeys_foundation import follow, on_page, sign_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def test_peoples_data_pages(page: Page, admin, commissioner, partner):
    partner.communication_needs, partner.needs_recorded = ["easy_read"], True
    db.session.commit()
    initiative = make_initiative(commissioner, partner)
    stage = initiative.stages[0]
    activity = Activity(
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        stage_id=stage.id,
        kind="workshop",
        occurred_on=date.today(),
        title="Planning day",
        recorded_by_id=commissioner.id,
    )
    db.session.add(activity)
    db.session.flush()
    db.session.add(
        Attendance(
            organisation_id=initiative.organisation_id,
            activity_id=activity.id,
            user_id=partner.id,
            adjustments_requested=["easy_read"],
        )
    )
    db.session.commit()
    evidence = activities.upload_evidence(
        commissioner,
        db.session.get(Initiative, initiative.id),
        data=PDF,
        filename="minutes.pdf",
        consent="named",
        description="",
        activity_id=activity.id,
        decision_id=None,
    )
    request = people.ask(partner, "correction", "My name is spelt wrong")
    ids = {"initiative": initiative.id, "activity": activity.id, "evidence": evidence.id, "request": request.id}

    sign_in(page, partner.email)
    page.goto("/profile/your-data")
    on_page(page, "Your data")
    follow(page.get_by_role("link", name="Ask for something to be corrected"))
    follow(page.get_by_role("button", name="Send my request"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what is wrong and what it should say")
    page.goto("/profile/your-data/erasure")
    on_page(page, "Ask for your details to be erased")
    page.goto(f"/initiatives/{ids['initiative']}/activities/{ids['activity']}")
    expect(page.get_by_text("You asked for:")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, admin.email)
    page.goto(f"/initiatives/{ids['initiative']}/activities/{ids['activity']}/adjustments")
    on_page(page, "Adjustments at Planning day")
    page.goto(f"/people/{partner.id}/needs")
    expect(page.get_by_text("Easy Read documents")).to_be_visible()
    page.goto("/admin/audit/disclosures")
    on_page(page, "Who looked at people's health information")
    page.goto("/admin/data-requests")
    follow(page.get_by_role("link", name=partner.display_name))
    follow(page.get_by_role("button", name="Save the answer"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.goto(f"/initiatives/{ids['initiative']}/evidence/{ids['evidence']}/withdraw")
    on_page(page, "Withdraw “minutes.pdf”")
    page.goto(f"/reports/share-links/new?kind=initiative&initiative={ids['initiative']}")
    expect(
        page.get_by_label("Anonymised: 'Citizen partner A', 'Citizen partner B' and so on (recommended)")
    ).to_be_checked()
