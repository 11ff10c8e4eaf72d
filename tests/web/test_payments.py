"""Payments for involvement through the pages: rates card, offer, choice, claim, approval, paid, withdrawn,
your payments, and the finance export (which must add up in a spreadsheet)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from conftest import Page, get_page, make_user, post_page
from initiative_factories import add_activity, make_initiative
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from copro_tracker import storage
from copro_tracker.codes import MemberRole, OrgRole, PaymentStatus, ReciprocityKind
from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import AuditEvent, ReciprocityEntry
from copro_tracker.payments import service

RECEIPT = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(app, org, admin, commissioner, partner, tmp_path):
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    initiative = make_initiative(commissioner, partner)  # partner is a co-lead
    member = make_user(org, OrgRole.CITIZEN_PARTNER, name="Bea Member")
    initiatives.add_member(commissioner, initiative, member, MemberRole.MEMBER.value)
    activity = add_activity(initiative, commissioner, [commissioner, partner, member])
    rates = {"workshop": ("per_hour", 2000), "steering_group": ("per_session", 3500)}
    details = service.RateCardDetails(date(2020, 4, 6), rates, "Bus and train fares", 10_000, "Ask Citizens Advice", "")
    service.add_rate_card(admin, details)
    return {"initiative": initiative, "activity": activity, "member": member}


def _url(world, entry=None, tail=""):
    base = f"/initiatives/{world['initiative'].id}/payments"
    return f"{base}/{entry.id}{tail}" if entry is not None else base + tail


def _entry(entry_id):
    db.session.expire_all()
    return db.session.get(ReciprocityEntry, entry_id)


def _offer(client, world, person, **extra):
    data = {"user_id": str(person.id), "activity_id": str(world["activity"].id), "units": "3", **extra}
    response = client.post(_url(world, tail="/offer"), data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(sa.select(ReciprocityEntry).order_by(ReciprocityEntry.id.desc())).first()


def test_offer_choose_approve_pay_end_to_end(client, world, commissioner, partner, admin, login_as):
    login_as(commissioner)
    member = world["member"]
    entry = _offer(client, world, member)
    assert (entry.amount_pence, entry.rate_basis.value, entry.unit_pence, entry.units) == (6000, "per_hour", 2000, 3)
    assert entry.status is PaymentStatus.OFFERED and entry.kind is None

    login_as(member)
    page = get_page(client, _url(world, entry))
    assert "With this offer: £60.00" in page.text() and "Ask Citizens Advice" in page.text()
    response = client.post(
        _url(world, entry, "/choose"), data={"choose-choice": "voucher", "choose-version": str(entry.version)}
    )
    assert response.status_code == 302
    entry = _entry(entry.id)
    assert (entry.kind, entry.status, entry.claimed_by_id) == (
        ReciprocityKind.VOUCHER,
        PaymentStatus.AWAITING_APPROVAL,
        member.id,
    )
    # A member cannot approve or mark paid anything.
    assert client.post(_url(world, entry, "/approve"), data={"approve-version": "1"}).status_code == 403

    login_as(partner)  # the partner co-lead is neither the person paid nor who recorded the choice
    response = client.post(_url(world, entry, "/approve"), data={"approve-version": str(entry.version)})
    assert response.status_code == 302
    entry = _entry(entry.id)
    assert entry.status is PaymentStatus.APPROVED and entry.approved_by_id == partner.id

    login_as(admin)
    tomorrow = date.today() + timedelta(days=1)
    future = {"paid-reference": "BACS 0042", "paid-version": str(entry.version)}
    future["paid-paid_on"] = [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]
    page = post_page(client, _url(world, entry, "/paid"), future, status=400)
    assert page.errors() == ["Date paid must be today or in the past"]
    today = date.today()
    paid = {**future, "paid-paid_on": [str(today.day), str(today.month), str(today.year)]}
    assert client.post(_url(world, entry, "/paid"), data=paid).status_code == 302
    entry = _entry(entry.id)
    assert (entry.status, entry.paid_reference, entry.paid_on) == (PaymentStatus.PAID, "BACS 0042", today)
    actions = list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.entity_type == "reciprocity_entry", AuditEvent.entity_id == entry.id)
            .order_by(AuditEvent.seq)
        )
    )
    assert actions == ["payment.offered", "payment.chosen", "payment.approved", "payment.paid"]


def test_no_payment_thank_you_is_a_choice_and_can_be_changed(client, world, commissioner, login_as):
    login_as(commissioner)
    entry = _offer(client, world, world["member"])
    login_as(world["member"])
    page = get_page(client, _url(world, entry))
    assert "No payment, thank you" in page.text()
    data = {"choose-choice": "declined", "choose-version": str(entry.version)}
    assert client.post(_url(world, entry, "/choose"), data=data).status_code == 302
    entry = _entry(entry.id)
    assert (entry.kind, entry.status) == (ReciprocityKind.DECLINED, PaymentStatus.DECLINED)
    data = {"choose-choice": "payment", "choose-version": str(entry.version)}
    assert client.post(_url(world, entry, "/choose"), data=data).status_code == 302
    assert _entry(entry.id).status is PaymentStatus.AWAITING_APPROVAL


def test_nobody_approves_their_own_nor_what_they_chose_or_claimed(client, world, commissioner, partner, login_as):
    login_as(partner)
    offer_to_tom = _offer(client, world, commissioner)
    # Nobody makes an offer to themselves: it is not even a choice on the form.
    page = get_page(client, _url(world, tail="/offer"))
    assert "Amira Partner" not in [o.text for o in page.soup.select("#user_id option")]
    login_as(commissioner)
    data = {"choose-choice": "payment", "choose-version": str(offer_to_tom.version)}
    assert client.post(_url(world, offer_to_tom, "/choose"), data=data).status_code == 302
    refused = client.post(_url(world, offer_to_tom, "/approve"), data={"approve-version": "2"})
    assert refused.status_code == 403
    page = get_page(client, _url(world, offer_to_tom))
    assert "Someone else needs to approve this" in page.text()
    # Staff recording a choice on someone's behalf may not then approve it either.
    entry = _offer(client, world, world["member"])
    data = {"choose-choice": "payment", "choose-version": str(entry.version)}
    assert client.post(_url(world, entry, "/choose"), data=data).status_code == 302
    assert client.post(_url(world, entry, "/approve"), data={"approve-version": "2"}).status_code == 403
    with pytest.raises(service.ServiceError, match="You cannot approve this"):
        service.approve(commissioner, _entry(entry.id), expected_version=2)
    assert _entry(entry.id).status is PaymentStatus.AWAITING_APPROVAL


def test_expense_claim_with_receipt_is_private_and_approved_by_another(
    client, world, commissioner, partner, admin, login_as
):
    member = world["member"]
    login_as(member)
    data = {
        "user_id": str(commissioner.id),  # ignored: a member claims only for themselves
        "activity_id": str(world["activity"].id),
        "note": "Bus there and back",
        "amount_pounds": "6.40",
        "spent_on": ["1", "10", "2026"],
        "receipt": (io.BytesIO(RECEIPT), "bus ticket.pdf"),
    }
    response = client.post(_url(world, tail="/claim"), data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    claim = db.session.scalar(sa.select(ReciprocityEntry).where(ReciprocityEntry.kind == ReciprocityKind.EXPENSES))
    assert (claim.user_id, claim.claimed_by_id, claim.amount_pence) == (member.id, member.id, 640)
    assert claim.status is PaymentStatus.AWAITING_APPROVAL
    download = client.get(_url(world, claim, "/receipt"))
    assert download.status_code == 200 and download.data == RECEIPT
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "payment.receipt_downloaded"))

    # Another partner of the initiative does not even learn the claim exists.
    other = make_user(member.organisation, OrgRole.CITIZEN_PARTNER, name="Cai Other")
    initiatives.add_member(commissioner, world["initiative"], other, MemberRole.MEMBER.value)
    login_as(other)
    assert client.get(_url(world, claim)).status_code == 404
    assert client.get(_url(world, claim, "/receipt")).status_code == 404
    assert "Bus there and back" not in get_page(client, _url(world)).text()

    login_as(partner)
    assert client.post(_url(world, claim, "/approve"), data={"approve-version": "1"}).status_code == 302
    assert _entry(claim.id).status is PaymentStatus.APPROVED


def test_a_claim_without_receipt_or_amount_keeps_the_answers(client, world, login_as):
    login_as(world["member"])
    data = {"note": "Taxi", "amount_pounds": "twelve", "spent_on": ["1", "10", "2026"]}
    page = post_page(client, _url(world, tail="/claim"), data, status=200)
    assert page.errors() == ["Enter an amount in pounds, like 25 or 25.50", "Select the receipt to upload"]
    assert page.soup.select_one("#note").text.strip() == "Taxi"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReciprocityEntry)) == 0


def test_withdrawn_with_a_reason_and_nothing_deleted(client, world, commissioner, login_as):
    login_as(commissioner)
    entry = _offer(client, world, world["member"])
    page = post_page(client, _url(world, entry, "/withdraw"), {"withdraw-version": "1"}, status=400)
    assert page.errors() == ["Say why it is being withdrawn"]
    data = {"withdraw-reason": "Offered twice by mistake", "withdraw-version": "1"}
    assert client.post(_url(world, entry, "/withdraw"), data=data).status_code == 302
    entry = _entry(entry.id)
    assert (entry.status, entry.withdrawn_reason) == (PaymentStatus.WITHDRAWN, "Offered twice by mistake")
    assert "Withdrawn" in get_page(client, _url(world, entry)).text()
    # A new offer can now be made for the same activity; before, it was refused as a second offer.
    assert _offer(client, world, world["member"]).id != entry.id


def test_a_second_open_offer_and_a_stale_step_are_refused(client, world, commissioner, partner, login_as):
    login_as(commissioner)
    entry = _offer(client, world, world["member"])
    data = {"user_id": str(world["member"].id), "activity_id": str(world["activity"].id), "units": "1"}
    page = post_page(client, _url(world, tail="/offer"), data)
    assert page.errors() == [
        "This person already has an offer for this activity. Change that offer, or withdraw it first"
    ]
    # Someone changes the offer while the person has the page open: their choice is not saved over it.
    change = {"units": "2", "amount_pounds": "40", "note": "", "version": "1"}
    assert client.post(_url(world, entry, "/change"), data=change).status_code == 302
    login_as(world["member"])
    page = post_page(client, _url(world, entry, "/choose"), {"choose-choice": "payment", "choose-version": "1"}, 409)
    assert "Someone else changed this payment" in page.errors()[0]
    assert _entry(entry.id).status is PaymentStatus.OFFERED


def test_the_year_total_warns_before_an_offer_is_accepted(client, world, commissioner, login_as):
    login_as(commissioner)
    member = world["member"]
    first = _offer(client, world, member)  # £60.00 against a £100.00 threshold
    service.choose(member, first, expected_version=first.version, choice="payment")
    second_activity = add_activity(world["initiative"], commissioner, [member])
    data = {"user_id": str(member.id), "activity_id": str(second_activity.id), "units": "1", "amount_pounds": "45"}
    assert client.post(_url(world, tail="/offer"), data=data).status_code == 302
    second = db.session.scalars(sa.select(ReciprocityEntry).order_by(ReciprocityEntry.id.desc())).first()
    login_as(member)
    text = get_page(client, _url(world, second)).text()
    assert "agreed or paid: £60.00" in text and "With this offer: £105.00" in text
    assert "past £100.00" in text
    service.withdraw(commissioner, first, expected_version=_entry(first.id).version, reason="Cancelled")
    assert "past £100.00" not in get_page(client, _url(world, second)).text()


def test_your_payments_page_and_download(client, world, commissioner, login_as):
    login_as(commissioner)
    data = {"user_id": str(world["member"].id), "activity_id": str(world["activity"].id), "units": "3"}
    page = post_page(client, _url(world, tail="/offer"), {**data, "amount_pounds": "=1+2"})
    assert page.errors() == ["Enter an amount in pounds, like 25 or 25.50"]
    _offer(client, world, world["member"])
    login_as(world["member"])
    page = get_page(client, "/profile/payments")
    assert "Co-design workshop" in page.text() and "£60.00" in page.text()
    response = client.get("/profile/payments/download")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Initiative", "Activity", "Date", "Kind", "Amount (GBP)"]
    assert rows[1][4] == "60.00" and rows[1][5] == "Offered: waiting for their choice"
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "payment.own_downloaded"))


def _settle(world, person, approver, amount, *, paid: bool, choice="payment"):
    activity = add_activity(world["initiative"], approver, [person])
    entry = service.make_offer(
        approver, world["initiative"], user_id=person.id, activity_id=activity.id, units=1, amount_pence=amount
    )
    service.choose(person, entry, expected_version=entry.version, choice=choice)
    service.approve(approver, entry, expected_version=entry.version)
    if paid:
        service.mark_paid(
            approver, entry, expected_version=entry.version, reference=f"REF{amount}", paid_on=date.today()
        )
    return entry


def test_finance_export_adds_up_in_a_spreadsheet_and_is_a_disclosure(
    client, world, commissioner, partner, admin, login_as
):
    member = world["member"]
    _settle(world, member, commissioner, 2550, paid=True)
    _settle(world, member, commissioner, 1999, paid=False, choice="voucher")
    _settle(world, partner, commissioner, 10001, paid=True, choice="time_credit")
    login_as(admin)
    today = date.today()
    query = {
        "start": [str(today.day), str(today.month), str(today.year)],
        "end": [str(today.day), str(today.month), str(today.year)],
    }
    page = get_page(client, "/payments/export?" + "&".join(f"{k}={v}" for k, vs in query.items() for v in vs))
    assert "Total (3 items)" in page.text() and "£145.50" in page.text()
    csv_url = "/payments/export/csv?" + "&".join(f"{k}={v}" for k, vs in query.items() for v in vs)
    response = client.get(csv_url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    items, total = rows[:-1], rows[-1]
    assert total["Person"] == "Total" and len(items) == 3
    assert sum(Decimal(r["Amount (GBP)"]) for r in items) == Decimal(total["Amount (GBP)"]) == Decimal("145.50")
    assert {r["Kind"] for r in items} == {"Payment", "Voucher", "Time credits"}
    assert {r["Approved by"] for r in items} == {"Tom Commissioner"}
    assert {r["Payment reference"] for r in items} == {"REF2550", "", "REF10001"}
    exports = list(
        db.session.scalars(
            sa.select(AuditEvent.payload).where(AuditEvent.action == "payment.exported").order_by(AuditEvent.seq)
        )
    )
    assert len(exports) == 2 and '"format":"csv"' in exports[1]
    with client.session_transaction() as session:
        session["lang"] = "cy"
    # The total counts its items in the reader's language too.
    welsh = client.get("/payments/export?" + "&".join(f"{k}={v}" for k, vs in query.items() for v in vs))
    assert "Cyfanswm (3 eitem)" in welsh.get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "en"
    # A range that ends before it starts is refused with a message; nothing is exported.
    bad = "/payments/export?start=2&start=1&start=2026&end=1&end=1&end=2026"
    page = get_page(client, bad, status=400)
    assert page.errors() == ["The last day must be the same as or after the first day"]


def test_rates_card_versions_are_kept_and_prefill_offers(client, world, admin, commissioner, login_as):
    login_as(admin)
    page = get_page(client, "/admin/payments")
    assert page.soup.select_one("#rate_workshop")["value"] == "20.00"
    data = {
        "effective_from": ["6", "4", "2026"],
        "rate_workshop": "22.50",
        "basis_workshop": "per_hour",
        "expenses_rules": "Bus, train, care cover",
        "year_threshold": "200",
    }
    for kind in ("co_design_session", "steering_group", "survey", "training", "review", "evaluation_panel", "other"):
        data[f"basis_{kind}"] = "per_session"
    assert client.post("/admin/payments", data=data).status_code == 302
    assert len(service.rate_card_history(admin.organisation_id)) == 2
    login_as(commissioner)
    entry = _offer(client, world, world["member"])  # the activity is on 1 October 2026: the new rate applies
    assert (entry.unit_pence, entry.amount_pence) == (2250, 6750)
    assert client.get("/admin/payments").status_code == 403


def test_other_organisations_items_are_not_found(client, world, commissioner, outsider, login_as):
    login_as(commissioner)
    entry = _offer(client, world, world["member"])
    login_as(outsider)
    for tail in ("", "/change", "/receipt"):
        assert client.get(_url(world, entry, tail)).status_code == 404
    assert client.post(_url(world, entry, "/approve"), data={"approve-version": "1"}).status_code == 404


def test_reports_summarise_payments_and_leave_out_withdrawn_offers(client, world, commissioner, admin, login_as):
    member = world["member"]
    _settle(world, member, commissioner, 2550, paid=True)
    withdrawn = service.make_offer(
        commissioner,
        world["initiative"],
        user_id=member.id,
        activity_id=world["activity"].id,
        units=1,
        amount_pence=999,
    )
    service.withdraw(commissioner, withdrawn, expected_version=withdrawn.version, reason="Wrong person")
    login_as(admin)
    page = get_page(client, f"/initiatives/{world['initiative'].id}/report")
    table = page.soup.select_one("#table-recognition_by_kind")
    rows = {" ".join(tr.get_text(" ").split()) for tr in table.select("tbody tr")}
    assert any(row.startswith("Payment 1 1 1") for row in rows), rows
    assert not any("9.99" in row for row in rows)
    portfolio = get_page(client, "/reports/portfolio")
    assert "Payments and recognition by choice and kind" in portfolio.text()
    assert "fewer than 5" in portfolio.soup.select_one("#table-recognition_by_kind").get_text()


def test_a_receipt_over_the_limit_comes_back_with_the_answers_kept(client, app, world, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    login_as(world["member"])
    fields = MultiDict(
        [
            ("note", "Train to the panel"),
            ("amount_pounds", "23.10"),
            ("spent_on", "1"),
            ("spent_on", "10"),
            ("spent_on", "2026"),
            ("receipt", FileStorage(io.BytesIO(RECEIPT + b"0" * (5 * 1024 * 1024)), filename="ticket.pdf")),
        ]
    )
    # Encoded here, in memory: for a body this size the test client would spool to a temporary file it never
    # closes (a ResourceWarning in whichever test runs next).
    boundary, body = encode_multipart(fields)
    response = client.post(
        _url(world, tail="/claim"), data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    page = Page(response).check()
    assert response.status_code == 200
    assert page.errors() == ["The selected receipt must be smaller than 2 MB"]
    assert page.soup.select_one("#note").text.strip() == "Train to the panel"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReciprocityEntry)) == 0


def test_payments_pages_cost_the_same_few_queries_at_two_sizes(client, world, commissioner, partner, admin, login_as):
    from query_counter import count_queries

    member = world["member"]
    today = date.today()
    day = f"{today.day}&start={today.month}&start={today.year}"
    export = f"/payments/export?start={day}&end={today.day}&end={today.month}&end={today.year}"
    urls = [_url(world), "/profile/payments", "/profile/payments/download", export, export.replace("?", "/csv?", 1)]

    def costs(person, pages: list[str]) -> list[int]:
        login_as(person)
        return [count_queries(lambda u=url: client.get(u)) for url in pages]

    _settle(world, member, commissioner, 1000, paid=True)
    small = costs(admin, urls), costs(member, urls[:3])
    for n in range(6):
        _settle(world, member, commissioner, 1100 + n, paid=n % 2 == 0, choice=("payment", "voucher")[n % 2])
    large = costs(admin, urls), costs(member, urls[:3])
    assert small == large
    assert max(max(c) for c in large) <= 12, large


def test_withdrawing_a_claim_deletes_its_receipt(client, world, commissioner, login_as):
    member = world["member"]
    login_as(member)
    data = {
        "activity_id": str(world["activity"].id),
        "note": "Taxi",
        "amount_pounds": "12",
        "spent_on": ["1", "10", "2026"],
        "receipt": (io.BytesIO(RECEIPT), "taxi.pdf"),
    }
    assert client.post(_url(world, tail="/claim"), data=data, content_type="multipart/form-data").status_code == 302
    claim = db.session.scalar(sa.select(ReciprocityEntry).where(ReciprocityEntry.kind == ReciprocityKind.EXPENSES))
    key = claim.receipt_storage_key
    assert storage.exists(key)

    login_as(commissioner)
    data = {"withdraw-reason": "Claimed on the wrong initiative", "withdraw-version": str(claim.version)}
    assert client.post(_url(world, claim, "/withdraw"), data=data).status_code == 302
    assert not storage.exists(key)
    assert client.get(_url(world, claim, "/receipt")).status_code == 404
    assert _entry(claim.id).withdrawn_reason == "Claimed on the wrong initiative"


def test_history_shows_other_members_that_a_payment_changed_but_not_what_it_holds(
    client, world, commissioner, partner, login_as
):
    login_as(commissioner)
    member = world["member"]
    entry = _offer(client, world, member)
    service.change_offer(
        commissioner,
        _entry(entry.id),
        expected_version=entry.version,
        units=4,
        amount_pence=8123,
        note="Paid into the credit union account",
    )
    other = make_user(member.organisation, OrgRole.CITIZEN_PARTNER, name="Cai Other")
    initiatives.add_member(commissioner, world["initiative"], other, MemberRole.MEMBER.value)
    history_url = f"/initiatives/{world['initiative'].id}/history?show=all"
    record_url = f"/initiatives/{world['initiative'].id}/history/reciprocity_entry/{entry.id}"

    login_as(other)
    for url in (history_url, record_url, history_url + "&download=csv"):
        text = client.get(url).get_data(as_text=True)
        assert "8123" not in text and "81.23" not in text and "credit union" not in text, url
        assert "shown only to the person paid" in text, url

    login_as(partner)  # a co-lead runs the initiative's payments
    text = client.get(record_url).get_data(as_text=True)
    assert "8123" in text or "81.23" in text


def test_payment_refusals_reach_a_welsh_reader_in_welsh(client, app, world, commissioner, login_as, monkeypatch):
    """Service refusals are message ids the page translates; one with a value is translated before it goes in."""
    login_as(commissioner)
    entry = _offer(client, world, world["member"])
    with client.session_transaction() as session:
        session["lang"] = "cy"
    data = {"user_id": str(world["member"].id), "activity_id": str(world["activity"].id), "units": "1"}
    response = client.post(_url(world, tail="/offer"), data=data)
    assert response.status_code == 200
    assert Page(response).errors() == [
        (
            "Mae gan yr unigolyn hwn gynnig ar gyfer y gweithgaredd hwn yn barod. "
            "Newidiwch y cynnig hwnnw, neu ei dynnu'n ôl yn gyntaf"
        )
    ]
    # A step the item's status does not allow (the domain's refusal): the offer has not been chosen yet.
    response = client.post(_url(world, entry, "/approve"), data={"approve-version": str(entry.version)})
    assert response.status_code == 400
    assert Page(response).errors() == ["Dim ond rhywbeth sy'n aros am gymeradwyaeth y gellir ei gymeradwyo"]
    # A receipt too large: the limit is a value in the message.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    fields = MultiDict(
        [
            ("user_id", str(commissioner.id)),
            ("note", "Tren i'r panel"),
            ("amount_pounds", "23.10"),
            ("spent_on", "1"),
            ("spent_on", "10"),
            ("spent_on", "2026"),
            ("receipt", FileStorage(io.BytesIO(RECEIPT + b"0" * (2 * 1024 * 1024)), filename="ticket.pdf")),
        ]
    )
    boundary, body = encode_multipart(fields)
    response = client.post(
        _url(world, tail="/claim"), data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 200
    assert Page(response).errors() == ["Rhaid i'r dderbynneb a ddewiswyd fod yn llai na 1 MB"]


def test_a_refused_archive_receipt_is_explained_in_welsh_with_its_limit(client, world, login_as):
    """The archive checks name their limit as a value: the whole sentence is translated, then the limit put in."""
    import zipfile

    from copro_tracker.activities import filetypes

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        for i in range(filetypes.MAX_ARCHIVE_ENTRIES):
            archive.writestr(f"word/media/image{i}.png", b"x")
    login_as(world["member"])
    with client.session_transaction() as session:
        session["lang"] = "cy"
    data = {
        "note": "Tocyn tren",
        "amount_pounds": "4.20",
        "spent_on": ["1", "10", "2026"],
        "receipt": (io.BytesIO(buffer.getvalue()), "ticket.docx"),
    }
    response = client.post(_url(world, tail="/claim"), data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert Page(response).errors() == [
        (
            "Mae gan y ffeil a ddewiswyd fwy na 1,000 o rannau ar wahân, llawer mwy na dogfen go iawn, felly ni "
            "chafodd ei chadw. Cadwch eich dogfen eto, neu fel PDF, a lanlwythwch y copi hwnnw"
        )
    ]
