"""The initiative report: one initiative, its people, stages, activities, outputs, recognition,
decisions, recommendations, adjustments, criteria and sources.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from ..codes import (
    ACTIVITY_KIND_LABELS,
    FINDING_STATUS_LABELS,
    MEMBER_ROLE_LABELS,
    OUTPUT_FORMAT_LABELS,
    OUTPUT_KIND_LABELS,
    POSITION_LABELS,
    RECIPROCITY_KIND_LABELS,
    RESPONSE_LABELS,
    STAGE_LABELS,
    STAGE_ORDER,
    STAGE_STATUS_LABELS,
    ReportKind,
    StageStatus,
    status_rank,
)
from ..criteria.framework import Framework
from ..criteria.rules import FUNCTION_WORDS, NEED_WORDS, PARTNER_KIND_WORDS
from ..criteria.snapshot import InitiativeFacts
from ..domain.follow_through import review_overdue
from ..domain.small_numbers import suppress
from . import payments
from .common import (
    _assessment_words,
    _cols,
    _day,
    _Evaluated,
    _left_on,
    _num,
    _params,
    _percent,
    _ratings,
    _reasons,
    _records,
    _status_counts,
    _views_differ,
    _yes,
    evaluate_initiative,
    stage_status_as_at,
)
from .consent import Names
from .equality import equality_section
from .model import SUPPRESSED, Period, Report, ReportInputs, Section, Table
from .sections import _audit_section, _cqc_section, _evidence_section, _notes, _participation_tables, _sources_section
from .summary import summarise
from .words import ENGLISH, Words, _, localized, ngettext, writing_in

# ---------------------------------------------------------------------------------------------------
# Initiative report


def build_initiative_report(inputs: ReportInputs, words: Words = ENGLISH) -> Report:
    with writing_in(words):
        return _build(inputs)


def _build(inputs: ReportInputs) -> Report:
    if len(inputs.initiatives) != 1:
        raise ValueError("an initiative report is about exactly one initiative")
    details, facts = inputs.initiatives[0]
    period = inputs.period
    names = Names(inputs.people, inputs.anonymise_partners)
    frameworks = inputs.library.checked_for(inputs.nation)
    evaluated = evaluate_initiative(inputs, facts, frameworks)
    activities = [a for a in facts.activities if period.covers(a.on)]

    sections = [
        _initiative_summary(details, facts, period, activities, evaluated),
        _members_section(facts, names, period, inputs.anonymise_partners),
        _stages_section(facts, names, period),
        _activities_section(facts, names, period, activities, inputs.show_needs and not inputs.anonymise_partners),
        _decisions_section(facts, names, period),
        _recommendations_section(facts, names, inputs),
        _outputs_section(facts, names, period),
        _recognition_section(facts, names, period, activities),
        _adjustments_section(facts, activities, inputs.anonymise_partners),
        _criteria_section(names, evaluated, facts),
        _cqc_section(inputs, [(facts, evaluated)]),
        _sources_section([f for f in frameworks if f.criteria]),
    ]
    took_part = (r.user_id for a in activities for r in facts.partner_attendance_at(a.id) if r.user_id is not None)
    if (equality := equality_section(inputs.equality, took_part)) is not None:
        sections.append(equality)
    evidence, files, _counted = _evidence_section(names, {facts.initiative.id: facts}, inputs, period)
    sections.append(evidence)
    sections.append(_audit_section(inputs, _("this initiative")))
    # Free text (titles, notes, decisions, reasons) names people too: hidden people's names are replaced there.
    return names.scrub_report(
        Report(
            kind=ReportKind.INITIATIVE,
            title=_("Evidence report: %(title)s", title=details.title),
            organisation=inputs.organisation,
            generated_at=inputs.generated_at,
            period=period,
            notes=_notes(period, ReportKind.INITIATIVE),
            sections=tuple(sections),
            files=files,
            initiative_ids=(details.id,),
            activity_count=len(activities),
            checkpoint=inputs.checkpoint,
            params=_params(inputs, initiative_id=str(details.id)),
        )
    )


def _initiative_summary(details, facts: InitiativeFacts, period, activities, evaluated) -> Section:
    if details.closed_on is not None and details.closed_on <= period.as_of:
        status = _("Closed on %(day)s", day=_day(details.closed_on))
    else:
        current = [s for s in facts.stages if stage_status_as_at(s, period.as_of) != StageStatus.NOT_STARTED]
        shown = current[-1] if current else None
        status = _("%(stage)s stage", stage=_(STAGE_LABELS[shown.kind])) if shown else _("Not started")
    partners = {
        row.user_id if row.user_id is not None else ("guest", row.guest_name)
        for a in activities
        for row in facts.partner_attendance_at(a.id)
    }
    counts = _status_counts(evaluated)
    rows = (
        (_("Initiative"), details.title),
        (_("What it is about"), details.summary),
        (_("Service area"), details.service_area),
        (
            _("Duties it serves"),
            ", ".join(_(FUNCTION_WORDS[f]).capitalize() for f in facts.initiative.statutory_functions),
        ),
        (_("Where it stands"), status),
        (_("Members"), len({m.user_id for m in facts.members if period.overlaps(m.joined_on, m.left_on)})),
        (_("Activities"), len(activities)),
        (_("Citizen partners who took part"), len(partners)),
        (
            _("Criteria"),
            _(
                "%(met)s met, %(partly)s partly met, %(not_met)s not met, %(confirm)s need a person to confirm, "
                "%(not_applicable)s do not apply",
                met=counts["met"],
                partly=counts["partly_met"],
                not_met=counts["not_met"],
                confirm=counts["needs_attestation"],
                not_applicable=counts["not_applicable"],
            ),
        ),
    )
    return Section(
        "summary",
        _("Summary"),
        (),
        (Table("summary", _("About this initiative"), _cols(("item", _("Item")), ("detail", _("Detail"))), rows),),
    )


def _members_section(facts: InitiativeFacts, names: Names, period: Period, anonymised: bool = False) -> Section:
    rows = []
    partners = []
    for member in sorted(facts.members, key=lambda m: (m.joined_on or date.min, m.user_id)):
        left = _left_on(member.left_on, period.as_of)
        if not period.overlaps(member.joined_on, left):
            continue
        if anonymised and member.is_citizen_partner:
            # A role with a kind of partner can single someone out ("the only partner co-lead, an unpaid
            # carer"): anonymised, partners are counted by role and kind, with small numbers suppressed.
            partners.append(member)
            continue
        rows.append(
            (
                names.person(member.user_id),
                _("Citizen partner") if member.is_citizen_partner else _("Commissioner side"),
                _(MEMBER_ROLE_LABELS[member.role.value]),
                _(PARTNER_KIND_WORDS[member.partner_kind]).capitalize() if member.partner_kind else "",
                member.joined_on,
                left if left else _("Still a member"),
            )
        )
    table = Table(
        "members",
        _("Members and their roles over time"),
        _cols(
            ("name", _("Name")),
            ("side", _("Side"), _("Citizen partner or commissioner side")),
            ("role", _("Role"), _("Co-lead, member or observer")),
            ("kind", _("Kind of partner")),
            ("joined_on", _("Joined")),
            ("left_on", _("Left"), _("The date they left, or 'Still a member'")),
        ),
        tuple(rows),
    )
    tables = (table,) if not anonymised else (table, _partner_roles_table(partners))
    return Section(
        "members",
        _("Members and roles"),
        (_("A person who changed role has one row for each role they held, with the dates they held it."),)
        + (
            (_("Citizen partners are counted by role and kind, not listed, so that nobody can be picked out."),)
            if anonymised
            else ()
        ),
        tables,
    )


def _partner_roles_table(partners) -> Table:
    roles = sorted(
        {m.role.value for m in partners},
        key=lambda r: list(MEMBER_ROLE_LABELS).index(r) if r in MEMBER_ROLE_LABELS else 99,
    )
    kinds = sorted({m.partner_kind or "" for m in partners})
    grid = [
        [sum(1 for m in partners if m.role.value == role and (m.partner_kind or "") == kind) for kind in kinds]
        for role in roles
    ]
    hidden = suppress(grid) if grid else None
    rows = []
    for r, role in enumerate(roles):
        for k, kind in enumerate(kinds):
            if grid[r][k]:
                rows.append(
                    (
                        _(MEMBER_ROLE_LABELS[role]),
                        _(PARTNER_KIND_WORDS[kind]).capitalize() if kind else _("Not recorded"),
                        _hidden(hidden.cells[r][k]),
                    )
                )
    return Table(
        "partner_roles",
        _("Citizen partners by role and kind"),
        _cols(("role", _("Role")), ("kind", _("Kind of partner")), _num("people", _("People"))),
        tuple(rows),
        note=_(
            "Numbers from 1 to 4 are shown as 'fewer than 5', and others are hidden where a total would give them away."
        ),
    )


def _hidden(value: int | None) -> int | str:
    return _(SUPPRESSED) if value is None else value


def _stages_section(facts: InitiativeFacts, names: Names, period: Period) -> Section:
    stage_rows, sign_rows = [], []
    for kind in STAGE_ORDER:
        stage = facts.stage(kind)
        if stage is None:
            continue
        status = stage_status_as_at(stage, period.as_of)
        signoffs = [s for s in stage.signoffs if s.on is None or s.on <= period.as_of]
        dissent = sum(s.verdict.value == "dissent" for s in signoffs)
        closed = stage.closed_on if stage.closed_on and stage.closed_on <= period.as_of else None
        opened = stage.opened_on if stage.opened_on and stage.opened_on <= period.as_of else None
        stage_rows.append(
            (_(STAGE_LABELS[kind]), _(STAGE_STATUS_LABELS[status]), opened, closed, len(signoffs), dissent)
        )
        for s in signoffs:
            if not period.covers(s.on):
                continue
            sign_rows.append(
                (
                    names.person(s.user_id),
                    _(STAGE_LABELS[kind]),
                    _("Citizen partner") if s.by_citizen_partner else _("Commissioner side"),
                    _("Disagreed") if s.verdict.value == "dissent" else _("Approved"),
                    s.reason,
                    s.on,
                )
            )
    stages = Table(
        "stages",
        _("Stages"),
        _cols(
            ("stage", _("Stage")),
            ("status", _("Status")),
            ("opened_on", _("Opened")),
            ("closed_on", _("Closed")),
            _num("sign_offs", _("Sign-offs")),
            _num("disagreements", _("Disagreements"), _("Sign-offs that recorded disagreement")),
        ),
        tuple(stage_rows),
    )
    sign_offs = Table(
        "sign_offs",
        _("Sign-offs and disagreements at each stage gate"),
        _cols(
            ("name", _("Who")),
            ("stage", _("Stage")),
            ("side", _("Side")),
            ("view", _("View"), _("Approved or disagreed")),
            ("comment", _("What they said")),
            ("on", _("Date")),
        ),
        tuple(sign_rows),
        empty=_("No sign-offs yet."),
    )
    return Section(
        "stages",
        _("Stages and sign-offs"),
        (
            _(
                "A stage closes when a commissioner and a citizen partner have both signed it off. "
                "Anyone who disagreed is shown here, not hidden."
            ),
        ),
        (stages, sign_offs),
    )


def _activities_section(
    facts: InitiativeFacts, names: Names, period: Period, activities, show_needs: bool = False
) -> Section:
    rows, attendance_rows = [], []
    for activity in activities:
        attendance = facts.attendance_at(activity.id)
        partner_rows = [r for r in attendance if r.is_citizen_partner]
        staff_rows = [r for r in attendance if not r.is_citizen_partner]
        partner_ratings = [r.rating for r in partner_rows if r.rating is not None]
        staff_ratings = [r.rating for r in staff_rows if r.rating is not None]
        rows.append(
            (
                activity.title,
                activity.on,
                _(STAGE_LABELS[activity.stage]),
                _(ACTIVITY_KIND_LABELS[activity.kind.value])
                if activity.kind.value in ACTIVITY_KIND_LABELS
                else activity.kind.value,
                len(attendance),
                len(partner_rows),
                sum(r.contributed for r in partner_rows),
                _ratings(partner_ratings),
                _ratings(staff_ratings),
                _views_differ(partner_ratings, staff_ratings),
            )
        )
        for row in attendance:
            name = (
                names.person(row.user_id)
                if row.user_id is not None
                else names.guest(row.guest_name, row.is_citizen_partner)
            )
            attendance_rows.append(
                (
                    name,
                    activity.title,
                    activity.on,
                    _("Citizen partner") if row.is_citizen_partner else _("Staff"),
                    _yes(row.contributed),
                    row.rating,
                    *((_needs(row.adjustments_requested), _needs(row.adjustments_provided)) if show_needs else ()),
                )
            )
    table = Table(
        "activities",
        _("Activities"),
        _cols(
            ("title", _("Activity")),
            ("on", _("Date")),
            ("stage", _("Stage")),
            ("kind", _("Kind")),
            _num("attended", _("People attending")),
            _num("partners_attended", _("Citizen partners attending")),
            _num("partners_contributed", _("Citizen partners who contributed")),
            ("partner_ratings", _("Citizen partners' ratings"), _("Each partner's own ladder rating, 1 to 7")),
            ("staff_ratings", _("Staff ratings"), _("Each staff member's own ladder rating, 1 to 7")),
            ("views_differ", _("Views differ"), _("Whether the two sides rated it differently (any difference)")),
        ),
        tuple(rows),
    )
    attendance = Table(
        "attendance",
        _("Who attended each activity"),
        _cols(
            ("name", _("Who")),
            ("activity", _("Activity")),
            ("on", _("Date")),
            ("side", _("Side")),
            ("contributed", _("Contributed")),
            _num("rating", _("Their ladder rating"), _("The person's own rating of the activity, 1 to 7")),
            # Each person's adjustments are health information: named rows only for staff who ask for them.
            *(
                (
                    ("adjustments_requested", _("Adjustments asked for")),
                    ("adjustments_provided", _("Adjustments provided")),
                )
                if show_needs
                else ()
            ),
        ),
        tuple(attendance_rows),
    )
    (stage_table, stage_chart), (rating_table, rating_chart) = _participation_tables(
        [summarise(facts, period)], period, False
    )
    return Section(
        "activities",
        _("Activities and who took part"),
        (
            _(
                "Each person rates how co-produced an activity felt on the ladder of co-production, from 1 (coercion) "
                "to 7 (co-production). Citizen partners' and staff ratings are shown side by side."
            ),
        ),
        (table, attendance, stage_table, rating_table),
        (stage_chart, rating_chart),
    )


def _need_word(code: str) -> str:
    return _(NEED_WORDS[code]) if code in NEED_WORDS else code.replace("_", " ")


def _need(code: str) -> str:
    return _need_word(code).capitalize()


def _needs(codes: Sequence[str]) -> str:
    text = ", ".join(_need_word(c) for c in codes)
    return text[:1].upper() + text[1:]


def _outputs_section(facts: InitiativeFacts, names: Names, period: Period) -> Section:
    rows = []
    for output in sorted(facts.outputs, key=lambda o: (o.published_on or date.max, o.id)):
        published = output.published_by(period.as_of)
        rows.append(
            (
                output.title,
                _(OUTPUT_KIND_LABELS[output.kind]),
                ", ".join(names.person(uid) for uid in output.co_author_ids),
                output.version,
                output.published_url if published else "",
                output.published_on if published else None,
                ", ".join(_(OUTPUT_FORMAT_LABELS[f]) for f in output.formats) or _("Standard English only"),
            )
        )
    table = Table(
        "outputs",
        _("What the initiative produced"),
        _cols(
            ("output", _("Output")),
            ("kind", _("Kind")),
            ("co_authors", _("Written with"), _("Co-authors (citizen partners shown by pseudonym when anonymised)")),
            ("version", _("Version")),
            ("published_url", _("Published at"), _("The web address, once published")),
            ("published_on", _("Published on")),
            ("formats", _("Formats available"), _("Versions beyond the standard English one")),
        ),
        tuple(rows),
    )
    published = sum(1 for o in facts.outputs if o.published_by(period.as_of))
    paragraph = (
        ngettext(
            "%(num)s output recorded, %(published)s published by %(day)s.",
            "%(num)s outputs recorded, %(published)s published by %(day)s.",
            len(rows),
            published=published,
            day=_day(period.as_of),
        )
        if rows
        else _("No plan, strategy, report or other output has been recorded yet.")
    )
    return Section("outputs", _("Outputs"), (paragraph,), (table,))


def _recognition_section(facts: InitiativeFacts, names: Names, period: Period, activities) -> Section:
    """Payments and recognition, summarised: offers and claims by choice and kind (reports/payments.py), and
    what each citizen partner who took part was offered, kinds only.

    Amounts paid to one person are private to them and the leads (the recognition page), so a total is
    shown only where at least two people share it."""
    entries = payments.in_period([facts], period)
    kinds_table = payments.payments_table(entries, suppress_small=False)
    took_part: dict[int, int] = defaultdict(int)
    for activity in activities:
        for row in facts.partner_attendance_at(activity.id):
            if row.user_id is not None:
                took_part[row.user_id] += 1
    person_rows = []
    for user_id, count in sorted(took_part.items(), key=lambda item: names.person(item[0])):
        mine = [e for e in entries if e.user_id == user_id]
        kinds = ", ".join(
            dict.fromkeys(_(RECIPROCITY_KIND_LABELS[e.kind]) if e.kind else _(payments.NOT_CHOSEN) for e in mine)
        )
        person_rows.append((names.person(user_id), count, kinds))
    people_table = Table(
        "recognition_by_partner",
        _("Citizen partners who took part, and the recognition recorded for them"),
        _cols(
            ("name", _("Citizen partner")),
            _num("activities", _("Activities taken part in")),
            (
                "recognition",
                _("Recognition recorded"),
                _("Kinds only; amounts stay private to the person and the leads"),
            ),
        ),
        tuple((name, count, kinds or _("Nothing recorded")) for name, count, kinds in person_rows),
    )
    recognised = sum(1 for _name, _count, kinds in person_rows if kinds)
    if facts.reciprocity is None:
        paragraph = _("Payments and recognition are not recorded in the tracker for this initiative.")
    elif len(person_rows) == 1:
        paragraph = (
            _("The citizen partner who took part has a payment or other recognition recorded, or chose not to take it.")
            if recognised
            else _("The citizen partner who took part has no payment or other recognition recorded yet.")
        )
    elif person_rows:
        paragraph = ngettext(
            "%(num)s of the %(total)s citizen partners who took part has a payment or other recognition recorded, "
            "or chose not to take it.",
            "%(num)s of the %(total)s citizen partners who took part have a payment or other recognition recorded, "
            "or chose not to take it.",
            recognised,
            total=len(person_rows),
        )
    else:
        paragraph = _("No citizen partner has taken part in an activity in this period.")
    return Section("recognition", _("Payments and recognition"), (paragraph,), (kinds_table, people_table))


def _decisions_section(facts: InitiativeFacts, names: Names, period: Period) -> Section:
    rows = []
    for decision in facts.decisions:
        if not period.covers(decision.on):
            continue
        by_stance: dict[str, list[str]] = defaultdict(list)
        for position in decision.positions:
            by_stance[position.stance.value].append(names.person(position.user_id))
        activity = facts.activity(decision.activity_id)
        rows.append(
            (
                decision.text,
                decision.on,
                activity.title if activity else "",
                _yes(decision.changed_by_partner_input),
                decision.how_changed,
                *(", ".join(by_stance.get(stance, [])) for stance in POSITION_LABELS),
            )
        )
    table = Table(
        "decisions",
        _("Decisions and each member's position"),
        _cols(
            ("decision", _("Decision")),
            ("on", _("Date")),
            ("activity", _("Made at")),
            ("changed_by_partners", _("Changed by partners' input")),
            ("how_changed", _("How it changed")),
            *((f"{stance}", _(label)) for stance, label in POSITION_LABELS.items()),
        ),
        tuple(rows),
    )
    return Section("decisions", _("Decisions"), (), (table,))


def _recommendations_section(facts: InitiativeFacts, names: Names, inputs: ReportInputs) -> Section:
    period = inputs.period
    rows = []
    for item in facts.recommendations:
        if not period.covers(item.raised_on):
            continue
        responded = inputs.responded_on.get(item.id)
        answered = item.response is not None and (responded is None or responded <= period.as_of)
        overdue = review_overdue(item.review_on, item.reviewed_on, period.as_of)
        if answered and overdue:
            status = _("Answered, but the review date passed without a review")
        elif answered and item.reviewed_on is not None:
            status = _("Answered, and reviewed on %(day)s", day=_day(item.reviewed_on))
        elif answered:
            status = _("Answered")
        elif overdue:
            status = _("Review date passed without an answer")
        else:
            status = _("Waiting for an answer")
        held = ""
        if item.reviewed_on is not None and item.reviewed_by is not None:
            held = _(
                "%(day)s by %(name)s: %(outcome)s",
                day=_day(item.reviewed_on),
                name=names.person(item.reviewed_by),
                outcome=item.review_outcome,
            )
        elif item.reviewed_on is not None:
            held = f"{_day(item.reviewed_on)}: {item.review_outcome}"
        rows.append(
            (
                item.text,
                names.person(item.from_user_id),
                item.raised_on,
                _(RESPONSE_LABELS[item.response.value]) if answered else "",
                item.reason if answered else "",
                item.action if answered else "",
                item.review_on,
                held,
                status,
            )
        )
    table = Table(
        "you_said_we_did",
        _("Recommendations from partners and what was done"),
        _cols(
            ("you_said", _("You said")),
            ("from", _("From")),
            ("raised_on", _("Raised on")),
            ("response", _("Our response")),
            ("reason", _("Why")),
            ("we_did", _("What we did")),
            ("review_on", _("Review by")),
            ("review_held", _("Review held"), _("When the review was held, by whom, and what it found")),
            ("status", _("Status")),
        ),
        tuple(rows),
    )
    return Section(
        "you-said-we-did",
        _("You said, we did"),
        (_("What citizen partners recommended, what the council decided, and what it did about it."),),
        (table,),
    )


def _adjustments_section(facts: InitiativeFacts, activities, anonymised: bool = False) -> Section:
    requested: Counter[str] = Counter()
    provided: Counter[str] = Counter()
    in_range = {a.id for a in activities}
    for row in facts.attendance:
        if row.activity_id not in in_range:
            continue
        for need in row.adjustments_requested:
            requested[need] += 1
            provided[need] += need in row.adjustments_provided
    order = sorted(requested, key=lambda n: (-(requested[n] - provided[n]), n))
    total_requested, total_provided = sum(requested.values()), sum(provided.values())
    if anonymised:
        # A need asked for once or twice points at a person: small numbers, and any a total would give away,
        # are shown as "fewer than 5" (domain.small_numbers).
        hidden = suppress([[provided[n], requested[n] - provided[n]] for n in order])
        rows = tuple(
            (
                _need(need),
                _hidden(hidden.row_totals[i]),
                _hidden(hidden.cells[i][0]),
                _hidden(hidden.cells[i][1]),
                _percent(provided[need], requested[need])
                if None not in (hidden.cells[i][0], hidden.row_totals[i])
                else "",
            )
            for i, need in enumerate(order)
        )
        total_requested_text = _hidden(hidden.total) if order else 0
        total_provided_text = _hidden(hidden.column_totals[0]) if order else 0
    else:
        rows = tuple(
            (
                _need(need),
                requested[need],
                provided[need],
                requested[need] - provided[need],
                _percent(provided[need], requested[need]),
            )
            for need in order
        )
        total_requested_text, total_provided_text = total_requested, total_provided
    if not total_requested:
        paragraph = _("Nobody asked for an adjustment at these activities.")
    elif anonymised:
        paragraph = _(
            "Adjustments were asked for %(requested)s times and provided %(provided)s times.",
            requested=total_requested_text,
            provided=total_provided_text,
        )
    else:
        paragraph = _(
            "Adjustments were asked for %(requested)s times and provided %(provided)s times (%(rate)s).",
            requested=total_requested_text,
            provided=total_provided_text,
            rate=_percent(total_provided, total_requested),
        )
    table = Table(
        "adjustments",
        _("Adjustments asked for and provided"),
        _cols(
            ("adjustment", _("Adjustment")),
            _num("requested", _("Times asked for")),
            _num("provided", _("Times provided")),
            _num("not_provided", _("Times not provided")),
            ("provided_rate", _("Provided"), _("The share of requests that were met")),
        ),
        rows,
    )
    return Section("adjustments", _("Adjustments"), (paragraph,), (table,))


def _criteria_columns():
    return _cols(
        ("criterion", _("Criterion"), _("The criterion's id and title")),
        ("automatic_check", _("Automatic check"), _("What the tracker found from the records")),
        ("why", _("Why"), _("The reasons for the automatic finding")),
        ("records", _("Records"), _("The meetings, decisions, outputs and people the reasons are about")),
        ("people_assessment", _("People's assessment"), _("The newest assessment by a commissioner")),
        ("assessed_by", _("Assessed by")),
        ("citizen_partner_response", _("Citizen partner's response"), _("Co-signed, disagreed, or waiting")),
    )


def _criteria_section(names: Names, evaluated: Sequence[_Evaluated], facts: InitiativeFacts) -> Section:
    subsections = []
    by_framework: dict[str, list[_Evaluated]] = defaultdict(list)
    frameworks: dict[str, Framework] = {}
    for item in evaluated:
        by_framework[item.framework.id].append(item)
        frameworks[item.framework.id] = item.framework
    for framework_id, items in by_framework.items():
        framework = frameworks[framework_id]
        rows = []
        for item in sorted(items, key=lambda e: status_rank(e.finding.status)):
            status, by, response = _assessment_words(names, item.assessment)
            rows.append(
                (
                    f"{item.criterion.id}: {localized(item.criterion, 'title')}",
                    _(FINDING_STATUS_LABELS[item.finding.status]),
                    _reasons(item.finding, names),
                    _records(item.finding, names, facts),
                    status,
                    by,
                    response,
                )
            )
        title = localized(framework, "title")
        summary = localized(framework, "summary") if framework.summary else ""
        subsections.append(
            Section(
                f"framework-{framework.id.replace('_', '-')}",
                title,
                (summary,) if summary else (),
                (
                    Table(
                        f"criteria_{framework.id}",
                        _("%(framework)s: criteria", framework=title),
                        _criteria_columns(),
                        tuple(rows),
                    ),
                ),
            )
        )
    return Section(
        "criteria",
        _("Criteria"),
        (
            _(
                "The tracker checks the records against each framework automatically. People's own assessment, "
                "co-signed by a citizen partner, is shown beside it: neither replaces the other. Gaps are listed first."
            ),
        ),
        subsections=tuple(subsections),
    )
