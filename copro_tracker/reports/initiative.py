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

# ---------------------------------------------------------------------------------------------------
# Initiative report


def build_initiative_report(inputs: ReportInputs) -> Report:
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
        _criteria_section(names, evaluated),
        _cqc_section(inputs, [(facts, evaluated)]),
        _sources_section([f for f in frameworks if f.criteria]),
    ]
    took_part = (r.user_id for a in activities for r in facts.partner_attendance_at(a.id) if r.user_id is not None)
    if (equality := equality_section(inputs.equality, took_part)) is not None:
        sections.append(equality)
    evidence, files, _ = _evidence_section(names, {facts.initiative.id: facts}, inputs, period)
    sections.append(evidence)
    sections.append(_audit_section(inputs, "this initiative"))
    # Free text (titles, notes, decisions, reasons) names people too: hidden people's names are replaced there.
    return names.scrub_report(
        Report(
            kind=ReportKind.INITIATIVE,
            title=f"Evidence report: {details.title}",
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
        status = f"Closed on {_day(details.closed_on)}"
    else:
        current = [s for s in facts.stages if stage_status_as_at(s, period.as_of) != StageStatus.NOT_STARTED]
        shown = current[-1] if current else None
        status = f"{STAGE_LABELS[shown.kind]} stage" if shown else "Not started"
    partners = {
        row.user_id if row.user_id is not None else ("guest", row.guest_name)
        for a in activities
        for row in facts.partner_attendance_at(a.id)
    }
    counts = _status_counts(evaluated)
    rows = (
        ("Initiative", details.title),
        ("What it is about", details.summary),
        ("Service area", details.service_area),
        ("Duties it serves", ", ".join(FUNCTION_WORDS[f].capitalize() for f in facts.initiative.statutory_functions)),
        ("Where it stands", status),
        ("Members", len({m.user_id for m in facts.members if period.overlaps(m.joined_on, m.left_on)})),
        ("Activities", len(activities)),
        ("Citizen partners who took part", len(partners)),
        (
            "Criteria",
            (
                f"{counts['met']} met, {counts['partly_met']} partly met, {counts['not_met']} not met, "
                f"{counts['needs_attestation']} need a person to confirm, {counts['not_applicable']} do not apply"
            ),
        ),
    )
    return Section(
        "summary",
        "Summary",
        (),
        (Table("summary", "About this initiative", _cols(("item", "Item"), ("detail", "Detail")), rows),),
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
                "Citizen partner" if member.is_citizen_partner else "Commissioner side",
                MEMBER_ROLE_LABELS[member.role.value],
                PARTNER_KIND_WORDS[member.partner_kind].capitalize() if member.partner_kind else "",
                member.joined_on,
                left if left else "Still a member",
            )
        )
    table = Table(
        "members",
        "Members and their roles over time",
        _cols(
            ("name", "Name"),
            ("side", "Side", "Citizen partner or commissioner side"),
            ("role", "Role", "Co-lead, member or observer"),
            ("kind", "Kind of partner"),
            ("joined_on", "Joined"),
            ("left_on", "Left", "The date they left, or 'Still a member'"),
        ),
        tuple(rows),
    )
    tables = (table,) if not anonymised else (table, _partner_roles_table(partners))
    return Section(
        "members",
        "Members and roles",
        ("A person who changed role has one row for each role they held, with the dates they held it.",)
        + (
            ("Citizen partners are counted by role and kind, not listed, so that nobody can be picked out.",)
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
                        MEMBER_ROLE_LABELS[role],
                        PARTNER_KIND_WORDS[kind].capitalize() if kind else "Not recorded",
                        _hidden(hidden.cells[r][k]),
                    )
                )
    return Table(
        "partner_roles",
        "Citizen partners by role and kind",
        _cols(("role", "Role"), ("kind", "Kind of partner"), _num("people", "People")),
        tuple(rows),
        note=(
            "Numbers from 1 to 4 are shown as 'fewer than 5', and others are hidden where a total would give them away."
        ),
    )


def _hidden(value: int | None) -> int | str:
    return SUPPRESSED if value is None else value


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
        stage_rows.append((STAGE_LABELS[kind], STAGE_STATUS_LABELS[status], opened, closed, len(signoffs), dissent))
        for s in signoffs:
            if not period.covers(s.on):
                continue
            sign_rows.append(
                (
                    names.person(s.user_id),
                    STAGE_LABELS[kind],
                    "Citizen partner" if s.by_citizen_partner else "Commissioner side",
                    "Disagreed" if s.verdict.value == "dissent" else "Approved",
                    s.reason,
                    s.on,
                )
            )
    stages = Table(
        "stages",
        "Stages",
        _cols(
            ("stage", "Stage"),
            ("status", "Status"),
            ("opened_on", "Opened"),
            ("closed_on", "Closed"),
            _num("sign_offs", "Sign-offs"),
            _num("disagreements", "Disagreements", "Sign-offs that recorded disagreement"),
        ),
        tuple(stage_rows),
    )
    sign_offs = Table(
        "sign_offs",
        "Sign-offs and disagreements at each stage gate",
        _cols(
            ("name", "Who"),
            ("stage", "Stage"),
            ("side", "Side"),
            ("view", "View", "Approved or disagreed"),
            ("comment", "What they said"),
            ("on", "Date"),
        ),
        tuple(sign_rows),
        empty="No sign-offs yet.",
    )
    return Section(
        "stages",
        "Stages and sign-offs",
        (
            (
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
                STAGE_LABELS[activity.stage],
                ACTIVITY_KIND_LABELS.get(activity.kind.value, activity.kind.value),
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
                    "Citizen partner" if row.is_citizen_partner else "Staff",
                    _yes(row.contributed),
                    row.rating,
                    *((_needs(row.adjustments_requested), _needs(row.adjustments_provided)) if show_needs else ()),
                )
            )
    table = Table(
        "activities",
        "Activities",
        _cols(
            ("title", "Activity"),
            ("on", "Date"),
            ("stage", "Stage"),
            ("kind", "Kind"),
            _num("attended", "People attending"),
            _num("partners_attended", "Citizen partners attending"),
            _num("partners_contributed", "Citizen partners who contributed"),
            ("partner_ratings", "Citizen partners' ratings", "Each partner's own ladder rating, 1 to 7"),
            ("staff_ratings", "Staff ratings", "Each staff member's own ladder rating, 1 to 7"),
            ("views_differ", "Views differ", "Whether the two sides rated it differently (any difference)"),
        ),
        tuple(rows),
    )
    attendance = Table(
        "attendance",
        "Who attended each activity",
        _cols(
            ("name", "Who"),
            ("activity", "Activity"),
            ("on", "Date"),
            ("side", "Side"),
            ("contributed", "Contributed"),
            _num("rating", "Their ladder rating", "The person's own rating of the activity, 1 to 7"),
            # Each person's adjustments are health information: named rows only for staff who ask for them.
            *(
                (("adjustments_requested", "Adjustments asked for"), ("adjustments_provided", "Adjustments provided"))
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
        "Activities and who took part",
        (
            (
                "Each person rates how co-produced an activity felt on the ladder of co-production, from 1 (coercion) "
                "to 7 (co-production). Citizen partners' and staff ratings are shown side by side."
            ),
        ),
        (table, attendance, stage_table, rating_table),
        (stage_chart, rating_chart),
    )


def _need(code: str) -> str:
    return NEED_WORDS.get(code, code.replace("_", " ")).capitalize()


def _needs(codes: Sequence[str]) -> str:
    text = ", ".join(NEED_WORDS.get(c, c.replace("_", " ")) for c in codes)
    return text[:1].upper() + text[1:]


def _outputs_section(facts: InitiativeFacts, names: Names, period: Period) -> Section:
    rows = []
    for output in sorted(facts.outputs, key=lambda o: (o.published_on or date.max, o.id)):
        published = output.published_by(period.as_of)
        rows.append(
            (
                output.title,
                OUTPUT_KIND_LABELS[output.kind],
                ", ".join(names.person(uid) for uid in output.co_author_ids),
                output.version,
                output.published_url if published else "",
                output.published_on if published else None,
                ", ".join(OUTPUT_FORMAT_LABELS[f] for f in output.formats) or "Standard English only",
            )
        )
    table = Table(
        "outputs",
        "What the initiative produced",
        _cols(
            ("output", "Output"),
            ("kind", "Kind"),
            ("co_authors", "Written with", "Co-authors (citizen partners shown by pseudonym when anonymised)"),
            ("version", "Version"),
            ("published_url", "Published at", "The web address, once published"),
            ("published_on", "Published on"),
            ("formats", "Formats available", "Versions beyond the standard English one"),
        ),
        tuple(rows),
    )
    published = sum(1 for o in facts.outputs if o.published_by(period.as_of))
    paragraph = (
        f"{_plural_words(len(rows), 'output')} recorded, {published} published by {_day(period.as_of)}."
        if rows
        else "No plan, strategy, report or other output has been recorded yet."
    )
    return Section("outputs", "Outputs", (paragraph,), (table,))


def _plural_words(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


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
            dict.fromkeys(RECIPROCITY_KIND_LABELS[e.kind] if e.kind else payments.NOT_CHOSEN for e in mine)
        )
        person_rows.append((names.person(user_id), count, kinds or "Nothing recorded"))
    people_table = Table(
        "recognition_by_partner",
        "Citizen partners who took part, and the recognition recorded for them",
        _cols(
            ("name", "Citizen partner"),
            _num("activities", "Activities taken part in"),
            ("recognition", "Recognition recorded", "Kinds only; amounts stay private to the person and the leads"),
        ),
        tuple(person_rows),
    )
    recognised = sum(1 for _, _, kinds in person_rows if kinds != "Nothing recorded")
    if facts.reciprocity is None:
        paragraph = "Payments and recognition are not recorded in the tracker for this initiative."
    elif len(person_rows) == 1:
        paragraph = (
            "The citizen partner who took part has a payment or other recognition recorded, or chose not to take it."
            if recognised
            else "The citizen partner who took part has no payment or other recognition recorded yet."
        )
    elif person_rows:
        paragraph = (
            f"{recognised} of the {len(person_rows)} citizen partners who took part "
            f"{'has' if recognised == 1 else 'have'} a payment or other recognition recorded, or chose not to take it."
        )
    else:
        paragraph = "No citizen partner has taken part in an activity in this period."
    return Section("recognition", "Payments and recognition", (paragraph,), (kinds_table, people_table))


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
        "Decisions and each member's position",
        _cols(
            ("decision", "Decision"),
            ("on", "Date"),
            ("activity", "Made at"),
            ("changed_by_partners", "Changed by partners' input"),
            ("how_changed", "How it changed"),
            *((f"{stance}", label) for stance, label in POSITION_LABELS.items()),
        ),
        tuple(rows),
    )
    return Section("decisions", "Decisions", (), (table,))


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
            status = "Answered, but the review date passed without a review"
        elif answered and item.reviewed_on is not None:
            status = f"Answered, and reviewed on {_day(item.reviewed_on)}"
        elif answered:
            status = "Answered"
        elif overdue:
            status = "Review date passed without an answer"
        else:
            status = "Waiting for an answer"
        held = ""
        if item.reviewed_on is not None:
            by = f" by {names.person(item.reviewed_by)}" if item.reviewed_by is not None else ""
            held = f"{_day(item.reviewed_on)}{by}: {item.review_outcome}"
        rows.append(
            (
                item.text,
                names.person(item.from_user_id),
                item.raised_on,
                RESPONSE_LABELS[item.response.value] if answered else "",
                item.reason if answered else "",
                item.action if answered else "",
                item.review_on,
                held,
                status,
            )
        )
    table = Table(
        "you_said_we_did",
        "Recommendations from partners and what was done",
        _cols(
            ("you_said", "You said"),
            ("from", "From"),
            ("raised_on", "Raised on"),
            ("response", "Our response"),
            ("reason", "Why"),
            ("we_did", "What we did"),
            ("review_on", "Review by"),
            ("review_held", "Review held", "When the review was held, by whom, and what it found"),
            ("status", "Status"),
        ),
        tuple(rows),
    )
    return Section(
        "you-said-we-did",
        "You said, we did",
        ("What citizen partners recommended, what the council decided, and what it did about it.",),
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
    paragraphs = (
        (
            f"Adjustments were asked for {total_requested_text} times and provided {total_provided_text} times"
            + (f" ({_percent(total_provided, total_requested)})." if not anonymised else ".")
        )
        if total_requested
        else "Nobody asked for an adjustment at these activities.",
    )
    table = Table(
        "adjustments",
        "Adjustments asked for and provided",
        _cols(
            ("adjustment", "Adjustment"),
            _num("requested", "Times asked for"),
            _num("provided", "Times provided"),
            _num("not_provided", "Times not provided"),
            ("provided_rate", "Provided", "The share of requests that were met"),
        ),
        rows,
    )
    return Section("adjustments", "Adjustments", paragraphs, (table,))


_CRITERIA_COLUMNS = _cols(
    ("criterion", "Criterion", "The criterion's id and title"),
    ("automatic_check", "Automatic check", "What the tracker found from the records"),
    ("why", "Why", "The reasons for the automatic finding"),
    ("records", "Records", "The meetings, decisions, outputs and people the reasons are about"),
    ("people_assessment", "People's assessment", "The newest assessment by a commissioner"),
    ("assessed_by", "Assessed by"),
    ("citizen_partner_response", "Citizen partner's response", "Co-signed, disagreed, or waiting"),
)


def _criteria_section(names: Names, evaluated: Sequence[_Evaluated]) -> Section:
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
                    f"{item.criterion.id}: {item.criterion.title}",
                    FINDING_STATUS_LABELS[item.finding.status],
                    _reasons(item.finding, names),
                    _records(item.finding, names),
                    status,
                    by,
                    response,
                )
            )
        subsections.append(
            Section(
                f"framework-{framework.id.replace('_', '-')}",
                framework.title,
                (framework.summary,) if framework.summary else (),
                (Table(f"criteria_{framework.id}", f"{framework.title}: criteria", _CRITERIA_COLUMNS, tuple(rows)),),
            )
        )
    return Section(
        "criteria",
        "Criteria",
        (
            (
                "The tracker checks the records against each framework automatically. People's own assessment, "
                "co-signed by a citizen partner, is shown beside it: neither replaces the other. Gaps are listed first."
            ),
        ),
        subsections=tuple(subsections),
    )
