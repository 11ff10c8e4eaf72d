"""Access and language: communication needs, accessible formats (X-ACCESS) and language, including
the Welsh active offer and Welsh-language effects (X-LANG).
"""

from __future__ import annotations

from ...codes import NATION_LABELS, ActivityKind, Language, Nation, OutputFormat, OutputKind, WelshEffects
from ...domain.messages import Message, Phrase
from ..snapshot import InitiativeFacts
from .core import (
    Finding,
    Status,
    _activity_ref,
    _decision_ref,
    _member_ref,
    _not_applicable,
    _output_ref,
    _partners_on_record,
    _Tally,
    rule,
)
from .words import FORMAT_WORDS, NEED_FORMATS, _at, _day, _every, _join, _plural, _quote

# ---------------------------------------------------------------------------------------------------
# X-ACCESS


@rule("communication_needs_met")
def communication_needs_met(facts: InitiativeFacts, *, standing_needs: bool = False) -> Finding:
    """Every citizen partner's communication needs are recorded, and requested adjustments were provided.

    Params:
        standing_needs: also expect each partner's recorded needs to be met at every activity they
            attend, even when not requested again for that activity (default False).

    Each partner's record and each activity attended with adjustments requested is one item.
    """
    partners = _partners_on_record(facts)
    tally = _Tally()
    for member in partners:
        if member.needs_recorded:
            tally.count("ok")
        else:
            tally.add(
                "none",
                Message.of("criteria.needs.not_asked", name=facts.name_of(member.user_id)),
                [_member_ref(facts, member.user_id)],
            )
    asked = 0
    for activity in sorted(facts.activities, key=lambda a: (a.on, a.id)):
        for row in facts.partner_attendance_at(activity.id):
            wanted = list(row.adjustments_requested)
            member = facts.member(row.user_id) if row.user_id is not None else None
            if standing_needs and member is not None:
                wanted += [n for n in member.communication_needs if n not in wanted]
            if not wanted:
                continue
            asked += 1
            missing = [n for n in wanted if n not in row.adjustments_provided]
            if not missing:
                tally.count("ok")
                continue
            refs = [_activity_ref(activity)]
            if row.user_id is not None:
                refs.append(_member_ref(facts, row.user_id))
            outcome = "none" if len(missing) == len(wanted) else "partial"
            who = facts.name_of(row.user_id) if row.user_id is not None else Message.of("criteria.who.anyone")
            # Need to know: everyone who sees the criteria reads this, so it says that an adjustment was
            # missed, not which (which would tell them about the person's health); staff and co-leads see
            # which on the activity's adjustments page.
            text = Message.of("criteria.needs.not_provided", at=_at(activity), who=who, count=len(missing))
            tally.add(outcome, text, refs)
    if not partners and asked == 0:
        return _not_applicable(Message.of("criteria.diversity.no_partners"))
    if tally.status is Status.MET:
        parts: list[Message] = []
        if partners:
            key = "criteria.needs.recorded_one" if len(partners) == 1 else "criteria.needs.recorded_many"
            parts.append(Message.of(key, partners=_every(len(partners))))
        if asked:
            parts.append(Message.of("criteria.needs.all_provided", requests=_plural(asked, "request")))
        tally.note(Message.of("criteria.sentence", text=_join(parts)))
    return tally.finding()


@rule("assisted_contributions_confirmed")
def assisted_contributions_confirmed(facts: InitiativeFacts) -> Finding:
    """Contributions recorded on a citizen partner's behalf have been confirmed by that person."""
    tally = _Tally()
    for activity in sorted(facts.activities, key=lambda a: (a.on, a.id)):
        if activity.on_behalf_of is None:
            continue
        refs = [_activity_ref(activity), _member_ref(facts, activity.on_behalf_of)]
        at = _at(activity)
        if activity.on_behalf_confirmed:
            tally.add("ok", Message.of("criteria.assisted.confirmed", at=at), refs)
        else:
            tally.add("none", Message.of("criteria.assisted.unconfirmed", at=at), refs)
    if not tally.reasons:
        return _not_applicable(Message.of("criteria.assisted.none"))
    return tally.finding()


@rule("accessible_formats")
def accessible_formats(
    facts: InitiativeFacts,
    *,
    formats: tuple[OutputFormat, ...] = (),
    kinds: tuple[OutputKind, ...] = (),
    from_needs: bool = True,
) -> Finding:
    """Published outputs are available in the formats people asked for.

    Implements X-ACCESS and X-PUBLISH's "every public output is available in the formats needed", and
    CA-STG-3.A's "the plan is available in every format that the recorded partner needs require". What a
    person needs to take part in a meeting (an interpreter, a hearing loop, a supporter, extra time) is
    checked against each activity by ``communication_needs_met``; it does not make a published format
    expected. Only needs that are formats do: Easy Read, large print, and Welsh for people who prefer Welsh.

    Params:
        formats: formats every published output in scope must have, whoever the partners are.
        kinds: which kinds of output to look at (default: every kind except accessible versions).
        from_needs: also expect the formats current citizen partners asked for.

    Each output-and-format pair is one item. Each reason names the output, the missing format and whose
    need makes that format expected.
    """
    # format -> the people whose need makes it expected (a dict keeps the order formats were first asked for).
    required: dict[OutputFormat, list[int]] = {f: [] for f in formats}
    if from_needs:
        for member in _partners_on_record(facts):
            for need in member.communication_needs:
                if need in NEED_FORMATS:
                    required.setdefault(NEED_FORMATS[need], []).append(member.user_id)
            if member.preferred_language == Language.WELSH:
                required.setdefault(OutputFormat.WELSH, []).append(member.user_id)
    in_scope = [
        o
        for o in facts.outputs
        if o.published_by(facts.as_of) and (o.kind in kinds if kinds else o.kind is not OutputKind.ACCESSIBLE_VERSION)
    ]
    if not in_scope:
        return _not_applicable(Message.of("criteria.formats.nothing_published"))
    if not required:
        return _not_applicable(Message.of("criteria.formats.none_asked"))
    tally = _Tally()
    for output in in_scope:
        for each, people in required.items():
            if people:
                names = _join(facts.name_of(uid) for uid in people)
                why = Message.of(
                    "criteria.formats.why_one" if len(people) == 1 else "criteria.formats.why_many", names=names
                )
            else:
                why = Message.of("criteria.formats.why_criterion")
            refs = [_output_ref(output), *(_member_ref(facts, uid) for uid in people)]
            available = {"title": _quote(output.title), "format": Phrase(FORMAT_WORDS[each]), "why": why}
            if each in output.formats:
                tally.add("ok", Message.of("criteria.formats.available", **available), refs)
            else:
                tally.add("none", Message.of("criteria.formats.missing", **available), refs)
    return tally.finding()


# ---------------------------------------------------------------------------------------------------
# X-LANG


@rule("language_preference_recorded")
def language_preference_recorded(facts: InitiativeFacts) -> Finding:
    """Every citizen partner has been asked which language they prefer, and the answer is recorded."""
    partners = _partners_on_record(facts)
    if not partners:
        return _not_applicable(Message.of("criteria.diversity.no_partners"))
    tally = _Tally()
    for member in partners:
        if member.preferred_language:
            tally.count("ok")
        else:
            tally.add(
                "none",
                Message.of("criteria.language.not_asked", name=facts.name_of(member.user_id)),
                [_member_ref(facts, member.user_id)],
            )
    if tally.status is Status.MET:
        key = "criteria.language.recorded_one" if len(partners) == 1 else "criteria.language.recorded_many"
        tally.note(Message.of(key, partners=_every(len(partners))))
    return tally.finding()


@rule("welsh_language_offer")
def welsh_language_offer(
    facts: InitiativeFacts, *, nations: tuple[Nation, ...] = (Nation.WALES,), outputs_in_welsh: bool = True
) -> Finding:
    """People who prefer Welsh are served in Welsh without having to ask: meetings, papers and outputs.

    Implements the Active Offer (More than just words: Welsh-language services are provided without the
    person having to ask; their preferred language is asked and acted on) and the service-delivery
    standards as the catalogue paraphrases them (WAL-WLS-SD: offer meetings in Welsh, provide
    interpretation, publish bilingually). Asking someone's language is necessary, not sufficient: it is
    what the answer led to that counts.

    Params:
        nations: where this applies (default Wales only; elsewhere the check is not applicable).
        outputs_in_welsh: also expect every published output to be available in Welsh (default True).

    Items: each citizen partner not yet asked which language they prefer; each activity a partner who
    prefers Welsh took part in (in order when it was held in Welsh, had Welsh interpretation, or its
    material was given in Welsh); each published output (in order when it is in Welsh). When people
    prefer Welsh and nothing at all was offered to them in Welsh, the check is not met, whatever else is
    in order.
    """
    nation = facts.initiative.nation
    if nation not in nations:
        return _not_applicable(Message.of("criteria.welsh.duties_elsewhere", nation=Phrase(NATION_LABELS[nation])))
    tally = _Tally()
    partners = _partners_on_record(facts)
    welsh_speakers = [m.user_id for m in partners if m.preferred_language == Language.WELSH]
    for member in partners:
        if not member.preferred_language:
            tally.add(
                "none",
                Message.of("criteria.welsh.not_asked", name=facts.name_of(member.user_id)),
                [_member_ref(facts, member.user_id)],
            )
    offered = 0
    for activity in sorted(facts.activities, key=lambda a: (a.on, a.id)):
        present = [r.user_id for r in facts.partner_attendance_at(activity.id) if r.user_id in welsh_speakers]
        if not present:
            continue
        names = _join(facts.name_of(uid) for uid in present)
        one = "one" if len(present) == 1 else "many"
        refs = [_activity_ref(activity), *(_member_ref(facts, uid) for uid in present)]
        ways = [
            way
            for way, done in (
                (Message.of("criteria.welsh.way.held"), "cy" in activity.languages),
                (Message.of("criteria.welsh.way.interpretation"), "cy" in activity.interpretation),
                (Message.of("criteria.welsh.way.papers"), OutputFormat.WELSH in activity.material_formats),
            )
            if done
        ]
        if ways:
            offered += 1
            text = Message.of(f"criteria.welsh.offered_{one}", at=_at(activity), ways=_join(ways), names=names)
            tally.add("ok", text, refs)
        else:
            tally.add("none", Message.of(f"criteria.welsh.not_offered_{one}", at=_at(activity), names=names), refs)
    if outputs_in_welsh:
        for output in facts.outputs:
            if not output.published_by(facts.as_of) or output.kind is OutputKind.ACCESSIBLE_VERSION:
                continue
            if OutputFormat.WELSH in output.formats:
                offered += 1
                text = Message.of("criteria.welsh.output_in_welsh", title=_quote(output.title))
                tally.add("ok", text, [_output_ref(output)])
            else:
                text = Message.of("criteria.welsh.output_not_in_welsh", title=_quote(output.title))
                tally.add("none", text, [_output_ref(output)])
    if tally.ok + tally.partial + tally.none == 0:
        if partners:
            return _not_applicable(Message.of("criteria.welsh.nothing_yet"))
        return _not_applicable(Message.of("criteria.welsh.no_one_yet"))
    if welsh_speakers and offered == 0 and tally.none:
        names = _join(facts.name_of(uid) for uid in welsh_speakers)
        key = (
            "criteria.welsh.nothing_offered_one" if len(welsh_speakers) == 1 else "criteria.welsh.nothing_offered_many"
        )
        tally.note(
            Message.of(key, names=names),
            [_member_ref(facts, uid) for uid in welsh_speakers],
        )
        return tally.finding(Status.NOT_MET)
    return tally.finding()


@rule("welsh_language_effects_considered")
def welsh_language_effects_considered(
    facts: InitiativeFacts,
    *,
    nations: tuple[Nation, ...] = (Nation.WALES,),
    consulting_kinds: tuple[ActivityKind, ...] = (ActivityKind.SURVEY,),
) -> Finding:
    """Decisions consider their effects on the Welsh language, and consultations ask about them (standards 88-91).

    Params:
        nations: where this applies (default Wales only; elsewhere the check is not applicable).
        consulting_kinds: activity kinds that consult people on proposals (default surveys), which are
            expected to say whether they asked about the effects on Welsh.

    Items: each decision, where "considered" (with what the effects are) or "not relevant" counts and "not
    considered" or no answer does not; and each activity that says whether it asked people about the
    effects on Welsh, plus each consulting activity that does not say. The reasons name each record.
    """
    nation = facts.initiative.nation
    if nation not in nations:
        return _not_applicable(Message.of("criteria.welsh.standards_elsewhere", nation=Phrase(NATION_LABELS[nation])))
    consulting = [
        a
        for a in sorted(facts.activities, key=lambda a: (a.on, a.id))
        if a.asked_about_welsh_effects is not None or a.kind in consulting_kinds
    ]
    if not facts.decisions and not consulting:
        return _not_applicable(Message.of("criteria.effects.nothing_yet"))
    tally = _Tally()
    for decision in sorted(facts.decisions, key=lambda d: (d.on, d.id)):
        activity = facts.activity(decision.activity_id)
        refs = [_decision_ref(decision), *([_activity_ref(activity)] if activity else [])]
        label = {"decision": _quote(decision.text, 60), "day": _day(decision.on)}
        note = decision.welsh_effects_note.strip()
        if decision.welsh_effects is WelshEffects.CONSIDERED:
            tally.add("ok", Message.of("criteria.effects.considered", **label, note=note), refs)
        elif decision.welsh_effects is WelshEffects.NOT_RELEVANT:
            if note:
                tally.add("ok", Message.of("criteria.effects.not_relevant_because", **label, note=note), refs)
            else:
                tally.add("ok", Message.of("criteria.effects.not_relevant", **label), refs)
        elif decision.welsh_effects is WelshEffects.NOT_CONSIDERED:
            tally.add("none", Message.of("criteria.effects.not_considered", **label), refs)
        else:
            tally.add("none", Message.of("criteria.effects.unanswered", **label), refs)
    for activity in consulting:
        at, refs = _at(activity), [_activity_ref(activity)]
        if activity.asked_about_welsh_effects:
            tally.add("ok", Message.of("criteria.effects.asked", at=at), refs)
        elif activity.asked_about_welsh_effects is False:
            tally.add("none", Message.of("criteria.effects.not_asked", at=at), refs)
        else:
            tally.add("none", Message.of("criteria.effects.asked_unknown", at=at), refs)
    return tally.finding()
