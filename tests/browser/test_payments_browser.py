"""Browser journey: an offer from the rates card, the person's choice and expense claim, approval by someone
else, marked paid, and the finance export. axe-core checks every page on the way (conftest.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import make_user
from initiative_factories import add_activity, make_initiative
from playwright.sync_api import Page, expect

from copro_tracker.codes import MemberRole, OrgRole
from copro_tracker.initiatives import service as initiatives
from copro_tracker.payments import service as payments

from .test_journey_initiative import fill_date, group, success_banner
from .test_journeys_foundation import follow, on_page, sign_in, sign_out

pytestmark = pytest.mark.browser
TITLE = "Short breaks for carers"


@pytest.fixture
def paid_world(app, tmp_path, org, admin, commissioner, partner):
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    initiative = make_initiative(commissioner, partner, title=TITLE)
    bea = make_user(org, OrgRole.CITIZEN_PARTNER, name="Bea Member")
    initiatives.add_member(commissioner, initiative, bea, MemberRole.MEMBER.value)
    add_activity(initiative, commissioner, [commissioner, partner, bea])
    details = payments.RateCardDetails(
        date(2020, 4, 6), {"workshop": ("per_hour", 2000)}, "Bus fares with a ticket", 5000, "Talk to us first", ""
    )
    payments.add_rate_card(admin, details)
    return initiative, bea


def test_offer_choice_claim_approve_paid_and_export(page: Page, paid_world, commissioner, partner, tmp_path):
    initiative, bea = paid_world
    sign_in(page, commissioner.email)
    page.goto(f"/initiatives/{initiative.id}/payments")
    on_page(page, f"Payments and recognition: {TITLE}")
    follow(page.get_by_role("link", name="Make an offer"))
    on_page(page, "Make an offer")
    follow(page.get_by_role("button", name="Make the offer"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose who the offer is for")
    page.get_by_label("Who is the offer for?").select_option(label="Bea Member")
    page.get_by_label("Which activity is it for?").select_option(label="Co-design workshop (1 October 2026)")
    page.get_by_label("How many hours or sessions?").fill("3")
    follow(page.get_by_role("button", name="Make the offer"))
    on_page(page, "Offer: Bea Member")
    expect(page.locator(".govuk-summary-list")).to_contain_text("£60.00")
    sign_out(page)

    # Bea sees the year total and the warning (a £50 threshold) before she chooses; she chooses a payment.
    sign_in(page, bea.email)
    follow(page.get_by_role("link", name="Your profile"))
    follow(page.get_by_role("link", name="Your payments"))
    on_page(page, "Your payments")
    follow(page.get_by_role("link", name=re.compile("^Co-design workshop")))
    on_page(page, "Offer: Bea Member")
    expect(page.locator("#year-total")).to_contain_text("past £50.00")
    group(page, "How would you like to be paid?").get_by_role("radio", name=re.compile("^Payment:")).check()
    follow(page.get_by_role("button", name="Save the choice"))
    expect(success_banner(page)).to_contain_text("The choice has been saved.")

    # ... and claims her bus fare with the ticket.
    follow(page.get_by_role("link", name="Back to payments"))
    follow(page.get_by_role("link", name="Claim expenses"))
    on_page(page, "Claim expenses")
    expect(page.get_by_text("Bus fares with a ticket")).to_be_visible()
    activity = page.get_by_label("Which activity were they for? (optional)")
    activity.select_option(label="Co-design workshop (1 October 2026)")
    page.get_by_label("What was the expense for?").fill("Bus there and back")
    page.get_by_label("Amount").fill("6.40")
    fill_date(page, "Date you paid", date(2026, 10, 1))
    page.get_by_label("Receipt").set_input_files(
        files=[{"name": "ticket.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    follow(page.get_by_role("button", name="Send the claim"))
    on_page(page, "Expense claim: Bea Member")
    expect(success_banner(page)).to_contain_text("Your claim has been sent for approval.")
    sign_out(page)

    # Amira, a co-lead who is neither the person paid nor the claimant, approves both.
    sign_in(page, partner.email)
    page.goto(f"/initiatives/{initiative.id}/payments")
    rows = page.get_by_role("table", name="Offers and claims").locator("tbody tr")
    expect(rows).to_have_count(2)
    for name in ("Expense claim: Bea Member", "Offer: Bea Member"):
        follow(page.get_by_role("link", name=re.compile("^Co-design workshop")).nth(0 if "claim" in name else 1))
        on_page(page, name)
        follow(page.get_by_role("button", name="Approve"))
        expect(success_banner(page)).to_contain_text("Approved.")
        follow(page.get_by_role("link", name="Back to payments"))
    sign_out(page)

    # Tom (staff) marks the offer paid, then exports the month for finance.
    sign_in(page, commissioner.email)
    page.goto(f"/initiatives/{initiative.id}/payments")
    follow(page.get_by_role("link", name=re.compile("^Co-design workshop")).nth(1))
    on_page(page, "Offer: Bea Member")
    page.get_by_label("Payment reference").fill("BACS 0042")
    fill_date(page, "Date paid", date.today())
    follow(page.get_by_role("button", name="Mark as paid"))
    expect(success_banner(page)).to_contain_text("Marked as paid.")
    follow(page.get_by_role("link", name="Payments", exact=True))
    on_page(page, "Payments for finance")
    fill_date(page, "From", date.today())
    fill_date(page, "To", date.today())
    follow(page.get_by_role("button", name="Show payments"))
    table = page.get_by_role("table", name="Approved and paid items")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tfoot")).to_contain_text("£66.40")
