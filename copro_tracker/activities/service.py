"""Writes for activities, attendance, ratings, decisions, recommendations and evidence files.

Each function takes plain values and the acting user, checks the rules of the domain, changes the
models and commits once. The audit capture sees that commit; here we only name the semantic action.
Permission to act at all is checked by the route (permissions.authorize) before it calls in here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.attributes import flag_modified

from .. import storage
from ..audit import capture
from ..codes import (
    N_,
    ActivityKind,
    ActivityLanguage,
    CommunicationNeed,
    ConsentLevel,
    Interpretation,
    OutputFormat,
    Position,
    Response,
    Side,
    WelshEffects,
)
from ..extensions import db
from ..initiatives.service import refresh_stage, today
from ..models import (
    Activity,
    Attendance,
    Decision,
    DecisionPosition,
    Evidence,
    Initiative,
    ReciprocityEntry,
    Recommendation,
    Stage,
    User,
    utcnow,
)
from ..permissions import can, membership_of
from ..services import ServiceError, check_version, commit_or_conflict, flush_or_conflict, in_reader_language
from . import filetypes, queries

NEEDS = frozenset(n.value for n in CommunicationNeed)
# The store could not take the file: say so plainly; the form keeps everything else that was typed.
# Every refusal raised here is a message id (N_): the view translates it into the reader's language.
STORE_MESSAGES = {
    "full": N_(
        "The file could not be saved because the storage for evidence files is full. Nothing has been saved. "
        "Try again later, or tell your organisation's admin"
    ),
    "read_only": N_(
        "The file could not be saved because the storage for evidence files cannot be written to at the moment. "
        "Nothing has been saved. Try again later, or tell your organisation's admin"
    ),
    "unavailable": N_(
        "The file could not be saved because the storage for evidence files is not working at the moment. "
        "Nothing has been saved. Try again later, or tell your organisation's admin"
    ),
}


def _text(value: str | None) -> str:
    """Free text without control characters (PostgreSQL refuses NUL), keeping line breaks and tabs."""
    return "".join(ch for ch in (value or "") if ch in "\n\t" or ord(ch) >= 32 and ch != "\x7f").strip()


@dataclass(frozen=True)
class ActivityDetails:
    stage_id: int
    kind: str
    occurred_on: date
    title: str
    notes: str
    attendee_ids: list[int]
    guests: list[str]
    guests_are_citizens: bool
    on_behalf_of_id: int | None = None
    languages: tuple[str, ...] = ("en",)
    interpretation: tuple[str, ...] = ()
    material_formats: tuple[str, ...] = ()
    # Asked only of organisations in Wales: None leaves the saved answer as it is; "" means not answered.
    asked_about_welsh_effects: str | None = None


def parse_guests(text: str) -> list[str]:
    names: list[str] = []
    for line in (text or "").splitlines():
        name = " ".join(_text(line).split())
        if name and name not in names:
            names.append(name)
    return names


def _validate(actor: User, initiative: Initiative, details: ActivityDetails, current_stage_id: int | None) -> Stage:
    stage = next((s for s in queries.open_stages(initiative) if s.id == details.stage_id), None)
    if stage is None and details.stage_id == current_stage_id:
        stage = next((s for s in initiative.stages if s.id == details.stage_id), None)
    if stage is None:
        raise ServiceError(N_("Choose a stage that is still open"), "stage_id")
    if details.kind not in {k.value for k in ActivityKind}:
        raise ServiceError(N_("Choose what kind of activity it was"), "kind")
    if not _text(details.title):
        raise ServiceError(N_("Enter a title for the activity"), "title")
    members = {m.user_id for m in initiative.memberships if m.left_on is None}
    if any(uid not in members for uid in details.attendee_ids):
        raise ServiceError(N_("Choose attendees from the list of current members"), "attendees")
    if any(len(name) > 120 for name in details.guests):
        raise ServiceError(N_("Each guest's name must be 120 characters or fewer"), "guests")
    if not details.languages:
        raise ServiceError(N_("Select the languages the activity was held in"), "languages")
    if not set(details.languages) <= {code.value for code in ActivityLanguage}:
        raise ServiceError(N_("Choose languages from the list"), "languages")
    if not set(details.interpretation) <= {code.value for code in Interpretation}:
        raise ServiceError(N_("Choose interpretation from the list"), "interpretation")
    if not set(details.material_formats) <= {code.value for code in OutputFormat}:
        raise ServiceError(N_("Choose formats from the list"), "material_formats")
    if details.occurred_on > today():
        raise ServiceError(N_("The date the activity happened must be today or in the past"), "occurred_on")
    if not details.attendee_ids and not details.guests:
        raise ServiceError(N_("Choose at least one person who took part, or add a guest"), "attendees")
    if details.on_behalf_of_id is not None:
        membership = next(
            (m for m in initiative.memberships if m.user_id == details.on_behalf_of_id and m.left_on is None), None
        )
        if not actor.is_commissioner_side:
            raise ServiceError(N_("Only a commissioner can record an activity for someone else"), "on_behalf_of")
        if membership is None or membership.side != Side.CITIZEN_PARTNER:
            raise ServiceError(N_("Choose a citizen partner who is a member of this initiative"), "on_behalf_of")
    return stage


def _stage_changed(*stages: Stage) -> None:
    """An activity in these stages was added or changed: approvals given before now are asked for again."""
    now = utcnow()
    for stage in stages:
        # Lock the stage row (PostgreSQL; SQLite serialises writers itself) and read its current version:
        # people recording activities in the same stage at once then queue here, instead of all but one
        # failing the stage's version check at commit. The chain-head lock comes later, so the lock order is
        # fixed. FOR NO KEY UPDATE, the lock the UPDATE itself takes: it does not conflict with the key-share
        # lock another writer's activity insert takes on this row through its foreign key, so inserts made
        # before this lock cannot deadlock with it. Callers flag the activity itself after this: the refresh
        # would drop a bare flag.
        with db.session.no_autoflush:  # the new activity is not named for the audit trail yet
            db.session.refresh(stage, with_for_update={"key_share": True})
        stage.activities_changed_at = now


def _new_attendance(activity: Activity, person: User | None, guest: str = "", citizen: bool = False) -> Attendance:
    needs = [n for n in (person.communication_needs or []) if n in NEEDS] if person else []
    return Attendance(
        organisation_id=activity.organisation_id,
        user_id=person.id if person else None,
        guest_name="" if person else guest,
        guest_is_citizen=citizen,
        adjustments_requested=needs,
        adjustments_provided=[],
    )


def _sync_attendees(activity: Activity, initiative: Initiative, details: ActivityDetails) -> None:
    people = {m.user_id: m.user for m in initiative.memberships if m.left_on is None}
    wanted_people = list(dict.fromkeys(details.attendee_ids))
    wanted_guests = details.guests
    for row in list(activity.attendances):
        keep = (row.user_id in wanted_people) if row.user_id else (row.guest_name in wanted_guests)
        if not keep:
            activity.attendances.remove(row)
            db.session.delete(row)
        elif row.user_id is None:
            row.guest_is_citizen = details.guests_are_citizens
    have_people = {r.user_id for r in activity.attendances if r.user_id}
    have_guests = {r.guest_name for r in activity.attendances if not r.user_id}
    for uid in wanted_people:
        if uid not in have_people:
            activity.attendances.append(_new_attendance(activity, people[uid]))
    for name in wanted_guests:
        if name not in have_guests:
            activity.attendances.append(_new_attendance(activity, None, name, details.guests_are_citizens))


def _set_languages(activity: Activity, details: ActivityDetails) -> None:
    # Stored in the codes' own order so the same answer always saves (and audits) the same way.
    activity.languages = [c.value for c in ActivityLanguage if c.value in details.languages]
    activity.interpretation = [c.value for c in Interpretation if c.value in details.interpretation]
    activity.material_formats = [c.value for c in OutputFormat if c.value in details.material_formats]
    if details.asked_about_welsh_effects is not None:
        answer = details.asked_about_welsh_effects
        if answer not in ("", "yes", "no"):
            raise ServiceError(
                N_("Say whether it asked people about the effects on the Welsh language"), "welsh_effects"
            )
        activity.asked_about_welsh_effects = {"yes": True, "no": False}.get(answer)


def record_activity(actor: User, initiative: Initiative, details: ActivityDetails) -> Activity:
    stage = _validate(actor, initiative, details, None)
    activity = Activity(
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        stage_id=stage.id,
        kind=ActivityKind(details.kind),
        occurred_on=details.occurred_on,
        title=_text(details.title),
        notes=_text(details.notes),
        recorded_by_id=actor.id,
        on_behalf_of_id=details.on_behalf_of_id,
        attendances=[],
    )
    _set_languages(activity, details)
    db.session.add(activity)
    _sync_attendees(activity, initiative, details)
    capture.name_action(
        activity,
        "activity.recorded_on_behalf" if details.on_behalf_of_id else "activity.recorded",
        stage=stage.kind.value,
    )
    # The new rows go in before the stage is locked: other recorders of the stage wait only for the stamp,
    # the gate and the commit, not for these inserts.
    db.session.flush()
    # The gate is worked out under the lock, so it counts every activity committed before this one.
    _stage_changed(stage)
    refresh_stage(stage)
    db.session.commit()
    return activity


def update_activity(
    actor: User, initiative: Initiative, activity: Activity, details: ActivityDetails, expected_version: int | None
) -> Activity:
    check_version(activity, expected_version)
    old_stage = activity.stage
    stage = _validate(actor, initiative, details, activity.stage_id)
    activity.stage_id = stage.id
    activity.stage = stage
    activity.kind = ActivityKind(details.kind)
    activity.occurred_on = details.occurred_on
    activity.title = _text(details.title)
    activity.notes = _text(details.notes)
    _set_languages(activity, details)
    _sync_attendees(activity, initiative, details)
    _stage_changed(stage, old_stage)
    flag_modified(activity, "notes")  # attendee changes alone still take a new version
    capture.name_action(activity, "activity.updated")
    flush_or_conflict()
    refresh_stage(stage)
    if old_stage.id != stage.id:
        refresh_stage(old_stage)
    commit_or_conflict()
    return activity


@dataclass(frozen=True)
class AttendanceRow:
    attendance_id: int
    contributed: bool
    # None leaves the person's adjustments as they are (the actor was not shown them).
    requested: list[str] | None
    provided: list[str] | None


def record_attendance(
    actor: User, activity: Activity, rows: Iterable[AttendanceRow], expected_version: int | None
) -> Activity:
    check_version(activity, expected_version)
    by_id = {a.id: a for a in activity.attendances}
    for row in rows:
        attendance = by_id.get(row.attendance_id)
        if attendance is None:
            raise ServiceError(N_("That person is not listed as attending this activity"))
        attendance.contributed = bool(row.contributed)
        if row.requested is None and row.provided is None:
            continue
        requested = sorted({n for n in row.requested or () if n in NEEDS})
        provided = sorted({n for n in row.provided or () if n in NEEDS})
        unchanged = requested == sorted(attendance.adjustments_requested or []) and provided == sorted(
            attendance.adjustments_provided or []
        )
        if not unchanged and not can(actor, "needs.edit", attendance):
            # Need to know: a peer cannot change what another person asked for, whatever the form sent.
            raise ServiceError(N_("You can only change your own adjustments"))
        attendance.adjustments_requested = requested
        attendance.adjustments_provided = provided
    # After the stage is locked: refreshing the stage cascades to its activities and would drop the flag.
    _stage_changed(activity.stage)
    flag_modified(activity, "notes")  # attendance changes alone still take a new version
    capture.name_action(activity, "activity.attendance_recorded")
    flush_or_conflict()
    refresh_stage(activity.stage)
    commit_or_conflict()
    return activity


def confirm(actor: User, activity: Activity, *, correct: bool, notes: str, note: str) -> Activity:
    if activity.on_behalf_of_id != actor.id:
        raise ServiceError(N_("Only the person this was recorded for can confirm it"))
    if activity.confirmed_at is not None:
        raise ServiceError(N_("This record has already been confirmed"))
    if correct and not _text(note):
        raise ServiceError(N_("Say what was wrong, so others understand the correction"), "confirmation_note")
    if correct:
        activity.notes = _text(notes)
        _stage_changed(activity.stage)
    activity.confirmation_note = _text(note)
    activity.confirmed_at = utcnow()
    capture.name_action(activity, "activity.corrected" if correct else "activity.confirmed")
    commit_or_conflict()
    return activity


def rate(actor: User, attendance: Attendance, rating: int, note: str) -> Attendance:
    if attendance.user_id != actor.id:
        raise ServiceError(N_("You can only rate for yourself"))
    if rating not in range(1, 8):
        raise ServiceError(N_("Choose a step on the ladder from 1 to 7"), "rating")
    attendance.ladder_rating = rating
    attendance.rating_note = _text(note)
    attendance.rated_at = utcnow()
    capture.name_action(attendance, "attendance.rated")
    db.session.commit()
    return attendance


@dataclass(frozen=True)
class DecisionDetails:
    what: str
    options_considered: str
    positions: dict[int, str]
    changed_by_partner_input: bool
    how_changed: str
    # Asked only of organisations in Wales: None leaves the saved answer as it is; "" means not answered.
    welsh_effects: str | None = None
    welsh_effects_note: str = ""


def _present_members(activity: Activity) -> list[int]:
    return [a.user_id for a in activity.attendances if a.user_id is not None]


def _apply_decision(decision: Decision, activity: Activity, details: DecisionDetails) -> bool:
    if not _text(details.what):
        raise ServiceError(N_("Say what was decided"), "what")
    if details.changed_by_partner_input and not _text(details.how_changed):
        raise ServiceError(N_("Say how citizen partners' input changed the decision"), "how_changed")
    present = _present_members(activity)
    for uid in present:
        if details.positions.get(uid) not in {p.value for p in Position}:
            raise ServiceError(N_("Choose a position for everyone who attended"), f"position_{uid}")
    decision.what = _text(details.what)
    decision.options_considered = _text(details.options_considered)
    decision.changed_by_partner_input = details.changed_by_partner_input
    decision.how_changed = _text(details.how_changed) if details.changed_by_partner_input else ""
    if details.welsh_effects is not None:
        _apply_welsh_effects(decision, details)
    existing = {p.user_id: p for p in decision.positions}
    for uid in present:
        position = Position(details.positions[uid])
        if uid in existing:
            existing[uid].position = position
        else:
            decision.positions.append(
                DecisionPosition(organisation_id=decision.organisation_id, user_id=uid, position=position)
            )
    return any(p.position == Position.DISSENTED for p in decision.positions)


def _apply_welsh_effects(decision: Decision, details: DecisionDetails) -> None:
    answer = details.welsh_effects or None
    if answer is not None and answer not in {w.value for w in WelshEffects}:
        raise ServiceError(
            N_("Say whether the decision's effects on the Welsh language were considered"), "welsh_effects"
        )
    note = _text(details.welsh_effects_note)
    if answer == WelshEffects.CONSIDERED and not note:
        raise ServiceError(N_("Say briefly what the effects on the Welsh language are"), "welsh_effects_note")
    decision.welsh_effects = WelshEffects(answer) if answer else None
    # A note only means something beside "considered" or "not relevant" (why not): kept for both.
    decision.welsh_effects_note = note if answer in (WelshEffects.CONSIDERED, WelshEffects.NOT_RELEVANT) else ""


def record_decision(actor: User, activity: Activity, details: DecisionDetails) -> Decision:
    decision = Decision(
        organisation_id=activity.organisation_id,
        activity_id=activity.id,
        recorded_by_id=actor.id,
        what="",
        positions=[],
    )
    dissent = _apply_decision(decision, activity, details)
    activity.decisions.append(decision)
    capture.name_action(decision, "decision.dissent_recorded" if dissent else "decision.recorded")
    db.session.commit()
    return decision


def update_decision(
    actor: User, decision: Decision, details: DecisionDetails, expected_version: int | None
) -> Decision:
    check_version(decision, expected_version)
    dissent = _apply_decision(decision, decision.activity, details)
    flag_modified(decision, "what")
    capture.name_action(decision, "decision.dissent_recorded" if dissent else "decision.updated")
    commit_or_conflict()
    return decision


def _belongs(initiative: Initiative, activity_id: int | None, decision_id: int | None) -> tuple[int | None, int | None]:
    activity = decision = None
    if decision_id:
        decision = queries.get_decision(initiative, decision_id)
        if decision is None:
            raise ServiceError(N_("Choose a decision from this initiative"), "decision_id")
        activity_id = activity_id or decision.activity_id
        if activity_id != decision.activity_id:
            raise ServiceError(N_("That decision belongs to a different activity"), "decision_id")
    if activity_id:
        activity = queries.get_activity(initiative, activity_id)
        if activity is None:
            raise ServiceError(N_("Choose an activity from this initiative"), "activity_id")
    return (activity.id if activity else None, decision.id if decision else None)


def make_recommendation(
    actor: User,
    initiative: Initiative,
    text: str,
    activity_id: int | None,
    decision_id: int | None,
    raised_on: date | None = None,
) -> Recommendation:
    if not _text(text):
        raise ServiceError(N_("Enter the recommendation"), "text")
    raised_on = raised_on or today()
    if raised_on > today():
        raise ServiceError(N_("The date it was said must be today or in the past"), "raised_on")
    activity_id, decision_id = _belongs(initiative, activity_id, decision_id)
    recommendation = Recommendation(
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        activity_id=activity_id,
        decision_id=decision_id,
        made_by_id=actor.id,
        text=_text(text),
        raised_on=raised_on,
    )
    db.session.add(recommendation)
    capture.name_action(recommendation, "recommendation.made")
    db.session.commit()
    return recommendation


def respond(
    actor: User,
    recommendation: Recommendation,
    *,
    response: str,
    reason: str,
    action_taken: str,
    review_on: date | None,
    expected_version: int | None,
) -> Recommendation:
    check_version(recommendation, expected_version)
    if response not in {r.value for r in Response}:
        raise ServiceError(N_("Choose a response"), "response")
    choice = Response(response)
    if choice in (Response.REJECTED, Response.ADAPTED) and not _text(reason):
        raise ServiceError(
            N_("Give the reason it was not accepted")
            if choice == Response.REJECTED
            else N_("Say how and why the recommendation was adapted"),
            "reason",
        )
    recommendation.response = choice
    recommendation.response_reason = _text(reason)
    recommendation.action_taken = _text(action_taken)
    recommendation.review_on = review_on
    recommendation.responded_by_id = actor.id
    recommendation.responded_at = utcnow()
    capture.name_action(recommendation, "recommendation.responded", response=choice.value)
    commit_or_conflict()
    return recommendation


def record_review(
    actor: User,
    recommendation: Recommendation,
    *,
    reviewed_on: date | None,
    reviewed_by_id: int | None,
    outcome: str,
    expected_version: int | None,
) -> Recommendation:
    """The review actually held: it closes a passed review date, whatever "we did" says."""
    check_version(recommendation, expected_version)
    if reviewed_on is None:
        raise ServiceError(N_("Enter the date the review was held"), "reviewed_on")
    if reviewed_on > today():
        raise ServiceError(N_("The date the review was held must be today or in the past"), "reviewed_on")
    if reviewed_on < recommendation.raised_on:
        raise ServiceError(N_("The review cannot be held before the recommendation was made"), "reviewed_on")
    members = {m.user_id for m in recommendation.initiative.memberships}
    if reviewed_by_id not in members:
        raise ServiceError(N_("Choose who held the review from the initiative's members"), "reviewed_by")
    if not _text(outcome):
        raise ServiceError(N_("Say what the review found"), "outcome")
    recommendation.reviewed_on = reviewed_on
    recommendation.reviewed_by_id = reviewed_by_id
    recommendation.review_outcome = _text(outcome)
    capture.name_action(recommendation, "recommendation.reviewed")
    commit_or_conflict()
    return recommendation


def upload_evidence(
    actor: User,
    initiative: Initiative,
    *,
    data: bytes,
    filename: str,
    consent: str,
    description: str,
    activity_id: int | None,
    decision_id: int | None,
) -> Evidence:
    if not data:
        raise ServiceError(N_("The selected file is empty. Choose a file with something in it"), "file")
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and len(data) > limit:
        raise ServiceError(N_("The selected file must be smaller than %(mb)s MB"), "file", mb=limit // (1024 * 1024))
    try:
        kind = filetypes.sniff(data, filename)
    except filetypes.ArchiveRefused as refused:
        raise ServiceError(refused.message, "file", **refused.values) from refused
    if kind is None:
        raise ServiceError(
            N_("The selected file must be a %(types)s"),
            "file",
            types=in_reader_language(filetypes.ALLOWED_DESCRIPTION),
        )
    if consent not in {c.value for c in ConsentLevel}:
        raise ServiceError(N_("Choose how this file may be used in reports"), "consent")
    activity_id, decision_id = _belongs(initiative, activity_id, decision_id)
    try:
        stored = storage.stage(data)
    except storage.StoreUnavailable as error:
        current_app.logger.error("Evidence upload refused: %s", error)
        raise ServiceError(STORE_MESSAGES[error.reason], "file") from error
    evidence = Evidence(
        organisation_id=initiative.organisation_id,
        initiative_id=initiative.id,
        activity_id=activity_id,
        decision_id=decision_id,
        filename=filetypes.display_name(filename, kind),
        content_type=kind.content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
        description=_text(description),
        consent=ConsentLevel(consent),
        uploaded_by_id=actor.id,
    )
    db.session.add(evidence)
    capture.name_action(evidence, "evidence.uploaded")
    commit_staged(stored.key, "Evidence")
    return evidence


def commit_staged(key: str, what: str) -> None:
    """Commit the row that names a staged file, then publish the file; if the commit fails the file goes."""
    # BaseException: gunicorn ends a timed-out worker with SystemExit, and the staged file must go too.
    # (A worker killed outright leaves it staged: the storage sweep removes it.)
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        storage.discard(key)
        raise
    try:
        storage.publish(key)
    except OSError:
        # The row is saved and the bytes are stored under their staged name: reading the file or the
        # next sweep publishes them. The person's upload has worked.
        current_app.logger.exception("%s %s saved but not yet published", what, key)


def sweep_evidence_store(*, grace_seconds: float, dry_run: bool = False) -> storage.SweepReport:
    """Make the evidence store agree with the evidence rows (storage.sweep), reading the keys of all rows.

    Works the same on every backend; `flask storage sweep`, start-up (gunicorn.conf.py) and the nightly job
    (activities/jobs.py, with STORAGE_SWEEP_GRACE_MINUTES * 60 as the grace) run it."""

    def keys() -> list[str]:
        # Expense receipts share the store with evidence files: the sweep must keep them too. A withdrawn file's
        # bytes are deleted; if that failed, the sweep finishes the job.
        receipts = sa.select(ReciprocityEntry.receipt_storage_key).where(
            ReciprocityEntry.receipt_storage_key.is_not(None), ReciprocityEntry.withdrawn_at.is_(None)
        )
        live = sa.select(Evidence.storage_key).where(Evidence.withdrawn_at.is_(None))
        return list(db.session.scalars(live.union_all(receipts)))

    return storage.sweep(keys, grace_seconds=grace_seconds, dry_run=dry_run)


def is_member(user: User, initiative: Initiative) -> bool:
    return membership_of(user, initiative) is not None
