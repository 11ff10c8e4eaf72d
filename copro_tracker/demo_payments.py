"""Demo payments for Northshire: a rates card, and a realistic mix in the day opportunities initiative: an
offer chosen, approved and paid; a "no payment, thank you"; a voucher approved and waiting to be paid; and
an expense claim with its receipt waiting for approval. Written through the services, so each step is in the
audit trail as it would be. Loading twice changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from .codes import ActivityKind, RateBasis
from .extensions import db
from .models import Activity, Initiative, RateCard, User
from .payments import service

DAY_OPPORTUNITIES = "Redesigning day opportunities with people with learning disabilities"
# A scan of a bus ticket stands in for a real receipt: the smallest file the upload checks accept as a PDF.
RECEIPT = b"%PDF-1.4\n% Northshire Buses day ticket, 6.40\n%%EOF\n"


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def load_demo_payments(organisation) -> None:
    if db.session.scalar(sa.select(RateCard.id).where(RateCard.organisation_id == organisation.id)) is not None:
        return
    initiative = db.session.scalar(
        sa.select(Initiative).where(
            Initiative.organisation_id == organisation.id, Initiative.title == DAY_OPPORTUNITIES
        )
    )
    if initiative is None:
        return
    priya, tom = _user("admin@northshire.example"), _user("commissioner@northshire.example")
    amira, george = _user("partner@northshire.example"), _user("george.blake@northshire.example")
    today = date.today()
    start = service.financial_year_start(today - timedelta(days=400))
    service.add_rate_card(
        priya,
        service.RateCardDetails(
            effective_from=start,
            rates={
                ActivityKind.CO_DESIGN_SESSION: (RateBasis.PER_HOUR, 2000),
                ActivityKind.WORKSHOP: (RateBasis.PER_HOUR, 2000),
                ActivityKind.STEERING_GROUP: (RateBasis.PER_SESSION, 3500),
                ActivityKind.EVALUATION_PANEL: (RateBasis.PER_SESSION, 3500),
                ActivityKind.TRAINING: (RateBasis.PER_SESSION, 2500),
            },
            expenses_rules=(
                "Travel by bus, train or taxi where agreed; mileage at 45p a mile; care or support cover while you "
                "take part. Please keep your receipts and add a photo of each one."
            ),
            year_threshold_pence=100_000,
            benefits_advice=(
                "If you get benefits, payments for involvement may affect them. Our independent benefits adviser can "
                "talk it through with you before you choose, free and in confidence."
            ),
            benefits_advice_url="https://northshire.example/involvement/benefits-advice",
        ),
    )
    activities = {
        a.title: a for a in db.session.scalars(sa.select(Activity).where(Activity.initiative_id == initiative.id))
    }
    good_day = activities["What makes a good day?"]
    outcomes = activities["Choosing the outcomes"]
    panel = activities["Steering group: choosing providers"]

    # George chose to be paid for the first session; Amira (co-lead) approved; Tom marked it paid.
    paid = service.make_offer(
        tom, initiative, user_id=george.id, activity_id=good_day.id, units=3, amount_pence=None, note="3 hours"
    )
    service.choose(george, paid, expected_version=paid.version, choice="payment")
    service.approve(amira, paid, expected_version=paid.version)
    paid_on = min(today, good_day.occurred_on + timedelta(days=14))
    service.mark_paid(tom, paid, expected_version=paid.version, reference="NCC-PV-0107", paid_on=paid_on)

    # Amira said no payment, thank you, for the outcomes workshop: recorded as she said it.
    declined = service.make_offer(
        tom, initiative, user_id=amira.id, activity_id=outcomes.id, units=2, amount_pence=None
    )
    service.choose(amira, declined, expected_version=declined.version, choice="declined")

    # Amira chose a voucher for the steering group; Tom approved it; finance has not paid it yet.
    voucher = service.make_offer(tom, initiative, user_id=amira.id, activity_id=panel.id, units=1, amount_pence=None)
    service.choose(amira, voucher, expected_version=voucher.version, choice="voucher")
    service.approve(tom, voucher, expected_version=voucher.version)

    # George's bus fare to the outcomes workshop, with the ticket: waiting for someone to approve it.
    service.claim_expenses(
        george,
        initiative,
        user_id=george.id,
        activity_id=outcomes.id,
        amount_pence=640,
        note="Bus there and back (day ticket)",
        spent_on=outcomes.occurred_on,
        receipt=RECEIPT,
        receipt_name="bus-ticket.pdf",
    )
