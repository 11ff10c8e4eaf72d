"""Equality monitoring (issue 13): each person answers for themselves (optional, "prefer not to say"
everywhere, skippable at invitation), nobody else sees one person's answers, and admins see suppressed
counts compared with the reference figures they enter."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
import sqlalchemy as sa
from conftest import PASSWORD, Page, get_page, link_path, login, make_user, post_page
from initiative_factories import add_activity, make_initiative

from copro_tracker.audit import service as audit_service
from copro_tracker.codes import EqualityQuestion, OrgRole
from copro_tracker.equality import service
from copro_tracker.extensions import db
from copro_tracker.models import AuditEvent, AuditValue, EqualityAnswers, SeldomHeardGroup, User
from copro_tracker.people import erasure
from copro_tracker.permissions import can

NEW_PASSWORD = "meadow lantern quietly 1987"


def _answer(person: User, **answers) -> None:
    groups = answers.pop("seldom_heard", None)
    service.save_answers(person, answers, groups)


def _took_part(commissioner, partner, people: list[User]):
    initiative = make_initiative(commissioner, partner, title="Day opportunities")
    add_activity(initiative, commissioner, people)
    db.session.commit()
    return initiative


def _people(org, n: int, prefix: str) -> list[User]:
    return [make_user(org, OrgRole.CITIZEN_PARTNER, name=f"{prefix} {i}") for i in range(n)]


def _row(page, question: str, answer: str) -> list[str]:
    table = next(t for t in page.soup.select("table") if question in t.caption.get_text())
    row = next(r for r in table.select("tbody tr") if r.th.get_text(" ", strip=True) == answer)
    return [" ".join(td.get_text(" ").split()) for td in row.select("td")]


def test_a_person_answers_sees_and_changes_their_own_answers(client, partner):
    login(client, partner)
    page = get_page(client, "/profile/equality")
    assert page.soup.select("input[value='prefer_not_to_say']"), "every question offers prefer not to say"
    assert len(page.soup.select("input[type=radio][value='prefer_not_to_say']")) == 8
    response = client.post("/profile/equality", data={"age_band": "65_74", "sex": "prefer_not_to_say"})
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    answers = db.session.scalar(sa.select(EqualityAnswers).where(EqualityAnswers.user_id == partner.id))
    assert answers.age_band.value == "65_74" and answers.sex.value == "prefer_not_to_say" and answers.ethnicity is None
    page = get_page(client, "/profile/equality")
    assert page.soup.select_one("input[name=age_band][value='65_74']").has_attr("checked")
    client.post("/profile/equality", data={"age_band": "75_84", "sex": "prefer_not_to_say"})
    db.session.expire_all()
    assert db.session.get(EqualityAnswers, answers.id).age_band.value == "75_84"


def test_the_audit_trail_records_that_answers_changed_never_what_they_are(client, partner):
    login(client, partner)
    client.post("/profile/equality", data={"ethnicity": "asian", "religion": "muslim"})
    client.post("/profile/equality", data={"ethnicity": "mixed", "religion": "muslim"})
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.entity_type == "equality_answers")).all()
    assert [e.action for e in events] == ["equality.answered", "equality.answered"]
    assert all(e.actor_id == partner.id for e in events)
    for event in events:
        payload = event.payload if isinstance(event.payload, str) else json.dumps(event.payload)
        assert "asian" not in payload and "mixed" not in payload and "muslim" not in payload
        changes = json.loads(payload)["changes"]
        assert {"ethnicity", "religion"} & changes.keys()
        assert all(changes[name] == {"changed": True} for name in ("ethnicity", "religion") if name in changes)
    stored = " ".join(db.session.scalars(sa.select(AuditValue.value)))
    assert "asian" not in stored and "muslim" not in stored


def test_nobody_else_sees_one_persons_answers(client, admin, commissioner, partner):
    _answer(partner, sexual_orientation="bisexual")
    answers = db.session.scalar(sa.select(EqualityAnswers).where(EqualityAnswers.user_id == partner.id))
    assert can(partner, "equality.answers", answers)
    for other in (admin, commissioner):
        assert not can(other, "equality.answers", answers)
    initiative = _took_part(commissioner, partner, [partner])
    # The co-lead (partner) and staff only ever reach their own form; the counts are for admins.
    for person in (commissioner, partner):
        login(client, person)
        assert client.get("/admin/equality").status_code == 403
        assert client.get(f"/admin/equality?initiative={initiative.id}").status_code == 403
    login(client, commissioner)
    own = get_page(client, "/profile/equality")
    assert not own.soup.select("input[checked]"), "a commissioner's own form holds nothing of the partner's"
    login(client, admin)
    page = get_page(client, f"/admin/equality?initiative={initiative.id}")
    assert partner.display_name not in page.html
    assert _row(page, "Sexual orientation", "Bisexual")[0] == "fewer than 5"


def test_small_groups_are_suppressed_and_prefer_not_to_say_counted_apart(client, org, admin, commissioner, partner):
    women, men, declined = _people(org, 6, "Woman"), _people(org, 2, "Man"), _people(org, 8, "Declined")
    for person in women:
        _answer(person, sex="female")
    for person in men:
        _answer(person, sex="male")
    for person in declined:
        _answer(person, sex="prefer_not_to_say")
    silent = _people(org, 9, "Silent")
    _took_part(commissioner, partner, women + men + declined + silent)
    login(client, admin)
    page = get_page(client, "/admin/equality")
    assert _row(page, "Sex", "Male")[0] == "fewer than 5"
    # 6 would give the 2 away from the total, so it is hidden too (the smallest other count).
    assert _row(page, "Sex", "Female")[0] == "fewer than 5"
    assert _row(page, "Sex", "Prefer not to say")[0] == "8"
    assert _row(page, "Sex", "Not answered")[0] == "9"
    assert "25" in page.text()  # everyone who took part


def test_shares_are_compared_with_the_reference_figures(client, org, admin, commissioner, partner):
    women, men = _people(org, 15, "Woman"), _people(org, 5, "Man")
    for person in women:
        _answer(person, carer="carer")
    for person in men:
        _answer(person, carer="not_carer")
    _took_part(commissioner, None, women + men)
    login(client, admin)
    response = client.post(
        "/admin/equality/reference/carer",
        data={
            "source": "Census 2021, Northshire",
            "as_of": ["21", "3", "2021"],
            "figure_carer": "10",
            "figure_not_carer": "90",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    page = get_page(client, "/admin/equality")
    assert _row(page, "Unpaid carer", "Yes") == ["15", "75.0%", "10.0%", "+65.0"]
    assert "Census 2021, Northshire" in page.text()
    wrong = post_page(
        client,
        "/admin/equality/reference/carer",
        {"source": "x", "as_of": ["1", "1", "2021"], "figure_carer": "80", "figure_not_carer": "80"},
    )
    assert wrong.errors() == ["The figures add up to more than 100%"]


def test_skipping_the_questions_at_invitation_stores_nothing(client, commissioner):
    client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
    page = post_page(
        client,
        "/people/invite",
        {
            "display_name": "Nia Newcomer",
            "email": "nia@example.org",
            "role": "citizen_partner",
            "partner_kind": "carer",
        },
    )
    link = page.soup.select_one("#invitation-link").get_text(strip=True)
    client.post("/sign-out")
    response = client.post(
        link_path(link),
        data={"display_name": "Nia", "password": NEW_PASSWORD, "needs_answer": "none", "preferred_language": "en"},
    )
    assert response.headers["Location"] == "/profile/equality?after=invitation"
    step = get_page(client, response.headers["Location"])
    skip = [a["href"] for a in step.soup.select("main a") if "Skip" in a.get_text()]
    assert skip and all(href == "/dashboard" for href in skip)
    assert client.get("/dashboard").status_code == 200
    # Sending the form with nothing chosen is a skip too.
    sent = client.post("/profile/equality?after=invitation", data={})
    assert sent.headers["Location"] == "/dashboard"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EqualityAnswers)) == 0


def test_seldom_heard_groups_admin_adds_people_tick_admin_retires(client, org, admin, partner):
    login(client, admin)
    assert (
        client.post("/admin/equality/groups", data={"name": "Gypsy, Roma and Traveller communities"}).status_code == 302
    )
    client.post("/admin/equality/groups", data={"name": "People who are homeless", "name_cy": "Pobl ddigartref"})
    first, second = db.session.scalars(sa.select(SeldomHeardGroup).order_by(SeldomHeardGroup.id)).all()
    login(client, partner)
    page = get_page(client, "/profile/equality")
    assert "People who are homeless" in page.text()
    both = post_page(client, "/profile/equality", {"seldom_heard": [str(first.id), "none"]})
    assert both.errors() == ["Choose groups, or “None of these”, or “Prefer not to say”: not both"]
    client.post("/profile/equality", data={"seldom_heard": [str(first.id), str(second.id)]})
    login(client, admin)
    assert client.post(f"/admin/equality/groups/{second.id}/retire").status_code == 302
    db.session.expire_all()
    assert db.session.get(SeldomHeardGroup, second.id).retired_at is not None
    login(client, partner)
    page = get_page(client, "/profile/equality")
    # Still ticked on their own form (their answer stands), and nobody else is offered it any more.
    assert page.soup.select_one(f"input[name=seldom_heard][value='{second.id}']").has_attr("checked")
    other = make_user(org, OrgRole.CITIZEN_PARTNER, name="Newer Person")
    login(client, other)
    assert "People who are homeless" not in get_page(client, "/profile/equality").text()
    refused = post_page(client, "/profile/equality", {"seldom_heard": [str(second.id)]})
    assert refused.errors() == ["Choose from the groups listed"]


def test_your_data_has_the_answers_and_erasure_deletes_them(client, admin, partner):
    _answer(partner, disability="yes_a_little")
    login(client, partner)
    body = json.loads(client.get("/profile/your-data/json").get_data(as_text=True))
    rows = {row["item"]: row["value"] for row in body["sections"]["equality"]["rows"]}
    assert rows["Disability"] == "Yes, my day-to-day activities are limited a little"
    assert rows["Ethnic group"] == "Not answered"
    erasure.erase(partner, admin)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EqualityAnswers)) == 0
    deleted = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "equality.erased")).all()
    assert deleted and "yes_a_little" not in deleted[0].payload
    _, failure = audit_service.verify_organisation(partner.organisation)
    assert failure is None, failure


@pytest.mark.parametrize("url", ["/admin/equality", "/admin/equality/groups", "/admin/equality/reference/ethnicity"])
def test_another_organisations_admin_sees_only_their_own(client, org, other_org, commissioner, partner, url):
    _answer(partner, ethnicity="black")
    _took_part(commissioner, partner, [partner])
    login(client, make_user(other_org, OrgRole.ADMIN, name="Olwen Outsider"))
    page = get_page(client, url)
    assert partner.display_name not in page.html and "Day opportunities" not in page.html


def test_reading_the_equality_pages_appends_nothing_to_the_audit_chain(client, admin, commissioner, partner):
    _answer(partner, age_band="25_34")
    initiative = _took_part(commissioner, partner, [partner])
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    login(client, admin)
    for url in ("/admin/equality", f"/admin/equality?initiative={initiative.id}", "/admin/equality/groups"):
        get_page(client, url)
    login(client, partner)
    get_page(client, "/profile/equality")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before


def _share(client, initiative_id: int) -> str:
    response = client.post(
        f"/reports/share-links/new?kind=initiative&initiative={initiative_id}", data={"expiry_days": "7"}
    )
    url = Page(response).check().soup.select_one("#share-link").get_text(strip=True)
    return re.fullmatch(r"/shared/([A-Za-z0-9_-]+)", link_path(url)).group(1)


def test_staff_reports_have_the_counts_partners_and_share_links_do_not(app, client, org, commissioner, partner):
    women = _people(org, 7, "Woman")
    for person in women:
        _answer(person, ethnicity="white", carer="carer")
    _answer(partner, ethnicity="asian")
    initiative = _took_part(commissioner, partner, [*women, partner])
    service.add_group(commissioner, "Travellers")
    service.set_reference(
        commissioner, EqualityQuestion.CARER, {"carer": "12.5"}, "Census 2021, Northshire", date(2021, 3, 21)
    )
    login(client, commissioner)
    page = get_page(client, f"/initiatives/{initiative.id}/report")
    heading = page.soup.select_one("#section-equality")
    assert heading is not None, "staff see the equality section"
    text = " ".join(heading.find_parent("section").get_text(" ").split())
    assert "Equality monitoring" in text and "fewer than 5" in text
    assert partner.display_name not in text
    report = json.loads(client.get(f"/initiatives/{initiative.id}/report/json").get_data(as_text=True))
    sections = {s["id"]: s for s in report["report"]["sections"]}
    ethnicity = next(t for t in sections["equality"]["tables"] if t["id"] == "equality-ethnicity")
    rows = {row[0]: row[1] for row in ethnicity["rows"]}
    assert rows["Asian, Asian British or Asian Welsh"] == "fewer than 5" and rows["White"] == "fewer than 5"
    carer = next(t for t in sections["equality"]["tables"] if t["id"] == "equality-carer")
    # 7 carers, but the 1 who did not answer is hidden and 7 with it (it would give the 1 away from the total).
    assert carer["rows"][0][:4] == ["Yes", "fewer than 5", None, "12.5%"]
    assert "Census 2021, Northshire, 2021-03-21" in carer["note"]
    groups = next(t for t in sections["equality"]["tables"] if t["id"] == "equality-seldom-heard")
    assert [row[0] for row in groups["rows"]][:2] == ["Travellers", "None of these"]
    token = _share(client, initiative.id)
    visitor = app.test_client()
    assert "Equality monitoring" not in visitor.get(f"/shared/{token}").get_data(as_text=True)
    shared = json.loads(visitor.get(f"/shared/{token}/json").get_data(as_text=True))
    assert "equality" not in {s["id"] for s in shared["report"]["sections"]}
    login(client, partner)
    assert 'id="section-equality"' not in client.get(f"/initiatives/{initiative.id}/report").get_data(as_text=True)


def test_the_portfolio_report_counts_everyone_who_took_part_once(client, org, commissioner, partner):
    carers = _people(org, 6, "Carer")
    for person in carers:
        _answer(person, carer="carer")
    _took_part(commissioner, partner, carers)
    second = make_initiative(commissioner, None, title="Second")
    add_activity(second, commissioner, carers)
    db.session.commit()
    login(client, commissioner)
    page = get_page(client, "/reports/portfolio")
    table = page.soup.select_one("#equality-carer-caption").find_parent("table")
    yes = next(r for r in table.select("tbody tr") if r.th.get_text(strip=True) == "Yes")
    assert yes.select("td")[0].get_text(strip=True) == "6"
