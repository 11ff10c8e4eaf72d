"""The demo data, checked against the criteria: each demo initiative gets the findings its records support."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from conftest import get_page, login

from copro_tracker.criteria import facts, rules
from copro_tracker.criteria.rules import Status
from copro_tracker.extensions import db
from copro_tracker.models import Initiative, User

DAY_OPPORTUNITIES = "Redesigning day opportunities with people with learning disabilities"
CARERS_PLAN = "Carers' information and advice plan"
HOME_CARE = "Shaping the home care market together / Llunio'r farchnad gofal cartref gyda'n gilydd"


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return {i.title: i for i in db.session.scalars(sa.select(Initiative))}


def _findings(app, initiative):
    library = app.extensions["criteria_library"]
    snapshot = facts.load(initiative)
    frameworks = [f for f in library.for_nation(snapshot.initiative.nation) if f.criteria]
    criteria = [c for f in frameworks for c in f.criteria]
    return {f.id for f in frameworks}, dict(
        zip([c.id for c in criteria], rules.evaluate_all(criteria, snapshot), strict=True)
    )


def _texts(finding) -> list[str]:
    return [reason.text for reason in finding.reasons]


def test_day_opportunities_meets_x_stage_for_design_but_not_yet_later_stages(app, demo):
    initiative = demo[DAY_OPPORTUNITIES]
    assert initiative.current_stage.value == "delivery"
    frameworks, found = _findings(app, initiative)
    assert {"care_act_england", "nhs_involvement_england", "cross_cutting", "scie", "tlap"} == frameworks
    stage = found["X-STAGE"]
    assert stage.status is Status.PARTLY_MET
    texts = _texts(stage)
    assert texts[0].startswith("Design stage: a citizen partner helped make the decision")
    assert "rung 6 of 7 (co-designing)" in texts[0]
    assert (
        texts[1]
        == "Delivery stage: citizen partners took part in 1 activity, but no decision there records their view yet."
    )
    # Evaluation has not started, so it cannot count yet: nothing is claimed for it.
    assert not any(text.startswith("Evaluation stage") for text in texts)
    assert found["X-EVAL"].status is Status.NOT_APPLICABLE
    assert _texts(found["X-EVAL"]) == ["The evaluation stage has not started yet."]
    # The transport recommendation was answered, involvement started before the first design decision.
    assert found["X-LOOP"].status is Status.MET and found["X-EARLY"].status is Status.MET
    # Nobody has been paid or thanked for their time yet.
    assert found["X-REWARD"].status is Status.NOT_MET
    # Design was signed off by both sides; delivery is waiting.
    assert found["X-SIGNOFF"].status is Status.PARTLY_MET
    # Not NHS-partnered, so the NHS duties do not apply.
    assert found["NHS-ACT-14Z45"].status is Status.NOT_APPLICABLE


def test_carers_plan_has_an_unanswered_recommendation_and_an_unpublished_plan(app, demo):
    frameworks, found = _findings(app, demo[CARERS_PLAN])
    assert "care_act_england" in frameworks and "sswb_wales" not in frameworks
    loop = found["X-LOOP"]
    assert loop.status is Status.NOT_MET
    (text,) = _texts(loop)
    assert text.startswith("You said “Put the carers' assessment form online with a save-and-return option.”")
    assert text.endswith(": no response is recorded yet.")
    assert found["X-PUBLISH"].status is Status.NOT_MET
    assert "has not been published yet" in _texts(found["X-PUBLISH"])[0]
    # The information and advice plan duty applies to this initiative, and is not met until it is published.
    assert found["CA-STG-3.A"].status is Status.NOT_MET
    assert found["CA-STG-4.A"].status is Status.NOT_APPLICABLE  # not market shaping
    signoff = _texts(found["X-SIGNOFF"])
    # The partner disagreed, which is not an approval: the gate still waits for both sides, and so does this.
    assert "Design stage is waiting for sign-off from a commissioner and a citizen partner." in signoff
    assert any("disagreed at the sign-off" in text and "Polish community" in text for text in signoff)


def test_welsh_home_care_gets_the_welsh_frameworks_not_the_care_act(app, demo):
    initiative = demo[HOME_CARE]
    assert initiative.current_stage.value == "evaluation"
    frameworks, found = _findings(app, initiative)
    assert frameworks == {"sswb_wales", "welsh_language_standards", "cross_cutting", "scie", "tlap"}
    assert not any(criterion.startswith(("CA-", "NHS-", "ENG-")) for criterion in found)
    # Megan prefers Welsh, but the sessions she attended were not held in Welsh or interpreted.
    assert found["X-LANG"].status is Status.PARTLY_MET
    assert any("prefers Welsh took part, but the activity was not held in Welsh" in t for t in _texts(found["X-LANG"]))
    assert found["X-SIGNOFF"].status is Status.MET  # design and delivery both signed off by both sides
    assert found["X-EVAL"].status is Status.PARTLY_MET
    assert "There is no evaluation report yet." in _texts(found["X-EVAL"])
    stage = _texts(found["X-STAGE"])
    assert stage[0].startswith("Design stage: a citizen partner helped make the decision")
    assert stage[2] == (
        "Evaluation stage: citizen partners took part in 1 activity, but no decision there records their view yet."
    )


def test_demo_pages_show_the_findings_to_each_council(app, client, demo):
    tom = db.session.scalar(sa.select(User).where(User.email == "commissioner@northshire.example"))
    dafydd = db.session.scalar(sa.select(User).where(User.email == "commissioner@glanyrafon.example"))
    login(client, tom)
    page = get_page(client, f"/initiatives/{demo[CARERS_PLAN].id}/criteria")
    assert "Automatic check: Not met" in " ".join(
        page.soup.select_one("[id='criterion-X-LOOP']").find_parent("section").get_text(" ").split()
    )
    get_page(client, f"/initiatives/{demo[HOME_CARE].id}/criteria", status=404)
    coverage = get_page(client, "/coverage").text()
    assert DAY_OPPORTUNITIES in coverage and HOME_CARE not in coverage
    login(client, dafydd)
    page = get_page(client, f"/initiatives/{demo[HOME_CARE].id}/criteria")
    text = page.text()
    assert "Social Services and Well-being (Wales) Act 2014" in text and "Care Act 2014 and" not in text
    assert "CQC quality statements" not in text
    assert HOME_CARE in get_page(client, "/coverage").text()
