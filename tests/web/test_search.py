"""Searching and filtering the initiatives list (title, stage, service area, co-lead) and the people list (name,
role), on the server, so it works without JavaScript and keeps its filters across pages."""

from __future__ import annotations

from conftest import get_page, login, make_user
from initiative_factories import make_initiative

from copro_tracker.codes import OrgRole
from copro_tracker.extensions import db
from copro_tracker.models import Initiative
from copro_tracker.people import erasure


def _titles(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.soup.select("table tbody th a")]


def test_initiatives_filter_by_title_stage_service_area_and_co_lead(client, org, commissioner, partner):
    other_lead = make_user(org, OrgRole.CITIZEN_PARTNER, name="Ruth Okafor")
    day = make_initiative(commissioner, partner, title="Day opportunities 100% redesign")
    carers = make_initiative(commissioner, other_lead, title="Carers' information plan")
    carers.service_area = "Carers' support"
    later = db.session.get(Initiative, carers.id)
    later.current_stage = later.stages[1].kind
    db.session.commit()
    login(client, commissioner)

    assert sorted(_titles(get_page(client, "/initiatives"))) == sorted([day.title, carers.title])
    assert _titles(get_page(client, "/initiatives?title=day+OPP")) == [day.title]
    assert _titles(get_page(client, "/initiatives?title=100%25")) == [day.title], "% is taken literally"
    assert _titles(get_page(client, "/initiatives?title=1_0")) == [], "_ is taken literally"
    assert _titles(get_page(client, "/initiatives?stage=delivery")) == [carers.title]
    assert _titles(get_page(client, "/initiatives?stage=design")) == [day.title]
    assert _titles(get_page(client, "/initiatives?service_area=carers")) == [carers.title]
    page = get_page(client, f"/initiatives?co_lead={other_lead.id}")
    assert _titles(page) == [carers.title]
    assert "1 initiative matches your search." in page.text()
    assert page.soup.select_one(f"#filter-co-lead option[value='{other_lead.id}'][selected]")
    page = get_page(client, "/initiatives?title=nothing+like+this&co_lead=99999999999999")
    assert "No initiatives match your search" in page.text()


def test_a_citizen_partner_only_searches_and_sees_co_leads_of_their_own_initiatives(client, org, commissioner, partner):
    stranger = make_user(org, OrgRole.CITIZEN_PARTNER, name="Someone Else")
    make_initiative(commissioner, partner, title="Mine")
    make_initiative(commissioner, stranger, title="Not mine")
    login(client, partner)
    page = get_page(client, "/initiatives?title=mine")
    assert _titles(page) == ["Mine"]
    options = [o.get_text(strip=True) for o in page.soup.select("#filter-co-lead option")]
    assert "Someone Else" not in options and "Amira Partner" in options


def _people(page) -> list[str]:
    table = page.soup.select_one("table")
    return [a.get_text(strip=True) for a in table.select("tbody th a")] if table else []


def test_people_filter_by_name_and_role(client, org, admin, commissioner, partner):
    make_user(org, OrgRole.CITIZEN_PARTNER, name="George Blake")
    login(client, admin)
    assert len(_people(get_page(client, "/people"))) == 4
    assert _people(get_page(client, "/people?name=geo")) == ["George Blake"]
    page = get_page(client, "/people?role=citizen_partner")
    assert sorted(_people(page)) == ["Amira Partner", "George Blake"]
    assert "2 people match your search." in page.text()
    assert _people(get_page(client, "/people?name=%25")) == [], "% is taken literally"
    assert len(_people(get_page(client, "/people?role=not-a-role"))) == 4, "an unknown role is no filter, not an error"


def test_an_erased_person_is_found_by_the_label_the_reader_sees(client, org, admin, partner):
    """The stored name of an erased person is the English "Former member N"; the list shows it in the reader's
    language (User.shown_name), and the search finds it by those words."""
    erasure.erase(partner, None)
    db.session.commit()
    login(client, admin)
    assert _people(get_page(client, "/people?name=former member")) == [f"Former member {partner.id}"]
    assert _people(get_page(client, "/people?name=cyn-aelod")) == []
    with client.session_transaction() as session:
        session["lang"] = "cy"
    assert _people(get_page(client, "/people?name=cyn-aelod")) == [f"Cyn-aelod {partner.id}"]
    assert _people(get_page(client, f"/people?name=Cyn-aelod {partner.id}")) == [f"Cyn-aelod {partner.id}"]
    assert _people(get_page(client, "/people?name=former")) == []
    # Everyone else is still found by their name.
    assert _people(get_page(client, f"/people?name={admin.display_name}")) == [admin.display_name]
