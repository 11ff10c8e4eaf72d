"""Writes for outputs and reciprocity entries. Each function commits once."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..audit import capture
from ..extensions import db
from ..models import Activity, Evidence, Initiative, Output, ReciprocityEntry, User
from ..permissions import can
from ..services import ServiceError, check_version, commit_or_conflict

OUTPUT_CONFLICT = "Someone else changed this output while you were editing it"


def _member_ids(initiative: Initiative) -> set[int]:
    return {m.user_id for m in initiative.memberships}


def _check(initiative: Initiative, co_author_ids: list[int], evidence_id: int | None, url: str, on: date | None):
    unknown = set(co_author_ids) - _member_ids(initiative)
    if unknown:
        raise ServiceError("Co-authors must be members of the initiative", "co_author_ids")
    if evidence_id is not None:
        evidence = db.session.get(Evidence, evidence_id)
        if evidence is None or evidence.initiative_id != initiative.id:
            raise ServiceError("Choose a file from this initiative's evidence", "evidence_id")
    if bool(url) != bool(on):
        raise ServiceError("Give both the web address and the date it was published, or neither", "published_url")


def save_output(
    actor: User,
    initiative: Initiative,
    output: Output | None,
    *,
    expected_version: int | None,
    kind: str,
    title: str,
    document_version: str,
    co_author_ids: list[int],
    published_url: str,
    published_on: date | None,
    formats: list[str],
    evidence_id: int | None,
) -> Output:
    capture.set_actor(db.session, actor.id)
    _check(initiative, co_author_ids, evidence_id, published_url.strip(), published_on)
    if output is None:
        output = Output(organisation_id=initiative.organisation_id, initiative_id=initiative.id, created_by_id=actor.id)
        db.session.add(output)
        action = "output.recorded"
    else:
        check_version(output, expected_version, OUTPUT_CONFLICT, "title", required=False)
        action = "output.published" if published_url and not output.published_url else "output.updated"
    output.kind = kind
    output.title = title.strip()
    output.document_version = document_version.strip() or "1"
    output.co_author_ids = sorted(set(co_author_ids))
    output.published_url = published_url.strip()
    output.published_on = published_on
    output.formats = sorted(set(formats))
    output.evidence_id = evidence_id
    capture.name_action(output, action)
    commit_or_conflict(OUTPUT_CONFLICT, "title")
    return output


def record_reciprocity(
    actor: User,
    initiative: Initiative,
    *,
    user_id: int,
    kind: str,
    amount_pence: int,
    hours: int,
    note: str,
    occurred_on: date,
    activity_id: int | None = None,
) -> ReciprocityEntry:
    capture.set_actor(db.session, actor.id)
    if user_id not in _member_ids(initiative):
        raise ServiceError("Choose a member of the initiative", "user_id")
    if occurred_on > date.today():
        raise ServiceError("The date must be today or in the past", "occurred_on")
    if activity_id is not None:
        activity = db.session.get(Activity, activity_id)
        if activity is None or activity.initiative_id != initiative.id:
            raise ServiceError("Choose an activity from this initiative", "activity_id")
    entry = ReciprocityEntry(
        organisation_id=initiative.organisation_id,
        initiative=initiative,
        user_id=user_id,
        activity_id=activity_id,
        kind=kind,
        amount_pence=amount_pence,
        hours=hours,
        note=note.strip(),
        occurred_on=occurred_on,
        approved_by_id=actor.id,
    )
    if not can(actor, "reciprocity.approve", entry):
        if user_id == actor.id:
            raise ServiceError(
                "You cannot record a payment or other recognition for yourself. "
                "Ask another lead of this initiative to record and approve it",
                "user_id",
            )
        raise ServiceError("Only a lead of this initiative can record and approve payments or recognition", "user_id")
    db.session.add(entry)
    capture.name_action(entry, "reciprocity.recorded")
    db.session.commit()
    return entry


def outputs_for(initiative: Initiative) -> list[Output]:
    return list(
        db.session.scalars(
            sa.select(Output)
            .where(Output.initiative_id == initiative.id, Output.organisation_id == initiative.organisation_id)
            .order_by(Output.created_at, Output.id)
        )
    )


def reciprocity_for(initiative: Initiative, only_user_id: int | None = None) -> list[ReciprocityEntry]:
    stmt = (
        sa.select(ReciprocityEntry)
        .where(
            ReciprocityEntry.initiative_id == initiative.id,
            ReciprocityEntry.organisation_id == initiative.organisation_id,
        )
        .options(sa.orm.selectinload(ReciprocityEntry.user))
        .order_by(ReciprocityEntry.occurred_on, ReciprocityEntry.id)
    )
    if only_user_id is not None:
        stmt = stmt.where(ReciprocityEntry.user_id == only_user_id)
    return list(db.session.scalars(stmt))


def activities_of(initiative: Initiative) -> list[Activity]:
    return list(
        db.session.scalars(
            sa.select(Activity)
            .where(Activity.initiative_id == initiative.id, Activity.organisation_id == initiative.organisation_id)
            .order_by(Activity.occurred_on.desc(), Activity.id.desc())
        )
    )


def evidence_choices(initiative: Initiative) -> list[Evidence]:
    return list(
        db.session.scalars(
            sa.select(Evidence)
            .where(Evidence.initiative_id == initiative.id, Evidence.organisation_id == initiative.organisation_id)
            .order_by(Evidence.filename)
        )
    )
