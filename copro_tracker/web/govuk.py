"""GOV.UK Frontend wiring. Forms import widgets from here only, never from govuk_frontend_wtf.

govuk-frontend-wtf is stale (it targets Frontend 5.7) but thin; keeping it behind this module means
a future in-house replacement changes this file and nothing else. tests/web/test_govuk_widgets.py
renders every widget and the error summary to catch a break early.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from govuk_frontend_wtf.main import WTFormsHelpers, wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from govuk_frontend_wtf.wtforms_widgets import GovDateInput as _GovDateInput
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput as _GovPasswordInput
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from wtforms import DateField, Form
from wtforms.validators import StopValidation

__all__ = [
    "GovCharacterCount",
    "GovDateField",
    "GovCheckboxInput",
    "GovCheckboxesInput",
    "GovDateInput",
    "GovFileInput",
    "GovPasswordInput",
    "GovRadioInput",
    "GovSelect",
    "GovSubmitInput",
    "GovTextArea",
    "GovTextInput",
    "error_summary",
    "init_templating",
]


def init_templating(app: Flask, templates_dir: Path) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(templates_dir)),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    # Without these the GOV.UK macros emit pages full of blank lines.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    app.add_template_global(error_summary)


def error_summary(form: Form) -> dict[str, Any]:
    """The error summary's parameters. Date errors link to the day input, as the GOV.UK pattern says."""
    params = wtforms_errors(form)
    fields = {field.id: field for field in form}
    for item in params["errorList"]:
        field = fields.get(item["href"].lstrip("#"))
        if isinstance(field, DateField):
            item["href"] = f"#{field.id}-day"
        elif field is not None and isinstance(field.widget, GovCheckboxesInput | GovRadioInput):
            # Checkbox and radio groups have no element with the field's id; link to the first option.
            item["href"] = f"#{field.id}"
    return params


EARLIEST_YEAR = 1900


def read_date(parts: list[str], subject: str) -> date:
    """A day, month and year as typed into a GOV.UK date input, or ValueError saying once what is wrong with it."""
    parts = [str(p).strip() for p in parts]
    if not all(parts):
        names = (_("a day"), _("a month"), _("a year"))
        missing = [name for name, part in zip(names, parts, strict=True) if not part]
        raise ValueError(_("%(subject)s must include %(parts)s", subject=subject, parts=_(" and ").join(missing)))
    if not all(p.isdigit() and len(p) <= 4 for p in parts):
        raise ValueError(_("%(subject)s must be a real date, like 27 3 2025", subject=subject))
    day, month, year = (int(p) for p in parts)
    if year < 100:
        raise ValueError(_("%(subject)s must include the whole year, like 2025", subject=subject))
    if year < EARLIEST_YEAR:
        raise ValueError(_("%(subject)s must be in %(year)s or later", subject=subject, year=EARLIEST_YEAR))
    try:
        return date(year, month, day)
    except (ValueError, OverflowError) as error:
        raise ValueError(_("%(subject)s must be a real date, like 27 3 2025", subject=subject)) from error


def date_subject(invalid: str) -> str:
    """The words that name a date in its translated "invalid" message ("The start date" in "The start date must
    be a real date"; "Rhaid i'r dyddiad dechrau" in Welsh), which read_date's messages continue from."""
    # The word that ends the subject differs by language ("... must be a real date" in English,
    # "Rhaid i ddyddiad y gweithgaredd fod yn ..." in Welsh), so it is itself a translated string.
    # Translators: the word, with spaces around it, that follows the subject in every "invalid date"
    # message; the date messages below continue from it.
    separator = _(" must ")
    return invalid.split(separator, 1)[0] if separator in invalid else invalid


class GovPasswordInput(_GovPasswordInput):
    """The password input with its show/hide button and announcements in the page's language (govuk-frontend
    defaults them to English)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("showPasswordText", _("Show"))
        params.setdefault("hidePasswordText", _("Hide"))
        params.setdefault("showPasswordAriaLabelText", _("Show password"))
        params.setdefault("hidePasswordAriaLabelText", _("Hide password"))
        params.setdefault("passwordShownAnnouncementText", _("Your password is visible"))
        params.setdefault("passwordHiddenAnnouncementText", _("Your password is hidden"))
        return params


class GovDateInput(_GovDateInput):
    """govuk-frontend-wtf's date input with its Day, Month and Year labels in the page's language
    (the package hard-codes them in English)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item, text in zip(params.get("items", []), (_("Day"), _("Month"), _("Year")), strict=False):
            item["label"] = text
        return params


class GovDateField(DateField):
    """A day/month/year date with messages that say exactly what is wrong, once.

    `invalid` names the date ("The date the activity happened must be a real date"); the other messages reuse its
    subject, the words before "must". `past_only` refuses dates after today, for things that have already happened."""

    def __init__(
        self,
        label=None,
        *,
        missing: str,
        invalid: str,
        required: bool = True,
        past_only: bool = False,
        future: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), **kwargs)
        self.missing, self.invalid, self.required = missing, invalid, required
        self.past_only, self.future = past_only, future

    def _subject(self) -> str:
        return date_subject(str(self.invalid))

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            self.raw_data = None  # the widget then shows the field's data, not a broken triple
            return
        parts = [str(v).strip() for v in valuelist[:3]] + [""] * (3 - min(len(valuelist), 3))
        self.raw_data = parts  # the widget always needs exactly day, month and year
        self.data = None
        if not any(parts):
            return
        self.data = read_date(parts, self._subject())

    def pre_validate(self, form) -> None:
        if self.data is None and not self.process_errors:
            if self.required:
                raise StopValidation(str(self.missing))
            raise StopValidation
        if self.past_only and self.data is not None and self.data > date.today():
            message = self.future or _("%(subject)s must be today or in the past", subject=self._subject())
            raise StopValidation(str(message))
