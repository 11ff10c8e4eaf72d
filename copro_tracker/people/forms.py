"""Forms for a person's requests about their own data, and an admin's answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ..web.govuk import GovCheckboxInput, GovRadioInput, GovSubmitInput, GovTextArea


class CorrectionForm(FlaskForm):
    details = TextAreaField(
        _l("What is wrong, and what should it say?"),
        widget=GovTextArea(),
        description=_l("For example: “My name is spelt Siân, not Sian.” An admin will read this and reply here."),
        validators=[
            InputRequired(_l("Say what is wrong and what it should say")),
            Length(max=5000, message=_l("Your request must be 5,000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Send my request"), widget=GovSubmitInput())


class ErasureRequestForm(FlaskForm):
    details = TextAreaField(
        _l("Anything you want the admin to know? (optional)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message=_l("Your request must be 5,000 characters or fewer"))],
    )
    understood = BooleanField(
        _l("I understand that I will not be able to sign in again once my details are erased"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(_l("Tick the box to say you understand that you will not be able to sign in again"))],
    )
    submit = SubmitField(_l("Ask for my details to be erased"), widget=GovSubmitInput())


class NamedUseForm(FlaskForm):
    named = RadioField(
        _l("Can reports name you?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("yes", _l("Yes, reports can use my name")),
            SelectChoice("no", _l("No, show me by a made-up name such as “Citizen partner A”")),
        ],
        validators=[InputRequired(_l("Choose whether reports can use your name"))],
        validate_choice=False,
    )
    submit = SubmitField(_l("Save my choice"), widget=GovSubmitInput())


class AnswerForm(FlaskForm):
    done = RadioField(
        _l("Was it done?"),
        widget=GovRadioInput(),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[InputRequired(_l("Say whether it was done"))],
        validate_choice=False,
    )
    outcome = TextAreaField(
        _l("What you did, or why not"),
        widget=GovTextArea(),
        description=_l("The person sees this on their “Your data” page."),
        validators=[
            InputRequired(_l("Say what was done, or why not, so the person knows")),
            Length(max=5000, message=_l("The answer must be 5,000 characters or fewer")),
        ],
    )
    version = HiddenField()
    submit = SubmitField(_l("Save the answer"), widget=GovSubmitInput())


class EraseForm(FlaskForm):
    note = TextAreaField(
        _l("Note for the record (optional)"),
        widget=GovTextArea(),
        description=_l("Do not write the person's name or details here."),
        validators=[Optional(), Length(max=2000, message=_l("The note must be 2,000 characters or fewer"))],
    )
    checked = BooleanField(
        _l("I have checked that no law or inspection requires us to keep their details"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(_l("Tick the box to confirm you have checked"))],
    )
    submit = SubmitField(_l("Erase their details"), widget=GovSubmitInput())
