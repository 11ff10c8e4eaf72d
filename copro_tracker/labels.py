"""Plain-English labels for coded values, shared by forms, pages and reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from .models import (
    ActivityKind,
    CommunicationNeed,
    Consent,
    Level,
    MemberRole,
    Nation,
    OrgRole,
    OutputFormat,
    OutputKind,
    PartnerKind,
    Position,
    ReciprocityKind,
    Response,
    SignOffDecision,
    StageKind,
    StageStatus,
    StatutoryFunction,
)

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
STATUTORY_FUNCTION = {
    StatutoryFunction.PREVENTION: _l("Prevention"),
    StatutoryFunction.INFORMATION_ADVICE: _l("Information and advice"),
    StatutoryFunction.MARKET_SHAPING: _l("Market shaping and commissioning"),
    StatutoryFunction.ASSESSMENT: _l("Assessment"),
    StatutoryFunction.STRATEGY_PLAN: _l("Local strategy or plan"),
    StatutoryFunction.ADVOCACY: _l("Advocacy"),
    StatutoryFunction.OTHER: _l("Other"),
}
LEVEL = {
    Level.COLLECTIVE: _l("Collective: designing or improving services for many people"),
    Level.INDIVIDUAL: _l("Individual: one person's own care and support"),
}
STAGE = {StageKind.DESIGN: _l("Design"), StageKind.DELIVERY: _l("Delivery"), StageKind.EVALUATION: _l("Evaluation")}
STAGE_STATUS = {
    StageStatus.NOT_STARTED: _l("Not started"),
    StageStatus.IN_PROGRESS: _l("In progress"),
    StageStatus.AWAITING_SIGNOFF: _l("Awaiting sign-off"),
    StageStatus.COMPLETE: _l("Complete"),
}
MEMBER_ROLE = {MemberRole.CO_LEAD: _l("Co-lead"), MemberRole.MEMBER: _l("Member"), MemberRole.OBSERVER: _l("Observer")}
SIGN_OFF = {SignOffDecision.APPROVE: _l("Approved"), SignOffDecision.DISSENT: _l("Disagreed")}
OUTPUT_KIND = {
    OutputKind.PLAN: _l("A plan"),
    OutputKind.STRATEGY: _l("A strategy"),
    OutputKind.INFORMATION_ADVICE_PLAN: _l("Information and advice plan"),
    OutputKind.MARKET_POSITION_STATEMENT: _l("Market position statement"),
    OutputKind.TERMS_OF_REFERENCE: _l("Terms of reference"),
    OutputKind.OUTCOMES_FRAMEWORK: _l("Outcomes framework"),
    OutputKind.EVALUATION_REPORT: _l("Evaluation report"),
    OutputKind.RESPONSE_STATEMENT: _l('"You said, we did" response'),
    OutputKind.ACCESSIBLE_VERSION: _l("Accessible version of another document"),
    OutputKind.OTHER: _l("Something else"),
}
OUTPUT_FORMAT = {
    OutputFormat.EASY_READ: _l("Easy Read"),
    OutputFormat.LARGE_PRINT: _l("Large print"),
    OutputFormat.AUDIO: _l("Audio"),
    OutputFormat.BSL_VIDEO: _l("British Sign Language video"),
    OutputFormat.WELSH: _l("Welsh"),
    OutputFormat.OTHER_LANGUAGE: _l("Other languages"),
}
RECIPROCITY_KIND = {
    ReciprocityKind.PAYMENT: _l("Payment"),
    ReciprocityKind.VOUCHER: _l("Voucher"),
    ReciprocityKind.EXPENSES: _l("Expenses (travel, care cover)"),
    ReciprocityKind.TIME_CREDIT: _l("Time credits"),
    ReciprocityKind.TRAINING: _l("Training or learning"),
    ReciprocityKind.DECLINED: _l("Offered, but they chose not to take it"),
}
LANGUAGE = {"en": _l("English"), "cy": _l("Welsh (Cymraeg)")}
ACTIVITY_KIND = {
    ActivityKind.WORKSHOP: _l("Workshop"),
    ActivityKind.CO_DESIGN_SESSION: _l("Co-design session"),
    ActivityKind.STEERING_GROUP: _l("Steering group meeting"),
    ActivityKind.SURVEY: _l("Survey"),
    ActivityKind.TRAINING: _l("Training"),
    ActivityKind.REVIEW: _l("Review"),
    ActivityKind.EVALUATION_PANEL: _l("Evaluation panel"),
    ActivityKind.OTHER: _l("Something else"),
}
POSITION = {
    Position.AGREED: _l("Agreed"),
    Position.DISSENTED: _l("Disagreed"),
    Position.ABSTAINED: _l("Did not take a side"),
    Position.ABSENT: _l("Not there for this decision"),
}
RESPONSE = {
    Response.ACCEPTED: _l("Accepted: we will do it"),
    Response.ADAPTED: _l("Adapted: we will do part of it, or do it differently"),
    Response.REJECTED: _l("Not accepted"),
}
CONSENT = {
    Consent.NAMED: _l("Named: it can be used in reports with people's names"),
    Consent.ANONYMISED: _l("Anonymised: it can be used, with names and details that identify people removed"),
    Consent.AGGREGATE_ONLY: _l("Counted only: it can be counted in totals, but not quoted or shown"),
    Consent.DO_NOT_USE: _l("Do not use: keep it as a record only, never in reports"),
}
# Criteria: the automatic check's statuses (the people's assessment uses the first four).
FINDING_STATUS = {
    "met": _l("Met"),
    "partly_met": _l("Partly met"),
    "not_met": _l("Not met"),
    "not_applicable": _l("Does not apply"),
    "needs_attestation": _l("A person needs to confirm"),
}
# The Think Local Act Personal (TLAP) ladder of co-production, from least to most shared power.
LADDER = {
    1: _l("1. Coercion"),
    2: _l("2. Educating"),
    3: _l("3. Informing"),
    4: _l("4. Consulting"),
    5: _l("5. Engaging"),
    6: _l("6. Co-designing"),
    7: _l("7. Co-production"),
}
LADDER_HINT = {
    1: _l("People were made to attend or go along with something already decided. Their views were not asked."),
    2: _l("People were told about a plan so they would understand and accept it."),
    3: _l("People were given information about what is happening, but could not change it."),
    4: _l("People were asked for their views, but others decided what to do with them."),
    5: _l("People had more say and their views shaped some choices, but others still had the final word."),
    6: _l("People helped design the work, but were not involved in carrying it out or deciding on it."),
    7: _l("People shared power as equals: they decided, designed and did the work together."),
}


def choices(mapping: dict) -> list[SelectChoice]:
    return [SelectChoice(str(getattr(key, "value", key)), str(label)) for key, label in mapping.items()]


def label(mapping: dict, key: object) -> str:
    for candidate, text in mapping.items():
        if candidate == key or getattr(candidate, "value", None) == key:
            return str(text)
    return str(key)
