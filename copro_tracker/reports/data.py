"""Load a report's inputs from the database in a fixed number of queries, whatever the size of the data.

`criteria.facts.load_many` brings the snapshot the rules read (about eight queries); this adds one query
each for the initiatives' own details, evidence file details, people's assessments, response dates,
the people named, and the audit summary. Nothing here decides what a report says: that is build.py
and the modules it names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from ..audit import ledger
from ..audit.history import action_label
from ..codes import EQUALITY_CODES, EqualityQuestion
from ..criteria import facts as facts_loader
from ..criteria import stored
from ..criteria.framework import Library
from ..criteria.snapshot import InitiativeFacts
from ..criteria.snapshot_codec import decode, encode
from ..domain.people import is_citizen_partner_in_any
from ..extensions import db
from ..models import (
    AuditCheckpoint,
    AuditEvent,
    EqualityAnswers,
    EqualityReference,
    Evidence,
    Initiative,
    Organisation,
    SeldomHeardGroup,
    User,
)
from . import build, stored_summary


def library() -> Library:
    return current_app.extensions["criteria_library"]


def end_of(day: date) -> datetime:
    """The first moment after ``day`` (UTC, naive like the stored timestamps)."""
    return datetime.combine(day + timedelta(days=1), time.min)


def checkpoint_info(organisation: Organisation, row: AuditCheckpoint | None) -> build.CheckpointInfo | None:
    if row is None:
        return None
    return build.CheckpointInfo(
        organisation=organisation.slug,
        tree_size=row.tree_size,
        root_hash=row.root_hash,
        issued_at=row.issued_at,
        signature=row.signature,
        key_id=row.key_id,
    )


def initiative_ids_as_at(organisation: Organisation, as_of: date) -> list[int]:
    """Every initiative the organisation had by the end of ``as_of``, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Initiative.id)
            .where(Initiative.organisation_id == organisation.id, Initiative.created_at < end_of(as_of))
            .order_by(Initiative.id)
        )
    )


def _details(row) -> build.InitiativeDetails:
    return build.InitiativeDetails(
        id=row.id,
        title=row.title,
        summary=row.summary or "",
        service_area=row.service_area or "",
        level=row.level.value,
        closed_on=row.closed_on,
    )


_DETAIL_COLUMNS = (
    Initiative.id,
    Initiative.title,
    Initiative.summary,
    Initiative.service_area,
    Initiative.level,
    Initiative.closed_on,
)


def initiatives_as_at(organisation: Organisation, as_of: date) -> list[build.InitiativeDetails]:
    """Every initiative the organisation had by the end of ``as_of``, oldest first, with what a report shows
    about it (one query: the portfolio needs both)."""
    return [
        _details(row)
        for row in db.session.execute(
            sa.select(*_DETAIL_COLUMNS)
            .where(Initiative.organisation_id == organisation.id, Initiative.created_at < end_of(as_of))
            .order_by(Initiative.id)
        )
    ]


def load_portfolio_inputs(
    organisation: Organisation,
    initiatives: list[build.InitiativeDetails],
    period: build.Period,
    *,
    audit: build.AuditSummary,
    checkpoint: AuditCheckpoint | None = None,
    anonymise_partners: bool = False,
    equality: bool = False,
    generated_at: datetime | None = None,
) -> build.ReportInputs:
    """The portfolio as at today over no date range, from stored figures and findings: a few small queries
    whatever the number of activities (reports/stored_summary.py). It lists no files and names nobody; the
    people read are the citizen partners, for their kind of partner."""
    org_id = organisation.id
    ids = [d.id for d in initiatives]
    summaries = stored_summary.read(ids, org_id)
    ids = [i for i in ids if i in summaries]
    # Stored with the figures: no query of their own.
    assessments = tuple(sorted((a for i in ids for a in summaries[i].assessments), key=lambda a: a.id))
    wanted = sorted({user_id for s in summaries.values() for user_id in s.partners})
    # Everyone read here attended as a citizen partner (summary.partners).
    people, answers, settings = _read_people(org_id, wanted, equality, lambda _user: True) if wanted else ({}, {}, None)
    return build.ReportInputs(
        organisation=organisation.name,
        nation=organisation.nation.value,
        generated_at=generated_at or datetime.now(UTC).replace(tzinfo=None, microsecond=0),
        period=period,
        library=library(),
        initiatives=(),
        people=people,
        assessments=assessments,
        audit=audit,
        checkpoint=checkpoint_info(organisation, checkpoint),
        anonymise_partners=anonymise_partners,
        findings=stored.read(ids, org_id, library(), organisation.nation.value, reasons=False),
        summaries=tuple((d, summaries[d.id]) for d in initiatives if d.id in summaries),
        equality=replace(_equality(org_id, answers, settings), took_part=tuple(wanted)) if equality else None,
    )


def load_inputs(
    organisation: Organisation,
    initiative_ids: list[int],
    period: build.Period,
    *,
    checkpoint: AuditCheckpoint | None = None,
    anonymise_partners: bool = False,
    show_needs: bool = False,
    equality: bool = False,
    generated_at: datetime | None = None,
    audit: build.AuditSummary | None = None,
) -> build.ReportInputs:
    org_id = organisation.id
    end = end_of(period.as_of)
    snapshots, details, evidence, assessments = _records(organisation, initiative_ids, period.as_of)
    ids = [i for i in initiative_ids if i in snapshots]
    # Response dates come with the facts (criteria/facts.py), not from a query of their own.
    responded_on = {
        r.id: r.responded_on for facts in snapshots.values() for r in facts.recommendations if r.responded_on
    }
    wanted = _people_ids(snapshots.values(), evidence, assessments)
    sides = _membership_sides(snapshots[i] for i in ids)
    people, answers, settings = _read_people(
        org_id, wanted, equality, lambda user: is_citizen_partner_in_any(sides.get(user.id, ()), user.role)
    )
    return build.ReportInputs(
        organisation=organisation.name,
        nation=organisation.nation.value,
        generated_at=generated_at or datetime.now(UTC).replace(tzinfo=None, microsecond=0),
        period=period,
        library=library(),
        initiatives=tuple((details[i], snapshots[i]) for i in ids),
        people=people,
        evidence=evidence,
        assessments=assessments,
        responded_on=responded_on,
        audit=audit if audit is not None else audit_summary(org_id, ids, end),
        checkpoint=checkpoint_info(organisation, checkpoint),
        anonymise_partners=anonymise_partners,
        # Today's findings are stored (criteria/stored.py): the report reads the same ones every page shows.
        findings=stored.read(ids, org_id, library(), organisation.nation.value, snapshots=snapshots)
        if ids and period.as_of == stored.today()
        else {},
        show_needs=show_needs,
        equality=_equality(org_id, answers, settings) if equality else None,
    )


def _read_people(
    org_id: int, wanted: Iterable[int], equality: bool, citizen_partner: Callable[[User], bool]
) -> tuple[dict[int, build.Person], dict[int, dict], tuple | None]:
    """The report's people, their equality answers and the organisation's equality settings, in one
    statement (_people_query); `citizen_partner` says how each is counted."""
    people, answers, settings = {}, {}, None
    for user, answered, *found in db.session.execute(_people_query(org_id, wanted, equality)):
        settings = tuple(found) if equality else None
        people[user.id] = build.Person(
            id=user.id,
            name=user.display_name,
            citizen_partner=citizen_partner(user),
            partner_kind=user.partner_kind.value,
            named_use=user.named_use,
        )
        if answered is not None:
            answers[user.id] = _answers(answered)
    return people, answers, settings


def _people_query(org_id: int, wanted: Iterable[int], equality: bool) -> sa.Select:
    """The report's people; with `equality`, each one's answers and the organisation's groups and reference
    figures too (no statement of their own; only counts of the answers leave the report builder)."""
    if not equality:
        return sa.select(User, sa.null(), sa.null(), sa.null()).where(
            User.organisation_id == org_id, User.id.in_(wanted)
        )
    return (
        sa.select(User, EqualityAnswers, *_settings(org_id))
        .outerjoin(EqualityAnswers, EqualityAnswers.user_id == User.id)
        .where(User.organisation_id == org_id, User.id.in_(wanted))
    )


def _answers(row: EqualityAnswers) -> dict[str, str | tuple[str, ...] | None]:
    out: dict[str, str | tuple[str, ...] | None] = {q.value: row.answer(q) for q in EQUALITY_CODES}
    out[EqualityQuestion.SELDOM_HEARD.value] = tuple(row.seldom_heard) if row.seldom_heard else None
    return out


def _settings(org_id: int) -> tuple[sa.ScalarSelect, sa.ScalarSelect]:
    """The organisation's current seldom-heard groups and its reference figures, each as one JSON array: columns
    the people query carries, so a report reads them without a statement of its own."""
    group, ref = SeldomHeardGroup, EqualityReference
    if db.session.get_bind().dialect.name == "postgresql":
        agg, row, figures = sa.func.json_agg, sa.func.json_build_array, ref.figures
        empty = sa.literal_column("'[]'::json")
    else:
        agg, row, figures = sa.func.json_group_array, sa.func.json_array, sa.func.json(ref.figures)
        empty = sa.literal("[]")
    groups = sa.select(sa.func.coalesce(agg(row(group.id, group.name)), empty)).where(
        group.organisation_id == org_id, group.retired_at.is_(None)
    )
    references = sa.select(sa.func.coalesce(agg(row(ref.question, figures, ref.source, ref.as_of)), empty)).where(
        ref.organisation_id == org_id
    )
    return groups.scalar_subquery(), references.scalar_subquery()


def _equality(org_id: int, answers: dict, settings: tuple | None) -> build.EqualityInputs:
    if settings is None:  # nobody to read: the settings on their own
        settings = tuple(db.session.execute(sa.select(*_settings(org_id))).one())
    groups, references = (json.loads(v) if isinstance(v, str) else v for v in settings)
    return build.EqualityInputs(
        answers=answers,
        groups=tuple((str(i), name) for i, name in sorted(groups, key=lambda item: (item[1], item[0]))),
        references={q: (dict(f), source, date.fromisoformat(str(day)[:10])) for q, f, source, day in references},
    )


def facts_today(organisation: Organisation, initiative_id: int) -> InitiativeFacts | None:
    """One initiative's facts as at today, from its report snapshot when it has one (one query), else loaded and
    the snapshot kept for the next page or report; None if the organisation has no such initiative."""
    return _records(organisation, [initiative_id], stored.today())[0].get(initiative_id)


_Records = tuple[
    dict[int, InitiativeFacts],
    dict[int, build.InitiativeDetails],
    tuple[build.EvidenceFile, ...],
    tuple[build.HumanAssessment, ...],
]


def _records(organisation: Organisation, initiative_ids: list[int], as_of: date) -> _Records:
    """The initiatives' facts, details, evidence files and people's assessments as at ``as_of``.

    As at today they come from each initiative's stored snapshot when it has one (one query instead of
    thirteen); otherwise they are loaded, and today's are stored for the next report (reports/stored_summary.py:
    every change to the records clears the snapshot, so it is never stale)."""
    if not initiative_ids:
        return {}, {}, (), ()
    org_id = organisation.id
    today = as_of == stored.today()
    found, tokens = stored_summary.read_snapshots(initiative_ids, org_id) if today else ({}, {})
    if found and len(found) == len(set(initiative_ids)):
        try:
            return _from_snapshots(found)
        except (KeyError, TypeError, ValueError):
            pass  # written in another format: load them
    end = end_of(as_of)
    snapshots = facts_loader.load_many(initiative_ids, org_id, as_of)
    ids = [i for i in initiative_ids if i in snapshots]
    details = {
        row.id: _details(row)
        for row in db.session.execute(
            sa.select(*_DETAIL_COLUMNS).where(Initiative.organisation_id == org_id, Initiative.id.in_(ids))
        )
    }
    evidence = tuple(_evidence_files(org_id, ids, end))
    assessments = stored_summary.assessments_as_at(org_id, ids, end)
    for initiative_id, row_key in tokens.items():
        if initiative_id in snapshots:
            stored_summary.save_snapshot(
                initiative_id,
                row_key,
                {
                    "format": SNAPSHOT_FORMAT,
                    "details": encode(details[initiative_id]),
                    "facts": encode(snapshots[initiative_id]),
                    "evidence": [encode(e) for e in evidence if e.initiative_id == initiative_id],
                    "assessments": [encode(a) for a in assessments if a.initiative_id == initiative_id],
                },
            )
    return snapshots, details, evidence, assessments


SNAPSHOT_FORMAT = 2


def _from_snapshots(found: dict[int, dict]) -> _Records:
    snapshots, details, evidence, assessments = {}, {}, [], []
    for initiative_id in sorted(found):
        item = found[initiative_id]
        if item.get("format") != SNAPSHOT_FORMAT:
            raise ValueError("another format")
        snapshots[initiative_id] = decode(InitiativeFacts, item["facts"])
        details[initiative_id] = decode(build.InitiativeDetails, item["details"])
        evidence.extend(decode(build.EvidenceFile, e) for e in item["evidence"])
        assessments.extend(decode(build.HumanAssessment, a) for a in item["assessments"])
    # Each initiative's in the order they were stored (by when they were made, as the loader reads them).
    return snapshots, details, tuple(sorted(evidence, key=lambda e: e.id)), tuple(assessments)


def _evidence_files(org_id: int, ids: list[int], end: datetime) -> Iterable[build.EvidenceFile]:
    for row in db.session.scalars(
        sa.select(Evidence)
        .where(
            Evidence.organisation_id == org_id,
            Evidence.initiative_id.in_(ids),
            Evidence.uploaded_at < end,
            Evidence.withdrawn_at.is_(None),
        )
        .order_by(Evidence.id)
    ):
        yield build.EvidenceFile(
            id=row.id,
            initiative_id=row.initiative_id,
            filename=row.filename,
            consent=row.consent.value,
            sha256=row.sha256,
            size=row.size,
            content_type=row.content_type,
            description=row.description or "",
            uploaded_by=row.uploaded_by_id,
            uploaded_on=row.uploaded_at.date(),
            linked_kind="decision" if row.decision_id else "activity" if row.activity_id else "initiative",
            linked_id=row.decision_id or row.activity_id or row.initiative_id,
        )


_assessment = stored_summary.human_assessment


def _membership_sides(snapshots: Iterable) -> dict[int, list[list[str]]]:
    """user id -> for each initiative they were a member of, their tenures' sides, oldest first.

    Who is a citizen partner is decided by membership side (domain.people), not by today's organisation
    role: a partner who later took a staff job is still shown, and anonymised, as a partner here.
    """
    sides: dict[int, list[list[str]]] = {}
    for facts in snapshots:
        here: dict[int, list[str]] = {}
        for member in sorted(facts.members, key=lambda m: (m.joined_on is not None, m.joined_on or date.min)):
            here.setdefault(member.user_id, []).append(member.side)
        for user_id, tenures in here.items():
            sides.setdefault(user_id, []).append(tenures)
    return sides


def _people_ids(snapshots: Iterable, evidence, assessments) -> set[int]:
    wanted: set[int] = set()
    for facts in snapshots:
        wanted.update(m.user_id for m in facts.members)
        wanted.update(a.user_id for a in facts.attendance if a.user_id is not None)
        wanted.update(p.user_id for d in facts.decisions for p in d.positions)
        wanted.update(r.from_user_id for r in facts.recommendations if r.from_user_id is not None)
        wanted.update(s.user_id for stage in facts.stages for s in stage.signoffs)
    wanted.update(e.uploaded_by for e in evidence if e.uploaded_by is not None)
    for item in assessments:
        wanted.update(i for i in (item.assessed_by, item.cosigned_by, item.disagreed_by) if i is not None)
    return wanted


def _audit_scope(organisation_id: int, initiative_ids: list[int], end: datetime) -> list:
    return [
        AuditEvent.organisation_id == organisation_id,
        AuditEvent.initiative_id.in_(initiative_ids),
        AuditEvent.occurred_at < end,
    ]


def audit_summary(organisation_id: int, initiative_ids: list[int], end: datetime) -> build.AuditSummary:
    return audit_state(organisation_id, initiative_ids, end)[0]


def audit_state(organisation_id: int, initiative_ids: list[int], end: datetime) -> tuple[build.AuditSummary, int]:
    """The audit summary, and the newest event the report relies on (``cited_seqs``'s last, 0 for none): one
    query, so a report knows which checkpoint covers it without reading its cited events."""
    if not initiative_ids:
        return build.AuditSummary(), 0
    rows = db.session.execute(
        sa.select(
            AuditEvent.action,
            sa.func.count(),
            sa.func.min(AuditEvent.occurred_at),
            sa.func.max(AuditEvent.occurred_at),
            sa.func.max(AuditEvent.seq),
        )
        .where(*_audit_scope(organisation_id, initiative_ids, end))
        .group_by(AuditEvent.action)
        .order_by(sa.func.count().desc(), AuditEvent.action)
    ).all()
    summary = build.AuditSummary(
        events=sum(r[1] for r in rows),
        first_at=min((r[2] for r in rows), default=None),
        last_at=max((r[3] for r in rows), default=None),
        by_action=tuple((r[0], r[1]) for r in rows),
        action_labels=tuple((r[0], action_label(r[0])) for r in rows),
    )
    return summary, max((r[4] for r in rows if r[0] not in NOT_CITED), default=0)


# Events about reading, not about the records: a report does not rely on earlier reports having been read.
NOT_CITED = ("report.generated", "share_link.used", "audit.bundle_exported", "audit.checkpoint_made")


def cited_events(organisation_id: int, initiative_ids: list[int], as_of: date, upto: int) -> list[ledger.EventRecord]:
    """The audit events a report relies on, in seq order: its initiatives' record changes up to the end of
    ``as_of`` and within the first ``upto`` events (those its checkpoint covers), with what the bundle carries.

    Leaving out the events that only record someone reading a report means repeated views of unchanged
    records reuse the same signed checkpoint instead of making one each time.
    """
    if not initiative_ids:
        return []
    # Sorted and cut at ``upto`` here, not by ORDER BY seq or a seq range in SQL: either made SQLite walk the
    # organisation's whole chain (the (organisation, seq) index) instead of using the initiative index.
    rows = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash, AuditEvent.payload)
        .where(*_audit_scope(organisation_id, initiative_ids, end_of(as_of)))
        .where(AuditEvent.action.not_in(NOT_CITED))
    )
    return sorted(
        (
            ledger.EventRecord(seq, prev, digest, payload.encode("utf-8"))
            for seq, prev, digest, payload in rows
            if seq <= upto
        ),
        key=lambda event: event.seq,
    )
