"""The dashboard's "Waiting for you" and "Your initiatives", per role, in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from activity_fixtures import QueryCounter, make_activity, make_team, team_fixture  # noqa: F401
from conftest import get_page, login, make_user

from copro_tracker.codes import OrgRole, StageStatus
from copro_tracker.extensions import db
from copro_tracker.initiatives import service as initiatives
from copro_tracker.models import Attendance, Initiative, Recommendation


def _waiting(page) -> str:
    items = page.soup.select(".app-waiting li")
    return " | ".join(" ".join(li.get_text(" ").split()) for li in items)


def test_empty_dashboards_say_what_to_do_next(client, commissioner, partner):
    login(client, commissioner)
    page = get_page(client, "/dashboard")
    assert "You are not part of any initiative yet" in page.text()
    assert page.soup.select_one("a[href='/initiatives/new']")
    assert "Nothing is waiting for you" in page.text()
    login(client, partner)
    page = get_page(client, "/dashboard")
    assert "The commissioner you work with can add you to one" in page.text()
    assert page.soup.select_one("a[href='/initiatives/new']") is None


def test_waiting_items_for_each_person(client, team):
    # An activity where the partner contributed: design awaits sign-off from both sides.
    activity = make_activity(team, title="Workshop one")
    initiative = db.session.get(Initiative, team.initiative.id)
    initiatives.refresh_stage(initiative.stages[0])
    db.session.commit()
    assert initiative.stages[0].status == StageStatus.AWAITING_SIGNOFF
    make_activity(team, title="Phone call", on_behalf_of=team.partner, people=[team.partner])
    db.session.add(
        Recommendation(
            organisation_id=initiative.organisation_id,
            initiative_id=initiative.id,
            made_by_id=team.partner.id,
            text="Send papers a week ahead",
            review_on=date.today() - timedelta(days=1),
        )
    )
    db.session.commit()

    login(client, team.partner)
    waiting = _waiting(get_page(client, "/dashboard"))
    assert "Sign off or disagree: design stage of Redesigning day opportunities" in waiting
    assert "Check what was recorded for you: Phone call" in waiting
    assert (
        "Rate how co-produced it felt: Workshop one" in waiting
        and "Rate how co-produced it felt: Phone call" in waiting
    )
    assert "Review overdue" in waiting, "the partner is a co-lead"

    login(client, team.commissioner)
    page = get_page(client, "/dashboard")
    waiting = _waiting(page)
    assert "Sign off or disagree" in waiting and "Review overdue" in waiting
    assert "Check what was recorded" not in waiting
    assert "Redesigning day opportunities" in page.text("table")

    # Once the partner rates and signs, those items go away.
    db.session.get(
        Attendance, next(a.id for a in activity.attendances if a.user_id == team.partner.id)
    ).ladder_rating = 6
    db.session.commit()
    initiatives.sign_off(team.partner, db.session.get(Initiative, team.initiative.id).stages[0], "approve", "")
    login(client, team.partner)
    waiting = _waiting(get_page(client, "/dashboard"))
    assert "Sign off" not in waiting and "Workshop one" not in waiting and "Phone call" in waiting

    # Observers and people outside the initiative have nothing waiting there.
    login(client, team.observer)
    assert "Sign off" not in _waiting(get_page(client, "/dashboard"))
    login(client, team.nonmember)
    page = get_page(client, "/dashboard")
    assert "Redesigning day opportunities" not in page.text()


def test_other_organisations_initiatives_are_never_listed(client, team, outsider, other_org):
    theirs = make_team(other_org, outsider, make_user(other_org, OrgRole.CITIZEN_PARTNER))
    make_activity(theirs)
    login(client, team.commissioner)
    page = get_page(client, "/dashboard")
    assert "Redesigning day opportunities" in page.text()
    assert page.text().count("Redesigning day opportunities") == 1


def test_dashboard_runs_a_fixed_number_of_queries(client, team, org, commissioner):
    def measure() -> int:
        with QueryCounter() as counter:
            get_page(client, "/dashboard")
        return counter.n

    login(client, team.partner)
    small = measure()
    for _ in range(6):
        other = make_team(org, commissioner, make_user(org, OrgRole.CITIZEN_PARTNER))
        initiatives.add_member(commissioner, db.session.get(Initiative, other.initiative.id), team.partner, "member")
        for _ in range(4):
            make_activity(other, people=[team.partner, commissioner, *[make_user(org) for _n in range(3)]])
        make_activity(other, on_behalf_of=team.partner, people=[team.partner])
    large = measure()
    assert small == large, (small, large)
    login(client, commissioner)
    assert measure() <= 12
