"""People's assessments of criteria: record, co-sign or disagree, and read the latest. Each write commits once.

A commissioner (or an admin, or a member on the commissioner side) records an assessment; any current
citizen-partner member who takes part then co-signs it or records that they disagree, with a reason. Both
are audited under semantic names (``assessment.recorded``, ``assessment.cosigned``,
``assessment.disagreed``). Re-assessing adds a row; the newest row for an initiative and criterion counts.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..audit import capture
from ..codes import N_, AssessmentLinkKind, AssessmentStatus
from ..extensions import db
from ..models import Activity, Assessment, Decision, Evidence, Initiative, Output, User, utcnow
from ..permissions import can
from ..services import ServiceError, check_version, commit_or_conflict
from ..tenancy import parse_id
from .framework import Criterion, Framework

LINK_ORDER = tuple(AssessmentLinkKind)
_STALE = N_("Someone else answered this assessment while you were deciding. Read their answer below.")


def _with_people(stmt: sa.Select) -> sa.Select:
    # Many-to-one joins: the people's names come in the same query, whatever the number of rows.
    return stmt.options(
        joinedload(Assessment.assessed_by), joinedload(Assessment.cosigned_by), joinedload(Assessment.disagreed_by)
    )


def latest_assessments(initiative_ids: Iterable[int], organisation_id: int) -> dict[tuple[int, str], Assessment]:
    """The assessment that counts for each (initiative id, criterion id), in one query.

    The database form of ``domain.assessments.assessments_that_count`` (the highest id counts);
    tests/web/test_domain_agreement.py checks the two agree.
    """
    ids = list(initiative_ids)
    if not ids:
        return {}
    newest = (
        sa.select(sa.func.max(Assessment.id))
        .where(Assessment.organisation_id == organisation_id, Assessment.initiative_id.in_(ids))
        .group_by(Assessment.initiative_id, Assessment.criterion_id)
    )
    rows = db.session.scalars(_with_people(sa.select(Assessment).where(Assessment.id.in_(newest))))
    return {(row.initiative_id, row.criterion_id): row for row in rows}


def history(initiative: Initiative, criterion_id: str) -> list[Assessment]:
    """Every assessment of one criterion for one initiative, newest first."""
    stmt = (
        sa.select(Assessment)
        .where(
            Assessment.organisation_id == initiative.organisation_id,
            Assessment.initiative_id == initiative.id,
            Assessment.criterion_id == criterion_id,
        )
        .order_by(Assessment.id.desc())
    )
    return list(db.session.scalars(_with_people(stmt)))


def get_assessment(initiative: Initiative, assessment_id: int) -> Assessment | None:
    stmt = sa.select(Assessment).where(
        Assessment.id == assessment_id,
        Assessment.organisation_id == initiative.organisation_id,
        Assessment.initiative_id == initiative.id,
    )
    return db.session.scalar(_with_people(stmt))


def _latest_id(initiative: Initiative, criterion_id: str) -> int | None:
    return db.session.scalar(
        sa.select(sa.func.max(Assessment.id)).where(
            Assessment.organisation_id == initiative.organisation_id,
            Assessment.initiative_id == initiative.id,
            Assessment.criterion_id == criterion_id,
        )
    )


def _ids_in_initiative(initiative: Initiative, kind: AssessmentLinkKind, ids: set[int]) -> set[int]:
    org = initiative.organisation_id
    if kind is AssessmentLinkKind.DECISION:
        stmt = (
            sa.select(Decision.id)
            .join(Activity, Activity.id == Decision.activity_id)
            .where(Decision.organisation_id == org, Activity.initiative_id == initiative.id)
            .where(Decision.withdrawn_at.is_(None), Activity.withdrawn_at.is_(None))
            .where(Decision.id.in_(ids))
        )
    else:
        model = {
            AssessmentLinkKind.ACTIVITY: Activity,
            AssessmentLinkKind.EVIDENCE: Evidence,
            AssessmentLinkKind.OUTPUT: Output,
        }[kind]
        stmt = sa.select(model.id).where(
            model.organisation_id == org, model.initiative_id == initiative.id, model.id.in_(ids)
        )
    return set(db.session.scalars(stmt))


def check_links(initiative: Initiative, links: Iterable[tuple[str, int]]) -> list[dict]:
    """Links as stored: each record must exist in this initiative; sorted, without repeats."""
    wanted: dict[AssessmentLinkKind, set[int]] = {}
    for kind, ident in links:
        try:
            link_kind = AssessmentLinkKind(kind)
        except (ValueError, TypeError) as error:
            raise ServiceError(N_("Choose records from this initiative's lists")) from error
        number = parse_id(ident)
        if number is None:
            raise ServiceError(N_("Choose records from this initiative's lists"), f"link_{link_kind.value}")
        wanted.setdefault(link_kind, set()).add(number)
    for kind, ids in wanted.items():
        if _ids_in_initiative(initiative, kind, ids) != ids:
            raise ServiceError(N_("Choose records from this initiative's lists"), f"link_{kind.value}")
    return [{"kind": kind.value, "id": ident} for kind in LINK_ORDER for ident in sorted(wanted.get(kind, ()))]


def record_assessment(
    actor: User,
    initiative: Initiative,
    framework: Framework,
    criterion: Criterion,
    *,
    status: str,
    narrative: str,
    links: Iterable[tuple[str, int]] = (),
    expected_latest_id: int | None = None,
) -> Assessment:
    """Record the people's assessment of ``criterion``; the previous one stays as history.

    ``expected_latest_id`` is the assessment the person saw when they started: if someone else has
    recorded one since, theirs is not silently buried under this one.
    """
    capture.set_actor(db.session, actor.id)
    if not can(actor, "criteria.assess", initiative):
        raise ServiceError(N_("Only commissioners can record an assessment"), "status")
    if criterion.framework_id != framework.id:
        raise ServiceError(N_("That criterion is not part of this framework"), "status")
    try:
        chosen = AssessmentStatus(status)
    except ValueError as error:
        raise ServiceError(N_("Choose whether the criterion is met"), "status") from error
    narrative = narrative.strip()
    if not narrative:
        raise ServiceError(N_("Explain how you reached this assessment"), "narrative")
    stored_links = check_links(initiative, links)
    if _latest_id(initiative, criterion.id) != expected_latest_id:
        raise ServiceError(
            N_(
                "Someone else recorded an assessment of this criterion while you were writing yours. "
                "Read it below, then save yours again."
            ),
            "narrative",
        )
    assessment = Assessment(
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        framework_id=framework.id,
        framework_version=framework.version,
        criterion_id=criterion.id,
        status=chosen,
        narrative=narrative,
        links=stored_links,
        assessed_by_id=actor.id,
        assessed_at=utcnow(),
    )
    db.session.add(assessment)
    capture.name_action(assessment, "assessment.recorded", criterion=criterion.id, framework=framework.id)
    db.session.commit()
    return assessment


def respond(
    actor: User,
    initiative: Initiative,
    assessment: Assessment,
    *,
    agree: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> Assessment:
    """A citizen-partner member co-signs the assessment, or records that they disagree and why."""
    capture.set_actor(db.session, actor.id)
    if assessment.initiative_id != initiative.id or assessment.organisation_id != initiative.organisation_id:
        raise ServiceError(N_("This assessment belongs to another initiative"), "decision")
    if not can(actor, "criteria.respond", initiative):
        raise ServiceError(
            N_("Only citizen partners who are members of this initiative can co-sign or disagree"), "decision"
        )
    if assessment.assessed_by_id == actor.id:
        raise ServiceError(N_("You recorded this assessment, so someone else needs to co-sign it"), "decision")
    if _latest_id(initiative, assessment.criterion_id) != assessment.id:
        raise ServiceError(
            N_("A newer assessment of this criterion has been recorded. Co-sign or disagree with that one."), "decision"
        )
    if not assessment.awaiting_response:
        raise ServiceError(_STALE, "decision")
    check_version(assessment, expected_version, _STALE, "decision", required=False)
    reason = reason.strip()
    now = utcnow()
    if agree:
        assessment.cosigned_by_id, assessment.cosigned_at = actor.id, now
        action = "assessment.cosigned"
    else:
        if not reason:
            raise ServiceError(N_("Explain why you disagree, so others can understand and respond"), "reason")
        assessment.disagreed_by_id, assessment.disagreed_at = actor.id, now
        assessment.disagreement_reason = reason
        action = "assessment.disagreed"
    capture.name_action(assessment, action, criterion=assessment.criterion_id)
    commit_or_conflict(_STALE, "decision")
    return assessment
