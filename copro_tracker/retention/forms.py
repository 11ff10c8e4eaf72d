"""Forms for retention periods and legal holds."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from .. import labels
from ..codes import RETENTION_MONTH_CHOICES, RetainedRecord
from ..web.govuk import GovSelect, GovSubmitInput, GovTextArea

KEEP = "keep"


def period_label(months: int | None) -> str:
    """How a period reads: "1 year", "6 years", "6 months", or "Keep for good"."""
    if months is None:
        return str(_l("Keep for good"))
    if months % 12 == 0:
        return ngettext("%(num)d year", "%(num)d years", months // 12)
    return ngettext("%(num)d month", "%(num)d months", months)


def rules_form(current: dict[RetainedRecord, int | None], formdata=None) -> FlaskForm:
    """One choice per kind of record, with the period now in force chosen."""

    class RulesForm(FlaskForm):
        submit = SubmitField(_l("Save retention periods"), widget=GovSubmitInput())

    choices = [SelectChoice(str(m), period_label(m)) for m in RETENTION_MONTH_CHOICES]
    choices.append(SelectChoice(KEEP, period_label(None)))
    for kind in RetainedRecord:
        setattr(
            RulesForm,
            kind.value,
            SelectField(
                labels.RETAINED_RECORD[kind],
                description=labels.RETAINED_RECORD_HINT[kind],
                choices=choices,
                widget=GovSelect(),
                validators=[InputRequired(_l("Choose how long to keep them"))],
            ),
        )
    form = RulesForm(formdata=formdata) if formdata is not None else RulesForm()
    if not form.is_submitted():
        for kind, months in current.items():
            form[kind.value].data = KEEP if months is None else str(months)
    return form


def chosen(form: FlaskForm) -> dict[RetainedRecord, int | None]:
    return {kind: None if form[kind.value].data == KEEP else int(form[kind.value].data) for kind in RetainedRecord}


WHOLE = "organisation"


class PlaceHoldForm(FlaskForm):
    scope = SelectField(
        _l("What should the hold cover?"),
        widget=GovSelect(),
        validators=[InputRequired(_l("Choose what the hold covers"))],
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Why is it needed?"),
        widget=GovTextArea(),
        description=_l("For example: “CQC inspection of adult social care, from 3 March”."),
        validators=[
            InputRequired(_l("Say why the hold is needed")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Place the legal hold"), widget=GovSubmitInput())


class LiftHoldForm(FlaskForm):
    reason = TextAreaField(
        _l("Why can it be lifted now?"),
        widget=GovTextArea(),
        validators=[
            InputRequired(_l("Say why the hold can be lifted")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer")),
        ],
    )
    version = HiddenField()
    submit = SubmitField(_l("Lift the legal hold"), widget=GovSubmitInput())
