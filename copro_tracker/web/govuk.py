"""GOV.UK Frontend wiring. Forms import widgets from here only, never from govuk_frontend_wtf.

govuk-frontend-wtf is stale (it targets Frontend 5.7) but thin; keeping it behind this module means
a future in-house replacement changes this file and nothing else. tests/web/test_govuk_widgets.py
renders every widget and the error summary to catch a break early.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers, wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from wtforms import DateField, Form

__all__ = [
    "GovCharacterCount",
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
