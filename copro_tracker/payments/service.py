"""Writes for payments: the rates card, offers, choices, expense claims, approval, payment and withdrawal.

Each function takes plain values and the acting person, checks the step against the domain's rules
(copro_tracker/domain/payments.py) and the policy (permissions.py), and commits once. The audit capture
records every change; each step names its action (payment.offered, payment.chosen, ...).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app

from .. import storage
from ..activities import filetypes
from ..activities.service import STORE_MESSAGES, commit_staged
from ..audit import capture
from ..codes import N_, PAYMENT_CHOICES, ActivityKind, PaymentStatus, RateBasis, ReciprocityKind
from ..domain import payments as rules
from ..extensions import db
from ..models import Activity, Initiative, RateCard, ReciprocityEntry, User, utcnow
from ..permissions import can
from ..services import ServiceError, check_version, commit_or_conflict, in_reader_language

log = logging.getLogger(__name__)
CONFLICT = N_("Someone else changed this payment while you were looking at it")
MAX_UNITS = 100


# --- the rates card --------------------------------------------------------------------------------


def financial_year_start(day: date) -> date:
    return rules.financial_year(day)[0]


def current_rate_card(organisation_id: int, on: date | None = None) -> RateCard | None:
    """The version of the rates card in force on a day (today by default): the latest that started by then."""
    return db.session.scalar(
        sa.select(RateCard)
        .where(RateCard.organisation_id == organisation_id, RateCard.effective_from <= (on or date.today()))
        .order_by(RateCard.effective_from.desc(), RateCard.id.desc())
        .limit(1)
    )


def rate_card_history(organisation_id: int) -> list[RateCard]:
    return list(
        db.session.scalars(
            sa.select(RateCard)
            .where(RateCard.organisation_id == organisation_id)
            .order_by(RateCard.effective_from.desc(), RateCard.id.desc())
        )
    )


@dataclass(frozen=True)
class RateCardDetails:
    effective_from: date
    # activity kind code -> (basis code, pence); kinds left out have no rate.
    rates: dict[str, tuple[str, int]]
    expenses_rules: str
    year_threshold_pence: int | None
    benefits_advice: str
    benefits_advice_url: str


def add_rate_card(actor: User, details: RateCardDetails) -> RateCard:
    """A new version of the rates card. Earlier versions are kept as they were: offers made from them keep
    the rate they were made with, and two admins saving at once each add a version rather than overwrite."""
    capture.set_actor(db.session, actor.id)
    rates = {}
    for kind, (basis, pence) in details.rates.items():
        if kind not in set(ActivityKind) or basis not in set(RateBasis):
            raise ServiceError(N_("Choose a kind of activity and how its rate is counted"))
        if pence < 0 or pence > rules.MAX_PENCE:
            raise ServiceError(N_("Enter a rate in pounds, like 25 or 25.50"), f"rate_{kind}")
        rates[str(kind)] = {"basis": str(basis), "pence": int(pence)}
    card = RateCard(
        organisation_id=actor.organisation_id,
        effective_from=details.effective_from,
        rates=rates,
        expenses_rules=details.expenses_rules.strip(),
        year_threshold_pence=details.year_threshold_pence or None,
        benefits_advice=details.benefits_advice.strip(),
        benefits_advice_url=details.benefits_advice_url.strip(),
        created_by_id=actor.id,
    )
    db.session.add(card)
    capture.name_action(card, "rate_card.added")
    db.session.commit()
    return card


# --- offers and choices ----------------------------------------------------------------------------


def _member_ids(initiative: Initiative) -> set[int]:
    return {m.user_id for m in initiative.memberships}


def _activity_of(initiative: Initiative, activity_id: int | None, *, required: bool) -> Activity | None:
    if activity_id is None:
        if required:
            raise ServiceError(N_("Choose the activity the offer is for"), "activity_id")
        return None
    activity = db.session.get(Activity, activity_id)
    if activity is None or activity.initiative_id != initiative.id:
        raise ServiceError(N_("Choose an activity from this initiative"), "activity_id")
    return activity


def _open_offer(user_id: int, activity_id: int) -> ReciprocityEntry | None:
    return db.session.scalar(
        sa.select(ReciprocityEntry).where(
            ReciprocityEntry.user_id == user_id,
            ReciprocityEntry.activity_id == activity_id,
            sa.or_(ReciprocityEntry.kind.is_(None), ReciprocityEntry.kind != ReciprocityKind.EXPENSES),
            ReciprocityEntry.status != PaymentStatus.WITHDRAWN,
        )
    )


def _check_units(units: int) -> None:
    if not 1 <= units <= MAX_UNITS:
        raise ServiceError(N_("Enter a number of hours or sessions from 1 to %(max)s"), "units", max=MAX_UNITS)


def make_offer(
    actor: User,
    initiative: Initiative,
    *,
    user_id: int,
    activity_id: int | None,
    units: int,
    amount_pence: int | None,
    note: str = "",
) -> ReciprocityEntry:
    """Offer a person something for their part in an activity, worked out from the rates card in force on the
    activity's day unless an amount is given. One open offer per person per activity."""
    capture.set_actor(db.session, actor.id)
    if user_id not in _member_ids(initiative):
        raise ServiceError(N_("Choose a member of the initiative"), "user_id")
    activity = _activity_of(initiative, activity_id, required=True)
    _check_units(units)
    entry = ReciprocityEntry(
        organisation_id=initiative.organisation_id,
        initiative=initiative,
        initiative_id=initiative.id,
        user_id=user_id,
        activity_id=activity.id,
        status=PaymentStatus.OFFERED,
        units=units,
        occurred_on=activity.occurred_on,
        note=note.strip(),
        offered_by_id=actor.id,
        offered_at=utcnow(),
    )
    if not can(actor, "payment.offer", entry):
        if user_id == actor.id:
            raise ServiceError(
                N_("You cannot make an offer to yourself. Ask another lead of this initiative to make it"), "user_id"
            )
        raise ServiceError(N_("Only staff and the co-leads of this initiative can make offers"), "user_id")
    if _open_offer(user_id, activity.id) is not None:
        raise ServiceError(
            N_("This person already has an offer for this activity. Change that offer, or withdraw it first"), "user_id"
        )
    card = current_rate_card(initiative.organisation_id, activity.occurred_on)
    rate = card.rate_for(activity.kind) if card is not None else None
    if rate is not None:
        entry.rate_card_id = card.id
        entry.rate_basis, entry.unit_pence = rate
    if amount_pence is None:
        if rate is None:
            raise ServiceError(
                N_("The rates card has no rate for this kind of activity. Enter the amount to offer"), "amount_pounds"
            )
        amount_pence = rules.offer_amount(entry.unit_pence, units)
    entry.amount_pence = amount_pence
    entry.hours = units if entry.rate_basis is RateBasis.PER_HOUR else 0
    db.session.add(entry)
    capture.name_action(entry, "payment.offered")
    db.session.commit()
    return entry


def _step(entry: ReciprocityEntry, step: str, expected_version: int | None, choice: str | None = None) -> None:
    check_version(entry, expected_version, CONFLICT)
    try:
        entry.status = rules.after(entry.status, step, ReciprocityKind(choice) if choice else None)
    except rules.StepRefused as refused:
        raise ServiceError(str(refused)) from refused


def change_offer(
    actor: User, entry: ReciprocityEntry, *, expected_version: int | None, units: int, amount_pence: int, note: str
) -> ReciprocityEntry:
    capture.set_actor(db.session, actor.id)
    if entry.is_claim or not can(actor, "payment.offer", entry):
        raise ServiceError(N_("Only staff and the co-leads of this initiative can change an offer, never their own"))
    _check_units(units)
    _step(entry, "change_offer", expected_version)
    entry.units = units
    entry.hours = units if entry.rate_basis is RateBasis.PER_HOUR else 0
    entry.amount_pence = amount_pence
    entry.note = note.strip()
    capture.name_action(entry, "payment.offer_changed")
    commit_or_conflict(CONFLICT)
    return entry


def choose(actor: User, entry: ReciprocityEntry, *, expected_version: int | None, choice: str) -> ReciprocityEntry:
    """The person's choice: how they are paid, or no payment, thank you. Recorded as they said it."""
    capture.set_actor(db.session, actor.id)
    if entry.is_claim or not can(actor, "payment.choose", entry):
        raise ServiceError(N_("Only the person, or staff and co-leads on their behalf, can choose"))
    if choice not in {str(c) for c in PAYMENT_CHOICES}:
        raise ServiceError(N_("Choose how you would like to be paid, or no payment"), "choice")
    _step(entry, "choose", expected_version, choice)
    entry.kind = ReciprocityKind(choice)
    entry.claimed_by_id = actor.id
    entry.claimed_at = utcnow()
    declined = entry.kind is ReciprocityKind.DECLINED
    capture.name_action(entry, "payment.declined" if declined else "payment.chosen", choice=choice)
    commit_or_conflict(CONFLICT)
    return entry


# --- expense claims --------------------------------------------------------------------------------


def _store_receipt(data: bytes, filename: str) -> tuple[storage.Stored, filetypes.FileType]:
    if not data:
        raise ServiceError(N_("The selected receipt is empty. Choose a file with something in it"), "receipt")
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and len(data) > limit:
        raise ServiceError(
            N_("The selected receipt must be smaller than %(mb)s MB"), "receipt", mb=limit // (1024 * 1024)
        )
    try:
        kind = filetypes.sniff(data, filename)
    except filetypes.ArchiveRefused as refused:
        raise ServiceError(refused.message, "receipt", **refused.values) from refused
    if kind is None:
        raise ServiceError(
            N_("The receipt must be a %(types)s"), "receipt", types=in_reader_language(filetypes.ALLOWED_DESCRIPTION)
        )
    try:
        return storage.stage(data), kind
    except storage.StoreUnavailable as error:
        current_app.logger.error("Receipt upload refused: %s", error)
        raise ServiceError(STORE_MESSAGES[error.reason], "receipt") from error


def claim_expenses(
    actor: User,
    initiative: Initiative,
    *,
    user_id: int,
    activity_id: int | None,
    amount_pence: int,
    note: str,
    spent_on: date,
    receipt: bytes,
    receipt_name: str,
) -> ReciprocityEntry:
    """An expense claim with its receipt, waiting for approval by someone who is neither the person repaid
    nor whoever made the claim. The receipt is kept with the claim, private like the amount."""
    capture.set_actor(db.session, actor.id)
    if user_id not in _member_ids(initiative):
        raise ServiceError(N_("Choose a member of the initiative"), "user_id")
    activity = _activity_of(initiative, activity_id, required=False)
    if spent_on > date.today():
        raise ServiceError(N_("The date you paid must be today or in the past"), "spent_on")
    if amount_pence <= 0:
        raise ServiceError(N_("Enter the amount you are claiming, like 12.50"), "amount_pounds")
    if not note.strip():
        raise ServiceError(N_("Say what the expense was for"), "note")
    entry = ReciprocityEntry(
        organisation_id=initiative.organisation_id,
        initiative=initiative,
        initiative_id=initiative.id,
        user_id=user_id,
        activity_id=activity.id if activity else None,
        kind=ReciprocityKind.EXPENSES,
        status=PaymentStatus.AWAITING_APPROVAL,
        amount_pence=amount_pence,
        note=note.strip(),
        occurred_on=spent_on,
        claimed_by_id=actor.id,
        claimed_at=utcnow(),
    )
    if not can(actor, "payment.claim", entry):
        raise ServiceError(
            N_("You can claim your own expenses; only staff and co-leads claim for someone else"), "user_id"
        )
    stored, kind = _store_receipt(receipt, receipt_name)
    entry.receipt_filename = filetypes.display_name(receipt_name, kind)
    entry.receipt_content_type = kind.content_type
    entry.receipt_size = stored.size
    entry.receipt_sha256 = stored.sha256
    entry.receipt_storage_key = stored.key
    db.session.add(entry)
    capture.name_action(entry, "payment.claimed")
    commit_staged(stored.key, "Receipt")
    return entry


def receipt_downloaded(actor: User, entry: ReciprocityEntry) -> None:
    """A receipt opened by someone is a disclosure: recorded, without the file's name."""
    capture.record(
        db.session,
        "payment.receipt_downloaded",
        entry.organisation_id,
        "reciprocity_entry",
        entry.id,
        actor_id=actor.id,
        initiative_id=entry.initiative_id,
    )
    db.session.commit()


# --- approval, payment, withdrawal -----------------------------------------------------------------


def approve(actor: User, entry: ReciprocityEntry, *, expected_version: int | None) -> ReciprocityEntry:
    capture.set_actor(db.session, actor.id)
    if not can(actor, "payment.approve", entry):
        if not rules.may_approve(actor.id, entry.user_id, entry.claimed_by_id):
            raise ServiceError(
                N_(
                    "You cannot approve this: it is to you, or you recorded the choice or made the claim. "
                    "Ask another lead or member of staff to approve it"
                )
            )
        raise ServiceError(N_("Only staff and the co-leads of this initiative can approve payments"))
    _step(entry, "approve", expected_version)
    entry.approved_by_id = actor.id
    entry.approved_at = utcnow()
    capture.name_action(entry, "payment.approved")
    commit_or_conflict(CONFLICT)
    return entry


def mark_paid(
    actor: User, entry: ReciprocityEntry, *, expected_version: int | None, reference: str, paid_on: date
) -> ReciprocityEntry:
    capture.set_actor(db.session, actor.id)
    if not can(actor, "payment.mark_paid", entry):
        raise ServiceError(N_("Only staff can mark a payment as paid, and never a payment to themselves"))
    if not reference.strip():
        raise ServiceError(N_("Enter the payment reference"), "reference")
    if paid_on > date.today():
        raise ServiceError(N_("The date it was paid must be today or in the past"), "paid_on")
    _step(entry, "mark_paid", expected_version)
    entry.paid_reference = reference.strip()
    entry.paid_on = paid_on
    capture.name_action(entry, "payment.paid")
    commit_or_conflict(CONFLICT)
    return entry


def withdraw(actor: User, entry: ReciprocityEntry, *, expected_version: int | None, reason: str) -> ReciprocityEntry:
    """Nothing is deleted: an offer or claim is withdrawn, with the reason, and stays on the record."""
    capture.set_actor(db.session, actor.id)
    if not can(actor, "payment.withdraw", entry):
        raise ServiceError(N_("Only staff and co-leads can withdraw this"))
    if not reason.strip():
        raise ServiceError(N_("Say why it is being withdrawn"), "reason")
    _step(entry, "withdraw", expected_version)
    entry.withdrawn_reason = reason.strip()
    entry.withdrawn_by_id = actor.id
    entry.withdrawn_at = utcnow()
    capture.name_action(entry, "payment.withdrawn")
    commit_or_conflict(CONFLICT)
    if entry.receipt_storage_key:
        # A receipt is personal data kept only to approve the claim: once the claim is withdrawn its bytes go
        # (the row keeps the sha256 and the audit trail keeps why). If deleting fails, `flask storage sweep` does it.
        try:
            storage.delete(entry.receipt_storage_key)
        except (OSError, storage.StoreUnavailable):
            log.exception("Could not delete the receipt of withdrawn claim %s; the storage sweep will", entry.id)
    return entry


# --- benefits awareness ----------------------------------------------------------------------------


def year_total(user_id: int, organisation_id: int, day: date | None = None) -> rules.YearTotal:
    """The person's running total for the financial year ``day`` falls in (one query)."""
    day = day or date.today()
    start, end = rules.financial_year(day)
    on = sa.func.coalesce(ReciprocityEntry.paid_on, ReciprocityEntry.occurred_on)
    rows = db.session.execute(
        sa.select(ReciprocityEntry.kind, ReciprocityEntry.status, ReciprocityEntry.amount_pence, on.label("on")).where(
            ReciprocityEntry.organisation_id == organisation_id,
            ReciprocityEntry.user_id == user_id,
            ReciprocityEntry.status.in_(rules.COUNTED),
            on.between(start, end),
        )
    )
    return rules.year_total(
        (rules.YearItem(r.kind, r.status, r.amount_pence, _as_date(r.on)) for r in rows),
        day,
    )


def _as_date(value: object) -> date:
    # SQLite returns COALESCE over dates as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# --- disclosures -----------------------------------------------------------------------------------


def record_export(actor: User, *, start: date, end: date, fmt: str, item_ids: list[int]) -> None:
    """The finance export is a disclosure of who was paid what: each one is in the audit trail."""
    capture.record(
        db.session,
        "payment.exported",
        actor.organisation_id,
        "organisation",
        actor.organisation_id,
        actor_id=actor.id,
        date_from=start.isoformat(),
        date_to=end.isoformat(),
        format=fmt,
        items=len(item_ids),
        item_ids=item_ids,
    )
    db.session.commit()


def record_own_download(actor: User, count: int) -> None:
    capture.record(
        db.session,
        "payment.own_downloaded",
        actor.organisation_id,
        "user",
        actor.id,
        actor_id=actor.id,
        items=count,
    )
    db.session.commit()
