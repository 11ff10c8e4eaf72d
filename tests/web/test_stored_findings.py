"""Stored findings (issue 11): invalidated in the transaction that changes the records and worked out again
by a job after it commits, read by the pages, and recomputed on read when missing or when the day or the
framework's key has moved on, so no page shows a stale one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import get_page, login

from copro_tracker.criteria import stored
from copro_tracker.extensions import db
from copro_tracker.models import Organisation, Recommendation, StoredFinding

LOOP = "X-LOOP"  # every "you said" gets a "we did"; a review date that passes without a review is a gap


def _row(initiative_id: int, criterion_id: str = LOOP) -> StoredFinding | None:
    db.session.expire_all()
    return db.session.get(StoredFinding, (initiative_id, criterion_id))


def _criteria_status(client, initiative_id: int, criterion_id: str = LOOP) -> tuple[str, str]:
    page = get_page(client, f"/initiatives/{initiative_id}/criteria")
    section = page.soup.select_one(f"[id='criterion-{criterion_id}']").find_parent("section")
    status = section.select_one(".govuk-tag").get_text(" ", strip=True).removeprefix("Automatic check:").strip()
    return status, " ".join(section.get_text(" ").split())


def _coverage_status(client, title: str, criterion_id: str = LOOP) -> str:
    page = get_page(client, "/coverage?framework=cross_cutting")
    table = page.soup.select_one("[id='matrix-cross_cutting']").find_parent("section").select_one("table")
    headers = [th.select_one("abbr").get_text(strip=True) for th in table.select("thead th")[1:]]
    row = next(r for r in table.select("tbody tr") if r.select_one("th").get_text(strip=True) == title)
    cell = row.select("td")[headers.index(criterion_id)]
    return cell.select_one(".govuk-tag").get_text(strip=True)


def _respond(client, team, rec: Recommendation, review_on: date) -> None:
    url = f"/initiatives/{team.initiative.id}/recommendations/{rec.id}/respond"
    version = get_page(client, url).soup.select_one("input[name=version]")["value"]
    response = client.post(
        url,
        data={
            "response": "accepted",
            "reason": "",
            "action_taken": "Minutes now come in Easy Read",
            "review_on": [str(review_on.day), str(review_on.month), str(review_on.year)],
            "version": version,
        },
    )
    assert response.status_code == 302, response.status_code


def _recommend(client, team, activity) -> Recommendation:
    base = f"/initiatives/{team.initiative.id}"
    response = client.post(
        f"{base}/recommendations/new", data={"text": "Easy Read minutes", "activity_id": str(activity.id)}
    )
    assert response.status_code == 302
    return db.session.scalars(sa.select(Recommendation)).one()


def test_a_record_changed_over_http_shows_its_new_finding_at_once(client, team):
    activity = make_activity(team)
    initiative_id, title = team.initiative.id, team.initiative.title
    assert _row(initiative_id).status.value == "not_applicable"  # no recommendation yet
    login(client, team.partner)
    rec = _recommend(client, team, activity)
    # Stored by the job the write queued after its commit, before any page asked for it.
    row = _row(initiative_id)
    assert row.status.value == "not_met" and row.computed_for == date.today()
    assert "No response is recorded yet" in row.reasons[0]["text"]
    login(client, team.commissioner)
    status, text = _criteria_status(client, initiative_id)
    assert status == "Not met" and "No response is recorded yet" in text
    assert _coverage_status(client, title) == "Not met"

    _respond(client, team, rec, date.today() + timedelta(days=30))
    assert _row(initiative_id).status.value == "met"
    status, text = _criteria_status(client, initiative_id)
    assert status == "Met" and "No response is recorded yet" not in text
    assert _coverage_status(client, title) == "Met"


def test_moving_the_day_on_makes_a_review_overdue_without_any_record_changing(client, team, monkeypatch):
    activity = make_activity(team)
    login(client, team.partner)
    rec = _recommend(client, team, activity)
    login(client, team.commissioner)
    _respond(client, team, rec, date.today() + timedelta(days=3))
    assert _criteria_status(client, team.initiative.id)[0] == "Met"
    assert _coverage_status(client, team.initiative.title) == "Met"

    later = date.today() + timedelta(days=5)
    monkeypatch.setattr(stored, "today", lambda: later)
    # Coverage first: it reads statuses only, and still must not show yesterday's "met".
    assert _coverage_status(client, team.initiative.title) == "Partly met"
    status, text = _criteria_status(client, team.initiative.id)
    assert status == "Partly met" and "has passed with no review recorded" in text
    row = _row(team.initiative.id)
    assert row.computed_for == later and row.status.value == "partly_met"  # kept for the next reader


def test_rows_of_another_framework_version_or_missing_rows_are_recomputed_on_read(client, team):
    make_activity(team)
    initiative_id = team.initiative.id
    login(client, team.commissioner)
    before = _criteria_status(client, initiative_id, "X-STAGE")
    # A framework revision (or new rule code) changes the key: the old row must not be shown.
    db.session.execute(
        sa.update(StoredFinding)
        .where(StoredFinding.initiative_id == initiative_id, StoredFinding.criterion_id == "X-STAGE")
        .values(key="from an older framework version", status="met", reasons=[])
    )
    db.session.execute(
        sa.delete(StoredFinding).where(StoredFinding.initiative_id == initiative_id, StoredFinding.criterion_id == LOOP)
    )
    db.session.commit()
    assert _criteria_status(client, initiative_id, "X-STAGE") == before
    assert _row(initiative_id, LOOP) is not None
    assert _row(initiative_id, "X-STAGE").key != "from an older framework version"


def test_a_changed_name_reaches_the_stored_reasons_of_every_initiative_the_person_is_in(client, team):
    activity = make_activity(team)
    login(client, team.partner)
    _recommend(client, team, activity)
    assert team.partner.display_name in _row(team.initiative.id).reasons[0]["text"]
    partner = db.session.merge(team.partner)
    partner.display_name = "Pat Renamed"
    db.session.commit()
    assert _row(team.initiative.id).reasons[0]["text"].startswith("Pat Renamed said")


def test_a_write_that_rolls_back_leaves_the_stored_findings_as_they_were(team):
    make_activity(team)
    before = _row(team.initiative.id).status
    db.session.add(
        Recommendation(
            organisation_id=team.initiative.organisation_id,
            initiative_id=team.initiative.id,
            made_by_id=team.partner.id,
            text="Never saved",
        )
    )
    db.session.flush()
    db.session.rollback()
    assert _row(team.initiative.id).status == before


@pytest.mark.parametrize("size", [2, 30])
def test_reasons_read_back_exactly_as_the_rules_gave_them(team, size):
    from copro_tracker.criteria import facts, rules
    from copro_tracker.reports import data

    for n in range(size):
        make_activity(team, title=f"Session {n}")
    library = data.library()
    fresh = facts.load_many([team.initiative.id], team.initiative.organisation_id)[team.initiative.id]
    expected = stored.expected_keys(library, fresh.initiative.nation)
    again = stored.read([team.initiative.id], team.initiative.organisation_id, library, fresh.initiative.nation)
    for criterion_id, (_, criterion, _) in expected.items():
        assert again[team.initiative.id][criterion_id] == rules.evaluate(criterion, fresh), criterion_id


def test_findings_refresh_stores_what_a_bulk_load_left_out(app, team, monkeypatch):
    make_activity(team)
    db.session.execute(sa.delete(StoredFinding))
    db.session.commit()
    later = date.today() + timedelta(days=1)
    monkeypatch.setattr(stored, "today", lambda: later)  # the nightly job runs on the new day
    result = app.test_cli_runner().invoke(args=["findings-refresh"])
    assert result.exit_code == 0 and "Findings are current for 1 initiative." in result.output, result.output
    rows = db.session.scalars(sa.select(StoredFinding)).all()
    assert rows and {row.computed_for for row in rows} == {later}
    assert {row.initiative_id for row in rows} == {team.initiative.id}


def test_a_write_deletes_its_initiatives_findings_and_the_next_page_works_them_out(client, team, monkeypatch):
    """Without the job (a worker that has not run yet), the invalidated findings are never shown stale."""
    activity = make_activity(team)
    initiative_id = team.initiative.id
    assert _row(initiative_id).status.value == "not_applicable"
    queued: list[tuple] = []
    monkeypatch.setattr(stored, "after_commit", lambda job, *args: queued.append((job.name, *args)))
    login(client, team.partner)
    _recommend(client, team, activity)
    assert queued == [("refresh_initiatives", team.initiative.organisation_id, [initiative_id])]
    assert _row(initiative_id) is None  # deleted with the change, in the same transaction
    login(client, team.commissioner)
    status, text = _criteria_status(client, initiative_id)
    assert status == "Not met" and "No response is recorded yet" in text
    assert _row(initiative_id).status.value == "not_met"  # kept for the next reader


def test_each_stored_text_is_decoded_once_and_a_rewritten_row_afresh(team, monkeypatch):
    from copro_tracker.reports import data

    make_activity(team, title="Workshop one")
    ident, org = team.initiative.id, team.initiative.organisation_id
    library, nation = data.library(), db.session.get(Organisation, org).nation
    stored.read([ident], org, library, nation)  # stores the rows
    decoded: list[int] = []
    real = stored.decode_reasons
    monkeypatch.setattr(stored, "decode_reasons", lambda items: decoded.append(1) or real(items))
    stored._decoded_reasons.cache_clear()
    first = stored.read([ident], org, library, nation)
    rows = len(decoded)
    assert rows >= 1
    assert stored.read([ident], org, library, nation) == first
    assert len(decoded) == rows, "a second read decodes nothing"
    db.session.execute(
        sa.update(StoredFinding)
        .where(StoredFinding.initiative_id == ident, StoredFinding.criterion_id == LOOP)
        .values(reasons=[{"text": "Rewritten in place", "refs": []}])
    )
    again = stored.read([ident], org, library, nation)
    assert [reason.text for reason in again[ident][LOOP].reasons] == ["Rewritten in place"]
    assert len(decoded) == rows + 1
