from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..web.govuk import GovRadioInput, GovSubmitInput

YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


class PreferencesForm(FlaskForm):
    email = RadioField(
        _l("Email me each time something is waiting for me"),
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[InputRequired(_l("Choose whether we email you each time something is waiting for you"))],
    )
    digest = RadioField(
        _l("Email me a weekly summary of what I have not read yet"),
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[InputRequired(_l("Choose whether we email you a weekly summary"))],
    )
    submit = SubmitField(_l("Save choices"), widget=GovSubmitInput())


class MarkReadForm(FlaskForm):
    """CSRF only: marking as read is a POST."""
