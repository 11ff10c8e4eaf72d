"""Outputs (plans and their accessible formats) and payments or recognition for partners."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from conftest import get_page, make_user, post_page
from initiative_factories import make_initiative

from copro_tracker.codes import OrgRole
from copro_tracker.extensions import db
from copro_tracker.models import AuditEvent, Output, ReciprocityEntry
from copro_tracker.outputs import service as outputs_service
from copro_tracker.services import ServiceError

PLAN = {
    "kind": "information_advice_plan",
    "title": "Carers' information and advice plan 2027",
    "document_version": "2",
    "published_url": "https://northshire.example/carers-plan",
    "published_on": ["3", "11", "2026"],
    "formats": ["easy_read", "large_print"],
}


def test_record_and_publish_an_output_with_co_authors(client, commissioner, partner, login_as):
    initiative = make_initiative(commissioner, partner)
    login_as(partner)
    response = client.post(
        f"/initiatives/{initiative.id}/outputs/new",
        data={**PLAN, "co_author_ids": [str(commissioner.id), str(partner.id)], "evidence_id": ""},
    )
    assert response.status_code == 302
    output = db.session.scalar(sa.select(Output))
    assert output.published and output.formats == ["easy_read", "large_print"]
    assert output.co_author_ids == sorted([commissioner.id, partner.id])
    page = get_page(client, f"/initiatives/{initiative.id}/outputs")
    assert "Easy Read, Large print" in page.text() and "Amira Partner" in page.text()
    assert "output.recorded" in set(db.session.scalars(sa.select(AuditEvent.action)))


def test_output_errors_keep_input(client, commissioner, partner, org, login_as):
    initiative = make_initiative(commissioner, partner)
    stranger = make_user(org, OrgRole.CITIZEN_PARTNER)
    login_as(commissioner)
    page = post_page(
        client, f"/initiatives/{initiative.id}/outputs/new", {**PLAN, "published_url": "not a url", "title": ""}
    )
    assert page.errors() == [
        "Enter the title of the output",
        "Enter a web address in the correct format, like https://example.org/plan",
    ]
    assert page.soup.select_one("#published_url")["value"] == "not a url"
    page = post_page(client, f"/initiatives/{initiative.id}/outputs/new", {**PLAN, "co_author_ids": [str(stranger.id)]})
    assert page.errors() == ["Co-authors must be members of the initiative"]
    page = post_page(
        client,
        f"/initiatives/{initiative.id}/outputs/new",
        {**PLAN, "published_on": ["", "", ""]},
    )
    assert page.errors() == ["Give both the web address and the date it was published, or neither"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Output)) == 0


def test_recognition_is_private_to_the_person_and_the_leads(client, commissioner, partner, org, login_as):
    initiative = make_initiative(commissioner, partner)
    other = make_user(org, OrgRole.CITIZEN_PARTNER, name="George Carer")
    from copro_tracker.initiatives import service

    service.add_member(commissioner, initiative, other, "member")
    login_as(commissioner)
    for person, amount in ((partner, "25.50"), (other, "40")):
        response = client.post(
            f"/initiatives/{initiative.id}/recognition",
            data={
                "user_id": str(person.id),
                "kind": "payment",
                "amount_pounds": amount,
                "occurred_on": ["1", "10", "2026"],
            },
        )
        assert response.status_code == 302
    assert sorted(db.session.scalars(sa.select(ReciprocityEntry.amount_pence))) == [2550, 4000]
    page = post_page(
        client,
        f"/initiatives/{initiative.id}/recognition",
        {
            "user_id": str(partner.id),
            "kind": "payment",
            "amount_pounds": "-3",
            "occurred_on": ["1", "10", "2026"],
        },
    )
    assert page.errors() == ["Enter an amount in pounds, like 25 or 25.50"]
    login_as(other)
    page = get_page(client, f"/initiatives/{initiative.id}/recognition")
    assert "£40.00" in page.text() and "£25.50" not in page.text()
    assert client.post(f"/initiatives/{initiative.id}/recognition", data={}).status_code == 403


def test_nobody_records_or_approves_a_payment_to_themselves(client, commissioner, partner, login_as):
    """A citizen-partner co-lead may record recognition for others, never for themselves: the person
    recording is the approver, and a payment needs approval by someone other than the person paid."""
    initiative = make_initiative(commissioner, partner)
    login_as(partner)
    to_self = {
        "user_id": str(partner.id),
        "kind": "payment",
        "amount_pounds": "500",
        "occurred_on": ["1", "10", "2026"],
        "note": "Keep me",
    }
    page = post_page(client, f"/initiatives/{initiative.id}/recognition", to_self)
    assert page.errors() == [
        (
            "You cannot record a payment or other recognition for yourself. "
            "Ask another lead of this initiative to record and approve it"
        )
    ]
    assert page.soup.select_one("textarea#note").text.strip() == "Keep me"
    assert page.soup.select_one("input#amount_pounds")["value"] == "500"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReciprocityEntry)) == 0
    login_as(commissioner)
    for_commissioner = {**to_self, "user_id": str(commissioner.id)}
    assert post_page(client, f"/initiatives/{initiative.id}/recognition", for_commissioner).errors()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReciprocityEntry)) == 0
    # Another lead records it, and is named as its approver.
    response = client.post(f"/initiatives/{initiative.id}/recognition", data=to_self)
    assert response.status_code == 302
    entry = db.session.scalars(sa.select(ReciprocityEntry)).one()
    assert (entry.user_id, entry.approved_by_id, entry.amount_pence) == (partner.id, commissioner.id, 50000)


def test_the_service_refuses_self_approval_whatever_the_form_says(commissioner, partner):
    initiative = make_initiative(commissioner, partner)
    with pytest.raises(ServiceError) as refused:
        outputs_service.record_reciprocity(
            partner,
            initiative,
            user_id=partner.id,
            kind="payment",
            amount_pence=100,
            hours=0,
            note="",
            occurred_on=date(2026, 10, 1),
        )
    assert refused.value.field == "user_id"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReciprocityEntry)) == 0


def test_the_form_does_not_offer_yourself(client, commissioner, partner, login_as):
    initiative = make_initiative(commissioner, partner)
    login_as(partner)
    page = get_page(client, f"/initiatives/{initiative.id}/recognition")
    offered = {option["value"] for option in page.soup.select("select#user_id option")}
    assert offered == {"", str(commissioner.id)}


def test_a_payment_can_be_recorded_for_the_past_and_an_activity_but_not_the_future(
    client, commissioner, partner, login_as
):
    from datetime import date, timedelta

    from initiative_factories import add_activity

    initiative = make_initiative(commissioner, partner)
    activity = add_activity(initiative, commissioner, [commissioner, partner])
    login_as(commissioner)
    url = f"/initiatives/{initiative.id}/recognition"
    tomorrow = date.today() + timedelta(days=1)
    fields = {"user_id": str(partner.id), "kind": "payment", "amount_pounds": "25", "activity_id": str(activity.id)}
    page = post_page(
        client, url, {**fields, "occurred_on": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]}
    )
    assert page.errors() == ["The date must be today or in the past"]
    assert page.soup.select_one(f"select#activity_id option[value='{activity.id}'][selected]")
    assert client.post(url, data={**fields, "occurred_on": ["3", "3", "2024"]}).status_code == 302
    entry = db.session.scalar(sa.select(ReciprocityEntry))
    assert (entry.occurred_on, entry.activity_id) == (date(2024, 3, 3), activity.id)
