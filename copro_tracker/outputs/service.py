"""Writes for outputs. Each function commits once."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..audit import capture
from ..codes import N_
from ..extensions import db
from ..models import Activity, Evidence, Initiative, Output, User
from ..services import ServiceError, check_version, commit_or_conflict

OUTPUT_CONFLICT = "Someone else changed this output while you were editing it"


def _member_ids(initiative: Initiative) -> set[int]:
    return {m.user_id for m in initiative.memberships}


def _check(initiative: Initiative, co_author_ids: list[int], evidence_id: int | None, url: str, on: date | None):
    unknown = set(co_author_ids) - _member_ids(initiative)
    if unknown:
        raise ServiceError(N_("Co-authors must be members of the initiative"), "co_author_ids")
    if evidence_id is not None:
        evidence = db.session.get(Evidence, evidence_id)
        if evidence is None or evidence.initiative_id != initiative.id:
            raise ServiceError(N_("Choose a file from this initiative's evidence"), "evidence_id")
    if bool(url) != bool(on):
        raise ServiceError(N_("Give both the web address and the date it was published, or neither"), "published_url")


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


def outputs_for(initiative: Initiative) -> list[Output]:
    return list(
        db.session.scalars(
            sa.select(Output)
            .where(Output.initiative_id == initiative.id, Output.organisation_id == initiative.organisation_id)
            .order_by(Output.created_at, Output.id)
        )
    )


def activities_of(initiative: Initiative) -> list[Activity]:
    return list(
        db.session.scalars(
            sa.select(Activity)
            .where(
                Activity.initiative_id == initiative.id,
                Activity.organisation_id == initiative.organisation_id,
                Activity.withdrawn_at.is_(None),
            )
            .order_by(Activity.occurred_on.desc(), Activity.id.desc())
        )
    )


def evidence_choices(initiative: Initiative) -> list[Evidence]:
    return list(
        db.session.scalars(
            sa.select(Evidence)
            .where(
                Evidence.initiative_id == initiative.id,
                Evidence.organisation_id == initiative.organisation_id,
                Evidence.withdrawn_at.is_(None),
            )
            .order_by(Evidence.filename)
        )
    )
