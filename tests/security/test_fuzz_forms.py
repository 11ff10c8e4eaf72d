"""Hypothesis over the initiative, activity and decision forms: never a 500, never a partial write."""

from __future__ import annotations

import sqlalchemy as sa
from activity_fixtures import make_activity, team_fixture  # noqa: F401
from conftest import login
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copro_tracker.extensions import db
from copro_tracker.models import Activity, Attendance, AuditEvent, Decision, DecisionPosition

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
junk = st.text(max_size=300)
number_ish = st.one_of(st.integers(-5, 3000).map(str), st.text(max_size=6), st.just(""))


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Activity, Attendance, Decision, DecisionPosition, AuditEvent)
    )


def _check(client, url: str, data: dict) -> None:
    before = _counts()
    response = client.post(url, data=data)
    assert response.status_code in (200, 302, 409), response.status_code
    if response.status_code != 302:
        assert _counts() == before, "an error page must not leave a partial write"


@FUZZ
@given(
    stage=st.one_of(number_ish, st.just("STAGE")),
    kind=st.one_of(st.sampled_from(["workshop", "survey", "other"]), junk),
    day=number_ish,
    month=number_ish,
    year=number_ish,
    date_parts=st.integers(0, 4),
    title=st.one_of(junk, st.text(min_size=190, max_size=220)),
    notes=junk,
    attendees=st.lists(st.one_of(number_ish, st.just("ME")), max_size=4),
    guests=st.one_of(junk, st.lists(st.text(max_size=130), max_size=4).map("\n".join)),
    citizens=st.sampled_from(["", "y", "nonsense"]),
    on_behalf=st.one_of(number_ish, st.just("PARTNER")),
)
def test_activity_form_fuzz(
    client, team, stage, kind, day, month, year, date_parts, title, notes, attendees, guests, citizens, on_behalf
):
    login(client, team.commissioner)
    stage_id = str(team.initiative.stages[0].id) if stage == "STAGE" else stage
    people = [str(team.partner.id) if a == "ME" else a for a in attendees]
    data = {
        "stage_id": stage_id,
        "kind": kind,
        "occurred_on": [day, month, year][:date_parts] if date_parts < 4 else [day, month, year, day],
        "title": title,
        "notes": notes,
        "attendees": people,
        "guests": guests,
        "guests_are_citizens": citizens,
        "on_behalf_of": str(team.partner.id) if on_behalf == "PARTNER" else on_behalf,
    }
    _check(client, f"/initiatives/{team.initiative.id}/activities/new", data)


@FUZZ
@given(
    what=junk,
    options=junk,
    positions=st.lists(
        st.one_of(st.sampled_from(["agreed", "dissented", "abstained", "absent"]), junk), min_size=2, max_size=2
    ),
    changed=st.one_of(st.sampled_from(["yes", "no"]), junk),
    how=junk,
    version=number_ish,
)
def test_decision_form_fuzz(client, team, what, options, positions, changed, how, version):
    if not hasattr(team, "_activity"):
        team._activity = make_activity(team)
    activity = team._activity
    login(client, team.partner)
    data = {
        "what": what,
        "options_considered": options,
        f"position_{team.commissioner.id}": positions[0],
        f"position_{team.partner.id}": positions[1],
        "changed": changed,
        "how_changed": how,
        "version": version,
    }
    _check(client, f"/initiatives/{team.initiative.id}/activities/{activity.id}/decisions/new", data)
    decision = db.session.scalar(sa.select(Decision).where(Decision.activity_id == activity.id).limit(1))
    if decision is not None:
        _check(client, f"/initiatives/{team.initiative.id}/decisions/{decision.id}/edit", data)


@FUZZ
@given(
    title=st.one_of(junk, st.text(min_size=195, max_size=210)),
    summary=junk,
    service_area=st.one_of(junk, st.text(min_size=115, max_size=130)),
    functions=st.lists(st.one_of(st.sampled_from(["prevention", "advocacy", "other"]), junk), max_size=3),
    level=st.one_of(st.sampled_from(["collective", "individual"]), junk),
    version=number_ish,
    edit=st.booleans(),
)
def test_initiative_form_fuzz(client, team, title, summary, service_area, functions, level, version, edit):
    from copro_tracker.models import Initiative, Membership, Stage

    login(client, team.commissioner)
    data = {
        "title": title,
        "summary": summary,
        "service_area": service_area,
        "statutory_functions": functions,
        "level": level,
        "version": version,
    }
    url = f"/initiatives/{team.initiative.id}/edit" if edit else "/initiatives/new"
    before = tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Initiative, Membership, Stage, AuditEvent)
    )
    response = client.post(url, data=data)
    assert response.status_code in (200, 302, 409), response.status_code
    if response.status_code != 302:
        after = tuple(
            db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Initiative, Membership, Stage, AuditEvent)
        )
        assert after == before, "an error page must not leave a partial write"
