"""Demo initiatives, one at each stage, recorded the way real people would record them.

- Northshire: redesigning day opportunities with people with learning disabilities (delivery stage);
  a carers' information and advice plan (design stage, awaiting sign-off).
- Glanyrafon: a home-care market-shaping exercise (evaluation stage).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from .codes import ActivityKind, MemberRole, OutputKind, Position, Response, StageKind
from .extensions import db
from .initiatives import service as initiatives
from .models import Activity, Attendance, Decision, DecisionPosition, Initiative, Output, Recommendation, Stage, User


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _stage(initiative: Initiative, kind: StageKind) -> Stage:
    return next(s for s in initiative.stages if s.kind == kind)


def _activity(
    initiative,
    kind,
    stage_kind,
    day,
    title,
    notes,
    recorder,
    attendees,
    ratings=None,
    guests=(),
    *,
    languages=("en",),
    interpretation=(),
    material_formats=(),
):
    """attendees: list of (user, contributed); ratings: {email: rung}."""
    ratings = ratings or {}
    activity = Activity(
        languages=list(languages),
        interpretation=list(interpretation),
        material_formats=list(material_formats),
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        stage_id=_stage(initiative, stage_kind).id,
        kind=kind,
        occurred_on=day,
        title=title,
        notes=notes,
        recorded_by_id=recorder.id,
    )
    for person, contributed in attendees:
        needs = list(person.communication_needs or [])
        activity.attendances.append(
            Attendance(
                organisation_id=initiative.organisation_id,
                user_id=person.id,
                contributed=contributed,
                adjustments_requested=needs,
                adjustments_provided=needs,
                ladder_rating=ratings.get(person.email),
            )
        )
    for name in guests:
        activity.attendances.append(
            Attendance(
                organisation_id=initiative.organisation_id, guest_name=name, guest_is_citizen=True, contributed=True
            )
        )
    db.session.add(activity)
    db.session.flush()
    return activity


def _decision(activity, what, options, changed, how, recorder, positions):
    decision = Decision(
        organisation_id=activity.organisation_id,
        activity_id=activity.id,
        what=what,
        options_considered=options,
        changed_by_partner_input=changed,
        how_changed=how,
        recorded_by_id=recorder.id,
    )
    for person, position in positions:
        decision.positions.append(
            DecisionPosition(organisation_id=activity.organisation_id, user_id=person.id, position=position)
        )
    db.session.add(decision)
    db.session.flush()
    return decision


def _sign_off_both(initiative, kind, commissioner, partner):
    stage = _stage(initiative, kind)
    initiatives.refresh_stage(stage)
    db.session.commit()
    initiatives.sign_off(commissioner, stage, "approve", "")
    initiatives.sign_off(partner, stage, "approve", "")


def _exists(organisation_id: int, title: str) -> bool:
    return (
        db.session.scalar(
            sa.select(Initiative.id).where(Initiative.organisation_id == organisation_id, Initiative.title == title)
        )
        is not None
    )


def load_demo_initiatives(result) -> None:
    northshire, glanyrafon = result.organisations
    _day_opportunities(northshire)
    _carers_plan(northshire)
    _home_care_market(glanyrafon)


def _day_opportunities(org) -> None:
    title = "Redesigning day opportunities with people with learning disabilities"
    if _exists(org.id, title):
        return
    tom, lena = _user("commissioner@northshire.example"), _user("lena.kowalski@northshire.example")
    amira, george = _user("partner@northshire.example"), _user("george.blake@northshire.example")
    initiative = initiatives.create(
        tom,
        title=title,
        summary="People who use day services, their families and the council redesign what a good day looks "
        "like, then commission it together.",
        service_area="Day opportunities",
        statutory_functions=["prevention", "market_shaping"],
        level="collective",
    )
    initiatives.add_member(tom, initiative, amira, MemberRole.CO_LEAD.value)
    initiatives.add_member(tom, initiative, george, MemberRole.MEMBER.value)
    initiatives.add_member(tom, initiative, lena, MemberRole.MEMBER.value)
    start = date.today() - timedelta(days=120)
    first = _activity(
        initiative,
        ActivityKind.CO_DESIGN_SESSION,
        StageKind.DESIGN,
        start,
        "What makes a good day?",
        "Easy Read agenda sent a week before. People shared photos of good days.",
        tom,
        [(tom, True), (amira, True), (george, True), (lena, False)],
        ratings={
            "partner@northshire.example": 6,
            "george.blake@northshire.example": 5,
            "commissioner@northshire.example": 6,
        },
        guests=("Jay (self-advocate, Northshire People First)",),
        material_formats=("easy_read",),
    )
    _decision(
        first,
        "Day services will offer evening and weekend sessions, not only 9 to 3 on weekdays.",
        "Keep current hours; add Saturday only; evenings and weekends.",
        True,
        "Partners said most friends and family are only free at weekends and evenings.",
        tom,
        [(tom, Position.AGREED), (amira, Position.AGREED), (george, Position.AGREED), (lena, Position.ABSTAINED)],
    )
    second = _activity(
        initiative,
        ActivityKind.WORKSHOP,
        StageKind.DESIGN,
        start + timedelta(days=21),
        "Choosing the outcomes",
        "Partners ranked outcomes with picture cards.",
        lena,
        [(lena, True), (amira, True), (george, True)],
        ratings={
            "partner@northshire.example": 5,
            "george.blake@northshire.example": 3,
            "lena.kowalski@northshire.example": 6,
        },
    )
    db.session.add(
        Recommendation(
            organisation_id=org.id,
            initiative_id=initiative.id,
            activity_id=second.id,
            made_by_id=george.id,
            raised_on=second.occurred_on,
            text="Transport must be part of the new service, not an extra people have to arrange.",
            response=Response.ADAPTED,
            response_reason="Budget covers transport for people with eligible needs.",
            action_taken="Transport added to the specification for eligible people; travel training for others.",
            responded_by_id=tom.id,
            review_on=date.today() + timedelta(days=30),
        )
    )
    db.session.commit()
    _sign_off_both(initiative, StageKind.DESIGN, tom, amira)
    panel = _activity(
        initiative,
        ActivityKind.STEERING_GROUP,
        StageKind.DELIVERY,
        date.today() - timedelta(days=20),
        "Steering group: choosing providers",
        "Partners sat on the tender panel and scored the interviews.",
        tom,
        [(tom, True), (amira, True), (george, False)],
        ratings={"partner@northshire.example": 4, "commissioner@northshire.example": 6},
        material_formats=("easy_read",),
    )
    # Amira scored the interviews and agreed the shortlist, but felt officers had narrowed the field first:
    # she rated it "consulting", so delivery shows partners in the room for a decision, not yet at depth.
    _decision(
        panel,
        "Shortlist two providers, Brightways and the Northshire Co-op, for the new service.",
        "Four bids; the two highest-scoring; all four to a second round.",
        False,
        "",
        tom,
        [(tom, Position.AGREED), (amira, Position.AGREED), (george, Position.ABSENT)],
    )
    initiatives.refresh_stage(_stage(initiative, StageKind.DELIVERY))
    db.session.commit()


def _carers_plan(org) -> None:
    title = "Carers' information and advice plan"
    if _exists(org.id, title):
        return
    lena = _user("lena.kowalski@northshire.example")
    george, ruth = _user("george.blake@northshire.example"), _user("ruth.okafor@northshire.example")
    initiative = initiatives.create(
        lena,
        title=title,
        summary="Unpaid carers and the council write the plan for information and advice for carers, and "
        "publish it in Easy Read and large print.",
        service_area="Carers' support",
        statutory_functions=["information_advice", "strategy_plan"],
        level="collective",
    )
    initiatives.add_member(lena, initiative, george, MemberRole.CO_LEAD.value)
    initiatives.add_member(lena, initiative, ruth, MemberRole.MEMBER.value)
    activity = _activity(
        initiative,
        ActivityKind.WORKSHOP,
        StageKind.DESIGN,
        date.today() - timedelta(days=14),
        "Where carers look for help",
        "Carers mapped where they found information and where they got stuck.",
        lena,
        [(lena, True), (george, True), (ruth, True)],
        ratings={"george.blake@northshire.example": 6, "ruth.okafor@northshire.example": 5},
    )
    db.session.add(
        Recommendation(
            organisation_id=org.id,
            initiative_id=initiative.id,
            activity_id=activity.id,
            made_by_id=ruth.id,
            raised_on=activity.occurred_on,
            text="Put the carers' assessment form online with a save-and-return option.",
            review_on=date.today() - timedelta(days=2),
        )
    )
    # The plan itself: drafted together, not yet published (so the publishing checks have something to say).
    db.session.add(
        Output(
            organisation_id=org.id,
            initiative_id=initiative.id,
            kind=OutputKind.INFORMATION_ADVICE_PLAN,
            title="Information and advice for carers: our plan (draft)",
            document_version="0.3",
            co_author_ids=sorted([lena.id, george.id, ruth.id]),
            created_by_id=lena.id,
        )
    )
    db.session.commit()
    initiatives.refresh_stage(_stage(initiative, StageKind.DESIGN))
    db.session.commit()
    initiatives.sign_off(
        ruth,
        _stage(initiative, StageKind.DESIGN),
        "dissent",
        "Carers from the Polish community have not been asked yet.",
    )


def _home_care_market(org) -> None:
    title = "Shaping the home care market together / Llunio'r farchnad gofal cartref gyda'n gilydd"
    if _exists(org.id, title):
        return
    dafydd, carys = _user("commissioner@glanyrafon.example"), _user("carys.jones@glanyrafon.example")
    gareth, megan, owen = (
        _user("partner@glanyrafon.example"),
        _user("megan.price@glanyrafon.example"),
        _user("owen.davies@glanyrafon.example"),
    )
    initiative = initiatives.create(
        dafydd,
        title=title,
        summary="People who receive home care, carers and providers agree what good home care looks like in "
        "Glanyrafon and how the council should buy it.",
        service_area="Home care",
        statutory_functions=["market_shaping"],
        level="collective",
    )
    initiatives.add_member(dafydd, initiative, gareth, MemberRole.CO_LEAD.value)
    initiatives.add_member(dafydd, initiative, megan, MemberRole.MEMBER.value)
    initiatives.add_member(dafydd, initiative, carys, MemberRole.MEMBER.value)
    start = date.today() - timedelta(days=300)
    design = _activity(
        initiative,
        ActivityKind.CO_DESIGN_SESSION,
        StageKind.DESIGN,
        start,
        "What good home care means",
        "Bilingual session with a BSL interpreter.",
        dafydd,
        [(dafydd, True), (gareth, True), (megan, True)],
        ratings={
            "partner@glanyrafon.example": 6,
            "megan.price@glanyrafon.example": 6,
            "commissioner@glanyrafon.example": 5,
        },
        languages=("cy", "en"),
        interpretation=("bsl",),
        material_formats=("welsh",),
    )
    _decision(
        design,
        "Contracts will pay for travel time and set a minimum visit length of 45 minutes.",
        "30-minute minimum; 45-minute minimum; outcome-based hours.",
        True,
        "Gareth and Megan described rushed 15-minute visits; the minimum was raised from 30 to 45 minutes.",
        dafydd,
        [(dafydd, Position.AGREED), (gareth, Position.AGREED), (megan, Position.AGREED)],
    )
    db.session.commit()
    _sign_off_both(initiative, StageKind.DESIGN, dafydd, gareth)
    contracts = _activity(
        initiative,
        ActivityKind.REVIEW,
        StageKind.DELIVERY,
        start + timedelta(days=120),
        "Checking the first contracts",
        "Partners read the first three contracts against what was agreed.",
        carys,
        [(carys, True), (gareth, True), (owen, True)],
        ratings={"partner@glanyrafon.example": 5},
        material_formats=("welsh",),
    )
    _decision(
        contracts,
        "Two of the three contracts go back to the providers to add paid travel time.",
        "Accept all three; send back the two without travel time; re-tender.",
        True,
        "Gareth found that two contracts counted travel inside the 45 minutes.",
        carys,
        [(carys, Position.AGREED), (gareth, Position.AGREED), (owen, Position.AGREED)],
    )
    db.session.commit()
    _sign_off_both(initiative, StageKind.DELIVERY, dafydd, gareth)
    _activity(
        initiative,
        ActivityKind.EVALUATION_PANEL,
        StageKind.EVALUATION,
        date.today() - timedelta(days=10),
        "Evaluation panel: six months on",
        "Panel of people receiving care reviewed visit-length data.",
        dafydd,
        [(dafydd, True), (megan, False)],
        ratings={"megan.price@glanyrafon.example": 3},
    )
    initiatives.refresh_stage(_stage(initiative, StageKind.EVALUATION))
    db.session.commit()
