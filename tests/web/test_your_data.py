"""Your data (issue 13): what is held about you, downloads, corrections, consent to being named, and the
admins' checked erasure (page and `flask people erase`), which leaves `flask audit verify` passing."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import pytest
import sqlalchemy as sa
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from bs4 import BeautifulSoup
from conftest import PASSWORD, Page, get_page, login, make_user

from copro_tracker.audit import service as audit_service
from copro_tracker.codes import DataRequestKind, DataRequestStatus, OrgRole, ReciprocityKind
from copro_tracker.extensions import db
from copro_tracker.models import (
    AuditEvent,
    AuditValue,
    DataRequest,
    Evidence,
    ReciprocityEntry,
    User,
)
from copro_tracker.people import erasure
from copro_tracker.services import ServiceError


@pytest.fixture
def held(team):
    """Amira (the team's partner, with needs) attended an activity, rated it, was paid and uploaded a file."""
    activity = make_activity(team)
    row = next(a for a in activity.attendances if a.user_id == team.partner.id)
    row.ladder_rating, row.rating_note = 6, "Felt listened to"
    team.partner.needs_recorded = True
    db.session.add(
        ReciprocityEntry(
            organisation_id=team.partner.organisation_id,
            initiative_id=team.initiative.id,
            user_id=team.partner.id,
            kind=ReciprocityKind.PAYMENT,
            amount_pence=2500,
            occurred_on=date(2025, 3, 27),
            approved_by_id=team.commissioner.id,
        )
    )
    db.session.add(
        Evidence(
            organisation_id=team.partner.organisation_id,
            initiative_id=team.initiative.id,
            filename="amiras-notes.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            storage_key="k" * 32,
            consent="named",
            uploaded_by_id=team.partner.id,
        )
    )
    db.session.commit()
    return team


def test_your_data_shows_everything_held_about_you_and_nobody_elses_needs(client, held):
    held.commissioner.communication_needs = ["bsl_interpreter"]
    db.session.commit()
    login(client, held.partner)
    page = get_page(client, "/profile/your-data").text()
    for expected in (
        "Amira Partner",
        "Easy Read documents",  # their needs, and the adjustments asked for at the activity
        "Redesigning day opportunities",
        "Workshop at the day centre",
        "Felt listened to",
        "25.00",
        "amiras-notes.pdf",
        "What the audit trail records about you",
    ):
        assert expected in page, expected
    assert "British Sign Language" not in page


def test_downloads_carry_the_same_data_and_are_recorded(client, held):
    login(client, held.partner)
    response = client.get("/profile/your-data/json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    body = json.loads(response.get_data(as_text=True))
    assert body["sections"]["profile"]["rows"][0]["value"] == "Amira Partner"
    assert body["sections"]["payments"]["rows"][0]["amount"] == "25.00"
    assert body["sections"]["files"]["rows"][0]["file"] == "amiras-notes.pdf"
    assert body["sections"]["audit"]["rows"], "audit events about the person"
    rows = list(csv.reader(io.StringIO(client.get("/profile/your-data/csv").get_data(as_text=True))))
    assert rows[0] == ["section", "row", "field", "value"]
    assert any(r[3] == "Felt listened to" for r in rows)
    exported = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "person.data_exported")).all()
    assert [e.actor_id for e in exported] == [held.partner.id, held.partner.id]


def test_a_correction_request_reaches_the_admins_and_their_answer_comes_back(client, held, admin):
    login(client, held.partner)
    page = client.post("/profile/your-data/correction", data={"details": ""})
    assert "Say what is wrong and what it should say" in page.get_data(as_text=True)
    assert client.post("/profile/your-data/correction", data={"details": "My name is Amira Khan"}).status_code == 302
    request = db.session.scalar(sa.select(DataRequest))
    assert request.kind == DataRequestKind.CORRECTION and request.status == DataRequestStatus.OPEN
    login(client, admin)
    assert "Amira Partner" in get_page(client, "/admin/data-requests").text()
    assert "My name is Amira Khan" in get_page(client, f"/admin/data-requests/{request.id}").text()
    response = client.post(
        f"/admin/data-requests/{request.id}",
        data={"done": "yes", "outcome": "Name corrected on your profile", "version": str(request.version)},
    )
    assert response.status_code == 302
    login(client, held.partner)
    assert "Name corrected on your profile" in get_page(client, "/profile/your-data").text()


def test_withdrawing_consent_to_being_named_is_recorded_at_once(client, held):
    login(client, held.partner)
    assert client.post("/profile/your-data/named-use", data={"named": "no"}).status_code == 302
    db.session.expire_all()
    person = db.session.get(User, held.partner.id)
    assert person.named_use_withdrawn_at is not None and not person.named_use
    assert "person.named_use_withdrawn" in db.session.scalars(sa.select(AuditEvent.action)).all()
    client.post("/profile/your-data/named-use", data={"named": "yes"})
    db.session.expire_all()
    assert db.session.get(User, held.partner.id).named_use


def _values_of(text: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(AuditValue.value.contains(text))) or 0


def test_an_admin_erases_a_person_on_request_and_the_chain_still_verifies(client, held, admin):
    login(client, held.partner)
    assert client.post("/profile/your-data/erasure", data={"understood": "y"}).status_code == 302
    request = db.session.scalar(sa.select(DataRequest))
    assert _values_of("Amira Partner") > 0
    login(client, admin)
    # Erasure cannot be undone: the admin types their password again first.
    assert "/confirm-password" in client.post(f"/admin/data-requests/{request.id}/erase", data={}).location
    assert client.post("/confirm-password", data={"password": PASSWORD}).status_code == 302
    page = client.post(f"/admin/data-requests/{request.id}/erase", data={})
    assert "Tick the box to confirm you have checked" in page.get_data(as_text=True)
    assert client.post(f"/admin/data-requests/{request.id}/erase", data={"checked": "y"}).status_code == 302
    db.session.expire_all()
    person = db.session.get(User, held.partner.id)
    assert person.display_name == f"Former member {person.id}" and person.erased_at is not None
    assert not person.active and person.communication_needs == [] and "erased.invalid" in person.email
    assert _values_of("Amira Partner") == 0 and _values_of("easy_read") == 0 and _values_of("Felt listened") == 0
    assert db.session.get(DataRequest, request.id).status == DataRequestStatus.DONE
    assert "person.erased" in db.session.scalars(sa.select(AuditEvent.action)).all()
    _, failure = audit_service.verify_organisation(person.organisation)
    assert failure is None
    # Gone from the pages: the activity shows the former member, not the name.
    assert "Amira Partner" not in get_page(client, f"/people/{person.id}").text()
    # The stored name is English (the audit trail recorded it so); pages show it in the reader's language.
    pages = (
        f"/people/{person.id}",
        f"/initiatives/{held.initiative.id}",
        f"/initiatives/{held.initiative.id}/members",
        # The criteria reasons name people by their stored name: an erased person's is put in the reader's words.
        f"/initiatives/{held.initiative.id}/criteria",
    )
    for url in pages:
        assert f"Former member {person.id}" in get_page(client, url).text(), url
    with client.session_transaction() as session:
        session["lang"] = "cy"
    for url in pages:
        text = Page(client.get(url)).text()
        assert f"Cyn-aelod {person.id}" in text and "Former member" not in text, url
    # A report in Welsh, or in both languages, never shows the English label either (reports name an erased
    # person by a pseudonym, whatever their stored name); nor does the report page, which opens with the criteria.
    assert "Former member" not in Page(client.get(f"/initiatives/{held.initiative.id}/report")).text()
    for language in ("cy", "bilingual"):
        response = client.get(f"/initiatives/{held.initiative.id}/report/json?language={language}")
        assert response.status_code == 200 and "Former member" not in response.get_data(as_text=True), language
        with zipfile.ZipFile(
            io.BytesIO(client.get(f"/initiatives/{held.initiative.id}/report/csv?language={language}").data)
        ) as files:
            for name in files.namelist():
                assert "Former member" not in files.read(name).decode("utf-8"), (language, name)
    db.session.expire_all()
    assert db.session.get(User, person.id).display_name == f"Former member {person.id}"
    assert audit_service.verify_organisation(person.organisation)[1] is None


def test_erasure_is_checked_first(held, admin):
    with pytest.raises(ServiceError, match="your own details"):
        erasure.erase(admin, admin)

    def hold(person):
        return "An initiative they took part in is under legal hold." if person.id == held.partner.id else None

    erasure.register_erasure_check(hold)
    try:
        assert erasure.erasure_blockers(held.partner, admin) == ["An initiative they took part in is under legal hold."]
        with pytest.raises(ServiceError, match="legal hold"):
            erasure.erase(held.partner, admin)
    finally:
        erasure._CHECKS.remove(hold)
    assert db.session.get(User, held.partner.id).erased_at is None


def test_the_only_admin_cannot_be_erased(org, admin, commissioner):
    assert erasure.erasure_blockers(admin, None) == [
        "They are the organisation's only admin: make someone else an admin first."
    ]
    make_user(org, OrgRole.ADMIN, name="Second Admin")
    assert erasure.erasure_blockers(admin, None) == []


def test_flask_people_erase_does_the_same_and_verify_passes(app, held, org):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["people", "erase", held.partner.email, "--org", org.slug, "--yes"])
    assert result.exit_code == 0, result.output
    assert "audit values erased" in result.output
    assert _values_of("Amira Partner") == 0
    again = runner.invoke(args=["people", "erase", str(held.partner.id), "--org", org.slug, "--yes"])
    assert again.exit_code != 0 and "already been erased" in again.output
    verify = runner.invoke(args=["audit", "verify", "--org", org.slug])
    assert verify.exit_code == 0, verify.output


def test_erasure_blockers_are_in_the_admins_language(client, app, org, admin):
    login(client, admin)
    assert client.post("/profile/your-data/erasure", data={"understood": "y"}).status_code == 302
    request = db.session.scalar(sa.select(DataRequest).where(DataRequest.user_id == admin.id))
    own = "Ni allwch ddileu eich manylion eich hun: rhaid i weinyddwr arall wneud hynny."
    only = "Nhw yw unig weinyddwr y sefydliad: gwnewch rywun arall yn weinyddwr yn gyntaf."
    client.get(f"/language/cy?next=/admin/data-requests/{request.id}")
    page = get_page(client, f"/admin/data-requests/{request.id}")
    reasons = [li.get_text(" ", strip=True) for li in page.soup.select("main ul.govuk-list--bullet li")]
    assert own in reasons and only in reasons, reasons
    # Erasing anyway is refused, and the page lists the same reasons, in Welsh.
    assert client.post("/confirm-password", data={"password": PASSWORD}).status_code == 302
    refused = client.post(f"/admin/data-requests/{request.id}/erase", data={"checked": "y"})
    listed = [li.get_text(" ", strip=True) for li in BeautifulSoup(refused.data, "html.parser").select("main li")]
    assert own in listed and only in listed, listed
    assert db.session.get(User, admin.id).erased_at is None
    # Without a request (`flask people erase`) the reasons are English; an erased person's, in Welsh on a page.
    admin.erased_at = admin.created_at
    assert erasure.erasure_blockers(admin, None) == ["Their details have already been erased."]
    with app.test_request_context(headers={"Accept-Language": "cy"}):
        assert erasure.erasure_blockers(admin, None) == ["Mae eu manylion wedi'u dileu yn barod."]


def test_a_service_refusal_reaches_a_welsh_reader_in_welsh(client, held):
    """Service errors are message ids: each view translates the one it shows (here a correction with nothing said)."""
    login(client, held.partner)
    with client.session_transaction() as session:
        session["lang"] = "cy"
    response = client.post("/profile/your-data/correction", data={"details": "  "})
    page = Page(response)
    assert "Dywedwch beth sy'n anghywir a beth dylai ei ddweud" in page.errors(), page.errors()


def test_a_reason_with_a_count_takes_the_readers_plural_form(app):
    """The retention check's months: English for `flask people erase` (no request), the reader's forms on a page."""
    from flask_babel import force_locale

    from copro_tracker.services import plural_in_reader_language as ngettext

    def kept(months: int) -> str:
        return ngettext(
            "They were paid in an initiative that is still open: payment records are kept for %(num)s month "
            "after it closes.",
            "They were paid in an initiative that is still open: payment records are kept for %(num)s months "
            "after it closes.",
            months,
        )

    assert kept(1).endswith("kept for 1 month after it closes.")
    assert kept(72).endswith("kept for 72 months after it closes.")
    with app.test_request_context(), force_locale("cy"):
        assert kept(2).endswith("yn cael eu cadw am 2 fis ar ôl iddi gau.")
        assert kept(72).endswith("yn cael eu cadw am 72 mis ar ôl iddi gau.")
