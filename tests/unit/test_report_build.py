"""reports/build.py, directly, with hand-built facts: consent, pseudonyms, small-number suppression, gaps first,
"as at" and date ranges. No database, no Flask."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from copro_tracker.audit import ledger
from copro_tracker.codes import FINDING_STATUS_LABELS, status_rank
from copro_tracker.criteria.framework import default_library
from copro_tracker.criteria.snapshot import (
    Activity,
    Attendance,
    Decision,
    Evidence,
    InitiativeFacts,
    InitiativeInfo,
    Member,
    MemberPosition,
    Recommendation,
    SignOff,
    Stage,
)
from copro_tracker.reports import build
from copro_tracker.reports.build import (
    SUPPRESSED,
    EvidenceFile,
    HumanAssessment,
    InitiativeDetails,
    Period,
    Person,
    ReportInputs,
)
from copro_tracker.reports.words import Words

TOM, AMIRA, GEORGE, RUTH = 1, 2, 3, 4
PEOPLE = {
    TOM: Person(TOM, "Tom Evans", False, "officer"),
    AMIRA: Person(AMIRA, "Amira Hassan", True, "draws_on_care"),
    GEORGE: Person(GEORGE, "George Blake", True, "carer"),
    RUTH: Person(RUTH, "Ruth Okafor", True, "community"),
}


def make_facts(initiative_id: int = 10, title: str = "Day opportunities", *, partners_at_design: int = 2):
    members = (
        Member(TOM, "Tom Evans", "commissioner", "officer", "co_lead", date(2026, 1, 1)),
        Member(AMIRA, "Amira Hassan", "citizen_partner", "draws_on_care", "co_lead", date(2026, 1, 1)),
        Member(GEORGE, "George Blake", "citizen_partner", "carer", "member", date(2026, 1, 5), date(2026, 2, 20)),
        Member(RUTH, "Ruth Okafor", "citizen_partner", "community", "member", date(2026, 3, 1)),
    )
    stages = (
        Stage(
            "design",
            "complete",
            date(2026, 1, 1),
            date(2026, 2, 1),
            (
                SignOff(TOM, "commissioner", "approve", "", date(2026, 1, 30)),
                SignOff(AMIRA, "citizen_partner", "approve", "", date(2026, 1, 31)),
                SignOff(GEORGE, "citizen_partner", "dissent", "Carers were not asked yet.", date(2026, 2, 1)),
            ),
        ),
        Stage("delivery", "in_progress", date(2026, 2, 1)),
        Stage("evaluation"),
    )
    activities = (
        Activity(100 + initiative_id, "design", "workshop", date(2026, 1, 10), "What makes a good day?", TOM),
        Activity(200 + initiative_id, "delivery", "steering_group", date(2026, 3, 2), "Choosing providers", TOM),
    )
    design_id, delivery_id = activities[0].id, activities[1].id
    attendance = [
        Attendance(design_id, TOM, contributed=True, rating=6),
        Attendance(
            design_id,
            AMIRA,
            is_citizen_partner=True,
            contributed=True,
            adjustments_requested=("easy_read", "supporter_present"),
            adjustments_provided=("easy_read",),
            rating=6,
        ),
        Attendance(design_id, GEORGE, is_citizen_partner=True, contributed=True, rating=3),
        Attendance(delivery_id, TOM, contributed=True),
        Attendance(delivery_id, RUTH, is_citizen_partner=True, contributed=False, rating=4),
    ]
    # Extra guests, to push the design stage over the small-number threshold when asked.
    for n in range(max(0, partners_at_design - 2)):
        attendance.append(Attendance(design_id, None, f"Guest {n}", is_citizen_partner=True, contributed=True))
    decisions = (
        Decision(
            300 + initiative_id,
            design_id,
            date(2026, 1, 10),
            "Evening and weekend sessions",
            True,
            "Partners said family are free at weekends.",
            (MemberPosition(TOM, "agreed"), MemberPosition(AMIRA, "agreed"), MemberPosition(GEORGE, "dissented")),
        ),
    )
    recommendations = (
        Recommendation(
            400 + initiative_id,
            "Transport must be included",
            date(2026, 1, 10),
            GEORGE,
            design_id,
            response="adapted",
            reason="Budget covers eligible people",
            action="Added to the specification",
            review_on=date(2026, 6, 1),
        ),
    )
    evidence = tuple(
        Evidence(500 + i, f"file-{i}", consent, "activity", design_id)
        for i, consent in enumerate(("named", "anonymised", "aggregate_only", "do_not_use"))
    )
    return InitiativeFacts(
        initiative=InitiativeInfo(initiative_id, title, "england", ("prevention", "market_shaping")),
        as_of=date(2026, 4, 1),
        members=members,
        stages=stages,
        activities=activities,
        attendance=tuple(attendance),
        decisions=decisions,
        recommendations=recommendations,
        evidence=evidence,
    )


def evidence_files(initiative_id: int = 10) -> tuple[EvidenceFile, ...]:
    names = ("Minutes 10 January.pdf", "Amira feedback.docx", "Photos of the day.jpg", "Amira health notes.pdf")
    consents = ("named", "anonymised", "aggregate_only", "do_not_use")
    return tuple(
        EvidenceFile(
            id=500 + i,
            initiative_id=initiative_id,
            filename=name,
            consent=consent,
            sha256=f"{i:064x}",
            size=1000 + i,
            content_type="application/pdf",
            description=f"Description of {name}",
            uploaded_by=AMIRA,
            uploaded_on=date(2026, 1, 11),
            linked_kind="activity",
            linked_id=100 + initiative_id,
        )
        for i, (name, consent) in enumerate(zip(names, consents, strict=True))
    )


def make_inputs(*initiatives, as_of=date(2026, 4, 1), date_from=None, date_to=None, anonymise=False, **extra):
    if not initiatives:
        initiatives = ((InitiativeDetails(10, "Day opportunities", "Summary"), make_facts()),)
    evidence = extra.pop("evidence", None)
    if evidence is None:
        evidence = tuple(e for details, _ in initiatives for e in evidence_files(details.id))
    return ReportInputs(
        organisation="Northshire County Council",
        nation="england",
        generated_at=datetime(2026, 4, 1, 12, 0),
        period=Period(as_of, date_from, date_to),
        library=default_library(),
        initiatives=tuple(initiatives),
        people=PEOPLE,
        evidence=evidence,
        anonymise_partners=anonymise,
        **extra,
    )


def dump(report: build.Report) -> str:
    return json.dumps(report.to_data(), ensure_ascii=False)


# --- consent -----------------------------------------------------------------------------------------


def test_do_not_use_is_left_out_and_aggregate_only_is_only_counted():
    report = build.build_initiative_report(make_inputs())
    table = report.table("evidence_files")
    files = table.column("file")
    assert "Minutes 10 January.pdf" in files
    assert "Anonymised file 2" in files  # numbered in the report, not by its internal id
    assert len(table.rows) == 2
    text = dump(report)
    for hidden in ("Amira health notes.pdf", "Photos of the day.jpg", "Amira feedback.docx"):
        assert hidden not in text
    evidence = next(s for s in report.sections if s.id == "evidence")
    assert any("1 more file is held that may only be counted" in p for p in evidence.paragraphs)
    # Only listed files go into the bundle's file hashes; "do not use" is not even counted.
    assert [f.evidence_id for f in report.files] == [500, 501]
    assert report.files[1].bundle_name == "evidence-501.docx"
    assert "do not use" not in " ".join(evidence.paragraphs).lower()


def test_anonymised_file_hides_its_name_description_and_who_added_it():
    report = build.build_initiative_report(make_inputs())
    rows = report.table("evidence_files").as_dicts()
    named, anonymised = rows
    assert named["added_by"] == "Amira Hassan"
    assert named["description"] == "Description of Minutes 10 January.pdf"
    assert anonymised["added_by"] == "Citizen partner A"
    assert anonymised["description"] == ""
    assert anonymised["sha256"] == f"{1:064x}"


# --- pseudonyms --------------------------------------------------------------------------------------


def test_pseudonyms_are_stable_within_a_report_and_staff_keep_their_names():
    report = build.build_initiative_report(make_inputs(anonymise=True))
    text = dump(report)
    for name in ("Amira Hassan", "George Blake", "Ruth Okafor"):
        assert name not in text
    assert "Tom Evans" in text
    # Staff are listed by name; citizen partners are only counted by role and kind (a role and a kind can
    # single someone out), with small numbers suppressed.
    assert report.table("members").column("name") == ["Tom Evans"]
    assert all(row[2] == "fewer than 5" for row in report.table("partner_roles").rows)
    attendance = report.table("attendance").as_dicts()
    [amira] = {r["name"] for r in attendance if r["rating"] == 6 and r["side"] == "Citizen partner"}
    decision = report.table("decisions").as_dicts()[0]
    george = decision["dissented"]
    assert amira.startswith("Citizen partner ") and george.startswith("Citizen partner ") and amira != george
    assert decision["agreed"] == f"Tom Evans, {amira}"
    assert report.table("you_said_we_did").as_dicts()[0]["from"] == george
    # The same person keeps the same pseudonym on the files they added.
    assert {r["added_by"] for r in report.table("evidence_files").as_dicts()} == {amira}


def test_pseudonym_letters_run_on_past_z():
    names = build.Names(PEOPLE, anonymise_partners=True)
    labels = [names.pseudonym(("n", i), True) for i in range(28)]
    assert labels[:2] == ["Citizen partner A", "Citizen partner B"]
    assert labels[25:] == ["Citizen partner Z", "Citizen partner AA", "Citizen partner AB"]
    assert names.pseudonym(("n", 0), True) == "Citizen partner A"
    assert names.pseudonym(("staff", 1), False) == "Staff member A"


# --- small numbers -----------------------------------------------------------------------------------


def test_small_numbers_are_suppressed_in_portfolio_breakdowns():
    busy = make_facts(10, "Busy", partners_at_design=6)
    quiet = make_facts(11, "Quiet")
    inputs = make_inputs((InitiativeDetails(10, "Busy"), busy), (InitiativeDetails(11, "Quiet"), quiet), evidence=())
    report = build.build_portfolio_report(inputs)
    by_stage = {r["stage"]: r for r in report.table("participation_by_stage").as_dicts()}
    # Design: 6 + 2 partner attendances; delivery: 1 + 1 (fewer than 5); evaluation: none (0 is shown).
    assert by_stage["Design"]["partner_attendances"] == 8
    assert by_stage["Delivery"]["partner_attendances"] == SUPPRESSED
    assert by_stage["Evaluation"]["partner_attendances"] == 0
    ratings = {r["rung"]: r for r in report.table("ladder_ratings").as_dicts()}
    assert ratings["6. Co-designing"]["citizen_partner_ratings"] == SUPPRESSED
    assert ratings["1. Coercion"]["citizen_partner_ratings"] == 0
    chart = next(c for s in report.sections for c in s.charts if c.id == "chart_participation_by_stage")
    assert chart.series[0].values == (8, None, 0)
    kinds = dict(report.table("partners_by_kind").rows)
    assert kinds["Unpaid carers"] == SUPPRESSED
    assert "Amira Hassan" not in dump(report)


def test_initiative_report_is_not_suppressed():
    report = build.build_initiative_report(make_inputs())
    by_stage = {r["stage"]: r for r in report.table("participation_by_stage").as_dicts()}
    assert by_stage["Design"]["partner_attendances"] == 2
    assert by_stage["Delivery"]["partner_attendances"] == 1


# --- gaps first ----------------------------------------------------------------------------------------


def test_portfolio_lists_gaps_first_and_worst_initiative_first():
    good = make_facts(10, "Well run")
    poor = InitiativeFacts(
        initiative=InitiativeInfo(11, "Struggling", "england", ("prevention",)),
        as_of=date(2026, 4, 1),
        members=(Member(TOM, "Tom Evans", "commissioner", "officer", "co_lead", date(2026, 1, 1)),),
        stages=(Stage("design", "in_progress", date(2026, 1, 1)), Stage("delivery"), Stage("evaluation")),
        activities=(Activity(900, "design", "workshop", date(2026, 1, 3), "Staff-only meeting", TOM),),
        attendance=(Attendance(900, TOM, contributed=True),),
        decisions=(
            Decision(
                901, 900, date(2026, 1, 3), "Decided without partners", positions=(MemberPosition(TOM, "agreed"),)
            ),
        ),
    )
    inputs = make_inputs((InitiativeDetails(10, "Well run"), good), (InitiativeDetails(11, "Struggling"), poor))
    report = build.build_portfolio_report(inputs)
    assert report.sections[0].id == "gaps"
    gaps = report.table("gaps").as_dicts()
    counts = [g["gaps_in_initiative"] for g in gaps]
    assert counts == sorted(counts, reverse=True)
    worst = gaps[0]["initiative"]
    assert "No citizen partner co-lead" in [g["gap"] for g in gaps if g["initiative"] == "Struggling"]
    assert "Adjustments asked for but not provided: 1" in [g["gap"] for g in gaps if g["initiative"] == "Well run"]
    assert "Design stage: a member disagreed at the sign-off" in [
        g["gap"] for g in gaps if g["initiative"] == "Well run"
    ]
    coverage = report.table("initiatives").as_dicts()
    assert coverage[0]["initiative"] == worst
    assert [r["gaps"] for r in coverage] == sorted((r["gaps"] for r in coverage), reverse=True)
    # Within an initiative, "not met" comes before "partly met".
    struggling = [g["gap"] for g in gaps if g["initiative"] == "Struggling"]
    firsts = [g.split(":")[0] for g in struggling if g.startswith(("Not met", "Partly met"))]
    assert firsts == sorted(firsts, key=lambda s: 0 if s == "Not met" else 1)


def test_criteria_tables_list_gaps_first_with_the_human_assessment_beside():
    library = default_library()
    criterion = library.criteria_for("england")[0]
    framework = next(f for f in library.for_nation("england") if criterion in f.criteria)
    assessment = HumanAssessment(
        10, framework.id, criterion.id, "partly_met", "We are working on it", TOM, date(2026, 2, 1), AMIRA
    )
    report = build.build_initiative_report(make_inputs(assessments=(assessment,)))
    table = report.table(f"criteria_{framework.id}")
    order = [status_rank(k) for k in (_status_key(v) for v in table.column("automatic_check"))]
    assert order == sorted(order)
    row = next(r for r in table.as_dicts() if r["criterion"].startswith(criterion.id + ":"))
    assert row["people_assessment"] == "Partly met"
    assert row["assessed_by"] == "Tom Evans, 1 February 2026"
    assert row["citizen_partner_response"] == "Co-signed by Amira Hassan"


def _status_key(words: str) -> str:
    return {v: k for k, v in FINDING_STATUS_LABELS.items()}[words]


# --- as at and date ranges ----------------------------------------------------------------------------


def test_as_at_a_past_date_shows_stages_and_sign_offs_as_they_stood():
    report = build.build_initiative_report(make_inputs(as_of=date(2026, 1, 31)))
    stages = {r["stage"]: r for r in report.table("stages").as_dicts()}
    assert stages["Design"]["status"] == "In progress"
    assert stages["Design"]["closed_on"] is None
    assert stages["Delivery"]["status"] == "Not started"
    views = report.table("sign_offs").column("view")
    assert views == ["Approved", "Approved"]  # George's dissent on 1 February is after the date
    # George left on 20 February: as at 31 January he is still a member.
    george = next(r for r in report.table("members").as_dicts() if r["name"] == "George Blake")
    assert george["left_on"] == "Still a member"


def test_response_given_after_the_as_at_date_is_not_shown():
    inputs = make_inputs(as_of=date(2026, 2, 15), responded_on={410: date(2026, 3, 1)})
    row = build.build_initiative_report(inputs).table("you_said_we_did").as_dicts()[0]
    assert row["response"] == ""
    assert row["status"] == "Waiting for an answer"
    later = build.build_initiative_report(make_inputs(responded_on={410: date(2026, 3, 1)}))
    assert later.table("you_said_we_did").as_dicts()[0]["response"] == "Adapted"


def test_date_range_narrows_lists_but_not_the_criteria():
    whole = build.build_initiative_report(make_inputs())
    spring = build.build_initiative_report(make_inputs(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)))
    assert whole.table("activities").column("title") == ["What makes a good day?", "Choosing providers"]
    assert spring.table("activities").column("title") == ["Choosing providers"]
    assert spring.table("decisions").rows == ()
    assert spring.table("evidence_files").rows == ()
    assert spring.activity_count == 1
    criteria = [t for t in whole.tables() if t.id.startswith("criteria_")]
    assert criteria == [t for t in spring.tables() if t.id.startswith("criteria_")]


def test_period_rejects_a_backwards_range():
    with pytest.raises(ValueError, match="after its end"):
        Period(date(2026, 4, 1), date(2026, 3, 1), date(2026, 2, 1))


# --- shape -------------------------------------------------------------------------------------------


def test_report_data_is_canonical_json_without_floats():
    for report in (
        build.build_initiative_report(make_inputs()),
        build.build_portfolio_report(make_inputs()),
        build.build_quality_statement_report(make_inputs(), "CQC-LA-QS9"),
    ):
        data = report.to_data()
        assert ledger.canonical_json(data)
        assert data["format"] == build.REPORT_FORMAT
        ids = [t.id for t in report.tables()]
        assert len(ids) == len(set(ids)), "table ids name the CSV files, so they must be unique"


def test_both_sides_ratings_are_shown_side_by_side():
    row = build.build_initiative_report(make_inputs()).table("activities").as_dicts()[0]
    # Each rating, never an average, and whether the two sides differ at all.
    assert row["partner_ratings"] == "6, 3"
    assert row["staff_ratings"] == "6"
    assert row["views_differ"] == "Yes"
    assert row["partners_attended"] == 2


def test_quality_statement_report_lists_gaps_first_and_rejects_unknown_statements():
    report = build.build_quality_statement_report(make_inputs(), "CQC-LA-QS9")
    checks = report.table("statement_evidence").column("automatic_check")
    order = [status_rank(_status_key(v)) for v in checks]
    assert order == sorted(order)
    assert report.table("statement").rows[0][1].startswith("CQC-LA-QS9")
    with pytest.raises(LookupError):
        build.build_quality_statement_report(make_inputs(), "CQC-LA-QS99")


def test_criteria_reasons_name_people_and_records_and_anonymise_them_in_an_anonymised_report():
    def criteria_rows(report):
        return [row for table in report.tables() if table.id.startswith("criteria_") for row in table.as_dicts()]

    named = criteria_rows(build.build_initiative_report(make_inputs()))
    assert any("Amira Hassan" in row["why"] for row in named), "reasons name the person concerned"
    assert any("What makes a good day?" in row["records"] for row in named), "the records column names the meeting"
    anonymised = criteria_rows(build.build_initiative_report(make_inputs(anonymise=True)))
    for row in anonymised:
        for real in ("Amira Hassan", "George Blake", "Ruth Okafor"):
            assert real not in row["why"] and real not in row["records"], (row["criterion"], real)
    assert any("Citizen partner" in row["why"] for row in anonymised)


def test_outputs_and_payments_sections_say_what_was_produced_and_who_was_recognised():
    import dataclasses

    from copro_tracker.criteria.snapshot import Output, ReciprocityEntry

    facts = dataclasses.replace(
        make_facts(),
        outputs=(
            Output(
                1,
                "plan",
                "Day opportunities plan",
                (TOM, AMIRA),
                "2.1",
                "https://example.org/plan",
                date(2026, 3, 20),
                ("easy_read", "welsh"),
            ),
            Output(2, "evaluation_report", "Findings (draft)", (GEORGE,), "0.3"),
        ),
        reciprocity=(
            ReciprocityEntry(1, AMIRA, "payment", 100 + 10, 2500, 3, date(2026, 1, 12)),
            ReciprocityEntry(2, GEORGE, "payment", 100 + 10, 2500, 3, date(2026, 1, 12)),
            ReciprocityEntry(3, RUTH, "declined", None, 0, 0, date(2026, 3, 3)),
            ReciprocityEntry(4, AMIRA, "voucher", None, 1000, 0, date(2026, 2, 1)),
        ),
    )
    inputs = make_inputs((InitiativeDetails(10, "Day opportunities", "Summary"), facts))
    report = build.build_initiative_report(inputs)
    plan, draft = report.table("outputs").as_dicts()
    assert (plan["output"], plan["kind"], plan["co_authors"], plan["version"]) == (
        "Day opportunities plan",
        "A plan",
        "Tom Evans, Amira Hassan",
        "2.1",
    )
    assert (plan["published_url"], plan["formats"]) == ("https://example.org/plan", "Easy Read, Welsh")
    assert (draft["published_url"], draft["formats"]) == ("", "Standard English only")
    by_kind = {r["kind"]: r for r in report.table("recognition_by_kind").as_dicts()}
    assert by_kind["Payment"]["amount"] == "£50.00" and by_kind["Payment"]["people"] == 2
    assert by_kind["Voucher"]["amount"] == "Not shown: one person", "one person's amount stays private"
    people = {r["name"]: r["recognition"] for r in report.table("recognition_by_partner").as_dicts()}
    assert people["Amira Hassan"] == "Payment, Voucher" and people["Ruth Okafor"] == "No payment, thank you"
    anonymised = build.build_initiative_report(
        make_inputs((InitiativeDetails(10, "Day opportunities", "S"), facts), anonymise=True)
    )
    assert "Amira Hassan" not in dump(anonymised)


def test_withdrawn_consent_means_a_pseudonym_even_in_a_named_report():
    people = {**PEOPLE, AMIRA: Person(AMIRA, "Amira Hassan", True, "draws_on_care", named_use=False)}
    names = build.Names(people, anonymise_partners=False)
    assert names.person(AMIRA) == "Citizen partner A"
    assert names.person(GEORGE) == "George Blake"


def test_hidden_names_are_replaced_in_free_text_too():
    names = build.Names(PEOPLE, anonymise_partners=True)
    assert names.person(GEORGE) == "Citizen partner A"
    text = names.scrub("Planning done by Amira; George Blake chaired. Tom Evans wrote it up. Amiram is someone else.")
    assert "Amira" not in text.replace("Amiram", "") and "George" not in text
    assert "Tom Evans" in text and "Amiram" in text  # staff keep their names; a longer word is not a name
    assert "George Blake" not in dump(build.build_initiative_report(make_inputs(anonymise=True)))


def test_reports_give_adjustment_totals_and_named_rows_only_when_asked_for():
    default = build.build_initiative_report(make_inputs())
    keys = [c.key for c in default.table("attendance").columns]
    assert "adjustments_requested" not in keys and "adjustments_provided" not in keys
    assert default.table("adjustments").rows  # the totals
    named = build.build_initiative_report(make_inputs(show_needs=True))
    assert "adjustments_requested" in [c.key for c in named.table("attendance").columns]
    # Never in an anonymised report, whoever asks.
    anonymised = build.build_initiative_report(make_inputs(show_needs=True, anonymise=True))
    assert "adjustments_requested" not in [c.key for c in anonymised.table("attendance").columns]
    assert all(isinstance(n, str) or n == 0 or n >= 5 for row in anonymised.table("adjustments").rows for n in row[1:4])


# --- the report's language ---------------------------------------------------------------------------


def _bracketing() -> Words:
    """A translator that brackets what it translates, so text that bypassed it shows."""
    return Words("cy", lambda text: f"⟦{text}⟧", lambda one, many, n: f"⟦{one if n == 1 else many}⟧")


def test_every_heading_label_caption_and_note_goes_through_the_translator():
    report = build.build_initiative_report(make_inputs(), _bracketing())
    assert dict(report.params)["language"] == "cy"
    library = default_library()
    # Framework titles and summaries come from the framework files' Welsh (or are marked as English), not the catalogue.
    framework_texts = {
        text
        for framework in library.frameworks
        for text in (framework.text("title", "cy"), framework.text("summary", "cy"))
        if text
    }
    assert report.title.startswith("⟦") and all(note.startswith("⟦") for note in report.notes)
    for section in report.all_sections():
        assert section.heading.startswith("⟦") or section.heading in framework_texts, section.heading
        for paragraph in section.paragraphs:
            assert paragraph.startswith("⟦") or paragraph in framework_texts, paragraph
        for table in section.tables:
            assert table.caption.startswith("⟦"), table.caption
            assert table.empty.startswith("⟦") and (not table.note or table.note.startswith("⟦"))
            for column in table.columns:
                assert column.label.startswith("⟦") or column.label == "SHA-256", column.label
                assert not column.description or column.description.startswith("⟦"), column.description
        for chart in section.charts:
            assert chart.title.startswith("⟦") and chart.summary.startswith("⟦") and chart.suppressed.startswith("⟦")


def test_english_is_the_default_and_is_unchanged_by_a_welsh_build_before_it():
    build.build_initiative_report(make_inputs(), _bracketing())
    report = build.build_initiative_report(make_inputs())
    assert dict(report.params)["language"] == "en"
    assert "⟦" not in json.dumps(report.to_data(), default=str)
    assert report.sections[0].heading == "Summary"
