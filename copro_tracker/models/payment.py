"""Payments for involvement: the organisation's rates card, and each offer or expense claim to a person.

The steps an item goes through (offered, chosen, claimed, approved, paid, withdrawn) are defined once in
copro_tracker/domain/payments.py; this module only stores where each item is.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import PaymentStatus, RateBasis, ReciprocityKind
from ..extensions import db
from .activity import Activity
from .initiative import Initiative
from .organisation import User, _enum, utcnow


class RateCard(db.Model):
    """One version of what an organisation pays for involvement, from a date. Versions are never changed:
    a new rate is a new version, so an offer made last year still shows the rate it came from."""

    __tablename__ = "rate_card"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    effective_from: Mapped[date]
    # {activity kind code: {"basis": RateBasis code, "pence": int}}; kinds without a rate are left out.
    rates: Mapped[dict] = mapped_column(sa.JSON, default=dict, info={"audit_plain": True})
    expenses_rules: Mapped[str] = mapped_column(sa.Text, default="", info={"audit_plain": True})
    # The yearly total (6 April to 5 April) past which people are warned before accepting; None: no warning.
    year_threshold_pence: Mapped[int | None]
    benefits_advice: Mapped[str] = mapped_column(sa.Text, default="", info={"audit_plain": True})
    benefits_advice_url: Mapped[str] = mapped_column(sa.String(500), default="", info={"audit_plain": True})
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User] = relationship()

    __table_args__ = (sa.CheckConstraint("year_threshold_pence >= 0", name="threshold_not_negative"),)

    def rate_for(self, activity_kind: str) -> tuple[RateBasis, int] | None:
        rate = (self.rates or {}).get(str(getattr(activity_kind, "value", activity_kind)))
        if not rate:
            return None
        return RateBasis(rate["basis"]), int(rate["pence"])


class ReciprocityEntry(db.Model):
    """What a person is offered for their part in an initiative (and what they chose), or an expense claim.

    An offer has no ``kind`` until the person chooses; a claim's kind is EXPENSES from the start. Entries
    recorded before offers existed were given and approved when recorded, so they are PAID.
    """

    __tablename__ = "reciprocity_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activity.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    kind: Mapped[ReciprocityKind | None] = mapped_column(_enum(ReciprocityKind))
    status: Mapped[PaymentStatus] = mapped_column(_enum(PaymentStatus), default=PaymentStatus.OFFERED)
    amount_pence: Mapped[int] = mapped_column(default=0)
    hours: Mapped[int] = mapped_column(default=0)
    # The rate an offer was worked out from (a copy: later versions of the card do not change it).
    rate_card_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rate_card.id"))
    rate_basis: Mapped[RateBasis | None] = mapped_column(_enum(RateBasis))
    unit_pence: Mapped[int] = mapped_column(default=0)
    units: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # The activity's date for an offer, the day the cost was paid out for a claim.
    occurred_on: Mapped[date]
    offered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    offered_at: Mapped[datetime | None]
    # Who recorded the person's choice, or made the claim: they may not approve it.
    claimed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    claimed_at: Mapped[datetime | None]
    receipt_filename: Mapped[str] = mapped_column(sa.String(200), default="")
    receipt_content_type: Mapped[str] = mapped_column(sa.String(100), default="", info={"audit_plain": True})
    receipt_size: Mapped[int] = mapped_column(default=0)
    receipt_sha256: Mapped[str] = mapped_column(sa.String(64), default="", info={"audit_plain": True})
    receipt_storage_key: Mapped[str | None] = mapped_column(sa.String(100), info={"audit_plain": True})
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None]
    paid_on: Mapped[date | None]
    paid_reference: Mapped[str] = mapped_column(sa.String(100), default="")
    withdrawn_reason: Mapped[str] = mapped_column(sa.Text, default="")
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    initiative: Mapped[Initiative] = relationship()
    activity: Mapped[Activity | None] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    offered_by: Mapped[User | None] = relationship(foreign_keys=[offered_by_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("amount_pence >= 0 AND hours >= 0", name="not_negative"),
        sa.CheckConstraint("unit_pence >= 0 AND units >= 0", name="units_not_negative"),
    )

    @property
    def is_claim(self) -> bool:
        return self.kind is ReciprocityKind.EXPENSES

    @property
    def has_receipt(self) -> bool:
        return bool(self.receipt_storage_key)
