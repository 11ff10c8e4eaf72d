"""Display names refuse invisible and text-reordering characters, with one message, wherever a name is set."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from conftest import PASSWORD, get_page, link_path, post_page

from copro_tracker.auth import names
from copro_tracker.extensions import db
from copro_tracker.models import AccountToken, User

MESSAGE = names.HIDDEN_CHARACTERS
SPOOFS = [
    "Tom\u202eCommissioner",  # right-to-left override
    "Tom\u202aC",  # left-to-right embedding
    "Tom\u2066C\u2069",  # left-to-right isolate ... pop directional isolate
    "Tom\u200bC",  # zero-width space
    "Tom\u200dC",  # zero-width joiner
    "Tom\u2060C",  # word joiner
    "\ufeffTom",  # byte order mark / zero-width no-break space
    "Tom\u00adC",  # soft hyphen (format character)
    "Tom\u0007C",  # bell (control character)
    "Tom\u2028C",  # line separator
]


@pytest.mark.parametrize("name", SPOOFS)
def test_the_rule_refuses_hidden_characters(name):
    assert names.name_problem(name) == MESSAGE


@pytest.mark.parametrize("name", ["Siân Ní Bhriain-O'Neill", "Zoë Đặng", "محمد علي", "李小龍", "Amira  Partner"])
def test_the_rule_keeps_real_names(name):
    assert names.name_problem(name) is None


def test_invite_form_refuses_a_spoofed_name(client, commissioner):
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    page = post_page(
        client,
        "/people/invite",
        {"display_name": "Tom\u202eC", "email": "n@example.org", "role": "citizen_partner", "partner_kind": "carer"},
    )
    assert page.errors() == [MESSAGE]
    assert page.soup.select_one("#email")["value"] == "n@example.org"  # nothing typed is lost
    assert db.session.scalar(sa.select(AccountToken)) is None


def test_accepting_an_invitation_refuses_a_spoofed_name(client, commissioner):
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    invited = post_page(
        client,
        "/people/invite",
        {"display_name": "Nia", "email": "nia@example.org", "role": "citizen_partner", "partner_kind": "carer"},
    )
    path = link_path(invited.soup.select_one("#invitation-link").get_text(strip=True))
    client.post("/sign-out")
    page = post_page(
        client,
        path,
        {
            "display_name": "Nia\u200b",
            "password": "meadow lantern quietly 1987",
            "needs_answer": "none",
            "preferred_language": "en",
        },
    )
    assert page.errors() == [MESSAGE]
    assert db.session.scalar(sa.select(User).where(User.email == "nia@example.org")) is None


def test_profile_refuses_a_spoofed_name(client, partner):
    client.post("/sign-in", data={"email": partner.email, "password": PASSWORD})
    page = post_page(
        client, "/profile", {"display_name": "Priya\u202e nimdA", "needs_answer": "none", "preferred_language": "en"}
    )
    assert page.errors() == [MESSAGE]
    db.session.expire_all()
    assert db.session.get(User, partner.id).display_name == "Amira Partner"
    assert get_page(client, "/profile").soup.select_one("#display_name")["value"] == "Amira Partner"


def test_create_user_command_refuses_a_spoofed_name(app, org):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--org", org.slug, "--email", "x@example.org", "--name", "Ada\u2066"],
        input="orchard violin pebble 7731\norchard violin pebble 7731\n",
    )
    assert result.exit_code != 0 and MESSAGE in result.output
    assert db.session.scalar(sa.select(User).where(User.email == "x@example.org")) is None
