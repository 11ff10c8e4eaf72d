"""Forms for initiatives, members and stage gates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
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
from wtforms.validators import InputRequired, Length, Optional

from .. import labels
from ..codes import MemberRole
from ..web.govuk import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateField,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)


class InitiativeForm(FlaskForm):
    title = StringField(
        _l("Name of the initiative"),
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter the name of the initiative")),
            Length(max=200, message=_l("Name must be 200 characters or fewer")),
        ],
    )
    summary = TextAreaField(
        _l("What is it about?"),
        widget=GovTextArea(),
        description=_l("In plain words: what you want to change, and for whom."),
        validators=[
            InputRequired(_l("Say in a few words what the initiative is about")),
            Length(max=5000, message=_l("Summary must be 5,000 characters or fewer")),
        ],
    )
    service_area = StringField(
        _l("Service area (optional)"),
        widget=GovTextInput(),
        description=_l("For example, day opportunities, home care or carers' support."),
        validators=[Length(max=120, message=_l("Service area must be 120 characters or fewer"))],
    )
    statutory_functions = SelectMultipleField(
        _l("Which of the council's duties does it serve?"),
        widget=GovCheckboxesInput(),
        choices=labels.choices(labels.STATUTORY_FUNCTION),
        validators=[InputRequired(_l("Choose at least one duty the initiative serves"))],
    )
    level = RadioField(
        _l("What kind of co-production is it?"),
        widget=GovRadioInput(),
        choices=labels.choices(labels.LEVEL),
        default="collective",
        validators=[InputRequired(_l("Choose what kind of co-production it is"))],
    )
    nhs_partnered = BooleanField(
        _l("An NHS body (an integrated care board or NHS trust) is a partner in this work"),
        widget=GovCheckboxInput(),
    )
    version = HiddenField()
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


def role_choices() -> list[SelectChoice]:
    return labels.choices(labels.MEMBER_ROLE)


class AddMemberForm(FlaskForm):
    user_id = SelectField(
        _l("Person"),
        widget=GovSelect(),
        coerce=str,
        validate_choice=False,  # the view checks the choice and says so in plain English
        validators=[InputRequired(_l("Choose a person to add"))],
    )
    role = RadioField(
        _l("Their role in this initiative"),
        widget=GovRadioInput(),
        choices=role_choices(),
        default=MemberRole.MEMBER.value,
        validators=[InputRequired(_l("Choose their role"))],
    )
    joined_on = GovDateField(
        _l("When did they join? (optional)"),
        description=_l("Leave blank if they join today. For work that started earlier, for example 27 3 2025."),
        missing=_l("Enter the date they joined"),
        invalid=_l("The date they joined must be a real date"),
        required=False,
    )
    submit = SubmitField(_l("Add to initiative"), widget=GovSubmitInput())


class TenureForm(FlaskForm):
    joined_on = GovDateField(
        _l("When did they join?"),
        description=_l("For example, 27 3 2025"),
        missing=_l("Enter the date they joined"),
        invalid=_l("The date they joined must be a real date"),
    )
    left_on = GovDateField(
        _l("When did they leave? (optional)"),
        description=_l("Leave blank if they are still a member."),
        missing=_l("Enter the date they left"),
        invalid=_l("The date they left must be a real date"),
        required=False,
    )
    submit = SubmitField(_l("Save dates"), widget=GovSubmitInput())


class StageDatesForm(FlaskForm):
    opened_on = GovDateField(
        _l("When did this stage start?"),
        description=_l("For example, 27 3 2025"),
        missing=_l("Enter the date the stage started"),
        invalid=_l("The date the stage started must be a real date"),
    )
    closed_on = GovDateField(
        _l("When did it finish? (optional)"),
        description=_l("Only for a stage that has been signed off."),
        missing=_l("Enter the date the stage finished"),
        invalid=_l("The date the stage finished must be a real date"),
        required=False,
    )
    submit = SubmitField(_l("Save dates"), widget=GovSubmitInput())


class MemberRoleForm(FlaskForm):
    role = RadioField(
        _l("Role"),
        widget=GovRadioInput(),
        choices=role_choices(),
        validators=[InputRequired(_l("Choose a role"))],
    )
    submit = SubmitField(_l("Change role"), widget=GovSubmitInput())


class SignOffForm(FlaskForm):
    decision = RadioField(
        _l("Do you agree this stage is finished?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("approve", _l("Yes, I agree it is finished")),
            SelectChoice("dissent", _l("No, I disagree")),
        ],
        validators=[InputRequired(_l("Choose whether you agree the stage is finished"))],
    )
    comment = TextAreaField(
        _l("Comments"),
        widget=GovTextArea(),
        description=_l("If you disagree, say why. Your view is kept and shown beside the sign-offs."),
        validators=[Optional(), Length(max=5000, message=_l("Comments must be 5,000 characters or fewer"))],
    )
    submit = SubmitField(_l("Record my view"), widget=GovSubmitInput())


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Why does this stage need to be reopened?"),
        widget=GovTextArea(),
        validators=[
            InputRequired(_l("Give a reason for reopening this stage")),
            Length(max=5000, message=_l("Reason must be 5,000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Reopen stage"), widget=GovSubmitInput())
