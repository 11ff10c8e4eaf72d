"""The share-link form: how long the link lasts, and whether citizen partners' names are replaced."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from ..web.govuk import GovCheckboxInput, GovSubmitInput, GovTextInput
from .service import SHARE_DEFAULT_DAYS, SHARE_MAX_DAYS


class ShareLinkForm(FlaskForm):
    # A text field, not IntegerField: WTForms' own message for a non-number is jargon.
    expiry_days = StringField(
        _l("How many days should the link work for?"),
        widget=GovTextInput(),
        description=_l("From 1 to %(max)s days. After that the link stops working.", max=SHARE_MAX_DAYS),
        default=str(SHARE_DEFAULT_DAYS),
        validators=[InputRequired(_l("Enter how many days the link should work for"))],
    )
    anonymise_partners = BooleanField(
        _l("Replace citizen partners' names with 'Citizen partner A', 'Citizen partner B' and so on"),
        widget=GovCheckboxInput(),
    )
    submit = SubmitField(_l("Create the link"), widget=GovSubmitInput())

    def validate_expiry_days(self, field: StringField) -> None:
        text = (field.data or "").strip()
        if not text.isdigit() or not 1 <= int(text) <= SHARE_MAX_DAYS:
            raise ValidationError(_l("Enter a whole number of days from 1 to %(max)s", max=SHARE_MAX_DAYS))

    @property
    def days(self) -> int:
        return int((self.expiry_days.data or "0").strip())
