"""Build `InitiativeFacts` snapshots from the database in a fixed number of queries.

`load_many` loads any number of initiatives with the same ten queries (one per kind of record; sign-offs
come with their stages, positions with their decisions, the nation with the initiatives), so the criteria
pages and the reports stay O(1) in queries whatever the size of the data.
The rules only ever see the snapshot (criteria/snapshot.py), never the ORM.

The queries select plain columns, not ORM objects: the snapshot is built straight from the rows. For an
initiative with 1,000 activities (some 17,000 rows) that is about ten times faster than loading entities,
and there is no selectinload, whose IN lists are cut into chunks of 500 parents (more queries for a large
initiative than for a small one). Child records are filtered by joining to their parents, so no long
lists of ids are sent to the database.

`as_of` keeps only what had happened by the end of that day (dated records: activities, decisions,
memberships, outputs published, recommendations raised, payments made).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from types import SimpleNamespace

import sqlalchemy as sa

from ..codes import PaymentStatus
from ..domain.people import is_citizen_partner
from ..extensions import db
from ..models import (
    Activity,
    Attendance,
    Decision,
    DecisionPosition,
    Evidence,
    Initiative,
    Membership,
    Organisation,
    Output,
    ReciprocityEntry,
    Recommendation,
    SignOff,
    Stage,
    User,
)
from . import snapshot as s


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
    rows = db.session.execute
    org = organisation_id
    initiatives = rows(
        sa.select(
            Initiative.id,
            Initiative.title,
            Initiative.statutory_functions,
            Initiative.level,
            Initiative.current_stage,
            Initiative.closed_on,
            Initiative.nhs_partnered,
            Organisation.nation,
        )
        .join(Organisation, Organisation.id == Initiative.organisation_id)
        .where(Initiative.organisation_id == org, Initiative.id.in_(initiative_ids))
    ).all()
    # The organisation's nation comes with its initiatives: one query fewer on every page that loads facts.
    if not initiatives:
        return {}
    nation = initiatives[0].nation
    ids = [i.id for i in initiatives]
    members = _by_initiative(
        rows(
            sa.select(
                Membership.initiative_id,
                Membership.user_id,
                Membership.side,
                Membership.role,
                Membership.joined_on,
                Membership.left_on,
                User.display_name,
                User.partner_kind,
                User.communication_needs,
                User.communication_needs_other,
                User.needs_recorded,
                User.preferred_language,
            )
            .join(User, User.id == Membership.user_id)
            .where(Membership.initiative_id.in_(ids), Membership.organisation_id == org)
            .order_by(Membership.joined_on, Membership.id)
        )
    )
    # Stages with their sign-offs in one query (a stage without any comes once, with empty sign-off columns).
    stage_rows = rows(
        sa.select(
            Stage.id,
            Stage.initiative_id,
            Stage.kind,
            Stage.status,
            Stage.opened_on,
            Stage.closed_on,
            Stage.round,
            Stage.activities_changed_at,
            SignOff.id.label("sign_off_id"),
            SignOff.user_id,
            SignOff.side,
            SignOff.decision,
            SignOff.comment,
            SignOff.round.label("sign_off_round"),
            SignOff.created_at,
        )
        .outerjoin(SignOff, sa.and_(SignOff.stage_id == Stage.id, SignOff.organisation_id == org))
        .where(Stage.initiative_id.in_(ids), Stage.organisation_id == org)
        .order_by(Stage.position, Stage.id, SignOff.created_at, SignOff.id)
    ).all()
    stages = _by_initiative({row.id: row for row in stage_rows}.values())
    sign_offs: dict[int, list] = defaultdict(list)
    for row in stage_rows:
        if row.sign_off_id is not None:
            sign_offs[row.id].append(
                SimpleNamespace(
                    stage_id=row.id,
                    user_id=row.user_id,
                    side=row.side,
                    decision=row.decision,
                    comment=row.comment,
                    round=row.sign_off_round,
                    created_at=row.created_at,
                )
            )

    def in_scope(stmt: sa.Select) -> sa.Select:
        """Activities up to ``as_of``, and records hanging off them (joined to Activity, filtered the same way)."""
        # Withdrawn records (mistakes) are not facts; neither is anything hanging off a withdrawn activity.
        return stmt.where(
            Activity.initiative_id.in_(ids),
            Activity.organisation_id == org,
            Activity.occurred_on <= as_of,
            Activity.withdrawn_at.is_(None),
        )

    activities = _by_initiative(
        rows(
            in_scope(
                sa.select(
                    Activity.id,
                    Activity.initiative_id,
                    Activity.stage_id,
                    Activity.kind,
                    Activity.occurred_on,
                    Activity.title,
                    Activity.recorded_by_id,
                    Activity.on_behalf_of_id,
                    Activity.confirmed_at,
                    Activity.languages,
                    Activity.interpretation,
                    Activity.material_formats,
                    Activity.asked_about_welsh_effects,
                )
            ).order_by(Activity.occurred_on, Activity.id)
        )
    )
    attendance = _by_initiative(
        rows(
            in_scope(
                sa.select(
                    Activity.initiative_id,
                    Attendance.activity_id,
                    Attendance.user_id,
                    Attendance.guest_name,
                    Attendance.guest_is_citizen,
                    Attendance.contributed,
                    Attendance.adjustments_requested,
                    Attendance.adjustments_provided,
                    Attendance.ladder_rating,
                    User.role.label("user_role"),
                )
                .select_from(Attendance)
                .join(Activity, Activity.id == Attendance.activity_id)
                .outerjoin(User, User.id == Attendance.user_id)
            ).order_by(Activity.occurred_on, Activity.id, Attendance.id)
        )
    )
    # Decisions with their members' positions in one query (a decision without any comes once).
    decision_rows = rows(
        in_scope(
            sa.select(
                Activity.initiative_id,
                Decision.id,
                Decision.activity_id,
                Activity.occurred_on,
                Decision.what,
                Decision.changed_by_partner_input,
                Decision.how_changed,
                Decision.welsh_effects,
                Decision.welsh_effects_note,
                DecisionPosition.id.label("position_id"),
                DecisionPosition.user_id,
                DecisionPosition.position,
            )
            .select_from(Decision)
            .join(Activity, Activity.id == Decision.activity_id)
            .outerjoin(DecisionPosition, DecisionPosition.decision_id == Decision.id)
            .where(Decision.withdrawn_at.is_(None))
        ).order_by(Activity.occurred_on, Activity.id, Decision.id, DecisionPosition.id)
    ).all()
    decisions = _by_initiative({row.id: row for row in decision_rows}.values())
    positions: dict[int, list] = defaultdict(list)
    for row in decision_rows:
        if row.position_id is not None:
            positions[row.id].append(row)

    recommendations = _by_initiative(
        rows(
            sa.select(
                Recommendation.initiative_id,
                Recommendation.id,
                Recommendation.text,
                Recommendation.raised_on,
                Recommendation.made_by_id,
                Recommendation.activity_id,
                Recommendation.response,
                Recommendation.response_reason,
                Recommendation.action_taken,
                Recommendation.review_on,
                Recommendation.reviewed_on,
                Recommendation.reviewed_by_id,
                Recommendation.review_outcome,
                Recommendation.responded_at,
            )
            .where(
                Recommendation.initiative_id.in_(ids),
                Recommendation.organisation_id == org,
                Recommendation.withdrawn_at.is_(None),
            )
            .order_by(Recommendation.id)
        )
    )
    evidence = _by_initiative(
        rows(
            sa.select(
                Evidence.initiative_id,
                Evidence.id,
                Evidence.filename,
                Evidence.consent,
                Evidence.activity_id,
                Evidence.decision_id,
                Evidence.uploaded_at,
            )
            .where(Evidence.initiative_id.in_(ids), Evidence.organisation_id == org, Evidence.withdrawn_at.is_(None))
            .order_by(Evidence.id)
        )
    )
    outputs = _by_initiative(
        rows(
            sa.select(
                Output.initiative_id,
                Output.id,
                Output.kind,
                Output.title,
                Output.co_author_ids,
                Output.document_version,
                Output.published_url,
                Output.published_on,
                Output.formats,
                Output.evidence_id,
                Output.created_at,
            )
            .where(Output.initiative_id.in_(ids), Output.organisation_id == org)
            .order_by(Output.id)
        )
    )
    reciprocity = _by_initiative(
        rows(
            sa.select(
                ReciprocityEntry.initiative_id,
                ReciprocityEntry.id,
                ReciprocityEntry.user_id,
                ReciprocityEntry.kind,
                ReciprocityEntry.activity_id,
                ReciprocityEntry.amount_pence,
                ReciprocityEntry.hours,
                ReciprocityEntry.occurred_on,
                ReciprocityEntry.status,
                ReciprocityEntry.claimed_at,
                ReciprocityEntry.paid_on,
            )
            .where(ReciprocityEntry.initiative_id.in_(ids), ReciprocityEntry.organisation_id == org)
            .where(ReciprocityEntry.occurred_on <= as_of)
            # Withdrawn offers and claims were never made. (An offer declined, or not yet answered, was.)
            .where(ReciprocityEntry.status != PaymentStatus.WITHDRAWN)
            .order_by(ReciprocityEntry.id)
        )
    )
    return {
        i.id: _facts(
            i,
            nation,
            as_of,
            members=members[i.id],
            stages=stages[i.id],
            sign_offs=sign_offs,
            activities=activities[i.id],
            attendance=attendance[i.id],
            decisions=decisions[i.id],
            positions=positions,
            recommendations=recommendations[i.id],
            evidence=evidence[i.id],
            outputs=outputs[i.id],
            reciprocity=reciprocity[i.id],
        )
        for i in initiatives
    }


def load(initiative: Initiative, as_of: date | None = None) -> s.InitiativeFacts:
    return load_many([initiative.id], initiative.organisation_id, as_of)[initiative.id]


def _facts(
    initiative, nation, as_of, *, members, stages, sign_offs, activities, attendance, decisions, positions, **rest
):
    stage_kind = {stage.id: stage.kind.value for stage in stages}
    # Attendees are judged by the side of their membership (domain.people), as the gate judges them.
    sides: dict[int, list] = {}
    for m in members:
        sides.setdefault(m.user_id, []).append(m.side)
    return s.InitiativeFacts(
        initiative=s.InitiativeInfo(
            id=initiative.id,
            title=initiative.title,
            nation=nation.value,
            statutory_functions=tuple(initiative.statutory_functions or ()),
            collective=initiative.level.value == "collective",
            current_stage=initiative.current_stage.value if initiative.current_stage else None,
            closed=initiative.closed_on is not None and initiative.closed_on <= as_of,
            nhs_partnered=initiative.nhs_partnered,
        ),
        as_of=as_of,
        members=tuple(
            s.Member(
                user_id=m.user_id,
                display_name=m.display_name,
                side=m.side.value,
                partner_kind=m.partner_kind.value,
                role=m.role.value,
                joined_on=m.joined_on,
                left_on=m.left_on,
                communication_needs=tuple(m.communication_needs or ()),
                communication_needs_other=m.communication_needs_other or "",
                needs_recorded=m.needs_recorded,
                preferred_language=m.preferred_language,
            )
            for m in members
            if m.joined_on <= as_of
        ),
        stages=tuple(
            s.Stage(
                kind=stage.kind.value,
                status=stage.status.value,
                opened_on=stage.opened_on,
                closed_on=stage.closed_on,
                activities_changed_at=stage.activities_changed_at,
                signoffs=tuple(
                    s.SignOff(
                        user_id=so.user_id,
                        side=so.side.value,
                        verdict=so.decision.value,
                        reason=so.comment,
                        on=so.created_at.date(),
                        at=so.created_at,
                    )
                    for so in sign_offs[stage.id]
                    if so.round == stage.round
                ),
            )
            for stage in stages
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
                languages=tuple(a.languages or ()),
                interpretation=tuple(a.interpretation or ()),
                material_formats=tuple(a.material_formats or ()),
                asked_about_welsh_effects=a.asked_about_welsh_effects,
            )
            for a in activities
        ),
        attendance=tuple(
            s.Attendance(
                activity_id=row.activity_id,
                user_id=row.user_id,
                guest_name=row.guest_name,
                is_citizen_partner=is_citizen_partner(
                    sides.get(row.user_id, ()), row.user_role if row.user_id is not None else None, row.guest_is_citizen
                ),
                contributed=row.contributed,
                adjustments_requested=tuple(row.adjustments_requested or ()),
                adjustments_provided=tuple(row.adjustments_provided or ()),
                rating=row.ladder_rating,
            )
            for row in attendance
        ),
        decisions=tuple(
            s.Decision(
                id=d.id,
                activity_id=d.activity_id,
                on=d.occurred_on,
                text=d.what,
                changed_by_partner_input=d.changed_by_partner_input,
                how_changed=d.how_changed,
                welsh_effects=d.welsh_effects,
                welsh_effects_note=d.welsh_effects_note,
                positions=tuple(s.MemberPosition(user_id=p.user_id, stance=p.position.value) for p in positions[d.id]),
            )
            for d in decisions
        ),
        **_records(initiative, as_of, **rest),
    )


def _paid_after(row, as_of: date) -> bool:
    return row.paid_on is not None and row.paid_on > as_of


def _records(initiative, as_of, *, recommendations, evidence, outputs, reciprocity) -> dict:
    return {
        "recommendations": tuple(
            s.Recommendation(
                id=r.id,
                text=r.text,
                raised_on=r.raised_on,
                from_user_id=r.made_by_id,
                activity_id=r.activity_id,
                response=r.response.value if r.response else None,
                reason=r.response_reason,
                action=r.action_taken,
                review_on=r.review_on,
                # A review held after the report's date had not happened yet as at that date.
                reviewed_on=r.reviewed_on if r.reviewed_on and r.reviewed_on <= as_of else None,
                reviewed_by=r.reviewed_by_id if r.reviewed_on and r.reviewed_on <= as_of else None,
                review_outcome=r.review_outcome if r.reviewed_on and r.reviewed_on <= as_of else "",
                responded_on=r.responded_at.date() if r.responded_at is not None else None,
            )
            for r in recommendations
            if r.raised_on <= as_of
        ),
        "evidence": tuple(
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
        "outputs": tuple(
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
        "reciprocity": tuple(
            s.ReciprocityEntry(
                id=r.id,
                user_id=r.user_id,
                kind=r.kind.value if r.kind else None,
                activity_id=r.activity_id,
                amount_pence=r.amount_pence,
                hours=float(r.hours),
                on=r.occurred_on,
                # As at a past date, a payment made after it was still only approved.
                status=PaymentStatus.APPROVED if _paid_after(r, as_of) else r.status,
                claimed_on=r.claimed_at.date() if r.claimed_at else None,
                paid_on=None if _paid_after(r, as_of) else r.paid_on,
            )
            for r in reciprocity
        ),
    }
