"""The share-link form: how long the link lasts, and whether citizen partners' names are replaced."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from ..codes import REPORT_LANGUAGE_LABELS
from ..web.govuk import GovRadioInput, GovSubmitInput, GovTextInput
from .service import SHARE_DEFAULT_DAYS, SHARE_MAX_DAYS


class ShareLinkForm(FlaskForm):
    # A text field, not IntegerField: WTForms' own message for a non-number is jargon.
    expiry_days = StringField(
        _l("How many days should the link work for?"),
        widget=GovTextInput(),
        description=lazy_ngettext(
            "From 1 to %(num)s day. After that the link stops working.",
            "From 1 to %(num)s days. After that the link stops working.",
            SHARE_MAX_DAYS,
        ),
        default=str(SHARE_DEFAULT_DAYS),
        validators=[InputRequired(_l("Enter how many days the link should work for"))],
    )
    # Anonymised unless someone chooses otherwise: naming people is a deliberate choice, made with a warning.
    names = RadioField(
        _l("How should citizen partners appear?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice(
                "anonymised", _l("Anonymised: 'Citizen partner A', 'Citizen partner B' and so on (recommended)")
            ),
            SelectChoice("named", _l("By name")),
        ],
        default="anonymised",
        # Anything but an explicit "named" (even no answer at all) makes an anonymised link.
        validators=[Optional()],
        validate_choice=False,
    )
    # Unless chosen otherwise, as the organisation's public documents are: both languages in Wales (views set it).
    language = RadioField(
        _l("Which language should the report be in?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(choice.value, _l(label)) for choice, label in REPORT_LANGUAGE_LABELS.items()],
        # No answer (or an unknown one) is the organisation's default, as the form first shows.
        validators=[Optional()],
        validate_choice=False,
    )
    submit = SubmitField(_l("Create the link"), widget=GovSubmitInput())

    def validate_expiry_days(self, field: StringField) -> None:
        text = (field.data or "").strip()
        if not text.isdigit() or not 1 <= int(text) <= SHARE_MAX_DAYS:
            raise ValidationError(_l("Enter a whole number of days from 1 to %(max)s", max=SHARE_MAX_DAYS))

    @property
    def days(self) -> int:
        return int((self.expiry_days.data or "0").strip())
