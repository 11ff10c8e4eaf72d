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
from .words import PARTNER_KIND_WORDS, _at, _cap, _day, _join, _plural, _quote, _rung, _stage_name

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
            text = (
                f"{name}: {facts.name_of(row.user_id)}, a citizen partner, helped make the decision "
                f"{_quote(decision.text)} at {_at(activity)}"
            )
            text += f" and rated it {_rung(row.rating)}." if row.rating is not None else "."
            refs = [_stage_ref(kind), _activity_ref(activity), _decision_ref(decision), _member_ref(facts, row.user_id)]
            tally.add("ok", text, refs)
            return
    if shallow:
        activity, decision, row = shallow[0]
        assert row.user_id is not None
        who = facts.name_of(row.user_id)
        if not row.contributed:
            gap = "is not recorded as contributing there"
        elif row.rating is None:
            gap = f"has not rated it yet, so it cannot show it reached {_rung(min_rung or 1)}"
        else:
            gap = f"rated it {_rung(row.rating)}, below the {_rung(min_rung or 1)} asked for"
        text = f"{name}: {who} was there when {_quote(decision.text)} was decided at {_at(activity)}, but {gap}."
        refs = [_stage_ref(kind), _activity_ref(activity), _decision_ref(decision), _member_ref(facts, row.user_id)]
        tally.add("partial", text, refs)
        return
    if views_only:
        spoke = any(r.contributed for a in views_only for r in facts.partner_attendance_at(a.id))
        what = "gave their views at" if spoke else "attended"
        tally.add(
            "none",
            f"{name}: citizen partners {what} {_join(_at(a) for a in views_only)}, but no decision there was "
            "taken with them. That is consultation, not co-production.",
            [_stage_ref(kind), *(_activity_ref(a) for a in views_only)],
        )
        return
    tally.add("none", f"{name}: no activity yet where a citizen partner contributed to a decision.", [_stage_ref(kind)])


def _grade_stage_attendance(facts: InitiativeFacts, kind: StageKind, tally: _Tally, min_rung: int | None) -> None:
    name = _stage_name(kind)
    lower: list[tuple[Activity, Attendance]] = []
    for activity in facts.activities_in(kind):
        for row in facts.partner_attendance_at(activity.id):
            if min_rung is not None and (row.rating is None or row.rating < min_rung):
                lower.append((activity, row))
                continue
            who = facts.name_of(row.user_id) if row.user_id is not None else row.guest_name or "a citizen partner"
            text = f"{name}: {who} took part in {_at(activity)}"
            text += f" and rated it {_rung(row.rating)}." if row.rating is not None else "."
            refs = [_stage_ref(kind), _activity_ref(activity)]
            if row.user_id is not None:
                refs.append(_member_ref(facts, row.user_id))
            tally.add("ok", text, refs)
            return
    if lower:
        activity, row = lower[0]
        how = f"rated it {_rung(row.rating)}" if row.rating is not None else "have not rated it yet"
        tally.add(
            "partial",
            f"{name}: citizen partners took part in {_at(activity)}, but {how}; the aim is {_rung(min_rung or 1)}.",
            [_stage_ref(kind), _activity_ref(activity)],
        )
        return
    tally.add("none", f"{name}: no activity yet where a citizen partner took part.", [_stage_ref(kind)])


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
    stage_name = _stage_name(stage).lower()
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
                    Reason(
                        f"{_cap(_who(facts, row))} first contributed at {_at(activity)}, before any decision in "
                        f"the {stage_name}.",
                        _person_refs(facts, row, _activity_ref(activity)),
                    ),
                ),
            )
        return _not_applicable(f"No decision has been recorded in the {stage_name} yet, so it is too early to tell.")
    first = decisions[0]
    first_at = facts.activity(first.activity_id)
    decided = f"the first decision in the {stage_name}, {_quote(first.text)} ({_day(first.on)})"
    early = [(a, r) for a, r in involved if (a.on, a.id) <= ((first_at.on, first_at.id) if first_at else (first.on, 0))]
    if early:
        activity, row = early[0]
        where = "at" if first_at is not None and activity.id == first_at.id else "before"
        text = f"{_cap(_who(facts, row))} contributed at {_at(activity)}, {where} {decided}."
        return Finding(
            Status.MET, (Reason(text, (*_person_refs(facts, row, _activity_ref(activity)), _decision_ref(first))),)
        )
    reasons: list[Reason] = []
    earlier_views = [a for a in views if a.on <= first.on]
    if earlier_views:
        reasons.append(
            Reason(
                f"Citizen partners gave their views at {_join(_at(a) for a in earlier_views)}, before {decided}, but "
                "answering a survey or consultation is not being involved in the decision.",
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
            Reason(
                f"{names} {'was' if len(present) == 1 else 'were'} present for {decided}, but no citizen partner is "
                "recorded as contributing to it.",
                (_decision_ref(first), *(_member_ref(facts, r.user_id) for r in present if r.user_id is not None)),
            ),
        )
        return Finding(Status.PARTLY_MET, tuple(reasons))
    if later and later[0][0].on <= last.on:
        activity, row = later[0]
        reasons.insert(
            0,
            Reason(
                f"{_cap(decided)} was made without citizen partners. {_cap(_who(facts, row))} first contributed "
                f"later, at {_at(activity)}.",
                (_decision_ref(first), *_person_refs(facts, row, _activity_ref(activity))),
            ),
        )
        return Finding(Status.PARTLY_MET, tuple(reasons))
    text = f"{_cap(decided)} was made without citizen partners"
    if involved:
        activity, row = involved[0]
        text += (
            f", and {_who(facts, row)} first contributed only after the last decision in the {stage_name}, "
            f"at {_at(activity)}."
        )
        refs = (_decision_ref(first), *_person_refs(facts, row, _activity_ref(activity)))
    else:
        text += ", and no citizen partner has contributed to a meeting or workshop since."
        refs = (_decision_ref(first),)
    reasons.insert(0, Reason(text, refs))
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
        who = "a citizen partner" if len(partner) == 1 else "citizen partners"
        if partner[0] >= min_rung:
            tally.add("ok", f"{_cap(at)}: {who} rated it {given}.", [_activity_ref(activity)])
        else:
            tally.add(
                "none",
                f"{_cap(at)}: {who} rated it {given}; the aim is {_rung(min_rung)} or above.",
                [_activity_ref(activity)],
            )
        coerced = coerced or partner[0] == 1
        if staff and max(staff[-1] - partner[0], partner[-1] - staff[0]) >= gap:
            sides = [_ratings_of(facts, rows, citizen) for citizen in (True, False)]
            rated = [r.user_id for r in rows if r.rating is not None and r.user_id is not None]
            tally.note(
                f"{_cap(at)}: the two sides rated it differently. Citizen partners: {sides[0]}. Staff: {sides[1]}. "
                "It is worth talking about why you see it differently.",
                [_activity_ref(activity), *(_member_ref(facts, uid) for uid in rated)],
            )
    if unrated:
        tally.note(
            f"Citizen partners have not rated {_plural(len(unrated), 'activity', 'activities')} they took part in.",
            [_activity_ref(a) for a in unrated],
        )
    if tally.ok + tally.none == 0:
        if not unrated:
            return _not_applicable("No citizen partner has taken part in an activity yet.")
        return tally.finding(Status.NOT_MET)
    if coerced:
        tally.note("A citizen partner rated an activity rung 1 (coercion): they felt they had no say at all.")
        return tally.finding(Status.NOT_MET)
    return tally.finding()


def _ratings_of(facts: InitiativeFacts, rows: Sequence[Attendance], citizen: bool) -> str:
    """Each person's rating on one side, as "Amira Partner rung 6 of 7 (co-designing)", never an average."""
    rated = sorted(
        (r for r in rows if r.is_citizen_partner is citizen and r.rating is not None),
        key=lambda r: (-(r.rating or 0), facts.name_of(r.user_id) if r.user_id is not None else r.guest_name),
    )
    return "; ".join(
        f"{facts.name_of(r.user_id) if r.user_id is not None else r.guest_name or 'a guest'} {_rung(r.rating or 1)}"
        for r in rated
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
            label = f"Decision {_quote(decision.text)} ({_day(decision.on)})"
            if recorded and not missing:
                tally.add("ok", f"{label}: citizen partners' positions are recorded.", refs)
            elif recorded:
                tally.add(
                    "partial",
                    f"{label}: {_plural(len(missing), 'citizen partner')} who took part "
                    f"{'has' if len(missing) == 1 else 'have'} no position recorded.",
                    refs + [_member_ref(facts, uid) for uid in missing],
                )
            else:
                tally.add("none", f"{label}: no citizen partner's position is recorded.", refs)
            for position in decision.positions:
                if position.stance is Position.DISSENTED and position.user_id in facts.citizen_partner_ids:
                    tally.note(
                        f"{label}: a citizen partner disagreed, and this is kept on the record.",
                        [_decision_ref(decision), _member_ref(facts, position.user_id)],
                    )
    if tally.ok + tally.partial + tally.none == 0:
        return _not_applicable("No decision has been recorded yet.")
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
            (
                Reason(
                    "Payments and other thanks are not recorded in the tracker for this initiative. Someone needs "
                    "to confirm what citizen partners were offered for their time."
                ),
            ),
        )
    attended: dict[int, list[Activity]] = {}
    for activity in sorted(facts.activities, key=lambda a: (a.on, a.id)):
        for row in facts.partner_attendance_at(activity.id):
            if row.user_id is not None:
                attended.setdefault(row.user_id, []).append(activity)
    if not attended:
        return _not_applicable("No citizen partner has taken part in an activity yet.")
    tally = _Tally()
    for user_id, activities in sorted(attended.items(), key=lambda item: facts.name_of(item[0])):
        entries = facts.reciprocity_for(user_id)
        member = _member_ref(facts, user_id)
        if not entries:
            tally.add(
                "none",
                f"A citizen partner took part in {_plural(len(activities), 'activity', 'activities')}, but no "
                "payment, voucher, expenses, time credit, training or 'declined' is recorded for them.",
                [member],
            )
            continue
        if not per_activity:
            kinds = _join(dict.fromkeys(_offer_words(e.kind) for e in entries))
            tally.add("ok", f"A citizen partner has recognition recorded ({kinds}).", [member])
            continue
        declined_all = any(e.kind is ReciprocityKind.DECLINED and e.activity_id is None for e in entries)
        covered = {e.activity_id for e in entries}
        missing = [a for a in activities if not declined_all and a.id not in covered]
        if not missing:
            tally.add("ok", "A citizen partner has recognition recorded for every activity.", [member])
        else:
            tally.add(
                "partial" if len(missing) < len(activities) else "none",
                f"A citizen partner has no payment or other recognition recorded for "
                f"{_plural(len(missing), 'activity', 'activities')}.",
                [member, *(_activity_ref(a) for a in missing)],
            )
    return tally.finding()


def _offer_words(kind: ReciprocityKind | None) -> str:
    return "an offer not answered yet" if kind is None else RECIPROCITY_KIND_LABELS[kind].lower()


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
    who = "the people involved" if all_members else "citizen partners"
    if not pool:
        return Finding(Status.NOT_MET, (Reason(f"There are no {who} on this initiative yet."),))
    present = [k for k in kinds if any(m.partner_kind is k for m in pool)]
    absent = [k for k in kinds if k not in present]
    reasons = []
    if present:
        reasons.append(Reason(f"{who.capitalize()} include {_join(PARTNER_KIND_WORDS[k] for k in present)}."))
    if absent:
        reasons.append(Reason(f"Not yet represented among {who}: {_join(PARTNER_KIND_WORDS[k] for k in absent)}."))
    if (
        facts.initiative.collective
        and not all_members
        and all(m.partner_kind not in LIVED_EXPERIENCE_KINDS for m in pool)
    ):
        reasons.append(
            Reason("None of the citizen partners is recorded as someone who draws on care or as an unpaid carer.")
        )
    if len(present) >= needed:
        if require_attestation:
            reasons.append(
                Reason("A person needs to confirm that the people most likely to be left out were reached and heard.")
            )
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
        kinds = list(dict.fromkeys(a.kind.value.replace("_", " ") for a in activities))
        name = _stage_name(stage.kind)
        refs = [_stage_ref(stage.kind)]
        if len(kinds) >= min_kinds:
            tally.add("ok", f"{name}: people could take part in {len(kinds)} ways ({_join(kinds)}).", refs)
        elif kinds:
            tally.add("partial", f"{name}: only one way to take part so far ({kinds[0]}).", refs)
        else:
            tally.add("none", f"{name}: no activities recorded yet.", refs)
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
        return _not_applicable("No activities have been recorded yet.")
    tally = _Tally()
    for before, after in zip(dated, dated[1:], strict=False):
        days = (after.on - before.on).days
        if days <= max_gap_days:
            tally.count("ok")
            continue
        tally.add(
            "none",
            f"{days} days passed between {_at(before)} and {_at(after)}.",
            [_activity_ref(before), _activity_ref(after)],
        )
    # The silence since the last activity counts too, until the initiative closes.
    if not facts.initiative.closed:
        since = (facts.as_of - dated[-1].on).days
        if since <= max_gap_days:
            tally.count("ok")
        else:
            tally.add(
                "none", f"It is {since} days since the last activity, {_at(dated[-1])}.", [_activity_ref(dated[-1])]
            )
    if tally.status is Status.NOT_APPLICABLE:
        return _not_applicable("Only one activity was recorded, so there is no gap to measure.")
    if tally.status is Status.MET:
        tally.note(f"No gap between activities has been longer than {max_gap_days} days.")
    return tally.finding()
