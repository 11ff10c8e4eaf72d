"""Contract test for govuk-frontend-wtf behind copro_tracker/web/govuk.py: every widget renders with
our pinned govuk-frontend-jinja, and the error summary links where GOV.UK says it should."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from copro_tracker.web import govuk

ROOT = Path(__file__).resolve().parents[2]
CHOICES = [SelectChoice("a", "Option A"), SelectChoice("b", "Option B")]


class EveryWidget(FlaskForm):
    text = StringField("Text", widget=govuk.GovTextInput(), validators=[InputRequired("Enter text")])
    number = IntegerField("Number", widget=govuk.GovTextInput())
    count = TextAreaField("Count", widget=govuk.GovCharacterCount())
    area = TextAreaField("Area", widget=govuk.GovTextArea())
    when = DateField("When", widget=govuk.GovDateInput(), validators=[InputRequired("Enter a date")])
    radios = RadioField("Radios", widget=govuk.GovRadioInput(), choices=CHOICES)
    select = SelectField("Select", widget=govuk.GovSelect(), choices=CHOICES)
    boxes = SelectMultipleField("Boxes", widget=govuk.GovCheckboxesInput(), choices=CHOICES)
    agree = BooleanField("Agree", widget=govuk.GovCheckboxInput())
    upload = FileField("Upload", widget=govuk.GovFileInput())
    secret = PasswordField("Secret", widget=govuk.GovPasswordInput())
    submit = SubmitField("Save", widget=govuk.GovSubmitInput())


def test_every_widget_renders(app):
    with app.test_request_context():
        form = EveryWidget(meta={"csrf": False})
        html = "".join(str(field()) for field in form)
    soup = BeautifulSoup(html, "html.parser")
    for selector in (
        "input#text.govuk-input",
        "textarea#area.govuk-textarea",
        "input#when-day",
        "input[type=radio][name=radios]",
        "select#select.govuk-select",
        "input[type=checkbox][name=boxes]",
        "input[type=file]#upload",
        "input[type=password]#secret",
        "button.govuk-button",
        "input[type=checkbox][name=agree]",
    ):
        assert soup.select_one(selector) is not None, selector


def test_error_summary_links_date_errors_to_the_day_input(app):
    with app.test_request_context(method="POST", data={}):
        form = EveryWidget(meta={"csrf": False})
        assert not form.validate()
        summary = govuk.error_summary(form)
    hrefs = {item["text"]: item["href"] for item in summary["errorList"]}
    assert hrefs["Enter text"] == "#text"
    assert hrefs["Enter a date"] == "#when-day"


def test_frontend_pins_agree():
    package = json.loads((ROOT / "package.json").read_text())
    assert package["dependencies"]["govuk-frontend"] == "6.3.0"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/govuk-frontend"]["version"] == "6.3.0"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"govuk-frontend-jinja==4.1.0"' in pyproject


def test_no_gov_uk_branding_in_the_layout(client):
    html = client.get("/").get_data(as_text=True)
    assert "Crown copyright" not in html and "govuk-crest" not in html and "GDS Transport" not in html
    assert 'href="/assets/' not in html
    css = (ROOT / "static/build/app.css").read_text()
    assert "GDS Transport" not in css and "@font-face" not in css
