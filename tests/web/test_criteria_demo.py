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
    assert texts[0].startswith("Design stage: Amira Hassan, a citizen partner, helped make the decision")
    assert "rung 6 of 7 (co-designing)" in texts[0]
    # Delivery: Amira was on the tender panel when the shortlist was decided (in the room for a decision),
    # but rated it "consulting", below the rung X-STAGE asks for: partly in order, and the reason says why.
    assert texts[1].startswith("Delivery stage: Amira Hassan was there when “Shortlist two providers")
    assert texts[1].endswith("but rated it rung 4 of 7 (consulting), below the rung 5 of 7 (engaging) asked for.")
    # The two sides rated the panel differently (staff 6, Amira 4): shown side by side, never averaged.
    power = "\n".join(_texts(found["X-POWER"]))
    assert (
        "Citizen partners: Amira Hassan rung 4 of 7 (consulting). Staff: Tom Evans rung 6 of 7 (co-designing)." in power
    )
    # Evaluation has not started, so it cannot count yet: nothing is claimed for it.
    assert not any(text.startswith("Evaluation stage") for text in texts)
    assert found["X-EVAL"].status is Status.NOT_APPLICABLE
    assert _texts(found["X-EVAL"]) == ["The evaluation stage has not started yet."]
    # The transport recommendation was answered, involvement started before the first design decision.
    assert found["X-LOOP"].status is Status.MET and found["X-EARLY"].status is Status.MET
    # Both citizen partners were offered something for their time (demo_payments.py): George was paid, Amira
    # chose a voucher once and no payment, thank you, once. A choice not to be paid is still an offer made.
    assert found["X-REWARD"].status is Status.MET
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
    assert text.startswith("Ruth Okafor said “Put the carers' assessment form online with a save-and-return option.”")
    assert text.endswith(". No response is recorded yet.")
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
    # Megan prefers Welsh: the design session was bilingual, but the evaluation panel she attended was
    # held in English only, with no interpretation or Welsh papers.
    assert found["X-LANG"].status is Status.PARTLY_MET
    lang = _texts(found["X-LANG"])
    assert any("“What good home care means”" in t and "held in Welsh" in t and "for Megan Price" in t for t in lang)
    assert any(
        t.startswith("“Evaluation panel: six months on”")
        and "Megan Price prefers Welsh, but it was not held in Welsh" in t
        for t in lang
    )
    assert found["X-SIGNOFF"].status is Status.MET  # design and delivery both signed off by both sides
    # Megan attended the evaluation panel but is not recorded as contributing, and the outcomes the work
    # aims for were never written down with partners. No report is demanded: X-EVAL does not name one.
    evaluation = _texts(found["X-EVAL"])
    assert found["X-EVAL"].status is Status.PARTLY_MET
    assert "none is recorded as contributing to the analysis" in evaluation[0]
    assert "There is no list of outcomes the work aims for yet." in evaluation
    assert not any("evaluation report" in t for t in evaluation)
    stage = _texts(found["X-STAGE"])
    assert stage[0].startswith("Design stage: Gareth Hughes, a citizen partner, helped make the decision")
    assert stage[1].startswith("Delivery stage: Gareth Hughes, a citizen partner, helped make the decision “Two of the")
    # Attending a panel where nothing was decided with them is consultation, not co-production.
    assert stage[2].startswith("Evaluation stage: citizen partners attended “Evaluation panel: six months on”")
    assert stage[2].endswith("That is consultation, not co-production.")


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
