"""Forms for outputs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import URL, InputRequired, Length, Optional

from .. import labels
from ..web.govuk import (
    GovCheckboxesInput,
    GovDateField,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
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
