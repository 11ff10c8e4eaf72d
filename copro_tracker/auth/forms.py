"""Forms for signing in, invitations and passwords. Every message is plain English and explicit."""

from __future__ import annotations

from flask_babel import gettext, lazy_ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, StopValidation, ValidationError

from .. import labels
from ..web.govuk import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from . import names, passwords


def email_field(label: str = _l("Email address"), missing: str = _l("Enter your email address")) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            InputRequired(missing),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                _l("Enter an email address in the correct format, like name@example.org"), check_deliverability=False
            ),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def new_password_field(label: str = _l("Create a password")) -> PasswordField:
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        description=lazy_ngettext(
            "At least %(num)s character. A few unrelated words together make a strong password.",
            "At least %(num)s characters. A few unrelated words together make a strong password.",
            passwords.MIN_LENGTH,
        ),
        validators=[InputRequired(_l("Enter a password"))],
        render_kw={"autocomplete": "new-password"},
    )


def visible_name(form: FlaskForm, field: StringField) -> None:
    problem = names.name_problem(field.data or "")
    if problem:
        raise ValidationError(gettext(problem))


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter your password"))],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


NEEDS_ANSWER = [
    SelectChoice("some", _l("Yes, something helps me take part")),
    SelectChoice("none", _l("No, nothing is needed")),
]


class NeedsMixin:
    # An explicit answer, so "nothing is needed" is told apart from a question skipped (the criteria
    # count only answers; see the Accessible Information Standard's "ask and record" steps).
    needs_answer = RadioField(
        _l("Do you need anything to help you take part?"),
        widget=GovRadioInput(),
        choices=NEEDS_ANSWER,
        validators=[InputRequired(_l("Say whether you need anything to help you take part"))],
    )
    communication_needs = SelectMultipleField(
        _l("Communication needs"),
        widget=GovCheckboxesInput(),
        description=_l("Tell us what helps you take part. Select all that apply, or none."),
        choices=labels.choices(labels.COMMUNICATION_NEED),
    )
    communication_needs_other = TextAreaField(
        _l("Anything else that helps you take part (optional)"),
        widget=GovTextArea(),
        validators=[Length(max=500, message=_l("Keep this to 500 characters or fewer"))],
    )
    preferred_language = RadioField(
        _l("Which language would you like us to use?"),
        widget=GovRadioInput(),
        choices=labels.choices(labels.LANGUAGE),
        validators=[InputRequired(_l("Choose English or Welsh"))],
    )

    def validate_communication_needs(self, field) -> None:
        chosen = bool(field.data) or bool((self.communication_needs_other.data or "").strip())
        if self.needs_answer.data == "some" and not chosen:
            raise StopValidation(str(_l("Select what helps you take part, or answer that nothing is needed")))
        if self.needs_answer.data == "none" and chosen:
            raise StopValidation(str(_l("You answered that nothing is needed: clear what you selected, or answer yes")))


class AcceptInvitationForm(NeedsMixin, FlaskForm):
    display_name = StringField(
        _l("Your name"),
        widget=GovTextInput(),
        description=_l("This is how other members of the initiative will see you."),
        validators=[
            InputRequired(_l("Enter your name")),
            Length(max=120, message=_l("Name must be 120 characters or fewer")),
            visible_name,
        ],
        render_kw={"autocomplete": "name"},
    )
    password = new_password_field()
    submit = SubmitField(_l("Create my account"), widget=GovSubmitInput())


class ProfileForm(NeedsMixin, FlaskForm):
    display_name = AcceptInvitationForm.display_name
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())


class ForgottenPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send me a reset link"), widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    submit = SubmitField(_l("Save new password"), widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter your current password"))],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())


class InviteForm(FlaskForm):
    display_name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter the person's name")),
            Length(max=120, message=_l("Name must be 120 characters or fewer")),
            visible_name,
        ],
    )
    # The person inviting types someone else's address.
    email = email_field(missing=_l("Enter the person's email address"))
    role = RadioField(
        _l("Role in the organisation"),
        widget=GovRadioInput(),
        choices=labels.choices(labels.ROLE),
        validators=[InputRequired(_l("Choose a role"))],
    )
    partner_kind = RadioField(
        _l("How are they involved?"),
        widget=GovRadioInput(),
        choices=labels.choices(labels.PARTNER_KIND),
        validators=[InputRequired(_l("Choose how they are involved"))],
    )
    submit = SubmitField(_l("Create invitation"), widget=GovSubmitInput())


class MemberRoleForm(FlaskForm):
    role = InviteForm.role
    partner_kind = InviteForm.partner_kind
    submit = SubmitField(_l("Save role"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class StepUpForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter your password"))],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
