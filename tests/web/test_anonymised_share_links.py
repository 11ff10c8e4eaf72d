"""Share links are anonymised by default (issue 13): the page, the CSV and the JSON of an anonymised link hold no
partner's name (not even in free text), internal user id or storage key; small role/need counts are hidden;
and the JSON bundle still verifies offline. A person who withdrew consent is never named, even in named reports."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
import sqlalchemy as sa
from conftest import Page, link_path, login

from copro_tracker.activities import service as activities
from copro_tracker.audit import ledger
from copro_tracker.audit import service as audit_service
from copro_tracker.audit.verify import verify_bundle
from copro_tracker.extensions import db
from copro_tracker.models import Activity, Attendance, Evidence, Initiative, ShareLink, User

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def world(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    tom = db.session.scalar(sa.select(User).where(User.email == "commissioner@northshire.example"))
    amira = db.session.scalar(sa.select(User).where(User.email == "partner@northshire.example"))
    initiative = db.session.scalar(
        sa.select(Initiative)
        .where(Initiative.organisation_id == tom.organisation_id)
        .where(Initiative.memberships.any(user_id=amira.id))
        .order_by(Initiative.id)
        .limit(1)
    )
    activity = db.session.scalar(
        sa.select(Activity).where(Activity.initiative_id == initiative.id).order_by(Activity.id).limit(1)
    )
    # Free text that names her, as people write it.
    first = amira.display_name.split()[0]
    activity.title = f"Planning session done by {first}"
    activity.notes = f"{amira.display_name} led the first half."
    row = next((a for a in activity.attendances if a.user_id == amira.id), None)
    if row is None:
        row = Attendance(organisation_id=tom.organisation_id, activity_id=activity.id, user_id=amira.id)
        db.session.add(row)
    row.contributed = True
    row.adjustments_requested = ["easy_read"]
    db.session.commit()
    evidence = activities.upload_evidence(
        amira,
        db.session.get(Initiative, initiative.id),
        data=PDF + b"amira",
        filename=f"{first.lower()}-notes.pdf",
        consent="named",
        description=f"Notes written by {first}",
        activity_id=activity.id,
        decision_id=None,
    )
    return {"tom": tom, "amira": amira, "initiative": initiative, "evidence": evidence, "first": first}


def _link(client, initiative_id: int, **extra) -> str:
    response = client.post(
        f"/reports/share-links/new?kind=initiative&initiative={initiative_id}", data={"expiry_days": "7", **extra}
    )
    page = Page(response).check()
    url = page.soup.select_one("#share-link").get_text(strip=True)
    return re.fullmatch(r"/shared/([A-Za-z0-9_-]+)", link_path(url)).group(1)


def _forbidden(world) -> list[str]:
    amira, evidence = world["amira"], db.session.get(Evidence, world["evidence"].id)
    return [amira.display_name, world["first"], evidence.storage_key, evidence.filename, f'"actor":{amira.id}']


def test_an_anonymised_link_names_nobody_and_carries_no_id_or_storage_key(app, client, world):
    login(client, world["tom"])
    form = Page(client.get(f"/reports/share-links/new?kind=initiative&initiative={world['initiative'].id}")).check()
    assert form.soup.select_one("input[name=names][value=anonymised]").has_attr("checked")  # the default
    token = _link(client, world["initiative"].id)  # no choice sent: anonymised
    assert db.session.scalar(sa.select(ShareLink)).params["anonymise_partners"] == "yes"
    visitor = app.test_client()
    page = visitor.get(f"/shared/{token}").get_data(as_text=True)
    with zipfile.ZipFile(io.BytesIO(visitor.get(f"/shared/{token}/csv").data)) as archive:
        csv_text = "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    raw = visitor.get(f"/shared/{token}/json").get_data(as_text=True)
    for body in (page, csv_text, raw):
        for secret in _forbidden(world):
            assert secret not in body, secret
    assert "Planning session done by Citizen partner" in page
    bundle = json.loads(raw)
    assert all("evidence_id" not in item for item in bundle["report"]["evidence_files"])
    assert not re.search(rf'"actor":\s*{world["amira"].id}\b', raw)
    # Still verifiable offline: the events it relies on are proven by hash, the report by its event.
    checks = verify_bundle(bundle, ledger.public_key_pem(audit_service.signing_key()))
    assert all(c.ok for c in checks), "\n".join(c.line for c in checks)
    assert any("report data in the bundle matches" in c.message for c in checks)


def test_a_named_link_is_a_deliberate_choice_and_still_hides_who_withdrew_consent(app, client, world):
    login(client, world["tom"])
    token = _link(client, world["initiative"].id, names="named")
    visitor = app.test_client()
    assert world["amira"].display_name in visitor.get(f"/shared/{token}").get_data(as_text=True)
    # She withdraws consent to being named: the next report made through the same link honours it at once.
    login(client, world["amira"])
    client.post("/profile/your-data/named-use", data={"named": "no"})
    page = visitor.get(f"/shared/{token}").get_data(as_text=True)
    assert world["amira"].display_name not in page and "Citizen partner" in page


def test_reports_show_adjustment_totals_not_who_asked(client, world):
    login(client, world["tom"])
    page = Page(client.get(f"/initiatives/{world['initiative'].id}/report")).check()
    headers = (
        [th.get_text(" ", strip=True) for th in page.soup.select("#attendance th")]
        if page.soup.select_one("#attendance")
        else []
    )
    assert "Adjustments asked for" not in " ".join(headers)
    assert "Adjustments were asked for" in page.text()


def test_staff_may_ask_for_named_adjustments_on_the_page_and_that_is_a_recorded_disclosure(client, world):
    from copro_tracker.models import AuditEvent

    url = f"/initiatives/{world['initiative'].id}/report"
    login(client, world["amira"])  # a partner: the option is not offered, and asking does nothing
    page = Page(client.get(f"{url}?named_needs=yes")).check()
    assert "Show each person's adjustments" not in page.text()
    assert "Adjustments asked for" not in " ".join(th.get_text() for th in page.soup.select("th"))
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "needs.viewed")) is None
    login(client, world["tom"])
    assert "Show each person's adjustments" in Page(client.get(url)).check().text()
    page = Page(client.get(f"{url}?named_needs=yes")).check()
    assert "Adjustments asked for" in " ".join(th.get_text() for th in page.soup.select("th"))
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "needs.viewed"))
    assert event.actor_id == world["tom"].id and str(world["amira"].id) in event.payload
