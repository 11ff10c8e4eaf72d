"""Plain-English labels for coded values, shared by forms, pages and reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from .models import CommunicationNeed, Nation, OrgRole, PartnerKind

ROLE = {
    OrgRole.ADMIN: _l("Organisation admin"),
    OrgRole.COMMISSIONER: _l("Commissioner"),
    OrgRole.CITIZEN_PARTNER: _l("Citizen partner"),
}
PARTNER_KIND = {
    PartnerKind.DRAWS_ON_CARE: _l("Person who draws on care and support"),
    PartnerKind.CARER: _l("Unpaid carer"),
    PartnerKind.COMMUNITY: _l("Community member"),
    PartnerKind.PROVIDER: _l("Care provider"),
    PartnerKind.VCSE: _l("Voluntary or community organisation"),
    PartnerKind.HEALTHWATCH: _l("Healthwatch"),
    PartnerKind.ADVOCATE: _l("Advocate"),
    PartnerKind.OFFICER: _l("Council or ICB officer"),
}
COMMUNICATION_NEED = {
    CommunicationNeed.EASY_READ: _l("Easy Read documents"),
    CommunicationNeed.LARGE_PRINT: _l("Large print"),
    CommunicationNeed.BSL_INTERPRETER: _l("British Sign Language (BSL) interpreter"),
    CommunicationNeed.HEARING_LOOP: _l("Hearing loop"),
    CommunicationNeed.SCREEN_READER: _l("Documents that work with a screen reader"),
    CommunicationNeed.EXTRA_TIME: _l("Extra time to read and respond"),
    CommunicationNeed.SUPPORTER_PRESENT: _l("A supporter with me"),
}
NATION = {
    Nation.ENGLAND: _l("England"),
    Nation.WALES: _l("Wales"),
    Nation.SCOTLAND: _l("Scotland"),
    Nation.NORTHERN_IRELAND: _l("Northern Ireland"),
}
LANGUAGE = {"en": _l("English"), "cy": _l("Welsh (Cymraeg)")}


def choices(mapping: dict) -> list[SelectChoice]:
    return [SelectChoice(str(getattr(key, "value", key)), str(label)) for key, label in mapping.items()]


def label(mapping: dict, key: object) -> str:
    for candidate, text in mapping.items():
        if candidate == key or getattr(candidate, "value", None) == key:
            return str(text)
    return str(key)
