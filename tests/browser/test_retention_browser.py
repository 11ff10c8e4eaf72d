"""Retention and legal hold pages in real Chromium, with axe on every page loaded (see conftest.py): the
periods form, placing a hold (with its error summary), confirming the password (wrong, then right) and
lifting the hold, the disposal page before and after a disposal, and the same pages in Welsh."""

from __future__ import annotations

import re
from datetime import date

import pytest
from initiative_factories import make_initiative
from playwright.sync_api import Page, expect

from copro_tracker import storage
from copro_tracker.extensions import db
from copro_tracker.models import Evidence, Initiative, utcnow
from copro_tracker.retention import disposal

from .test_journeys_foundation import PASSWORD, follow, on_page, sign_in

pytestmark = pytest.mark.browser


def test_retention_and_legal_hold_pages(page: Page, admin, commissioner, partner):
    initiative = make_initiative(commissioner, partner, title="Closed day services review")
    db.session.add(
        Evidence(
            organisation_id=initiative.organisation_id,
            initiative_id=initiative.id,
            filename="old-notes.txt",
            content_type="text/plain",
            size=3,
            sha256="0" * 64,
            storage_key=storage.save(b"old").key,
            consent="named",
            uploaded_by_id=commissioner.id,
        )
    )
    db.session.get(Initiative, initiative.id).closed_on = date(2019, 1, 31)
    db.session.commit()

    sign_in(page, admin.email)
    page.goto("/people")
    follow(page.get_by_role("link", name="How long records are kept, and legal holds"))
    on_page(page, "How long records are kept")
    page.get_by_label("Evidence files").select_option(label="3 years")
    follow(page.get_by_role("button", name="Save retention periods"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The retention periods have been saved.")

    follow(page.get_by_role("link", name="Due for disposal, and disposed of"))
    expect(page.get_by_role("row", name="Closed day services review Evidence files")).to_be_visible()

    follow(page.get_by_role("link", name="Legal holds"))
    on_page(page, "Legal holds")
    page.get_by_label("What should the hold cover?").select_option(label="Closed day services review")
    follow(page.get_by_role("button", name="Place the legal hold"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the hold is needed")
    page.get_by_label("Why is it needed?").fill("CQC inspection")
    follow(page.get_by_role("button", name="Place the legal hold"))
    expect(page.get_by_text("In place", exact=True)).to_be_visible()

    follow(page.get_by_role("link", name=re.compile(r"^Lift\W+Closed day services review$")))
    on_page(page, "Lift a legal hold")
    follow(page.get_by_role("link", name="Confirm your password"))
    on_page(page, "Confirm your password")
    page.get_by_label("Your password").fill("not my password")
    follow(page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Your password is not right")
    page.get_by_label("Your password").fill(PASSWORD)
    follow(page.get_by_role("button", name="Continue"))
    on_page(page, "Lift a legal hold")
    follow(page.get_by_role("button", name="Lift the legal hold"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the hold can be lifted")
    page.get_by_label("Why can it be lifted now?").fill("Inspection finished")
    follow(page.get_by_role("button", name="Lift the legal hold"))
    expect(page.get_by_text("Lifted on", exact=False).first).to_be_visible()

    assert disposal.dispose_due(admin.organisation, utcnow().date()).disposed
    page.goto("/admin/retention/disposal")
    expect(page.get_by_text("Kept 3 years after closing")).to_be_visible()

    page.goto("/language/cy?next=/admin/retention")
    on_page(page, "Am ba hyd y cedwir cofnodion")
    page.goto("/admin/legal-holds")
    on_page(page, "Ataliadau cyfreithiol")
    page.goto("/admin/retention/disposal")
    on_page(page, "I'w gwaredu, ac wedi'u gwaredu")
    page.goto("/confirm-password")
    on_page(page, "Cadarnhewch eich cyfrinair")
