"""Forms for equality monitoring: every question optional, each with "Prefer not to say"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from .. import labels
from ..codes import EQUALITY_CODES, PREFER_NOT_TO_SAY, SELDOM_HEARD_NONE, EqualityQuestion
from ..web.govuk import GovCheckboxesInput, GovDateField, GovRadioInput, GovSubmitInput, GovTextInput


def _question(question: EqualityQuestion) -> RadioField:
    return RadioField(
        labels.EQUALITY_QUESTION_ASKED[question],
        widget=GovRadioInput(),
        choices=labels.choices(labels.EQUALITY_ANSWERS[question.value]),
        validators=[Optional()],
        validate_choice=False,  # the service refuses a code that is not offered, with a message
    )


class EqualityForm(FlaskForm):
    age_band = _question(EqualityQuestion.AGE_BAND)
    disability = _question(EqualityQuestion.DISABILITY)
    ethnicity = _question(EqualityQuestion.ETHNICITY)
    sex = _question(EqualityQuestion.SEX)
    gender_same_as_birth = _question(EqualityQuestion.GENDER_SAME_AS_BIRTH)
    religion = _question(EqualityQuestion.RELIGION)
    sexual_orientation = _question(EqualityQuestion.SEXUAL_ORIENTATION)
    carer = _question(EqualityQuestion.CARER)
    seldom_heard = SelectMultipleField(
        labels.EQUALITY_QUESTION_ASKED[EqualityQuestion.SELDOM_HEARD],
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        validate_choice=False,
    )
    submit = SubmitField(_l("Save my answers"), widget=GovSubmitInput())

    QUESTIONS = tuple(q.value for q in EQUALITY_CODES)

    def offer_groups(self, groups: list[tuple[str, str]]) -> None:
        """The organisation's current groups (id, name in the reader's language), then the two exclusive answers."""
        self.seldom_heard.choices = [SelectChoice(code, name) for code, name in groups] + [
            SelectChoice(SELDOM_HEARD_NONE, _l("None of these")),
            SelectChoice(PREFER_NOT_TO_SAY, _l("Prefer not to say")),
        ]


class GroupForm(FlaskForm):
    name = StringField(
        _l("Name of the group"),
        widget=GovTextInput(),
        description=_l("For example, “Gypsy, Roma and Traveller communities” or “People who are homeless”."),
        validators=[Length(max=120, message=_l("A group's name must be 120 characters or fewer"))],
    )
    name_cy = StringField(
        _l("Name in Welsh (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=120, message=_l("A group's name must be 120 characters or fewer"))],
    )
    submit = SubmitField(_l("Add the group"), widget=GovSubmitInput())


class RetireForm(FlaskForm):
    submit = SubmitField(_l("Stop asking about this group"), widget=GovSubmitInput())


class ReferenceForm(FlaskForm):
    source = StringField(
        _l("Where the figures come from"),
        widget=GovTextInput(),
        description=_l("For example, “Adult social care client records, 2024 to 2025” or “Census 2021, Northshire”."),
        validators=[Length(max=300, message=_l("The source must be 300 characters or fewer"))],
    )
    as_of = GovDateField(
        _l("Date the figures describe"),
        description=_l("For example, 31 3 2025"),
        missing=_l("Enter the date the figures describe"),
        invalid=_l("The date the figures describe must be a real date"),
    )
    submit = SubmitField(_l("Save the figures"), widget=GovSubmitInput())


def reference_form(categories: list[tuple[str, object]], **kwargs) -> ReferenceForm:
    """The reference form with one percentage field per category (`figure_<code>`), in the order given."""

    class _ReferenceForm(ReferenceForm):
        pass

    for code, label in categories:
        field = StringField(
            label,
            widget=GovTextInput(),
            validators=[Optional(), Length(max=10, message=_l("Enter each figure as a percentage, like 12.5"))],
        )
        setattr(_ReferenceForm, f"figure_{code}", field)
    return _ReferenceForm(**kwargs)
