"""Stored participation figures (issue 11): the portfolio as at today reads each initiative's stored summary
instead of its facts. The figures are stored by the write's own transaction, so the portfolio shows a change at
once, and a report built from them says exactly what one built from the facts says."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import get_page, login

from copro_tracker.criteria import stored
from copro_tracker.extensions import db
from copro_tracker.models import Initiative, Organisation, StoredSummary
from copro_tracker.reports import build, data, service, stored_summary


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output


def _from_facts(organisation: Organisation, spec: service.ReportSpec, report: build.Report) -> build.Report:
    ids = data.initiative_ids_as_at(organisation, spec.period.as_of)
    inputs = data.load_inputs(
        organisation, ids, spec.period, anonymise_partners=spec.anonymise_partners, generated_at=report.generated_at
    )
    return build.build_portfolio_report(replace(inputs, checkpoint=data.checkpoint_info(organisation, None)))


@pytest.mark.parametrize("anonymise", [False, True])
def test_the_portfolio_from_stored_figures_says_what_the_facts_say(app, demo, anonymise):
    organisations = list(db.session.scalars(sa.select(Organisation)))
    assert organisations
    for organisation in organisations:
        spec = service.ReportSpec(build.ReportKind.PORTFOLIO, build.Period(date.today()), anonymise_partners=anonymise)
        from_stored = service.prepare(organisation, spec, read_only=True)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredSummary)) > 0
        from_facts = _from_facts(organisation, spec, from_stored)
        stored_data = replace(from_stored, checkpoint=None).to_data()
        assert stored_data == replace(from_facts, checkpoint=None).to_data()
    # The demo has guests, ratings, adjustments, payments and a dissent: the comparison covered them.
    text = repr(stored_data)
    assert "disagreed at the sign-off" in text or "Not met" in text


def test_a_stored_summary_is_written_with_the_change_and_recomputed_when_its_day_or_key_moves_on(
    app, client, team, monkeypatch
):
    initiative_id = team.initiative.id
    make_activity(team)  # committed through the session: the write hook removes the old figures
    before = stored_summary.read([initiative_id], team.initiative.organisation_id)[initiative_id]
    assert before.activities == 1
    db.session.commit()
    row = db.session.get(StoredSummary, initiative_id)
    assert row is not None and row.computed_for == date.today() and row.data["activities"] == 1
    # Another day: recomputed on read, not shown as it was.
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    monkeypatch.setattr(stored, "today", lambda: tomorrow)
    again = stored_summary.read([initiative_id], team.initiative.organisation_id)[initiative_id]
    assert again.activities == 1
    db.session.expire_all()
    assert db.session.get(StoredSummary, initiative_id).computed_for == tomorrow
    # A row of another key (the code changed) is recomputed too.
    db.session.execute(sa.update(StoredSummary).values(key="old", data={"format": 0}))
    assert stored_summary.read([initiative_id], team.initiative.organisation_id)[initiative_id].activities == 1
    db.session.rollback()


def _portfolio_text(client) -> str:
    return " ".join(get_page(client, "/reports/portfolio").soup.select_one("main").get_text(" ").split())


def test_a_record_changed_over_http_shows_in_the_portfolio_at_once(client, team):
    activity = make_activity(team)
    login(client, team.commissioner)
    assert "Recommendations waiting for an answer" not in _portfolio_text(client)
    login(client, team.partner)
    response = client.post(
        f"/initiatives/{team.initiative.id}/recommendations/new",
        data={"text": "Easy Read minutes", "activity_id": str(activity.id)},
    )
    assert response.status_code == 302
    # The write removed the old figures; the job after it (or the next page) works them out again.
    db.session.expire_all()
    row = db.session.get(StoredSummary, team.initiative.id)
    assert row is None or row.data["waiting_recommendations"] == 1
    login(client, team.commissioner)
    assert "Recommendations waiting for an answer: 1" in _portfolio_text(client)


def test_an_initiative_report_from_its_stored_snapshot_says_what_the_records_say(app, demo):
    for initiative in db.session.scalars(sa.select(Initiative)).all():
        organisation = db.session.get(Organisation, initiative.organisation_id)
        spec = service.ReportSpec(build.ReportKind.INITIATIVE, build.Period(date.today()), initiative.id)
        loaded = service.prepare(organisation, spec, read_only=True)  # loads the records, keeps the snapshot
        db.session.commit()
        row = db.session.get(StoredSummary, initiative.id)
        assert row.snapshot is not None, initiative.title
        from_snapshot = service.prepare(organisation, spec, read_only=True)
        same_time = replace(from_snapshot, generated_at=loaded.generated_at)
        assert same_time.to_data() == loaded.to_data(), initiative.title
        assert same_time.files == loaded.files
        db.session.expire_all()


def test_a_change_clears_the_report_snapshot_so_the_report_shows_it_at_once(client, team):
    activity = make_activity(team)
    login(client, team.commissioner)
    url = f"/initiatives/{team.initiative.id}/report"
    assert "Easy Read minutes" not in get_page(client, url).text()
    db.session.expire_all()
    assert db.session.get(StoredSummary, team.initiative.id).snapshot is not None
    login(client, team.partner)
    response = client.post(
        f"/initiatives/{team.initiative.id}/recommendations/new",
        data={"text": "Easy Read minutes", "activity_id": str(activity.id)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(StoredSummary, team.initiative.id)
    assert row is None or row.snapshot is None  # cleared by the write itself
    login(client, team.commissioner)
    assert "Easy Read minutes" in get_page(client, url).text()


def test_a_new_assessment_is_stored_with_the_figures_and_clears_the_report_snapshot(client, team):
    from copro_tracker.codes import AssessmentStatus
    from copro_tracker.models import Assessment

    make_activity(team)
    login(client, team.commissioner)
    get_page(client, f"/initiatives/{team.initiative.id}/report")  # keeps the snapshot
    db.session.expire_all()
    assert db.session.get(StoredSummary, team.initiative.id).snapshot is not None
    db.session.add(
        Assessment(
            organisation_id=team.initiative.organisation_id,
            initiative_id=team.initiative.id,
            framework_id="cross_cutting",
            framework_version="1",
            criterion_id="X-LOOP",
            status=list(AssessmentStatus)[0],
            assessed_by_id=team.commissioner.id,
        )
    )
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(StoredSummary, team.initiative.id)
    assert row is None or row.snapshot is None  # cleared by the write itself
    summary = stored_summary.read([team.initiative.id], team.initiative.organisation_id)[team.initiative.id]
    assert len(summary.assessments) == 1
