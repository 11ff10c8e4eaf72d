"""Forms for the people's assessment of a criterion, and for co-signing or disagreeing with it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, RadioField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from .. import labels
from ..codes import AssessmentStatus
from ..web.govuk import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea


def _links(label) -> SelectMultipleField:
    # The view fills the choices from this initiative's records; the service checks them again.
    return SelectMultipleField(label, widget=GovCheckboxesInput(), coerce=int, validate_choice=False)


class AssessmentForm(FlaskForm):
    status = RadioField(
        _l("Is this criterion met?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(s.value, labels.FINDING_STATUS[s.value]) for s in AssessmentStatus],
        validators=[InputRequired(_l("Choose whether the criterion is met"))],
    )
    narrative = TextAreaField(
        _l("How did you reach this assessment?"),
        widget=GovTextArea(),
        description=_l(
            "Say what the records show and what they miss, in plain words. Citizen partners will read this "
            "before they co-sign it."
        ),
        validators=[
            InputRequired(_l("Explain how you reached this assessment")),
            Length(max=5000, message=_l("Your explanation must be 5,000 characters or fewer")),
        ],
    )
    link_activity = _links(_l("Activities"))
    link_decision = _links(_l("Decisions"))
    link_evidence = _links(_l("Evidence files"))
    link_output = _links(_l("Outputs"))
    latest_id = HiddenField()
    submit = SubmitField(_l("Record assessment"), widget=GovSubmitInput())

    LINK_FIELDS = ("link_activity", "link_decision", "link_evidence", "link_output")

    def links(self) -> list[tuple[str, int]]:
        return [
            (name.removeprefix("link_"), ident) for name in self.LINK_FIELDS for ident in getattr(self, name).data or ()
        ]


class RespondForm(FlaskForm):
    decision = RadioField(
        _l("Do you agree with this assessment?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("cosign", _l("Yes, I agree and co-sign it")),
            SelectChoice("disagree", _l("No, I disagree")),
        ],
        validators=[InputRequired(_l("Choose whether you agree with the assessment"))],
    )
    reason = TextAreaField(
        _l("If you disagree, say why"),
        widget=GovTextArea(),
        description=_l("Your reason is kept and shown beside the assessment, for everyone on the initiative."),
        validators=[Optional(), Length(max=5000, message=_l("Your reason must be 5,000 characters or fewer"))],
    )
    version = HiddenField()
    submit = SubmitField(_l("Record my answer"), widget=GovSubmitInput())


class CoverageFilters(Form):
    """Read from the query string; no CSRF token, because filtering changes nothing."""

    framework = SelectField(_l("Framework"), widget=GovSelect(), validate_choice=False)
    status = SelectField(_l("Status"), widget=GovSelect(), validate_choice=False)
    show = RadioField(
        _l("Show"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("criteria", _l("Criteria")),
            SelectChoice("cqc", _l("CQC quality statements")),
        ],
        default="criteria",
        validate_choice=False,
    )
