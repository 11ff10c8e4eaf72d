"""Forms for outputs and reciprocity."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from .. import labels
from ..web.govuk import (
    GovCheckboxesInput,
    GovDateField,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)


class OutputForm(FlaskForm):
    kind = RadioField(
        _l("What is it?"),
        widget=GovRadioInput(),
        choices=labels.choices(labels.OUTPUT_KIND),
        validators=[InputRequired(_l("Choose what kind of output it is"))],
    )
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter the title of the output")),
            Length(max=200, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    document_version = StringField(
        _l("Version"),
        widget=GovTextInput(),
        default="1",
        validators=[Length(max=20, message=_l("Version must be 20 characters or fewer"))],
    )
    co_author_ids = SelectMultipleField(
        _l("Who wrote it together?"), widget=GovCheckboxesInput(), coerce=int, validate_choice=False
    )
    published_url = StringField(
        _l("Where is it published? (optional)"),
        widget=GovTextInput(),
        description=_l("The web address, starting https://"),
        validators=[
            Optional(),
            URL(
                require_tld=True, message=_l("Enter a web address in the correct format, like https://example.org/plan")
            ),
            Length(max=500, message=_l("Web address must be 500 characters or fewer")),
        ],
    )
    published_on = GovDateField(
        _l("Date published (optional)"),
        missing=_l("Enter the date it was published"),
        invalid=_l("Date published must be a real date"),
        required=False,
    )
    formats = SelectMultipleField(
        _l("Which other formats is it available in?"),
        widget=GovCheckboxesInput(),
        choices=labels.choices(labels.OUTPUT_FORMAT),
    )
    evidence_id = SelectField(_l("Linked evidence file (optional)"), widget=GovSelect(), validate_choice=False)
    version = HiddenField()
    submit = SubmitField(_l("Save output"), widget=GovSubmitInput())


class ReciprocityForm(FlaskForm):
    user_id = SelectField(
        _l("Who"),
        widget=GovSelect(),
        description=_l("Anything you were given yourself is recorded by another lead, who approves it"),
        validate_choice=False,
        validators=[InputRequired(_l("Choose who it was for"))],
    )
    kind = RadioField(
        _l("What was offered?"),
        widget=GovRadioInput(),
        choices=labels.choices(labels.RECIPROCITY_KIND),
        validators=[InputRequired(_l("Choose what was offered"))],
    )
    amount_pounds = StringField(
        _l("Amount in pounds (optional)"),
        widget=GovTextInput(),
        description=_l("For example, 25 or 25.50"),
        validators=[Optional(), Length(max=12, message=_l("Enter an amount like 25.50"))],
    )
    hours = IntegerField(
        _l("Hours (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=1000, message=_l("Hours must be between 0 and 1,000"))],
    )
    activity_id = SelectField(
        _l("Which activity was it for? (optional)"),
        widget=GovSelect(),
        description=_l(
            "Leave as 'Not for one activity' for a payment covering several, or for a choice not to be paid."
        ),
        validate_choice=False,
    )
    occurred_on = GovDateField(
        _l("Date"),
        description=_l("The date it was paid or given. It can be in the past, for example 27 3 2025."),
        missing=_l("Enter the date"),
        invalid=_l("Date must be a real date"),
    )
    note = TextAreaField(
        _l("Note (optional)"),
        widget=GovTextArea(),
        validators=[Length(max=2000, message=_l("Note must be 2,000 characters or fewer"))],
    )
    submit = SubmitField(_l("Record"), widget=GovSubmitInput())
