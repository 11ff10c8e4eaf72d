"""Outputs: plans and their accessible formats. Payments are tested in test_payments.py."""

from __future__ import annotations

import sqlalchemy as sa
from conftest import get_page, make_user, post_page
from initiative_factories import make_initiative

from copro_tracker.codes import OrgRole
from copro_tracker.extensions import db
from copro_tracker.models import AuditEvent, Output

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
