"""Forms for activities, attendance, ratings, decisions, recommendations and evidence files.

Every message is explicit plain English. Forms whose fields depend on who attended are built per
request by the `*_form_class` functions, so each attendee gets a properly labelled group.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, StopValidation

from .. import labels
from ..web.govuk import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateField,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


class ActivityForm(FlaskForm):
    stage_id = RadioField(
        _l("Which stage is it part of?"),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Choose which stage the activity is part of"))],
        validate_choice=False,
    )
    kind = RadioField(
        _l("What kind of activity was it?"),
        widget=GovRadioInput(),
        choices=labels.choices(labels.ACTIVITY_KIND),
        validators=[InputRequired(_l("Choose what kind of activity it was"))],
        validate_choice=False,
    )
    occurred_on = GovDateField(
        _l("When did it happen?"),
        description=_l("For example, 27 3 2025"),
        missing=_l("Enter the date the activity happened"),
        invalid=_l("The date the activity happened must be a real date"),
        past_only=True,
    )
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        description=_l("A short name people will recognise, like 'Day centre visit with the steering group'."),
        validators=[
            InputRequired(_l("Enter a title for the activity")),
            Length(max=200, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    notes = TextAreaField(
        _l("What happened? (optional)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=20000, message=_l("Notes must be 20,000 characters or fewer"))],
    )
    attendees = SelectMultipleField(
        _l("Who took part?"),
        widget=GovCheckboxesInput(),
        description=_l("Select everyone from the initiative who was there."),
        validate_choice=False,
    )
    # Read on the server, so it works without JavaScript; with it, the page ticks every person as you tick this.
    everyone_attended = BooleanField(_l("Everyone in the initiative took part"), widget=GovCheckboxInput())
    guests = TextAreaField(
        _l("Other people who took part, without an account (optional)"),
        widget=GovTextArea(),
        description=_l("Write one name on each line."),
        validators=[Optional(), Length(max=5000, message=_l("Guests' names must be 5,000 characters or fewer"))],
    )
    guests_are_citizens = BooleanField(
        _l("These guests are citizen partners (people who draw on care and support, carers or community members)"),
        widget=GovCheckboxInput(),
    )
    languages = SelectMultipleField(
        _l("Which languages was it held in?"),
        widget=GovCheckboxesInput(),
        description=_l("Select all that apply."),
        choices=labels.choices(labels.ACTIVITY_LANGUAGE),
        validate_choice=False,
        validators=[InputRequired(_l("Select the languages the activity was held in"))],
    )
    interpretation = SelectMultipleField(
        _l("Was interpretation or translation provided? (optional)"),
        widget=GovCheckboxesInput(),
        description=_l("Select all that were provided. Leave blank if none was."),
        choices=labels.choices(labels.INTERPRETATION),
        validate_choice=False,
        validators=[Optional()],
    )
    material_formats = SelectMultipleField(
        _l("Was material given out in Welsh or other formats? (optional)"),
        widget=GovCheckboxesInput(),
        description=_l("Papers, slides or invitations for this activity. Leave blank if only standard English."),
        choices=labels.choices(labels.OUTPUT_FORMAT),
        validate_choice=False,
        validators=[Optional()],
    )
    # Shown to organisations in Wales only (Welsh Language Standard 91).
    welsh_effects = RadioField(
        _l("Did it ask people how the proposals would affect the Welsh language? (optional)"),
        widget=GovRadioInput(),
        description=_l("Answer this for a consultation or survey about a proposal or a policy."),
        choices=YES_NO,
        validators=[Optional()],
        validate_choice=False,
    )
    on_behalf_of = SelectField(
        _l("Are you recording this for a citizen partner?"),
        widget=GovSelect(),
        description=_l("If you are writing this down for someone, choose them. They will be asked to confirm it."),
        validate_choice=False,
    )
    version = HiddenField()
    submit = SubmitField(_l("Save and continue"), widget=GovSubmitInput())


class AttendanceBase(FlaskForm):
    version = HiddenField()
    # Read on the server, so it works without JavaScript; with it, the page ticks every row as you tick this.
    everyone_contributed = BooleanField(_l("Everyone who attended contributed"), widget=GovCheckboxInput())
    submit = SubmitField(_l("Save attendance"), widget=GovSubmitInput())


def attendance_form_class(attendances, needs_editable=None) -> type[AttendanceBase]:
    """The attendance form; adjustment fields only for the rows in `needs_editable` (ids; None: every row).

    Need to know: someone who may not change a person's adjustments is not even shown them."""

    class AttendanceForm(AttendanceBase):
        pass

    needs = labels.choices(labels.COMMUNICATION_NEED)
    for row in attendances:
        setattr(
            AttendanceForm,
            f"contributed_{row.id}",
            BooleanField(_l("They contributed"), widget=GovCheckboxInput()),
        )
        if needs_editable is not None and row.id not in needs_editable:
            continue
        setattr(
            AttendanceForm,
            f"requested_{row.id}",
            SelectMultipleField(
                _l("Adjustments they asked for"), widget=GovCheckboxesInput(), choices=needs, validate_choice=False
            ),
        )
        setattr(
            AttendanceForm,
            f"provided_{row.id}",
            SelectMultipleField(
                _l("Adjustments that were provided"), widget=GovCheckboxesInput(), choices=needs, validate_choice=False
            ),
        )
    return AttendanceForm


class RatingForm(FlaskForm):
    rating = RadioField(
        _l("How co-produced did this activity feel to you?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(str(k), v) for k, v in labels.LADDER.items()],
        validators=[InputRequired(_l("Choose the step on the ladder that fits how the activity felt to you"))],
        validate_choice=False,
    )
    note = TextAreaField(
        _l("Anything you want to add? (optional)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000, message=_l("Your note must be 2,000 characters or fewer"))],
    )
    submit = SubmitField(_l("Save my rating"), widget=GovSubmitInput())


class DecisionBase(FlaskForm):
    what = TextAreaField(
        _l("What was decided?"),
        widget=GovTextArea(),
        validators=[
            InputRequired(_l("Say what was decided")),
            Length(max=10000, message=_l("What was decided must be 10,000 characters or fewer")),
        ],
    )
    options_considered = TextAreaField(
        _l("What options were considered? (optional)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=10000, message=_l("Options must be 10,000 characters or fewer"))],
    )
    changed = RadioField(
        _l("Did the decision change because of what citizen partners said?"),
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[InputRequired(_l("Say whether the decision changed because of what citizen partners said"))],
        validate_choice=False,
    )
    how_changed = TextAreaField(
        _l("How did it change?"),
        widget=GovTextArea(),
        description=_l("Needed if you answered yes."),
        validators=[Length(max=10000, message=_l("How it changed must be 10,000 characters or fewer"))],
    )
    version = HiddenField()
    submit = SubmitField(_l("Save decision"), widget=GovSubmitInput())

    def validate_how_changed(self, field) -> None:
        if self.changed.data == "yes" and not (field.data or "").strip():
            raise StopValidation(str(_l("Say how citizen partners' input changed the decision")))


class WelshEffectsFields(FlaskForm):
    """Welsh Language Standards 88-91, asked of organisations in Wales only."""

    welsh_effects = RadioField(
        _l("Were the decision's effects on the Welsh language considered?"),
        widget=GovRadioInput(),
        description=_l(
            "For example, whether it changes people's chances to use Welsh, or treats Welsh less favourably "
            "than English. Leave it blank if nobody has looked at this yet."
        ),
        choices=labels.choices(labels.WELSH_EFFECTS),
        validators=[Optional()],
        validate_choice=False,
    )
    welsh_effects_note = TextAreaField(
        _l("What are the effects, or why is it not relevant?"),
        widget=GovTextArea(),
        description=_l("Needed if they were considered. A sentence or two is enough."),
        validators=[Length(max=2000, message=_l("The note on the Welsh language must be 2,000 characters or fewer"))],
    )

    def validate_welsh_effects_note(self, field) -> None:
        if self.welsh_effects.data == "considered" and not (field.data or "").strip():
            raise StopValidation(str(_l("Say briefly what the effects on the Welsh language are")))


def decision_form_class(attendances, in_wales: bool = False) -> type[DecisionBase]:
    class DecisionForm(DecisionBase, *((WelshEffectsFields,) if in_wales else ())):  # type: ignore[misc]
        pass

    positions = labels.choices(labels.POSITION)
    for row in attendances:
        if row.user_id is None:
            continue
        setattr(
            DecisionForm,
            f"position_{row.user_id}",
            RadioField(
                row.user.display_name,
                widget=GovRadioInput(),
                choices=positions,
                validators=[InputRequired(_l("Choose %(name)s's position", name=row.user.display_name))],
                validate_choice=False,
            ),
        )
    return DecisionForm


class ConfirmActivityForm(FlaskForm):
    outcome = RadioField(
        _l("Is this record right?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("confirm", _l("Yes, it is right")),
            SelectChoice("correct", _l("No, I want to correct it")),
        ],
        validators=[InputRequired(_l("Say whether the record is right"))],
        validate_choice=False,
    )
    notes = TextAreaField(
        _l("What happened"),
        widget=GovTextArea(),
        description=_l("If you are correcting the record, change this to say what happened."),
        validators=[Optional(), Length(max=20000, message=_l("Notes must be 20,000 characters or fewer"))],
    )
    confirmation_note = TextAreaField(
        _l("Anything you want to add"),
        widget=GovTextArea(),
        description=_l("Needed if you are correcting the record: say what was wrong."),
        validators=[Optional(), Length(max=5000, message=_l("Your note must be 5,000 characters or fewer"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class RecommendationForm(FlaskForm):
    text = TextAreaField(
        _l("What do you recommend?"),
        widget=GovTextArea(),
        validators=[
            InputRequired(_l("Enter the recommendation")),
            Length(max=10000, message=_l("The recommendation must be 10,000 characters or fewer")),
        ],
    )
    activity_id = SelectField(
        _l("Which activity did it come from? (optional)"), widget=GovSelect(), validate_choice=False
    )
    raised_on = GovDateField(
        _l("When was it said? (optional)"),
        description=_l("Leave blank if it was today. For earlier work, for example 27 3 2025."),
        missing=_l("Enter the date it was said"),
        invalid=_l("The date it was said must be a real date"),
        required=False,
    )
    submit = SubmitField(_l("Save recommendation"), widget=GovSubmitInput())


class RespondForm(FlaskForm):
    response = RadioField(
        _l("What is the response?"),
        widget=GovRadioInput(),
        choices=labels.choices(labels.RESPONSE),
        validators=[InputRequired(_l("Choose a response"))],
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Reason"),
        widget=GovTextArea(),
        description=_l("Needed if the recommendation was adapted or not accepted."),
        validators=[Optional(), Length(max=10000, message=_l("The reason must be 10,000 characters or fewer"))],
    )
    action_taken = TextAreaField(
        _l("What has been done? (optional)"),
        widget=GovTextArea(),
        description=_l(
            "Leave blank until something is done. A review date that passes with nothing done shows as overdue."
        ),
        validators=[Optional(), Length(max=10000, message=_l("What has been done must be 10,000 characters or fewer"))],
    )
    review_on = GovDateField(
        _l("When should it be reviewed? (optional)"),
        description=_l("For example, 27 3 2025"),
        missing=_l("Enter a review date"),
        invalid=_l("The review date must be a real date"),
        required=False,
    )
    version = HiddenField()
    submit = SubmitField(_l("Save response"), widget=GovSubmitInput())


class ReviewForm(FlaskForm):
    reviewed_on = GovDateField(
        _l("When was the review held?"),
        description=_l("For example, 27 3 2025"),
        missing=_l("Enter the date the review was held"),
        invalid=_l("The date the review was held must be a real date"),
    )
    reviewed_by = SelectField(
        _l("Who held the review?"),
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired(_l("Choose who held the review"))],
    )
    outcome = TextAreaField(
        _l("What did the review find?"),
        widget=GovTextArea(),
        description=_l("For example, what has changed for people since, and whether anything more is needed."),
        validators=[
            InputRequired(_l("Say what the review found")),
            Length(max=10000, message=_l("What the review found must be 10,000 characters or fewer")),
        ],
    )
    version = HiddenField()
    submit = SubmitField(_l("Save review"), widget=GovSubmitInput())


class EvidenceForm(FlaskForm):
    file = FileField(
        _l("Upload a file"),
        widget=GovFileInput(),
        description=_l("PDF, Word, OpenDocument text, PNG, JPEG, GIF, plain text or CSV."),
    )
    description = TextAreaField(
        _l("What is it? (optional)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000, message=_l("The description must be 2,000 characters or fewer"))],
    )
    consent = RadioField(
        _l("How can this file be used in reports?"),
        widget=GovRadioInput(),
        choices=labels.choices(labels.CONSENT),
        validators=[InputRequired(_l("Choose how this file can be used in reports"))],
        validate_choice=False,
    )
    activity_id = HiddenField()
    decision_id = HiddenField()
    submit = SubmitField(_l("Upload file"), widget=GovSubmitInput())


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you withdrawing it?"),
        widget=GovTextArea(),
        description=_l("For example: “Uploaded to the wrong initiative” or “Recorded twice”. The history keeps this."),
        validators=[
            InputRequired(_l("Say why this is being withdrawn")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Withdraw it"), widget=GovSubmitInput())
