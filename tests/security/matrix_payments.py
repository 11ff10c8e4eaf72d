"""The payments blueprint's part of the permission matrix: offers and claims in the world, expected statuses.

In the world's initiative the commissioner and partner_member are co-leads. Items: an open offer to
partner_member; partner_member's own expense claim with a receipt; an offer to the commissioner whose
choice the commissioner recorded (so the commissioner may not approve it, partner_member may); and an
approved offer to partner_member, for marking paid (staff only, never their own).
"""

from __future__ import annotations

from datetime import date

from matrix_world import Spec, World, by_role, signed_in

from copro_tracker import storage
from copro_tracker.codes import PaymentStatus, ReciprocityKind
from copro_tracker.extensions import db
from copro_tracker.models import ReciprocityEntry, utcnow


def _entry(world: World, person, **values) -> ReciprocityEntry:
    initiative = world.extra["initiative"]
    entry = ReciprocityEntry(
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        activity_id=world.extra["activity"].id,
        user_id=person.id,
        occurred_on=date(2025, 3, 27),
        amount_pence=2500,
        **values,
    )
    db.session.add(entry)
    return entry


def extend_world(world: World) -> None:
    stored = storage.save(b"%PDF-1.4\n%%EOF\n")
    world.extra["offer"] = _entry(
        world, world.partner_member, status=PaymentStatus.OFFERED, offered_by_id=world.commissioner.id
    )
    world.extra["claim"] = _entry(
        world,
        world.partner_member,
        kind=ReciprocityKind.EXPENSES,
        status=PaymentStatus.AWAITING_APPROVAL,
        claimed_by_id=world.partner_member.id,
        note="Secret bus fare",
        receipt_filename="receipt.pdf",
        receipt_content_type="application/pdf",
        receipt_size=stored.size,
        receipt_sha256=stored.sha256,
        receipt_storage_key=stored.key,
    )
    world.extra["own_choice"] = _entry(
        world,
        world.commissioner,
        kind=ReciprocityKind.PAYMENT,
        status=PaymentStatus.AWAITING_APPROVAL,
        offered_by_id=world.partner_member.id,
        claimed_by_id=world.commissioner.id,
    )
    world.extra["approved"] = _entry(
        world,
        world.partner_member,
        kind=ReciprocityKind.VOUCHER,
        status=PaymentStatus.APPROVED,
        claimed_by_id=world.partner_member.id,
        approved_by_id=world.commissioner.id,
        approved_at=utcnow(),
    )
    db.session.commit()
    world.extra.setdefault("secrets", []).append("Secret bus fare")


def _p(w: World, item: str | None = None) -> str:
    base = f"/initiatives/{w.extra['initiative'].id}/payments"
    return f"{base}/{w.extra[item].id}" if item else base


def specs() -> dict[str, Spec]:
    viewers = by_role(200, 200, 200, 404, 404)
    # Sent empty: a permitted person gets the form back with its errors (400), nothing changes.
    step = by_role(400, 400, 400, 404, 404)
    return {
        "payments.initiative_payments": Spec("GET", _p, viewers),
        "payments.new_offer": Spec("GET", lambda w: f"{_p(w)}/offer", viewers),
        "payments.new_claim": Spec("GET", lambda w: f"{_p(w)}/claim", viewers),
        # partner_member sees it because it is theirs; a partner never sees another person's (tests/web).
        "payments.item": Spec("GET", lambda w: _p(w, "offer"), viewers),
        "payments.receipt": Spec("GET", lambda w: f"{_p(w, 'claim')}/receipt", viewers),
        # Nobody changes an offer made to themselves.
        "payments.change_offer": Spec("GET", lambda w: f"{_p(w, 'offer')}/change", by_role(200, 200, 403, 404, 404)),
        "payments.choose": Spec("POST", lambda w: f"{_p(w, 'offer')}/choose", step),
        # The commissioner recorded their own choice: they may not approve it; the other co-lead and staff may.
        "payments.approve": Spec("POST", lambda w: f"{_p(w, 'own_choice')}/approve", by_role(400, 403, 400, 404, 404)),
        # Marking paid is for staff (finance); partners are refused before anything is looked up.
        "payments.mark_paid": Spec("POST", lambda w: f"{_p(w, 'approved')}/paid", by_role(400, 400, 403, 403, 404)),
        "payments.withdraw": Spec("POST", lambda w: f"{_p(w, 'offer')}/withdraw", step),
        "payments.rates": Spec("GET", lambda w: "/admin/payments", by_role(200, 403, 403, 403, 200)),
        "payments.my_payments": Spec("GET", lambda w: "/profile/payments", signed_in(200)),
        "payments.my_payments_download": Spec("GET", lambda w: "/profile/payments/download", signed_in(200)),
        "payments.finance_export": Spec("GET", lambda w: "/payments/export", by_role(200, 200, 403, 403, 200)),
        # Without a date range the download goes back to the form.
        "payments.finance_export_csv": Spec("GET", lambda w: "/payments/export/csv", by_role(302, 302, 403, 403, 302)),
    }
