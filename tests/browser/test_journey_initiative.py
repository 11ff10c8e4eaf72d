"""An initiative's life in real Chromium, through the real forms with CSRF on: a commissioner starts it and invites
a citizen partner as co-lead, both record design activities, attendance and ratings, and both sign the design stage
off; then the record-keeping pages (decisions, "you said, we did", outputs, payments, history); then the overview's
task list by keyboard alone.

axe-core checks every page these tests load, error states included (see conftest.py). Every step that loads a page
waits for its load event (`follow`, `goto`)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from initiative_factories import add_activity, make_initiative
from playwright.sync_api import Locator, Page, expect

from .test_journeys_foundation import NEW_PASSWORD, expect_dashboard, follow, on_page, sign_in, sign_out

pytestmark = pytest.mark.browser

TITLE = "Short breaks for carers in Northshire"
PARTNER_NAME = "Grace Adeyemi"
PARTNER_EMAIL = "grace@example.org"
MEETING = "Steering group planning meeting"
SESSION = "Co-design session at the day centre"
FOCUS_YELLOW = "rgb(255, 221, 0)"  # GOV.UK Frontend's focus colour


def menu_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name)


def group(page: Page, legend: str | re.Pattern) -> Locator:
    return page.get_by_role("group", name=legend)


def fill_date(page: Page, legend: str, when: date) -> None:
    fieldset = group(page, legend)
    fieldset.get_by_label("Day").fill(str(when.day))
    fieldset.get_by_label("Month").fill(str(when.month))
    fieldset.get_by_label("Year").fill(str(when.year))


def contributed(page: Page, name: str) -> Locator:
    """A row's "contributed" checkbox on the attendance page: visibly "Yes", with the person's name hidden text."""
    return page.get_by_role("checkbox", name=re.compile(rf"^Yes\W+{re.escape(name)} contributed$"))


def success_banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner--success")


def stage_status(page: Page, kind: str) -> Locator:
    """The status cell of a stage in the overview's task list."""
    return page.locator(f"#stage-{kind}-status")


def stage_needs(page: Page, kind: str) -> Locator:
    """The "What this stage still needs" list in a stage's section of the overview."""
    return page.locator(f"section[aria-labelledby='stage-{kind}'] ul.govuk-list--bullet li")


def expect_error_summary(page: Page, *messages: str, in_order: bool = True) -> None:
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    if in_order:
        expect(links).to_have_text(list(messages))
    else:
        expect(links).to_have_count(len(messages))
        assert sorted(links.all_inner_texts()) == sorted(messages)


def test_commissioner_and_invited_partner_take_an_initiative_through_design(page: Page, commissioner):
    tom = commissioner.display_name
    when = date.today() - timedelta(days=7)

    # --- The commissioner starts the initiative -----------------------------------------------------------------
    sign_in(page, commissioner.email)
    expect_dashboard(page, tom)
    follow(menu_link(page, "Initiatives"))
    on_page(page, "Initiatives")
    expect(page.get_by_text("Your organisation has no initiatives yet.")).to_be_visible()
    follow(page.get_by_role("link", name="Start a new initiative"))
    on_page(page, "Start a new initiative")

    follow(page.get_by_role("button", name="Save", exact=True))  # empty: each question says what is missing
    on_page(page, "Start a new initiative")
    expect_error_summary(
        page,
        "Enter the name of the initiative",
        "Say in a few words what the initiative is about",
        "Choose at least one duty the initiative serves",
    )

    page.get_by_label("Name of the initiative").fill(TITLE)
    page.get_by_label("What is it about?").fill("Carers and the council design short breaks that carers can rely on.")
    page.get_by_label("Service area (optional)").fill("Carers' support")
    duties = group(page, "Which of the council's duties does it serve?")
    duties.get_by_label("Prevention").check()
    duties.get_by_label("Market shaping and commissioning").check()
    expect(
        group(page, "What kind of co-production is it?").get_by_role("radio", name=re.compile("^Collective"))
    ).to_be_checked()
    follow(page.get_by_role("button", name="Save", exact=True))

    # --- ... and invites a citizen partner as co-lead -----------------------------------------------------------
    on_page(page, f"Members: {TITLE}")
    expect(success_banner(page)).to_contain_text("Initiative created. Next, add the people you will work with.")
    members = page.get_by_role("table", name="Current members")
    expect(members.get_by_role("row")).to_have_count(2)  # the header and the commissioner
    expect(members.get_by_role("row", name=re.compile(tom))).to_contain_text("Co-lead")
    expect(page.locator(".govuk-inset-text")).to_contain_text("needs a commissioner co-lead and a citizen partner")

    follow(page.get_by_role("link", name="Invite someone new to this initiative"))
    on_page(page, f"Invite someone to {TITLE}")
    page.get_by_label("Full name").fill(PARTNER_NAME)
    page.get_by_label("Their email address").fill(PARTNER_EMAIL)
    group(page, "Role in the organisation").get_by_label("Citizen partner").check()
    group(page, "How are they involved?").get_by_label("Unpaid carer").check()
    group(page, "Their role in this initiative").get_by_label("Co-lead").check()
    follow(page.get_by_role("button", name="Create invitation"))
    on_page(page, "Invitation created")
    link = page.locator("#invitation-link").inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/invitations/\S+", link), link

    # --- The commissioner records a design activity they attended alone -----------------------------------------
    follow(menu_link(page, "Initiatives"))
    follow(page.get_by_role("link", name=TITLE))
    on_page(page, TITLE)
    expect(stage_status(page, "design")).to_have_text("In progress")
    expect(stage_status(page, "delivery")).to_have_text("Not started")
    expect(page.locator(".govuk-warning-text")).to_contain_text("needs a citizen partner co-lead")

    follow(page.get_by_role("link", name="Record an activity in the design stage"))
    on_page(page, "Record an activity")
    expect(group(page, "Which stage is it part of?").get_by_label("Design")).to_be_checked()
    group(page, "What kind of activity was it?").get_by_label("Steering group meeting").check()
    fill_date(page, "When did it happen?", when)
    page.get_by_label("Title").fill(MEETING)
    group(page, "Which languages was it held in?").get_by_label("English").check()
    took_part = group(page, "Who took part?")
    expect(took_part.get_by_label(f"{tom} (Commissioner)")).not_to_be_checked()  # recording is not attending
    took_part.get_by_label(f"{tom} (Commissioner)").check()
    follow(page.get_by_role("button", name="Save and continue"))

    on_page(page, "Who contributed, and adjustments")
    contributed(page, tom).check()
    follow(page.get_by_role("button", name="Save attendance"))
    on_page(page, MEETING)
    expect(success_banner(page)).to_contain_text("Attendance saved.")
    expect(
        page.get_by_role("table", name=re.compile("^People at this activity")).get_by_role("row").nth(1)
    ).to_have_text(re.compile(rf"{tom}\s*Commissioner\s*Yes"))

    # A commissioner taking part is not enough: the gate wants a citizen partner who contributed, and co-leads.
    follow(page.get_by_role("link", name=f"Back to {TITLE}"))
    expect(stage_status(page, "design")).to_have_text("In progress")
    expect(stage_needs(page, "design")).to_have_text(
        [
            "an activity in this stage where a citizen partner took part and contributed",
            "a citizen partner co-lead",
            "sign-off by a commissioner member",
            "sign-off by a citizen partner member",
        ]
    )
    follow(page.get_by_role("link", name="Sign off or disagree: design stage"))
    on_page(page, "Sign off the design stage")
    expect(page.locator(".govuk-inset-text")).to_contain_text("This stage cannot be approved yet")
    group(page, "Do you agree this stage is finished?").get_by_label("Yes, I agree it is finished").check()
    follow(page.get_by_role("button", name="Record my view"))
    expect_error_summary(
        page,
        (
            "This stage cannot be approved yet: it still needs "
            "an activity in this stage where a citizen partner took part and contributed"
        ),
    )
    sign_out(page)

    # --- The partner accepts the invitation -------------------------------------------------------------------
    page.goto(link)
    on_page(page, "Set up your account")
    expect(page.get_by_label("Your name")).to_have_value(PARTNER_NAME)
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Yes, something helps me take part").check()
    page.get_by_label("Easy Read documents").check()
    group(page, "Which language would you like us to use?").get_by_label("English").check()
    follow(page.get_by_role("button", name="Create my account"))
    # The optional equality questions come next; answering one and saving goes on to the dashboard.
    on_page(page, "Equality questions")
    page.get_by_label("45 to 54").check()
    follow(page.get_by_role("button", name="Save my answers"))
    expect_dashboard(page, PARTNER_NAME)
    yours = page.get_by_role("table", name=re.compile("^Initiatives, their current stage"))
    expect(yours.get_by_role("row", name=re.compile(TITLE))).to_contain_text("Design: in progress")

    follow(yours.get_by_role("link", name=TITLE))
    on_page(page, TITLE)
    co_leads = page.locator(".govuk-summary-list__row", has_text="Co-leads")
    expect(co_leads).to_contain_text(f"{tom} (Commissioner), {PARTNER_NAME} (Citizen partner)")
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    expect(stage_needs(page, "design").first).to_have_text(
        "an activity in this stage where a citizen partner took part and contributed"
    )

    # --- ... records her own design activity, where she contributed ---------------------------------------------
    follow(page.get_by_role("link", name="Record an activity in the design stage"))
    on_page(page, "Record an activity")
    expect(page.get_by_label("Are you recording this for a citizen partner?")).to_have_count(0)
    group(page, "What kind of activity was it?").get_by_label("Co-design session").check()
    fill_date(page, "When did it happen?", when + timedelta(days=2))
    page.get_by_label("Title").fill(SESSION)
    group(page, "Which languages was it held in?").get_by_label("English").check()
    took_part = group(page, "Who took part?")
    took_part.get_by_label(f"{PARTNER_NAME} (Citizen partner)").check()
    took_part.get_by_label(f"{tom} (Commissioner)").check()
    follow(page.get_by_role("button", name="Save and continue"))

    on_page(page, "Who contributed, and adjustments")
    expect(success_banner(page)).to_contain_text("Activity recorded.")
    contributed(page, PARTNER_NAME).check()
    page.get_by_text(f"Adjustments for {PARTNER_NAME}").click()
    asked = group(page, f"Asked for by {PARTNER_NAME}")
    expect(asked.get_by_label("Easy Read documents")).to_be_checked()  # from the needs she gave on sign-up
    group(page, f"Provided for {PARTNER_NAME}").get_by_label("Easy Read documents").check()
    follow(page.get_by_role("button", name="Save attendance"))
    on_page(page, SESSION)
    people = page.get_by_role("table", name=re.compile("^People at this activity"))
    expect(people.get_by_role("row", name=re.compile(PARTNER_NAME))).to_have_text(
        re.compile(rf"{PARTNER_NAME}\s*Citizen partner\s*Yes")
    )
    # Her own needs are shown to her alone, not in the table every member sees.
    expect(page.get_by_text("You asked for:")).to_have_text(
        re.compile(r"You asked for: Easy Read documents\.\s*Provided: Easy Read documents\.")
    )
    expect(page.get_by_text("Nobody has rated this activity yet.")).to_be_visible()

    # ... rates it on the TLAP ladder
    follow(page.get_by_role("link", name="Give your rating"))
    on_page(page, "How co-produced did it feel?")
    group(page, "How co-produced did this activity feel to you?").get_by_label("4. Consulting").check()
    page.get_by_label("Anything you want to add? (optional)").fill("We were asked, but the plan was already made.")
    follow(page.get_by_role("button", name="Save my rating"))
    on_page(page, SESSION)
    expect(success_banner(page)).to_contain_text("Your rating has been saved.")
    ratings = page.get_by_role("table", name="Ratings from each side")
    expect(ratings.get_by_role("cell")).to_have_text(
        ["No ratings yet", f"{PARTNER_NAME}: 4. Consulting – “We were asked, but the plan was already made.”"]
    )
    expect(page.get_by_text("Different views")).to_have_count(0)
    expect(page.get_by_role("link", name="Change your rating")).to_be_visible()

    # ... and, now a contributing citizen partner has taken part, signs the design stage off.
    follow(page.get_by_role("link", name=f"Back to {TITLE}"))
    expect(stage_status(page, "design")).to_have_text("Awaiting sign-off")
    expect(stage_status(page, "design").locator(".govuk-tag--yellow")).to_be_visible()
    expect(stage_needs(page, "design")).to_have_text(
        ["sign-off by a commissioner member", "sign-off by a citizen partner member"]
    )
    follow(page.get_by_role("link", name="Sign off or disagree: design stage"))
    on_page(page, "Sign off the design stage")
    expect(page.locator(".govuk-inset-text")).to_have_count(0)
    group(page, "Do you agree this stage is finished?").get_by_label("Yes, I agree it is finished").check()
    page.get_by_label("Comments").fill("The plan reflects what carers told us.")
    follow(page.get_by_role("button", name="Record my view"))
    on_page(page, TITLE)
    expect(success_banner(page)).to_contain_text("Your sign-off has been recorded.")
    expect(stage_status(page, "design")).to_have_text("Awaiting sign-off")
    expect(stage_needs(page, "design")).to_have_text(["sign-off by a commissioner member"])
    views = page.get_by_role("table", name="Sign-offs and views")
    expect(views.get_by_role("row", name=re.compile(PARTNER_NAME))).to_have_text(
        re.compile(rf"{PARTNER_NAME} \(Citizen partner\)\s*Approved\s*The plan reflects what carers told us\.")
    )
    sign_out(page)

    # --- The commissioner rates the session too, and their views differ ----------------------------------------
    sign_in(page, commissioner.email)
    expect_dashboard(page, tom)
    waiting = page.locator(".app-waiting")
    expect(waiting.get_by_role("link", name=f"Sign off or disagree: design stage of {TITLE}")).to_be_visible()
    follow(waiting.get_by_role("link", name=f"Rate how co-produced it felt: {SESSION}"))
    on_page(page, "How co-produced did it feel?")
    group(page, "How co-produced did this activity feel to you?").get_by_label("7. Co-production").check()
    follow(page.get_by_role("button", name="Save my rating"))
    on_page(page, SESSION)
    expect(page.locator("strong.govuk-tag", has_text="Different views")).to_be_visible()
    expect(page.get_by_text("Ratings are 3 steps apart. It may help to talk about why.")).to_be_visible()
    expect(page.get_by_role("table", name="Ratings from each side").get_by_role("cell")).to_have_text(
        [f"{tom}: 7. Co-production", re.compile(rf"{PARTNER_NAME}: 4\. Consulting –")]
    )

    # --- ... and signs off design: design is complete and delivery starts ---------------------------------------
    follow(page.get_by_role("link", name=f"Back to {TITLE}"))
    follow(page.get_by_role("link", name="Sign off or disagree: design stage"))
    on_page(page, "Sign off the design stage")
    group(page, "Do you agree this stage is finished?").get_by_label("Yes, I agree it is finished").check()
    follow(page.get_by_role("button", name="Record my view"))
    on_page(page, TITLE)
    expect(success_banner(page)).to_contain_text("Your sign-off has been recorded.")
    expect(stage_status(page, "design")).to_have_text("Complete")
    expect(stage_status(page, "delivery")).to_have_text("In progress")
    expect(stage_status(page, "delivery").locator(".govuk-tag--light-blue")).to_be_visible()
    expect(stage_status(page, "evaluation")).to_have_text("Not started")
    expect(page.get_by_role("heading", name="Design stage: complete")).to_be_visible()
    expect(page.get_by_role("heading", name="Delivery stage: in progress")).to_be_visible()
    status = page.locator(".govuk-summary-list__row", has_text="Status")
    expect(status.locator("dd")).to_have_text("Delivery stage")
    expect(page.get_by_role("link", name="Sign off or disagree: design stage")).to_have_count(0)
    expect(page.get_by_role("link", name="Sign off or disagree: delivery stage")).to_be_visible()
    expect(page.get_by_role("link", name="Reopen the design stage")).to_be_visible()
    approvals = page.locator("section[aria-labelledby='stage-design']").get_by_role("table", name="Sign-offs and views")
    expect(approvals.locator("tbody tr")).to_have_count(2)


@pytest.fixture
def workshop_initiative(commissioner, partner):
    initiative = make_initiative(commissioner, partner, title=TITLE)
    add_activity(initiative, commissioner, [commissioner, partner])  # "Co-design workshop": design awaits sign-off
    return initiative


def test_decision_recommendation_output_payment_and_history(page: Page, commissioner, partner, workshop_initiative):
    tom, amira = commissioner.display_name, partner.display_name
    sign_in(page, commissioner.email)
    page.goto(f"/initiatives/{workshop_initiative.id}")
    on_page(page, TITLE)

    # A decision, with where each person stood and how citizen partners changed it.
    follow(page.get_by_role("link", name="Co-design workshop"))
    on_page(page, "Co-design workshop")
    expect(page.get_by_text("No decisions recorded for this activity.")).to_be_visible()
    follow(page.get_by_role("link", name="Record a decision"))
    on_page(page, "Record a decision")
    follow(page.get_by_role("button", name="Save decision"))
    expect_error_summary(
        page,
        "Say what was decided",
        f"Choose {tom}'s position",
        f"Choose {amira}'s position",
        "Say whether the decision changed because of what citizen partners said",
        in_order=False,  # the per-person questions are listed last, not where they are on the page
    )
    page.get_by_label("What was decided?").fill("Short breaks can be booked up to a year ahead.")
    page.get_by_label("What options were considered? (optional)").fill("Three months ahead; six months; a year.")
    group(page, f"{tom}’s position").get_by_label("Agreed", exact=True).check()
    group(page, f"{amira}’s position").get_by_label("Disagreed", exact=True).check()
    group(page, "Did the decision change because of what citizen partners said?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_label("How did it change?").fill("Carers said three months' notice was not enough.")
    follow(page.get_by_role("button", name="Save decision"))
    on_page(page, "Co-design workshop")
    expect(success_banner(page)).to_contain_text("Decision recorded.")
    expect(page.get_by_role("heading", name="Decision 1")).to_be_visible()
    changed = page.locator(".govuk-summary-list__row", has_text="Changed because of citizen partners")
    expect(changed.locator("dd")).to_have_text("Yes: Carers said three months' notice was not enough.")
    positions = page.get_by_role("table", name="Where each person stood on decision 1")
    expect(positions.get_by_role("row", name=re.compile(tom))).to_contain_text("Agreed")
    expect(positions.get_by_role("row", name=re.compile(amira)).locator(".govuk-tag--orange")).to_have_text("Disagreed")

    # "You said, we did": a recommendation from the workshop, and the response to it.
    follow(page.get_by_role("link", name="Log a recommendation from this activity"))
    on_page(page, "Log a recommendation")
    source = page.get_by_label("Which activity did it come from? (optional)")
    expect(source.locator("option:checked")).to_have_text(re.compile(r"^Co-design workshop \("))
    page.get_by_label("What do you recommend?").fill("Publish the short breaks rota in Easy Read.")
    follow(page.get_by_role("button", name="Save recommendation"))
    on_page(page, "You said, we did")
    expect(success_banner(page)).to_contain_text("Recommendation saved.")
    table = page.get_by_role("table", name="Recommendations and responses")
    expect(table.locator(".govuk-tag--grey")).to_have_text("Waiting for a response")
    follow(table.get_by_role("link", name="Respond to recommendation 1"))
    on_page(page, "Respond to a recommendation")
    expect(page.locator(".govuk-inset-text")).to_have_text("Publish the short breaks rota in Easy Read.")
    group(page, "What is the response?").get_by_role("radio", name=re.compile("^Adapted")).check()
    page.get_by_label("Reason").fill("We will publish it in Easy Read and large print.")
    page.get_by_label("What has been done? (optional)").fill("The first Easy Read rota went out in May.")
    review = date.today() + timedelta(days=90)
    fill_date(page, "When should it be reviewed? (optional)", review)
    follow(page.get_by_role("button", name="Save response"))
    on_page(page, "You said, we did")
    expect(success_banner(page)).to_contain_text("Response saved.")
    row = page.get_by_role("table", name="Recommendations and responses").locator("tbody tr")
    expect(row.locator("td")).to_have_text(
        [
            re.compile(r"^Adapted: we will do part of it, or do it differently: We will publish it in Easy Read"),
            "The first Easy Read rota went out in May.",
            re.compile(rf"^Due {review.day} {review.strftime('%B %Y')}\s*Record the review"),
        ]
    )

    # An output, written together.
    follow(page.get_by_role("link", name=f"Back to {TITLE}"))
    follow(page.get_by_role("link", name="Outputs", exact=True))
    on_page(page, f"Outputs: {TITLE}")
    expect(page.get_by_text("No outputs recorded yet.")).to_be_visible()
    follow(page.get_by_role("link", name="Record an output"))
    on_page(page, "Record an output")
    group(page, "What is it?").get_by_label("Terms of reference").check()
    page.get_by_label("Title", exact=True).fill("Short breaks steering group terms of reference")
    authors = group(page, "Who wrote it together?")
    authors.get_by_label(tom).check()
    authors.get_by_label(amira).check()
    page.get_by_label("Where is it published? (optional)").fill("https://example.org/short-breaks/terms")
    fill_date(page, "Date published (optional)", date.today())
    group(page, "Which other formats is it available in?").get_by_label("Easy Read").check()
    follow(page.get_by_role("button", name="Save output"))
    on_page(page, f"Outputs: {TITLE}")
    expect(success_banner(page)).to_contain_text("“Short breaks steering group terms of reference” has been saved.")
    card = page.locator(".govuk-summary-card")
    expect(card.get_by_role("heading", level=2)).to_have_text("Short breaks steering group terms of reference")
    expect(card.locator(".govuk-summary-list__row", has_text="Written by").locator("dd")).to_have_text(
        f"{tom}, {amira}"
    )
    expect(card.get_by_role("link", name="https://example.org/short-breaks/terms")).to_be_visible()

    # An offer for the partner's time, from the rates card or typed in.
    follow(page.get_by_role("link", name="Back to the initiative"))
    follow(page.get_by_role("link", name="Payments and recognition"))
    on_page(page, f"Payments and recognition: {TITLE}")
    items = page.get_by_role("table", name="Offers and claims")
    expect(items.get_by_role("cell")).to_have_text(["Nothing recorded yet."])
    follow(page.get_by_role("link", name="Make an offer"))
    on_page(page, "Make an offer")
    page.get_by_label("Who is the offer for?").select_option(label=amira)
    page.get_by_label("Which activity is it for?").select_option(label="Co-design workshop (1 October 2026)")
    page.get_by_label("How many hours or sessions?").fill("3")
    page.get_by_label("Amount to offer (optional)").fill("25.50")
    page.get_by_label("Note (optional)").fill("Workshop and preparation")
    follow(page.get_by_role("button", name="Make the offer"))
    on_page(page, f"Offer: {amira}")
    expect(success_banner(page)).to_contain_text("The offer has been made.")
    follow(page.get_by_role("link", name="Back to payments"))
    on_page(page, f"Payments and recognition: {TITLE}")
    expect(items.locator("tbody tr")).to_have_count(1)
    expect(items.locator("tbody tr")).to_have_text(re.compile(rf"{amira}\s*Co-design workshop.*Offer\s*£25.50", re.S))

    # The history of it all, and one record as it stood on a date.
    follow(page.get_by_role("link", name="Back to the initiative"))
    follow(page.get_by_role("link", name="History of changes"))
    on_page(page, f"History: {TITLE}")
    timeline = page.locator(".app-timeline__title")
    expect(timeline.first).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=re.compile(r"^\d+ entries$"))).to_be_visible()
    follow(page.get_by_role("link", name=re.compile(r"^History of this record \(recommendation ")).first)
    on_page(page, "History of a recommendation")
    today = datetime.now(UTC).date()  # the audit trail keeps UTC times
    page.get_by_label("Show this record as it stood on").fill((today - timedelta(days=1)).isoformat())
    follow(page.get_by_role("button", name="Show", exact=True))
    on_page(page, "History of a recommendation")
    expect(page.get_by_text("This record did not exist on that date.")).to_be_visible()
    page.get_by_label("Show this record as it stood on").fill(today.isoformat())
    follow(page.get_by_role("button", name="Show", exact=True))
    expect(page.get_by_role("heading", name=f"As at {today.day} {today.strftime('%B %Y')}")).to_be_visible()
    state = page.locator("main .govuk-summary-list")
    expect(state).to_contain_text("Publish the short breaks rota in Easy Read.")
    expect(state).to_contain_text("The first Easy Read rota went out in May.")
    expect(page.get_by_role("heading", name="All changes")).to_be_visible()


def focused(page: Page) -> str:
    return page.evaluate("() => (document.activeElement.innerText || '').replace(/\\s+/g, ' ').trim()")


def tab_until(page: Page, wanted: str, limit: int = 40) -> list[str]:
    """Press Tab until the focused element's text is `wanted`; return the texts focused on the way, in order."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if seen[-1] == wanted:
            return seen
    raise AssertionError(f"Tab never reached {wanted!r}; focused in turn: {seen}")


def test_keyboard_reaches_the_task_list_and_sign_off_in_order(page: Page, commissioner, workshop_initiative):
    sign_in(page, commissioner.email)
    page.goto(f"/initiatives/{workshop_initiative.id}")
    on_page(page, TITLE)

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()

    # From the top of the content: what to do next, the initiative's pages, then the stages in order.
    seen = tab_until(page, "Evaluation")
    assert seen[:2] == ["Give your view on the design stage", "Members"], seen
    assert seen[-3:] == ["Design", "Delivery", "Evaluation"], seen
    design = page.get_by_role("link", name="Design", exact=True)
    expect(page.get_by_role("link", name="Evaluation", exact=True)).to_be_focused()
    for link in (design, page.get_by_role("link", name="Evaluation", exact=True)):
        expect(link).to_have_attribute("aria-describedby", re.compile(r"^stage-\w+-status$"))
    assert page.evaluate("() => getComputedStyle(document.activeElement).backgroundColor") == FOCUS_YELLOW

    # A stage's link takes focus to that stage's section, from where Tab carries on through it to the sign-off.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(design).to_be_focused()
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="Design stage: awaiting sign-off")
    expect(heading).to_be_focused()
    expect(page).to_have_url(re.compile(r"#stage-design$"))
    # The sign-off comes right after what the stage still needs, before its tables.
    seen = tab_until(page, "Sign off or disagree: design stage")
    assert seen[-1] == "Sign off or disagree: design stage" and "Co-design workshop" not in seen, seen
    assert page.evaluate("() => getComputedStyle(document.activeElement).backgroundColor") == FOCUS_YELLOW

    # ... and the sign-off itself works without a mouse.
    follow(lambda: page.keyboard.press("Enter"), page)
    on_page(page, "Sign off the design stage")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link again: the form is the first thing in the main content
    page.keyboard.press("Tab")
    yes = page.get_by_label("Yes, I agree it is finished")
    expect(yes).to_be_focused()
    page.keyboard.press("Space")
    expect(yes).to_be_checked()
    page.keyboard.press("Tab")  # past the other radio: Tab leaves a radio group
    expect(page.get_by_label("Comments")).to_be_focused()
    page.keyboard.type("Agreed at the workshop.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Record my view")).to_be_focused()
    follow(lambda: page.keyboard.press("Enter"), page)
    on_page(page, TITLE)
    expect(success_banner(page)).to_contain_text("Your sign-off has been recorded.")
    expect(stage_needs(page, "design")).to_have_text(["sign-off by a citizen partner member"])
