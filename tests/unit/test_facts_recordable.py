"""Every fact a criteria rule can read is something a person can record in the app.

The snapshot (criteria/snapshot.py) is what every rule reads. For each of its fields this test names the
column it is loaded from, and the form field (or command-line option) through which a person writes that
column. It then checks, from the code itself, that the table is complete, that facts.py really selects each
column, that the form field exists, and that a service (or the command line) writes the column. A field
nobody can fill (as `reviewed_on`, activity languages and `nhs_partnered` once were) fails here.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from copro_tracker import models as m
from copro_tracker.activities import forms as activity_forms
from copro_tracker.auth import forms as auth_forms
from copro_tracker.criteria import snapshot as s
from copro_tracker.initiatives import forms as initiative_forms
from copro_tracker.outputs import forms as output_forms
from copro_tracker.payments import forms as payment_forms

ROOT = Path(__file__).resolve().parents[2] / "copro_tracker"
_row = SimpleNamespace(id=1, user_id=1, user=SimpleNamespace(display_name="A"))
ATTENDANCE_FORM = activity_forms.attendance_form_class([_row])
DECISION_FORM = activity_forms.decision_form_class([_row])

# Written by the app itself when a person acts, never typed: ids, the acting person, timestamps of the act,
# and values the stage gate derives from sign-offs. Each says which human act produces it.
ACT = "set when a person performs the act this record describes"
GATE = "set by the stage gate when people sign off (SignOffForm) or reopen a stage (ReopenForm)"

# snapshot class -> field -> (model column, writer). A writer is (form class, field name) or ("cli", option).
SOURCES = {
    s.InitiativeInfo: {
        "id": (m.Initiative.id, ACT),
        "title": (m.Initiative.title, (initiative_forms.InitiativeForm, "title")),
        "nation": (m.Organisation.nation, ("cli", "--nation")),
        "statutory_functions": (
            m.Initiative.statutory_functions,
            (initiative_forms.InitiativeForm, "statutory_functions"),
        ),
        "collective": (m.Initiative.level, (initiative_forms.InitiativeForm, "level")),
        "current_stage": (m.Initiative.current_stage, GATE),
        "closed": (m.Initiative.closed_on, GATE),
        "nhs_partnered": (m.Initiative.nhs_partnered, (initiative_forms.InitiativeForm, "nhs_partnered")),
    },
    s.Member: {
        "user_id": (m.Membership.user_id, (initiative_forms.AddMemberForm, "user_id")),
        "display_name": (m.User.display_name, (auth_forms.AcceptInvitationForm, "display_name")),
        "side": (m.Membership.side, (auth_forms.InviteForm, "role")),
        "partner_kind": (m.User.partner_kind, (auth_forms.InviteForm, "partner_kind")),
        "role": (m.Membership.role, (initiative_forms.AddMemberForm, "role")),
        "joined_on": (m.Membership.joined_on, (initiative_forms.TenureForm, "joined_on")),
        "left_on": (m.Membership.left_on, (initiative_forms.TenureForm, "left_on")),
        "communication_needs": (m.User.communication_needs, (auth_forms.AcceptInvitationForm, "communication_needs")),
        "communication_needs_other": (
            m.User.communication_needs_other,
            (auth_forms.AcceptInvitationForm, "communication_needs_other"),
        ),
        "needs_recorded": (m.User.needs_recorded, (auth_forms.AcceptInvitationForm, "needs_answer")),
        "preferred_language": (m.User.preferred_language, (auth_forms.AcceptInvitationForm, "preferred_language")),
    },
    s.SignOff: {
        "user_id": (m.SignOff.user_id, ACT),
        "side": (m.SignOff.side, ACT),
        "verdict": (m.SignOff.decision, (initiative_forms.SignOffForm, "decision")),
        "reason": (m.SignOff.comment, (initiative_forms.SignOffForm, "comment")),
        "on": (m.SignOff.created_at, ACT),
        "at": (m.SignOff.created_at, ACT),
    },
    s.Stage: {
        "kind": (m.Stage.kind, ACT),
        "status": (m.Stage.status, GATE),
        "opened_on": (m.Stage.opened_on, (initiative_forms.StageDatesForm, "opened_on")),
        "closed_on": (m.Stage.closed_on, (initiative_forms.StageDatesForm, "closed_on")),
        "signoffs": (m.SignOff.id, (initiative_forms.SignOffForm, "decision")),
        "activities_changed_at": (m.Stage.activities_changed_at, ACT),
    },
    s.Activity: {
        "id": (m.Activity.id, ACT),
        "stage": (m.Activity.stage_id, (activity_forms.ActivityForm, "stage_id")),
        "kind": (m.Activity.kind, (activity_forms.ActivityForm, "kind")),
        "on": (m.Activity.occurred_on, (activity_forms.ActivityForm, "occurred_on")),
        "title": (m.Activity.title, (activity_forms.ActivityForm, "title")),
        "recorded_by": (m.Activity.recorded_by_id, ACT),
        "on_behalf_of": (m.Activity.on_behalf_of_id, (activity_forms.ActivityForm, "on_behalf_of")),
        "on_behalf_confirmed": (m.Activity.confirmed_at, (activity_forms.ConfirmActivityForm, "outcome")),
        "languages": (m.Activity.languages, (activity_forms.ActivityForm, "languages")),
        "interpretation": (m.Activity.interpretation, (activity_forms.ActivityForm, "interpretation")),
        "material_formats": (m.Activity.material_formats, (activity_forms.ActivityForm, "material_formats")),
        "asked_about_welsh_effects": (
            m.Activity.asked_about_welsh_effects,
            (activity_forms.ActivityForm, "welsh_effects"),
        ),
    },
    s.Attendance: {
        "activity_id": (m.Attendance.activity_id, ACT),
        "user_id": (m.Attendance.user_id, (activity_forms.ActivityForm, "attendees")),
        "guest_name": (m.Attendance.guest_name, (activity_forms.ActivityForm, "guests")),
        "is_citizen_partner": (m.Attendance.guest_is_citizen, (activity_forms.ActivityForm, "guests_are_citizens")),
        "contributed": (m.Attendance.contributed, (ATTENDANCE_FORM, "contributed_1")),
        "adjustments_requested": (m.Attendance.adjustments_requested, (ATTENDANCE_FORM, "requested_1")),
        "adjustments_provided": (m.Attendance.adjustments_provided, (ATTENDANCE_FORM, "provided_1")),
        "rating": (m.Attendance.ladder_rating, (activity_forms.RatingForm, "rating")),
    },
    s.MemberPosition: {
        "user_id": (m.DecisionPosition.user_id, (DECISION_FORM, "position_1")),
        "stance": (m.DecisionPosition.position, (DECISION_FORM, "position_1")),
    },
    s.Decision: {
        "id": (m.Decision.id, ACT),
        "activity_id": (m.Decision.activity_id, ACT),
        "on": (m.Activity.occurred_on, (activity_forms.ActivityForm, "occurred_on")),
        "text": (m.Decision.what, (activity_forms.DecisionBase, "what")),
        "changed_by_partner_input": (m.Decision.changed_by_partner_input, (activity_forms.DecisionBase, "changed")),
        "how_changed": (m.Decision.how_changed, (activity_forms.DecisionBase, "how_changed")),
        "positions": (m.DecisionPosition.position, (DECISION_FORM, "position_1")),
        "welsh_effects": (m.Decision.welsh_effects, (activity_forms.WelshEffectsFields, "welsh_effects")),
        "welsh_effects_note": (
            m.Decision.welsh_effects_note,
            (activity_forms.WelshEffectsFields, "welsh_effects_note"),
        ),
    },
    s.Recommendation: {
        "id": (m.Recommendation.id, ACT),
        "text": (m.Recommendation.text, (activity_forms.RecommendationForm, "text")),
        "raised_on": (m.Recommendation.raised_on, (activity_forms.RecommendationForm, "raised_on")),
        "from_user_id": (m.Recommendation.made_by_id, ACT),
        "activity_id": (m.Recommendation.activity_id, (activity_forms.RecommendationForm, "activity_id")),
        "response": (m.Recommendation.response, (activity_forms.RespondForm, "response")),
        "reason": (m.Recommendation.response_reason, (activity_forms.RespondForm, "reason")),
        "action": (m.Recommendation.action_taken, (activity_forms.RespondForm, "action_taken")),
        "responded_on": (m.Recommendation.responded_at, ACT),
        "review_on": (m.Recommendation.review_on, (activity_forms.RespondForm, "review_on")),
        "reviewed_on": (m.Recommendation.reviewed_on, (activity_forms.ReviewForm, "reviewed_on")),
        "reviewed_by": (m.Recommendation.reviewed_by_id, (activity_forms.ReviewForm, "reviewed_by")),
        "review_outcome": (m.Recommendation.review_outcome, (activity_forms.ReviewForm, "outcome")),
    },
    s.Evidence: {
        "id": (m.Evidence.id, ACT),
        "name": (m.Evidence.filename, (activity_forms.EvidenceForm, "file")),
        "consent": (m.Evidence.consent, (activity_forms.EvidenceForm, "consent")),
        "linked_kind": (m.Evidence.activity_id, (activity_forms.EvidenceForm, "activity_id")),
        "linked_id": (m.Evidence.decision_id, (activity_forms.EvidenceForm, "decision_id")),
    },
    s.Output: {
        "id": (m.Output.id, ACT),
        "kind": (m.Output.kind, (output_forms.OutputForm, "kind")),
        "title": (m.Output.title, (output_forms.OutputForm, "title")),
        "co_author_ids": (m.Output.co_author_ids, (output_forms.OutputForm, "co_author_ids")),
        "version": (m.Output.document_version, (output_forms.OutputForm, "document_version")),
        "published_url": (m.Output.published_url, (output_forms.OutputForm, "published_url")),
        "published_on": (m.Output.published_on, (output_forms.OutputForm, "published_on")),
        "formats": (m.Output.formats, (output_forms.OutputForm, "formats")),
        "evidence_id": (m.Output.evidence_id, (output_forms.OutputForm, "evidence_id")),
    },
    s.ReciprocityEntry: {
        "id": (m.ReciprocityEntry.id, ACT),
        "user_id": (m.ReciprocityEntry.user_id, (payment_forms.OfferForm, "user_id")),
        "kind": (m.ReciprocityEntry.kind, (payment_forms.ChooseForm, "choice")),
        "activity_id": (m.ReciprocityEntry.activity_id, (payment_forms.OfferForm, "activity_id")),
        "amount_pence": (m.ReciprocityEntry.amount_pence, (payment_forms.OfferForm, "amount_pounds")),
        "hours": (m.ReciprocityEntry.hours, (payment_forms.OfferForm, "units")),
        "on": (m.ReciprocityEntry.occurred_on, (payment_forms.ClaimForm, "spent_on")),
        "status": (m.ReciprocityEntry.status, ACT),
        "claimed_on": (m.ReciprocityEntry.claimed_at, ACT),
        "paid_on": (m.ReciprocityEntry.paid_on, (payment_forms.PaidForm, "paid_on")),
    },
}
# Snapshot classes that only group others (the fields are the collections checked above).
CONTAINERS = {s.InitiativeFacts}


def _snapshot_classes() -> set[type]:
    return {
        obj
        for obj in vars(s).values()
        if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == s.__name__
    }


def _source(*parts: str) -> str:
    return "\n".join(path.read_text() for part in parts for path in sorted(ROOT.glob(part)))


FACTS_SOURCE = _source("criteria/facts.py")
WRITERS_SOURCE = _source("*/service.py", "cli.py", "demo*.py")


def test_every_snapshot_field_has_a_recorded_source():
    assert _snapshot_classes() - CONTAINERS == set(SOURCES), "a snapshot class is missing from SOURCES"
    for cls, fields in SOURCES.items():
        names = {f.name for f in dataclasses.fields(cls)}
        assert names == set(fields), f"{cls.__name__}: fields without a source {names - set(fields)}"


CASES = [
    (cls.__name__, name, column, writer) for cls, fields in SOURCES.items() for name, (column, writer) in fields.items()
]


@pytest.mark.parametrize(("cls", "name", "column", "writer"), CASES, ids=[f"{c}.{n}" for c, n, _, _ in CASES])
def test_the_column_is_loaded_by_facts_and_written_by_a_person(cls, name, column, writer):
    model = column.class_.__name__
    assert f"{model}.{column.key}" in FACTS_SOURCE, f"facts.py does not load {model}.{column.key} for {cls}.{name}"
    if isinstance(writer, str):
        return  # written by the app as part of a person's act (see ACT and GATE)
    form, field = writer
    if form == "cli":
        assert field in WRITERS_SOURCE
    else:
        assert hasattr(form, field), f"{form.__name__} has no field {field!r}"
    # A service assigns the column (attribute or keyword), so what the form collects reaches the table.
    assert re.search(rf"\b{re.escape(column.key)}\s*=", WRITERS_SOURCE), f"no service writes {model}.{column.key}"
