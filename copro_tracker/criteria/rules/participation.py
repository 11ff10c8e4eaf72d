"""Participation: partners in every stage (X-STAGE), early involvement (X-EARLY), power and ratings
(X-POWER), recognition (X-REWARD), and SCIE's equality, diversity and regularity checks.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...codes import (
    LIVED_EXPERIENCE_KINDS,
    RECIPROCITY_KIND_LABELS,
    STAGE_ORDER,
    PartnerKind,
    Position,
    ReciprocityKind,
    StageKind,
)
from ...domain.messages import Cap, Listing, Message, Phrase
from ..snapshot import Activity, Attendance, Decision, InitiativeFacts
from .core import (
    VIEWS_ONLY_KINDS,
    Finding,
    Reason,
    Status,
    _activity_ref,
    _check_positive,
    _check_rung,
    _decision_ref,
    _member_ref,
    _not_applicable,
    _not_started,
    _person_refs,
    _stage_ref,
    _stages_in_scope,
    _Tally,
    _who,
    rule,
)
from .words import (
    ACTIVITY_KIND_WORDS,
    PARTNER_KIND_WORDS,
    _at,
    _day,
    _join,
    _plural,
    _quote,
    _rung,
    _stage_in_sentence,
    _stage_name,
)

# ---------------------------------------------------------------------------------------------------
# X-STAGE


@rule("partner_in_every_stage")
def partner_in_every_stage(
    facts: InitiativeFacts,
    *,
    min_rung: int | None = 5,
    stages: tuple[StageKind, ...] = (),
    require_decision: bool = True,
) -> Finding:
    """Every stage that has started has citizen partners sharing its decisions, not only giving views.

    Implements X-STAGE (catalogue §9): in design, delivery and evaluation a citizen partner attended an
    activity, a decision made there records that partner's position, and the activity reached ``min_rung``
    on the TLAP ladder; a stage with only information or consultation is "feedback only". TLAP's rung 4,
    consultation, is people "asked for views … but may have no power to change things": so an activity
    where partners only gave views and no decision was taken with them is consultation, not co-production.

    Params:
        min_rung: the partner's own ladder rating of that activity must be at least this (None: any).
        stages: which stages to look at (default: design, delivery and evaluation).
        require_decision: True means a decision at the activity must record the partner's position;
            False means taking part in an activity is enough (for criteria about involvement, such as
            "from the start to the end", that do not speak of decisions).

    A stage is in order when a partner contributed to a decision taken with them at the depth asked for.
    It is partly in order when partners were in the room for decisions (their position is recorded) but
    not at that depth: not recorded as contributing, rated lower, or not rated yet. It is not in order when
    partners only gave views (a survey, or a meeting where no decision was taken with them), or took no
    part at all.
    """
    _check_rung("min_rung", min_rung)
    in_scope = _stages_in_scope(facts, stages)
    if not in_scope:
        return _not_started(stages)
    tally = _Tally()
    for stage in in_scope:
        if require_decision:
            _grade_stage_decisions(facts, stage.kind, tally, min_rung)
        else:
            _grade_stage_attendance(facts, stage.kind, tally, min_rung)
    return tally.finding()


_SHARED = (Position.AGREED, Position.DISSENTED, Position.ABSTAINED)


def _taken_with(facts: InitiativeFacts, activity: Activity) -> list[tuple[Decision, Attendance]]:
    """Decisions at ``activity`` that record the position of a citizen partner who was there."""
    rows = [r for r in facts.partner_attendance_at(activity.id) if r.user_id is not None]
    return [
        (decision, row)
        for decision in facts.decisions_at(activity.id)
        for row in rows
        if decision.stance_of(row.user_id) in _SHARED
    ]


def _grade_stage_decisions(facts: InitiativeFacts, kind: StageKind, tally: _Tally, min_rung: int | None) -> None:
    name = _stage_name(kind)
    views_only: list[Activity] = []
    shallow: list[tuple[Activity, Decision, Attendance]] = []
    for activity in facts.activities_in(kind):
        if not facts.partner_attendance_at(activity.id):
            continue
        taken = _taken_with(facts, activity)
        if not taken:
            views_only.append(activity)
        for decision, row in taken:
            deep = row.contributed and (min_rung is None or (row.rating is not None and row.rating >= min_rung))
            if not deep:
                shallow.append((activity, decision, row))
                continue
            assert row.user_id is not None
            helped = {"stage": name, "name": facts.name_of(row.user_id), "decision": _quote(decision.text)}
            if row.rating is not None:
                text = Message.of("criteria.stage.helped_rated", **helped, at=_at(activity), rung=_rung(row.rating))
            else:
                text = Message.of("criteria.stage.helped", **helped, at=_at(activity))
            refs = [_stage_ref(kind), _activity_ref(activity), _decision_ref(decision), _member_ref(facts, row.user_id)]
            tally.add("ok", text, refs)
            return
    if shallow:
        activity, decision, row = shallow[0]
        assert row.user_id is not None
        who = facts.name_of(row.user_id)
        if not row.contributed:
            gap = Message.of("criteria.stage.gap.not_contributing")
        elif row.rating is None:
            gap = Message.of("criteria.stage.gap.not_rated", aim=_rung(min_rung or 1))
        else:
            gap = Message.of("criteria.stage.gap.rated_lower", rung=_rung(row.rating), aim=_rung(min_rung or 1))
        text = Message.of(
            "criteria.stage.there_when", stage=name, who=who, decision=_quote(decision.text), at=_at(activity), gap=gap
        )
        refs = [_stage_ref(kind), _activity_ref(activity), _decision_ref(decision), _member_ref(facts, row.user_id)]
        tally.add("partial", text, refs)
        return
    if views_only:
        spoke = any(r.contributed for a in views_only for r in facts.partner_attendance_at(a.id))
        key = "criteria.stage.views_only" if spoke else "criteria.stage.attended_only"
        tally.add(
            "none",
            Message.of(key, stage=name, activities=_join(_at(a) for a in views_only)),
            [_stage_ref(kind), *(_activity_ref(a) for a in views_only)],
        )
        return
    tally.add("none", Message.of("criteria.stage.no_decision_activity", stage=name), [_stage_ref(kind)])


def _grade_stage_attendance(facts: InitiativeFacts, kind: StageKind, tally: _Tally, min_rung: int | None) -> None:
    name = _stage_name(kind)
    lower: list[tuple[Activity, Attendance]] = []
    for activity in facts.activities_in(kind):
        for row in facts.partner_attendance_at(activity.id):
            if min_rung is not None and (row.rating is None or row.rating < min_rung):
                lower.append((activity, row))
                continue
            named = facts.name_of(row.user_id) if row.user_id is not None else row.guest_name
            who = named or Message.of("criteria.who.anyone")
            if row.rating is not None:
                text = Message.of(
                    "criteria.stage.took_part_rated", stage=name, who=who, at=_at(activity), rung=_rung(row.rating)
                )
            else:
                text = Message.of("criteria.stage.took_part", stage=name, who=who, at=_at(activity))
            refs = [_stage_ref(kind), _activity_ref(activity)]
            if row.user_id is not None:
                refs.append(_member_ref(facts, row.user_id))
            tally.add("ok", text, refs)
            return
    if lower:
        activity, row = lower[0]
        how = (
            Message.of("criteria.stage.how.rated", rung=_rung(row.rating))
            if row.rating is not None
            else Message.of("criteria.stage.how.not_rated")
        )
        tally.add(
            "partial",
            Message.of(
                "criteria.stage.took_part_lower", stage=name, at=_at(activity), how=how, aim=_rung(min_rung or 1)
            ),
            [_stage_ref(kind), _activity_ref(activity)],
        )
        return
    tally.add("none", Message.of("criteria.stage.no_activity", stage=name), [_stage_ref(kind)])


# ---------------------------------------------------------------------------------------------------
# X-EARLY


@rule("early_involvement")
def early_involvement(facts: InitiativeFacts, *, stage: StageKind = StageKind.DESIGN) -> Finding:
    """Citizen partners were involved in, or before, the first decision of ``stage``.

    Implements X-EARLY (catalogue §9: "involvement starts before key design decisions"; NHS England's
    principle to involve people early; TLAP: working alongside others "from the start"). Being involved
    means being present and contributing where decisions are shaped: at the first decision itself (their
    position recorded), or at an earlier meeting, workshop or co-design session where they contributed.
    Answering an earlier survey or consultation is giving views, not being involved in the decision.

    Params:
        stage: the stage whose first decision sets the deadline (default design).

    Met when partners contributed at or before the first decision; partly met when partners were only
    present at it without contributing, or first shared a later decision of the stage; not met otherwise.
    """
    decisions = facts.decisions_in(stage)
    stage_name = _stage_in_sentence(stage)
    involved = [
        (activity, row)
        for activity in sorted(facts.activities, key=lambda a: (a.on, a.id))
        if activity.kind not in VIEWS_ONLY_KINDS
        for row in facts.partner_attendance_at(activity.id)
        if row.contributed
    ]
    views = [
        a
        for a in sorted(facts.activities, key=lambda a: (a.on, a.id))
        if a.kind in VIEWS_ONLY_KINDS and facts.partner_attendance_at(a.id)
    ]
    if not decisions:
        if involved:
            activity, row = involved[0]
            return Finding(
                Status.MET,
                (
                    Reason.of(
                        Message.of(
                            "criteria.early.before_any", who=_who(facts, row), at=_at(activity), stage=stage_name
                        ),
                        _person_refs(facts, row, _activity_ref(activity)),
                    ),
                ),
            )
        return _not_applicable(Message.of("criteria.early.too_early", stage=stage_name))
    first = decisions[0]
    first_at = facts.activity(first.activity_id)
    decided = Message.of("criteria.early.decided", stage=stage_name, decision=_quote(first.text), day=_day(first.on))
    early = [(a, r) for a, r in involved if (a.on, a.id) <= ((first_at.on, first_at.id) if first_at else (first.on, 0))]
    if early:
        activity, row = early[0]
        where = "at" if first_at is not None and activity.id == first_at.id else "before"
        text = Message.of(
            f"criteria.early.contributed_{where}", who=_who(facts, row), at=_at(activity), decided=decided
        )
        return Finding(
            Status.MET, (Reason.of(text, (*_person_refs(facts, row, _activity_ref(activity)), _decision_ref(first))),)
        )
    reasons: list[Reason] = []
    earlier_views = [a for a in views if a.on <= first.on]
    if earlier_views:
        reasons.append(
            Reason.of(
                Message.of(
                    "criteria.early.views_before", activities=_join(_at(a) for a in earlier_views), decided=decided
                ),
                tuple(_activity_ref(a) for a in earlier_views),
            )
        )
    present = [r for r in facts.partner_attendance_at(first.activity_id) if r.user_id is not None]
    later = [(a, r) for a, r in involved if a.stage == stage]
    last = decisions[-1]
    if present:
        names = _join(facts.name_of(r.user_id) for r in present if r.user_id is not None)
        reasons.insert(
            0,
            Reason.of(
                Message.of(
                    "criteria.early.present_one" if len(present) == 1 else "criteria.early.present_many",
                    names=names,
                    decided=decided,
                ),
                (_decision_ref(first), *(_member_ref(facts, r.user_id) for r in present if r.user_id is not None)),
            ),
        )
        return Finding(Status.PARTLY_MET, tuple(reasons))
    if later and later[0][0].on <= last.on:
        activity, row = later[0]
        reasons.insert(
            0,
            Reason.of(
                Message.of("criteria.early.later", decided=decided, who=Cap(_who(facts, row)), at=_at(activity)),
                (_decision_ref(first), *_person_refs(facts, row, _activity_ref(activity))),
            ),
        )
        return Finding(Status.PARTLY_MET, tuple(reasons))
    if involved:
        activity, row = involved[0]
        text = Message.of(
            "criteria.early.after_last", decided=decided, who=_who(facts, row), stage=stage_name, at=_at(activity)
        )
        refs = (_decision_ref(first), *_person_refs(facts, row, _activity_ref(activity)))
    else:
        text = Message.of("criteria.early.never", decided=decided)
        refs = (_decision_ref(first),)
    reasons.insert(0, Reason.of(text, refs))
    return Finding(Status.NOT_MET, tuple(reasons))


# ---------------------------------------------------------------------------------------------------
# X-POWER


@rule("ladder_rating")
def ladder_rating(
    facts: InitiativeFacts, *, min_rung: int = 5, stages: tuple[StageKind, ...] = (), gap: int = 1
) -> Finding:
    """Citizen partners' own ladder ratings reach ``min_rung``; any difference with staff is shown.

    Implements the TLAP ladder signals (catalogue TLAP-LADDER): fail if any activity is rung 1; partners
    rate independently and the tracker flags disagreement with the officer rating.

    Params:
        min_rung: the lowest rung every partner rating of an activity should reach (default 5, engaging).
        stages: which stages' activities to look at (default all).
        gap: show an activity when the two sides' ratings differ by at least this many rungs (default 1:
            a one-rung difference is still a difference).

    Only partners' ratings decide the status. Ratings are never averaged: each side's ratings are listed
    side by side, with who gave them, and a difference is a reason that does not change the status. Any
    partner rating of rung 1 (coercion) makes the check not met, whatever else is recorded.
    """
    _check_rung("min_rung", min_rung)
    _check_positive("gap", gap)
    wanted = stages or STAGE_ORDER
    tally = _Tally()
    unrated: list[Activity] = []
    coerced = False
    for activity in sorted(facts.activities, key=lambda a: (a.on, a.id)):
        if activity.stage not in wanted:
            continue
        rows = facts.attendance_at(activity.id)
        partner = sorted(r.rating for r in rows if r.is_citizen_partner and r.rating is not None)
        staff = sorted(r.rating for r in rows if not r.is_citizen_partner and r.rating is not None)
        if not any(r.is_citizen_partner for r in rows):
            continue
        if not partner:
            unrated.append(activity)
            continue
        at = _at(activity)
        given = _join(_rung(r) for r in dict.fromkeys(partner))
        one = "one" if len(partner) == 1 else "many"
        if partner[0] >= min_rung:
            tally.add("ok", Message.of(f"criteria.ladder.rated_{one}", at=at, given=given), [_activity_ref(activity)])
        else:
            text = Message.of(f"criteria.ladder.below_{one}", at=at, given=given, aim=_rung(min_rung))
            tally.add("none", text, [_activity_ref(activity)])
        coerced = coerced or partner[0] == 1
        if staff and max(staff[-1] - partner[0], partner[-1] - staff[0]) >= gap:
            sides = [_ratings_of(facts, rows, citizen) for citizen in (True, False)]
            rated = [r.user_id for r in rows if r.rating is not None and r.user_id is not None]
            tally.note(
                Message.of("criteria.ladder.differ", at=at, partners=sides[0], staff=sides[1]),
                [_activity_ref(activity), *(_member_ref(facts, uid) for uid in rated)],
            )
    if unrated:
        tally.note(
            Message.of("criteria.ladder.unrated", activities=_plural(len(unrated), "activity")),
            [_activity_ref(a) for a in unrated],
        )
    if tally.ok + tally.none == 0:
        if not unrated:
            return _not_applicable(Message.of("criteria.partners.none_took_part"))
        return tally.finding(Status.NOT_MET)
    if coerced:
        tally.note(Message.of("criteria.ladder.coerced"))
        return tally.finding(Status.NOT_MET)
    return tally.finding()


def _ratings_of(facts: InitiativeFacts, rows: Sequence[Attendance], citizen: bool) -> Listing:
    """Each person's rating on one side, as "Amira Partner rung 6 of 7 (co-designing)", never an average."""
    rated = sorted(
        (r for r in rows if r.is_citizen_partner is citizen and r.rating is not None),
        key=lambda r: (-(r.rating or 0), facts.name_of(r.user_id) if r.user_id is not None else r.guest_name),
    )
    return Listing(
        tuple(
            Message.of(
                "criteria.ladder.rating",
                who=(facts.name_of(r.user_id) if r.user_id is not None else r.guest_name)
                or Message.of("criteria.ladder.a_guest"),
                rung=_rung(r.rating or 1),
            )
            for r in rated
        )
    )


@rule("partner_positions_recorded")
def partner_positions_recorded(facts: InitiativeFacts, *, stages: tuple[StageKind, ...] = ()) -> Finding:
    """Every decision records the position of the citizen partners who were there.

    Params:
        stages: which stages' decisions to look at (default all).

    A decision is in order when at least one citizen partner's position is recorded and every partner
    who attended that activity has one; partly when some do; not in order when none do (including a
    decision made with no citizen partner present). Dissent is reported, never counted against.
    """
    tally = _Tally()
    for kind in stages or STAGE_ORDER:
        for decision in facts.decisions_in(kind):
            activity = facts.activity(decision.activity_id)
            present = [r.user_id for r in facts.partner_attendance_at(decision.activity_id) if r.user_id is not None]
            recorded = [
                p.user_id
                for p in decision.positions
                if p.user_id in facts.citizen_partner_ids and p.stance is not Position.ABSENT
            ]
            missing = [uid for uid in present if decision.stance_of(uid) is None]
            refs = [_decision_ref(decision), *([_activity_ref(activity)] if activity else [])]
            label = {"decision": _quote(decision.text), "day": _day(decision.on)}
            if recorded and not missing:
                tally.add("ok", Message.of("criteria.positions.recorded", **label), refs)
            elif recorded:
                tally.add(
                    "partial",
                    Message.of(
                        "criteria.positions.missing_one" if len(missing) == 1 else "criteria.positions.missing_many",
                        **label,
                        partners=_plural(len(missing), "citizen_partner"),
                    ),
                    refs + [_member_ref(facts, uid) for uid in missing],
                )
            else:
                tally.add("none", Message.of("criteria.positions.none", **label), refs)
            for position in decision.positions:
                if position.stance is Position.DISSENTED and position.user_id in facts.citizen_partner_ids:
                    tally.note(
                        Message.of("criteria.positions.dissent", **label),
                        [_decision_ref(decision), _member_ref(facts, position.user_id)],
                    )
    if tally.ok + tally.partial + tally.none == 0:
        return _not_applicable(Message.of("criteria.decisions.none_yet"))
    return tally.finding()


# ---------------------------------------------------------------------------------------------------
# X-REWARD


@rule("reciprocity_offered")
def reciprocity_offered(facts: InitiativeFacts, *, per_activity: bool = False) -> Finding:
    """Every citizen partner who took part was offered payment or other thanks: an offer they have not
    answered yet, or one they declined ("no payment, thank you"), is still an offer made. Withdrawn offers
    are not facts at all.

    Params:
        per_activity: expect a record for each activity attended, not just one per partner. A
            "declined" record with no activity covers all of that partner's activities.

    Needs attestation when payments and recognition are not recorded in the tracker at all.
    """
    if facts.reciprocity is None:
        return Finding(
            Status.NEEDS_ATTESTATION,
            (Reason.of(Message.of("criteria.reward.not_recorded")),),
        )
    attended: dict[int, list[Activity]] = {}
    for activity in sorted(facts.activities, key=lambda a: (a.on, a.id)):
        for row in facts.partner_attendance_at(activity.id):
            if row.user_id is not None:
                attended.setdefault(row.user_id, []).append(activity)
    if not attended:
        return _not_applicable(Message.of("criteria.partners.none_took_part"))
    tally = _Tally()
    for user_id, activities in sorted(attended.items(), key=lambda item: facts.name_of(item[0])):
        entries = facts.reciprocity_for(user_id)
        member = _member_ref(facts, user_id)
        if not entries:
            tally.add(
                "none",
                Message.of("criteria.reward.none", activities=_plural(len(activities), "activity")),
                [member],
            )
            continue
        if not per_activity:
            kinds = _join(dict.fromkeys(_offer_words(e.kind) for e in entries))
            tally.add("ok", Message.of("criteria.reward.recorded", kinds=kinds), [member])
            continue
        declined_all = any(e.kind is ReciprocityKind.DECLINED and e.activity_id is None for e in entries)
        covered = {e.activity_id for e in entries}
        missing = [a for a in activities if not declined_all and a.id not in covered]
        if not missing:
            tally.add("ok", Message.of("criteria.reward.every_activity"), [member])
        else:
            tally.add(
                "partial" if len(missing) < len(activities) else "none",
                Message.of("criteria.reward.missing", activities=_plural(len(missing), "activity")),
                [member, *(_activity_ref(a) for a in missing)],
            )
    return tally.finding()


def _offer_words(kind: ReciprocityKind | None) -> Message | Phrase:
    if kind is None:
        return Message.of("criteria.reward.unanswered_offer")
    return Phrase(RECIPROCITY_KIND_LABELS[kind], lower=True)


# ---------------------------------------------------------------------------------------------------
# SCIE equality and diversity


@rule("diverse_membership")
def diverse_membership(
    facts: InitiativeFacts,
    *,
    kinds: tuple[PartnerKind, ...] = LIVED_EXPERIENCE_KINDS,
    min_kinds: int | None = None,
    require_attestation: bool = True,
    all_members: bool = False,
) -> Finding:
    """The people involved include the groups this work needs to hear from.

    Params:
        kinds: the groups to look for (default: people who draw on care, and unpaid carers).
        min_kinds: how many of ``kinds`` must be present (default: all of them).
        require_attestation: when the groups are all present, a person must still confirm that those
            most likely to be left out were reached (the records cannot show that), so the status is
            needs attestation rather than met. Set False for a simple stakeholder-coverage check.
        all_members: look at every member, not only citizen partners (for organisations taking part).
    """
    needed = len(kinds) if min_kinds is None else min_kinds
    if not kinds:
        raise ValueError("kinds must name at least one group")
    if not 1 <= needed <= len(kinds):
        raise ValueError(f"min_kinds must be between 1 and {len(kinds)}, got {min_kinds}")
    pool = facts.members if facts.initiative.closed else facts.current_members
    if not all_members:
        pool = tuple(m for m in pool if m.is_citizen_partner)
    who = "members" if all_members else "partners"
    if not pool:
        return Finding(Status.NOT_MET, (Reason.of(Message.of(f"criteria.diversity.no_{who}")),))
    present = [k for k in kinds if any(m.partner_kind is k for m in pool)]
    absent = [k for k in kinds if k not in present]
    reasons = []
    if present:
        groups = _join(Phrase(PARTNER_KIND_WORDS[k]) for k in present)
        reasons.append(Reason.of(Message.of(f"criteria.diversity.{who}_include", groups=groups)))
    if absent:
        groups = _join(Phrase(PARTNER_KIND_WORDS[k]) for k in absent)
        reasons.append(Reason.of(Message.of(f"criteria.diversity.{who}_missing", groups=groups)))
    if (
        facts.initiative.collective
        and not all_members
        and all(m.partner_kind not in LIVED_EXPERIENCE_KINDS for m in pool)
    ):
        reasons.append(Reason.of(Message.of("criteria.diversity.no_lived_experience")))
    if len(present) >= needed:
        if require_attestation:
            reasons.append(Reason.of(Message.of("criteria.diversity.confirm")))
            return Finding(Status.NEEDS_ATTESTATION, tuple(reasons))
        return Finding(Status.MET, tuple(reasons))
    return Finding(Status.PARTLY_MET if present else Status.NOT_MET, tuple(reasons))


@rule("methods_per_stage")
def methods_per_stage(facts: InitiativeFacts, *, min_kinds: int = 2, stages: tuple[StageKind, ...] = ()) -> Finding:
    """Each started stage offers more than one way to take part (workshop, survey, steering group...).

    Params:
        min_kinds: how many different kinds of activity each stage should have (default 2).
        stages: which stages to look at (default all).
    """
    _check_positive("min_kinds", min_kinds)
    in_scope = _stages_in_scope(facts, stages)
    if not in_scope:
        return _not_started(stages)
    tally = _Tally()
    for stage in in_scope:
        activities = facts.activities_in(stage.kind)
        kinds = [Phrase(ACTIVITY_KIND_WORDS[k]) for k in dict.fromkeys(a.kind for a in activities)]
        name = _stage_name(stage.kind)
        refs = [_stage_ref(stage.kind)]
        if len(kinds) >= min_kinds:
            text = Message.of("criteria.methods.ways", stage=name, count=len(kinds), kinds=_join(kinds))
            tally.add("ok", text, refs)
        elif kinds:
            tally.add("partial", Message.of("criteria.methods.one_way", stage=name, kind=kinds[0]), refs)
        else:
            tally.add("none", Message.of("criteria.methods.none", stage=name), refs)
    return tally.finding()


@rule("regular_activity")
def regular_activity(facts: InitiativeFacts, *, max_gap_days: int = 42) -> Finding:
    """While the initiative is running, people hear from it regularly: no long silences between activities.

    Params:
        max_gap_days: the longest acceptable gap between activities, or since the last one (default 42).
    """
    _check_positive("max_gap_days", max_gap_days)
    dated = sorted(facts.activities, key=lambda a: (a.on, a.id))
    if not dated:
        return _not_applicable(Message.of("criteria.regular.none"))
    tally = _Tally()
    for before, after in zip(dated, dated[1:], strict=False):
        days = (after.on - before.on).days
        if days <= max_gap_days:
            tally.count("ok")
            continue
        tally.add(
            "none",
            Message.of("criteria.regular.gap", count=days, before=_at(before), after=_at(after)),
            [_activity_ref(before), _activity_ref(after)],
        )
    # The silence since the last activity counts too, until the initiative closes.
    if not facts.initiative.closed:
        since = (facts.as_of - dated[-1].on).days
        if since <= max_gap_days:
            tally.count("ok")
        else:
            text = Message.of("criteria.regular.since", count=since, at=_at(dated[-1]))
            tally.add("none", text, [_activity_ref(dated[-1])])
    if tally.status is Status.NOT_APPLICABLE:
        return _not_applicable(Message.of("criteria.regular.only_one"))
    if tally.status is Status.MET:
        tally.note(Message.of("criteria.regular.met", count=max_gap_days))
    return tally.finding()
