"""Build `InitiativeFacts` snapshots from the database in a fixed number of queries.

`load_many` loads any number of initiatives with the same handful of IN-queries (one per kind of
record), so the criteria page, the coverage matrix and the reports stay O(1) in queries whatever the
size of the data. The rules only ever see the snapshot (criteria/snapshot.py), never the ORM.

`as_of` keeps only what had happened by the end of that day (dated records: activities, decisions,
memberships, outputs published, recommendations raised, payments made).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Activity,
    Attendance,
    Decision,
    Evidence,
    Initiative,
    Membership,
    Organisation,
    Output,
    ReciprocityEntry,
    Recommendation,
    Side,
    Stage,
)
from . import snapshot as s

# The model's codes differ from the snapshot's in one place; everything else is identical by design.
_FUNCTION_CODES = {"strategy_plan": "strategy"}


def _role_for_side(side: Side) -> s.OrgRole:
    return s.OrgRole.CITIZEN_PARTNER if side == Side.CITIZEN_PARTNER else s.OrgRole.COMMISSIONER


def _by_initiative(rows: Iterable, key: str = "initiative_id") -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def load_many(
    initiative_ids: list[int], organisation_id: int, as_of: date | None = None
) -> dict[int, s.InitiativeFacts]:
    """Snapshots for the given initiatives of one organisation, keyed by initiative id."""
    as_of = as_of or date.today()
    if not initiative_ids:
        return {}
    initiatives = list(
        db.session.scalars(
            sa.select(Initiative)
            .where(Initiative.organisation_id == organisation_id, Initiative.id.in_(initiative_ids))
            .options(
                selectinload(Initiative.memberships).selectinload(Membership.user),
                selectinload(Initiative.stages).selectinload(Stage.sign_offs),
            )
        )
    )
    nation = db.session.scalar(sa.select(Organisation.nation).where(Organisation.id == organisation_id))
    ids = [i.id for i in initiatives]
    activities = _by_initiative(
        db.session.scalars(
            sa.select(Activity)
            .where(Activity.initiative_id.in_(ids), Activity.organisation_id == organisation_id)
            .where(Activity.occurred_on <= as_of)
            .options(
                selectinload(Activity.attendances).selectinload(Attendance.user),
                selectinload(Activity.decisions).selectinload(Decision.positions),
            )
            .order_by(Activity.occurred_on, Activity.id)
        )
    )
    recommendations = _by_initiative(
        db.session.scalars(
            sa.select(Recommendation)
            .where(Recommendation.initiative_id.in_(ids), Recommendation.organisation_id == organisation_id)
            .order_by(Recommendation.id)
        )
    )
    evidence = _by_initiative(
        db.session.scalars(
            sa.select(Evidence)
            .where(Evidence.initiative_id.in_(ids), Evidence.organisation_id == organisation_id)
            .order_by(Evidence.id)
        )
    )
    outputs = _by_initiative(
        db.session.scalars(
            sa.select(Output)
            .where(Output.initiative_id.in_(ids), Output.organisation_id == organisation_id)
            .order_by(Output.id)
        )
    )
    reciprocity = _by_initiative(
        db.session.scalars(
            sa.select(ReciprocityEntry)
            .where(ReciprocityEntry.initiative_id.in_(ids), ReciprocityEntry.organisation_id == organisation_id)
            .where(ReciprocityEntry.occurred_on <= as_of)
            .order_by(ReciprocityEntry.id)
        )
    )
    return {
        i.id: _facts(
            i, nation, as_of, activities[i.id], recommendations[i.id], evidence[i.id], outputs[i.id], reciprocity[i.id]
        )
        for i in initiatives
    }


def load(initiative: Initiative, as_of: date | None = None) -> s.InitiativeFacts:
    return load_many([initiative.id], initiative.organisation_id, as_of)[initiative.id]


def _facts(initiative, nation, as_of, activities, recommendations, evidence, outputs, reciprocity):
    stage_kind = {stage.id: stage.kind.value for stage in initiative.stages}
    return s.InitiativeFacts(
        initiative=s.InitiativeInfo(
            id=initiative.id,
            title=initiative.title,
            nation=nation.value,
            statutory_functions=tuple(_FUNCTION_CODES.get(f, f) for f in initiative.statutory_functions),
            collective=initiative.level.value == "collective",
            current_stage=initiative.current_stage.value if initiative.current_stage else None,
            closed=initiative.closed_on is not None,
        ),
        as_of=as_of,
        members=tuple(
            s.Member(
                user_id=m.user_id,
                display_name=m.user.display_name,
                org_role=_role_for_side(m.side),
                partner_kind=m.user.partner_kind.value,
                role=m.role.value,
                joined_on=m.joined_on,
                left_on=m.left_on,
                communication_needs=tuple(m.user.communication_needs or ()),
                communication_needs_other=m.user.communication_needs_other or "",
                needs_recorded=m.user.needs_recorded,
                preferred_language=m.user.preferred_language if m.user.needs_recorded else None,
            )
            for m in initiative.memberships
            if m.joined_on <= as_of
        ),
        stages=tuple(
            s.Stage(
                kind=stage.kind.value,
                status=stage.status.value,
                opened_on=stage.opened_on,
                closed_on=stage.closed_on,
                signoffs=tuple(
                    s.SignOff(
                        user_id=so.user_id,
                        org_role=_role_for_side(so.side),
                        verdict=so.decision.value,
                        reason=so.comment,
                        on=so.created_at.date(),
                    )
                    for so in stage.sign_offs
                    if so.round == stage.round
                ),
            )
            for stage in initiative.stages
        ),
        activities=tuple(
            s.Activity(
                id=a.id,
                stage=stage_kind[a.stage_id],
                kind=a.kind.value,
                on=a.occurred_on,
                title=a.title,
                recorded_by=a.recorded_by_id,
                on_behalf_of=a.on_behalf_of_id,
                on_behalf_confirmed=a.confirmed_at is not None,
            )
            for a in activities
        ),
        attendance=tuple(
            s.Attendance(
                activity_id=a.id,
                user_id=row.user_id,
                guest_name=row.guest_name,
                is_citizen_partner=(row.user.role.value == "citizen_partner") if row.user else row.guest_is_citizen,
                contributed=row.contributed,
                adjustments_requested=tuple(row.adjustments_requested or ()),
                adjustments_provided=tuple(row.adjustments_provided or ()),
                rating=row.ladder_rating,
            )
            for a in activities
            for row in a.attendances
        ),
        decisions=tuple(
            s.Decision(
                id=d.id,
                activity_id=a.id,
                on=a.occurred_on,
                text=d.what,
                changed_by_partner_input=d.changed_by_partner_input,
                how_changed=d.how_changed,
                positions=tuple(s.Position(user_id=p.user_id, stance=p.position.value) for p in d.positions),
            )
            for a in activities
            for d in a.decisions
        ),
        recommendations=tuple(
            s.Recommendation(
                id=r.id,
                text=r.text,
                raised_on=r.created_at.date(),
                from_user_id=r.made_by_id,
                activity_id=r.activity_id,
                decision_id=r.decision_id,
                response=r.response.value if r.response else None,
                reason=r.response_reason,
                action=r.action_taken,
                review_on=r.review_on,
            )
            for r in recommendations
            if r.created_at.date() <= as_of
        ),
        evidence=tuple(
            s.Evidence(
                id=e.id,
                name=e.filename,
                consent=e.consent.value,
                linked_kind="decision" if e.decision_id else "activity" if e.activity_id else "initiative",
                linked_id=e.decision_id or e.activity_id or initiative.id,
            )
            for e in evidence
            if e.uploaded_at.date() <= as_of
        ),
        outputs=tuple(
            s.Output(
                id=o.id,
                kind=o.kind.value,
                title=o.title,
                co_author_ids=tuple(o.co_author_ids or ()),
                version=o.document_version,
                published_url=o.published_url or None,
                published_on=o.published_on,
                formats=tuple(o.formats or ()),
                evidence_id=o.evidence_id,
            )
            for o in outputs
            if o.created_at.date() <= as_of
        ),
        reciprocity=tuple(
            s.ReciprocityEntry(
                id=r.id,
                user_id=r.user_id,
                kind=r.kind.value,
                activity_id=r.activity_id,
                amount_pence=r.amount_pence,
                hours=float(r.hours),
                on=r.occurred_on,
            )
            for r in reciprocity
        ),
    )
