"""Ids from URLs and forms beyond the database's integer range are 'not found', never a database error."""

from __future__ import annotations

import pytest

from copro_tracker.tenancy import MAX_ID, parse_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-3", None),
        ("", None),
        (None, None),
        ("1e3", None),
        ("99999999999999999999", None),
        ("٣", None),
    ],
)
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


def test_huge_ids_in_urls_are_not_found(client, commissioner, login_as):
    login_as(commissioner)
    for url in ("/initiatives/2147483648", "/initiatives/99999999999999999999/members", "/people/2147483648"):
        assert client.get(url).status_code == 404, url


def test_huge_ids_in_query_strings_and_forms_are_harmless(client, commissioner, login_as):
    from initiative_factories import make_initiative

    initiative = make_initiative(commissioner)
    login_as(commissioner)
    assert client.get(f"/initiatives/{initiative.id}/history?person=2147483648").status_code == 200
    response = client.post(
        f"/initiatives/{initiative.id}/payments/offer",
        data={"user_id": "2147483648", "activity_id": "2147483648", "units": "1", "amount_pounds": "1"},
    )
    assert response.status_code == 200 and "Choose a member of the initiative" in response.get_data(as_text=True)


def test_nul_characters_in_forms_are_dropped_before_they_reach_the_database(client, commissioner, login_as):
    import sqlalchemy as sa

    from copro_tracker.extensions import db
    from copro_tracker.models import Initiative

    login_as(commissioner)
    response = client.post(
        "/initiatives/new",
        data={
            "title": "Day\x00 services",
            "summary": "A\x00B",
            "statutory_functions": ["prevention"],
            "level": "collective",
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Initiative.title)) == "Day services"
