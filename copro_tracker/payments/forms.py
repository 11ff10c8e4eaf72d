"""Forms for payments: the rates card, offers, choices, expense claims, approval, payment, withdrawal, export.

Amounts are typed in pounds (text fields: WTForms' own number messages are jargon) and become whole pence
through domain.payments.parse_pounds.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FileField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, InputRequired, Length, Optional, ValidationError

from .. import codes, labels
from ..domain.payments import parse_pounds
from ..web.govuk import (
    GovDateField,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

AMOUNT_HINT = _l("In pounds, for example 25 or 25.50")
# Every step carries the version the person saw; a request without one cannot say what they agreed to.
STALE = _l("This page was out of date. Check what is shown now, then try again")


def _pounds(message, *, required: bool):
    """A validator: the text is an amount in pounds (or empty, when not required)."""

    def check(form, field) -> None:
        text = (field.data or "").strip()
        if not text:
            if required:
                raise ValidationError(message)
            return
        if parse_pounds(text) is None:
            raise ValidationError(_l("Enter an amount in pounds, like 25 or 25.50"))

    return check


def _whole_number(form, field) -> None:
    text = (field.data or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 100:
        raise ValidationError(_l("Enter a whole number of hours or sessions from 1 to 100"))


class RateCardBase(FlaskForm):
    effective_from = GovDateField(
        _l("Date these rates start"),
        description=_l("Offers for activities on or after this date use these rates. For example, 6 4 2026."),
        missing=_l("Enter the date these rates start"),
        invalid=_l("Date these rates start must be a real date"),
    )
    expenses_rules = TextAreaField(
        _l("What expenses can people claim?"),
        widget=GovTextArea(),
        description=_l("For example: travel by bus or train, mileage at 45p a mile, care cover. Receipts needed."),
        validators=[Length(max=4000, message=_l("The expenses rules must be 4,000 characters or fewer"))],
    )
    year_threshold = StringField(
        _l("Yearly total to warn at (optional)"),
        widget=GovTextInput(),
        description=_l(
            "People, and staff, see a warning before an offer is accepted if it would take the person's total for "
            "the year (6 April to 5 April) past this amount. For example, a permitted earnings limit."
        ),
        validators=[_pounds(None, required=False)],
    )
    benefits_advice = TextAreaField(
        _l("Where people can get advice about benefits (optional)"),
        widget=GovTextArea(),
        description=_l("Shown with the yearly total. This app does not give benefits advice itself."),
        validators=[Length(max=4000, message=_l("The advice text must be 4,000 characters or fewer"))],
    )
    benefits_advice_url = StringField(
        _l("Web address of the benefits advice (optional)"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            URL(require_tld=True, message=_l("Enter a web address in the correct format, like https://example.org")),
            Length(max=500, message=_l("Web address must be 500 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Save these rates"), widget=GovSubmitInput())


def rate_card_form_class() -> type[RateCardBase]:
    """One rate and how it is counted for each kind of activity."""

    class RateCardForm(RateCardBase):
        pass

    for kind, text in labels.ACTIVITY_KIND.items():
        setattr(
            RateCardForm,
            f"rate_{kind.value}",
            StringField(
                _l("%(kind)s: rate (optional)", kind=text),
                widget=GovTextInput(),
                description=AMOUNT_HINT,
                validators=[_pounds(None, required=False)],
            ),
        )
        setattr(
            RateCardForm,
            f"basis_{kind.value}",
            SelectField(
                _l("%(kind)s: counted", kind=text),
                widget=GovSelect(),
                choices=labels.choices(labels.RATE_BASIS),
                default=codes.RateBasis.PER_SESSION.value,
            ),
        )
    return RateCardForm


class OfferForm(FlaskForm):
    user_id = SelectField(
        _l("Who is the offer for?"),
        widget=GovSelect(),
        description=_l("What you are offered yourself is offered by another lead"),
        validate_choice=False,
        validators=[InputRequired(_l("Choose who the offer is for"))],
    )
    activity_id = SelectField(
        _l("Which activity is it for?"),
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired(_l("Choose the activity the offer is for"))],
    )
    units = StringField(
        _l("How many hours or sessions?"),
        widget=GovTextInput(),
        description=_l("Hours for a rate per hour, sessions for a rate per session"),
        default="1",
        validators=[_whole_number],
    )
    amount_pounds = StringField(
        _l("Amount to offer (optional)"),
        widget=GovTextInput(),
        description=_l("Leave empty to use the rates card. %(hint)s", hint=AMOUNT_HINT),
        validators=[_pounds(None, required=False)],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        widget=GovTextArea(),
        validators=[Length(max=2000, message=_l("Note must be 2,000 characters or fewer"))],
    )
    submit = SubmitField(_l("Make the offer"), widget=GovSubmitInput())


class ChangeOfferForm(FlaskForm):
    units = StringField(
        _l("How many hours or sessions?"), widget=GovTextInput(), default="1", validators=[_whole_number]
    )
    amount_pounds = StringField(
        _l("Amount to offer"),
        widget=GovTextInput(),
        description=AMOUNT_HINT,
        validators=[_pounds(_l("Enter the amount to offer"), required=True)],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        widget=GovTextArea(),
        validators=[Length(max=2000, message=_l("Note must be 2,000 characters or fewer"))],
    )
    version = HiddenField(validators=[InputRequired(STALE)])
    submit = SubmitField(_l("Save the offer"), widget=GovSubmitInput())


class ChooseForm(FlaskForm):
    choice = RadioField(
        _l("How would you like to be paid?"),
        widget=GovRadioInput(),
        choices=labels.choices(labels.PAYMENT_CHOICE),
        validators=[InputRequired(_l("Choose how you would like to be paid, or no payment"))],
    )
    version = HiddenField(validators=[InputRequired(STALE)])
    submit = SubmitField(_l("Save the choice"), widget=GovSubmitInput())


class ClaimForm(FlaskForm):
    user_id = SelectField(
        _l("Whose expenses are they?"),
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired(_l("Choose whose expenses they are"))],
    )
    activity_id = SelectField(_l("Which activity were they for? (optional)"), widget=GovSelect(), validate_choice=False)
    note = TextAreaField(
        _l("What was the expense for?"),
        widget=GovTextArea(),
        description=_l("For example, the bus to and from the workshop"),
        validators=[
            InputRequired(_l("Say what the expense was for")),
            Length(max=2000, message=_l("What the expense was for must be 2,000 characters or fewer")),
        ],
    )
    amount_pounds = StringField(
        _l("Amount"),
        widget=GovTextInput(),
        description=AMOUNT_HINT,
        validators=[_pounds(_l("Enter the amount you are claiming"), required=True)],
    )
    spent_on = GovDateField(
        _l("Date you paid"),
        description=_l("For example, 27 3 2026"),
        missing=_l("Enter the date you paid"),
        invalid=_l("Date you paid must be a real date"),
        past_only=True,
    )
    receipt = FileField(
        _l("Receipt"),
        widget=GovFileInput(),
        description=_l("A photo or scan: PDF, PNG, JPEG or GIF. Only you and the people who approve it see it."),
    )
    submit = SubmitField(_l("Send the claim"), widget=GovSubmitInput())


class ApproveForm(FlaskForm):
    version = HiddenField(validators=[InputRequired(STALE)])
    submit = SubmitField(_l("Approve"), widget=GovSubmitInput())


class PaidForm(FlaskForm):
    reference = StringField(
        _l("Payment reference"),
        widget=GovTextInput(),
        description=_l("The reference from the finance system or bank"),
        validators=[
            InputRequired(_l("Enter the payment reference")),
            Length(max=100, message=_l("Payment reference must be 100 characters or fewer")),
        ],
    )
    paid_on = GovDateField(
        _l("Date paid"),
        missing=_l("Enter the date it was paid"),
        invalid=_l("Date paid must be a real date"),
        past_only=True,
    )
    version = HiddenField(validators=[InputRequired(STALE)])
    submit = SubmitField(_l("Mark as paid"), widget=GovSubmitInput())


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it being withdrawn?"),
        widget=GovTextArea(),
        description=_l("It stays on the record with this reason; nothing is deleted"),
        validators=[
            InputRequired(_l("Say why it is being withdrawn")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer")),
        ],
    )
    version = HiddenField(validators=[InputRequired(STALE)])
    submit = SubmitField(_l("Withdraw"), widget=GovSubmitInput())


class ExportForm(FlaskForm):
    """The finance export's date range, read from the query string (a GET form: nothing is changed)."""

    class Meta:
        csrf = False

    start = GovDateField(
        _l("From"),
        description=_l("For example, 1 4 2026"),
        missing=_l("Enter the first day"),
        invalid=_l("The first day must be a real date"),
    )
    end = GovDateField(
        _l("To"),
        description=_l("For example, 30 4 2026"),
        missing=_l("Enter the last day"),
        invalid=_l("The last day must be a real date"),
    )
    submit = SubmitField(_l("Show payments"), widget=GovSubmitInput())

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("The last day must be the same as or after the first day"))
