"""Inviting the same address again replaces the invitation still waiting; once someone joins, no invitation to
their address stays in the pending list."""

from __future__ import annotations

import sqlalchemy as sa
from conftest import get_page, link_path, login, post_page

from copro_tracker.extensions import db
from copro_tracker.models import AccountToken
from copro_tracker.models.audit import AuditEvent


def _invite(client, email="nia@example.org"):
    page = post_page(
        client,
        "/people/invite",
        {"display_name": "Nia Newcomer", "email": email, "role": "citizen_partner", "partner_kind": "carer"},
    )
    return page.soup.select_one("#invitation-link").get_text(strip=True)


def _pending(client) -> list[str]:
    page = get_page(client, "/people")
    heading = next(h for h in page.soup.select("h2") if "Invitations waiting" in h.get_text())
    table = heading.find_next("table")
    return [" ".join(r.get_text(" ").split()) for r in table.select("tbody tr")] if table else []


def test_inviting_the_same_email_again_replaces_the_pending_invitation(client, admin):
    login(client, admin)
    first = _invite(client)
    second = _invite(client, "NIA@example.org")
    assert first != second
    assert len([r for r in _pending(client) if "nia@example.org" in r]) == 1
    client.post("/sign-out")
    assert get_page(client, link_path(first), status=410)  # the replaced link no longer works
    assert get_page(client, link_path(second)).soup.select_one("#display_name")
    assert "invitation.replaced" in set(db.session.scalars(sa.select(AuditEvent.action)))


def test_once_someone_joins_no_invitation_to_them_stays_pending(client, admin):
    login(client, admin)
    link = _invite(client)
    # An older invitation to the same address, made for an initiative, is left waiting by the re-invite rule...
    token = db.session.scalars(sa.select(AccountToken).where(AccountToken.email == "nia@example.org")).one()
    other = AccountToken(
        organisation_id=token.organisation_id,
        purpose=token.purpose,
        token_hash="0" * 64,
        email=token.email,
        display_name=token.display_name,
        role=token.role,
        partner_kind=token.partner_kind,
        initiative_id=None,
        created_by_id=admin.id,
        expires_at=token.expires_at,
    )
    db.session.add(other)
    db.session.commit()
    client.post("/sign-out")
    response = client.post(
        link_path(link),
        data={
            "display_name": "Nia Newcomer",
            "password": "meadow lantern quietly 1987",
            "needs_answer": "none",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    client.post("/sign-out")
    login(client, admin)
    assert not [r for r in _pending(client) if "nia@example.org" in r]
