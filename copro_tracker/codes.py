"""Every coded value the tracker uses, defined once, with its plain-English label.

Models store these codes, forms offer them, the criteria snapshot and rules read them, reports and the
audit history print them. Nothing else in the package may define its own copy of a code list:
``tests/unit/test_codes.py`` fails if a model column, a label table or a second enumeration drifts from
what is here.

This module is pure (no Flask, no database), so the domain core can import it. Labels are English; the
web layer translates them where they are shown (``copro_tracker.labels``). ``N_`` only marks a string
for message extraction (``pybabel extract -k N_``); it returns the text unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum


def N_(text: str) -> str:
    return text


def Np_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with plural forms for extraction (``-k Np_:1,2``); the count chooses the form when it
    is rendered (``ngettext``), so a language with more forms than English (Welsh has six) gets each one."""
    return (singular, plural)


# ---------------------------------------------------------------------------------------------------
# Organisations and people


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


NATION_LABELS = {
    Nation.ENGLAND: N_("England"),
    Nation.WALES: N_("Wales"),
    Nation.SCOTLAND: N_("Scotland"),
    Nation.NORTHERN_IRELAND: N_("Northern Ireland"),
}


class OrgRole(StrEnum):
    """A person's role in their organisation: what they may do in the tracker (permissions.py)."""

    ADMIN = "admin"
    COMMISSIONER = "commissioner"
    CITIZEN_PARTNER = "citizen_partner"


ORG_ROLE_LABELS = {
    OrgRole.ADMIN: N_("Organisation admin"),
    OrgRole.COMMISSIONER: N_("Commissioner"),
    OrgRole.CITIZEN_PARTNER: N_("Citizen partner"),
}


class PartnerKind(StrEnum):
    DRAWS_ON_CARE = "draws_on_care"
    CARER = "carer"
    COMMUNITY = "community"
    PROVIDER = "provider"
    VCSE = "vcse"
    HEALTHWATCH = "healthwatch"
    ADVOCATE = "advocate"
    OFFICER = "officer"


PARTNER_KIND_LABELS = {
    PartnerKind.DRAWS_ON_CARE: N_("Person who draws on care and support"),
    PartnerKind.CARER: N_("Unpaid carer"),
    PartnerKind.COMMUNITY: N_("Community member"),
    PartnerKind.PROVIDER: N_("Care provider"),
    PartnerKind.VCSE: N_("Voluntary or community organisation"),
    PartnerKind.HEALTHWATCH: N_("Healthwatch"),
    PartnerKind.ADVOCATE: N_("Advocate"),
    PartnerKind.OFFICER: N_("Council or ICB officer"),
}
# People with lived experience of care: the partners most guidance means by "people who use services".
LIVED_EXPERIENCE_KINDS = (PartnerKind.DRAWS_ON_CARE, PartnerKind.CARER)


class CommunicationNeed(StrEnum):
    """What a person needs to take part. Attendance records requested/provided adjustments in the same codes."""

    EASY_READ = "easy_read"
    LARGE_PRINT = "large_print"
    BSL_INTERPRETER = "bsl_interpreter"
    HEARING_LOOP = "hearing_loop"
    SCREEN_READER = "screen_reader"
    EXTRA_TIME = "extra_time"
    SUPPORTER_PRESENT = "supporter_present"


COMMUNICATION_NEED_LABELS = {
    CommunicationNeed.EASY_READ: N_("Easy Read documents"),
    CommunicationNeed.LARGE_PRINT: N_("Large print"),
    CommunicationNeed.BSL_INTERPRETER: N_("British Sign Language (BSL) interpreter"),
    CommunicationNeed.HEARING_LOOP: N_("Hearing loop"),
    CommunicationNeed.SCREEN_READER: N_("Documents that work with a screen reader"),
    CommunicationNeed.EXTRA_TIME: N_("Extra time to read and respond"),
    CommunicationNeed.SUPPORTER_PRESENT: N_("A supporter with me"),
}


class Language(StrEnum):
    """A person's preferred language for the tracker and for meetings and documents."""

    ENGLISH = "en"
    WELSH = "cy"


LANGUAGE_LABELS = {Language.ENGLISH: N_("English"), Language.WELSH: N_("Welsh (Cymraeg)")}


class TokenPurpose(StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose name, not a secret


TOKEN_PURPOSE_LABELS = {TokenPurpose.INVITATION: N_("Invitation"), TokenPurpose.PASSWORD_RESET: N_("Password reset")}


# ---------------------------------------------------------------------------------------------------
# Initiatives, membership and stages


class StatutoryFunction(StrEnum):
    PREVENTION = "prevention"
    INFORMATION_ADVICE = "information_advice"
    MARKET_SHAPING = "market_shaping"
    ASSESSMENT = "assessment"
    STRATEGY_PLAN = "strategy_plan"
    ADVOCACY = "advocacy"
    OTHER = "other"


STATUTORY_FUNCTION_LABELS = {
    StatutoryFunction.PREVENTION: N_("Prevention"),
    StatutoryFunction.INFORMATION_ADVICE: N_("Information and advice"),
    StatutoryFunction.MARKET_SHAPING: N_("Market shaping and commissioning"),
    StatutoryFunction.ASSESSMENT: N_("Assessment"),
    StatutoryFunction.STRATEGY_PLAN: N_("Local strategy or plan"),
    StatutoryFunction.ADVOCACY: N_("Advocacy"),
    StatutoryFunction.OTHER: N_("Other"),
}


class Level(StrEnum):
    COLLECTIVE = "collective"
    INDIVIDUAL = "individual"


LEVEL_LABELS = {
    Level.COLLECTIVE: N_("Collective: designing or improving services for many people"),
    Level.INDIVIDUAL: N_("Individual: one person's own care and support"),
}


class StageKind(StrEnum):
    DESIGN = "design"
    DELIVERY = "delivery"
    EVALUATION = "evaluation"


STAGE_ORDER: tuple[StageKind, ...] = (StageKind.DESIGN, StageKind.DELIVERY, StageKind.EVALUATION)
STAGE_LABELS = {
    StageKind.DESIGN: N_("Design"),
    StageKind.DELIVERY: N_("Delivery"),
    StageKind.EVALUATION: N_("Evaluation"),
}


class StageStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    AWAITING_SIGNOFF = "awaiting_signoff"
    COMPLETE = "complete"


STAGE_STATUS_LABELS = {
    StageStatus.NOT_STARTED: N_("Not started"),
    StageStatus.IN_PROGRESS: N_("In progress"),
    StageStatus.AWAITING_SIGNOFF: N_("Awaiting sign-off"),
    StageStatus.COMPLETE: N_("Complete"),
}


class MemberRole(StrEnum):
    CO_LEAD = "co_lead"
    MEMBER = "member"
    OBSERVER = "observer"


MEMBER_ROLE_LABELS = {
    MemberRole.CO_LEAD: N_("Co-lead"),
    MemberRole.MEMBER: N_("Member"),
    MemberRole.OBSERVER: N_("Observer"),
}


class Side(StrEnum):
    """Which side of the partnership a member sits on in an initiative, fixed when they join."""

    COMMISSIONER = "commissioner"
    CITIZEN_PARTNER = "citizen_partner"


SIDE_LABELS = {Side.COMMISSIONER: N_("Commissioner"), Side.CITIZEN_PARTNER: N_("Citizen partner")}


class SignOffDecision(StrEnum):
    APPROVE = "approve"
    DISSENT = "dissent"


SIGN_OFF_LABELS = {SignOffDecision.APPROVE: N_("Approved"), SignOffDecision.DISSENT: N_("Disagreed")}


# ---------------------------------------------------------------------------------------------------
# Activities, decisions and follow-through


class ActivityKind(StrEnum):
    WORKSHOP = "workshop"
    CO_DESIGN_SESSION = "co_design_session"
    STEERING_GROUP = "steering_group"
    SURVEY = "survey"
    TRAINING = "training"
    REVIEW = "review"
    EVALUATION_PANEL = "evaluation_panel"
    OTHER = "other"


ACTIVITY_KIND_LABELS = {
    ActivityKind.WORKSHOP: N_("Workshop"),
    ActivityKind.CO_DESIGN_SESSION: N_("Co-design session"),
    ActivityKind.STEERING_GROUP: N_("Steering group meeting"),
    ActivityKind.SURVEY: N_("Survey"),
    ActivityKind.TRAINING: N_("Training"),
    ActivityKind.REVIEW: N_("Review"),
    ActivityKind.EVALUATION_PANEL: N_("Evaluation panel"),
    ActivityKind.OTHER: N_("Something else"),
}

# The Think Local Act Personal (TLAP) ladder of co-production, from least (1) to most (7) shared power.
LADDER_RUNGS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
LADDER_LABELS = {
    1: N_("Coercion"),
    2: N_("Educating"),
    3: N_("Informing"),
    4: N_("Consulting"),
    5: N_("Engaging"),
    6: N_("Co-designing"),
    7: N_("Co-production"),
}
LADDER_HINTS = {
    1: N_("People were made to attend or go along with something already decided. Their views were not asked."),
    2: N_("People were told about a plan so they would understand and accept it."),
    3: N_("People were given information about what is happening, but could not change it."),
    4: N_("People were asked for their views, but others decided what to do with them."),
    5: N_("People had more say and their views shaped some choices, but others still had the final word."),
    6: N_("People helped design the work, but were not involved in carrying it out or deciding on it."),
    7: N_("People shared power as equals: they decided, designed and did the work together."),
}


def is_ladder_rung(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in LADDER_RUNGS


class Position(StrEnum):
    """A member's recorded position on a decision."""

    AGREED = "agreed"
    DISSENTED = "dissented"
    ABSTAINED = "abstained"
    ABSENT = "absent"


POSITION_LABELS = {
    Position.AGREED: N_("Agreed"),
    Position.DISSENTED: N_("Disagreed"),
    Position.ABSTAINED: N_("Did not take a side"),
    Position.ABSENT: N_("Not there for this decision"),
}


class WelshEffects(StrEnum):
    """Whether a decision's effects on the Welsh language were considered (Welsh Language Standards 88-91)."""

    CONSIDERED = "considered"
    NOT_CONSIDERED = "not_considered"
    NOT_RELEVANT = "not_relevant"


WELSH_EFFECTS_LABELS = {
    WelshEffects.CONSIDERED: N_("Yes, they were considered"),
    WelshEffects.NOT_CONSIDERED: N_("No, not yet"),
    WelshEffects.NOT_RELEVANT: N_("Not relevant to this decision"),
}


class Response(StrEnum):
    """The answer to a recommendation ("you said, we did")."""

    ACCEPTED = "accepted"
    ADAPTED = "adapted"
    REJECTED = "rejected"


RESPONSE_LABELS = {
    Response.ACCEPTED: N_("Accepted"),
    Response.ADAPTED: N_("Adapted"),
    Response.REJECTED: N_("Not accepted"),
}
RESPONSE_HINTS = {
    Response.ACCEPTED: N_("we will do it"),
    Response.ADAPTED: N_("we will do part of it, or do it differently"),
}


class ConsentLevel(StrEnum):
    """How an evidence file may be used in reports."""

    NAMED = "named"
    ANONYMISED = "anonymised"
    AGGREGATE_ONLY = "aggregate_only"
    DO_NOT_USE = "do_not_use"


CONSENT_LABELS = {
    ConsentLevel.NAMED: N_("Named"),
    ConsentLevel.ANONYMISED: N_("Anonymised"),
    ConsentLevel.AGGREGATE_ONLY: N_("Counted only"),
    ConsentLevel.DO_NOT_USE: N_("Do not use"),
}
CONSENT_HINTS = {
    ConsentLevel.NAMED: N_("it can be used in reports with people's names"),
    ConsentLevel.ANONYMISED: N_("it can be used, with names and details that identify people removed"),
    ConsentLevel.AGGREGATE_ONLY: N_("it can be counted in totals, but not quoted or shown"),
    ConsentLevel.DO_NOT_USE: N_("keep it as a record only, never in reports"),
}


class EvidenceLinkKind(StrEnum):
    """What an evidence file is attached to."""

    INITIATIVE = "initiative"
    ACTIVITY = "activity"
    DECISION = "decision"
    OUTPUT = "output"


EVIDENCE_LINK_LABELS = {
    EvidenceLinkKind.INITIATIVE: N_("The initiative"),
    EvidenceLinkKind.ACTIVITY: N_("Activity"),
    EvidenceLinkKind.DECISION: N_("Decision"),
    EvidenceLinkKind.OUTPUT: N_("Output"),
}


# ---------------------------------------------------------------------------------------------------
# Outputs and reciprocity


class OutputKind(StrEnum):
    PLAN = "plan"
    STRATEGY = "strategy"
    INFORMATION_ADVICE_PLAN = "information_advice_plan"
    MARKET_POSITION_STATEMENT = "market_position_statement"
    TERMS_OF_REFERENCE = "terms_of_reference"
    OUTCOMES_FRAMEWORK = "outcomes_framework"
    EVALUATION_REPORT = "evaluation_report"
    RESPONSE_STATEMENT = "response_statement"
    ACCESSIBLE_VERSION = "accessible_version"
    OTHER = "other"


OUTPUT_KIND_LABELS = {
    OutputKind.PLAN: N_("A plan"),
    OutputKind.STRATEGY: N_("A strategy"),
    OutputKind.INFORMATION_ADVICE_PLAN: N_("Information and advice plan"),
    OutputKind.MARKET_POSITION_STATEMENT: N_("Market position statement"),
    OutputKind.TERMS_OF_REFERENCE: N_("Terms of reference"),
    OutputKind.OUTCOMES_FRAMEWORK: N_("Outcomes framework"),
    OutputKind.EVALUATION_REPORT: N_("Evaluation report"),
    OutputKind.RESPONSE_STATEMENT: N_('"You said, we did" response'),
    OutputKind.ACCESSIBLE_VERSION: N_("Accessible version of another document"),
    OutputKind.OTHER: N_("Something else"),
}


class OutputFormat(StrEnum):
    """Formats an output is available in, beyond the standard English version."""

    EASY_READ = "easy_read"
    LARGE_PRINT = "large_print"
    AUDIO = "audio"
    BSL_VIDEO = "bsl_video"
    WELSH = "welsh"
    OTHER_LANGUAGE = "other_language"


OUTPUT_FORMAT_LABELS = {
    OutputFormat.EASY_READ: N_("Easy Read"),
    OutputFormat.LARGE_PRINT: N_("Large print"),
    OutputFormat.AUDIO: N_("Audio"),
    OutputFormat.BSL_VIDEO: N_("British Sign Language video"),
    OutputFormat.WELSH: N_("Welsh"),
    OutputFormat.OTHER_LANGUAGE: N_("Other languages"),
}


class ActivityLanguage(StrEnum):
    """A language an activity was held in."""

    ENGLISH = "en"
    WELSH = "cy"
    BSL = "bsl"
    OTHER = "other"


ACTIVITY_LANGUAGE_LABELS = {
    ActivityLanguage.ENGLISH: N_("English"),
    ActivityLanguage.WELSH: N_("Welsh (Cymraeg)"),
    ActivityLanguage.BSL: N_("British Sign Language (BSL)"),
    ActivityLanguage.OTHER: N_("Another language"),
}


class Interpretation(StrEnum):
    """Interpretation or translation provided at an activity, into this language."""

    WELSH = "cy"
    BSL = "bsl"
    OTHER = "other"


INTERPRETATION_LABELS = {
    Interpretation.WELSH: N_("Welsh interpretation or translation"),
    Interpretation.BSL: N_("British Sign Language (BSL) interpreter"),
    Interpretation.OTHER: N_("Interpretation into another language"),
}


class ReciprocityKind(StrEnum):
    """What a person takes for their part: their choice for an offer, or expenses for a claim.

    Citizen partners choose among PAYMENT_CHOICES. EXPENSES marks an expense claim. TRAINING is kept for
    entries recorded before offers and choices existed; it is a kind of "in kind" and is no longer offered.
    """

    PAYMENT = "payment"
    VOUCHER = "voucher"
    EXPENSES = "expenses"
    TIME_CREDIT = "time_credit"
    IN_KIND = "in_kind"
    TRAINING = "training"
    DECLINED = "declined"


RECIPROCITY_KIND_LABELS = {
    ReciprocityKind.PAYMENT: N_("Payment"),
    ReciprocityKind.VOUCHER: N_("Voucher"),
    ReciprocityKind.EXPENSES: N_("Expenses (travel, care cover)"),
    ReciprocityKind.TIME_CREDIT: N_("Time credits"),
    ReciprocityKind.IN_KIND: N_("In kind"),
    ReciprocityKind.TRAINING: N_("Training or learning"),
    # A respected choice, worded without judgement: the person said no payment, thank you.
    ReciprocityKind.DECLINED: N_("No payment, thank you"),
}
# What a person may choose when they are offered something for their time, in the order offered.
PAYMENT_CHOICES: tuple[ReciprocityKind, ...] = (
    ReciprocityKind.PAYMENT,
    ReciprocityKind.VOUCHER,
    ReciprocityKind.TIME_CREDIT,
    ReciprocityKind.IN_KIND,
    ReciprocityKind.DECLINED,
)
PAYMENT_CHOICE_HINTS = {
    ReciprocityKind.PAYMENT: N_("money paid to you, by bank transfer or in cash"),
    ReciprocityKind.VOUCHER: N_("a shopping or gift voucher for the same value"),
    ReciprocityKind.TIME_CREDIT: N_("time credits you can spend on local activities"),
    ReciprocityKind.IN_KIND: N_("something other than money, such as a course or a gift"),
    ReciprocityKind.DECLINED: N_("you would rather not be paid for this. That is fine"),
}


class PaymentStatus(StrEnum):
    """Where an offer or an expense claim is: offered, chosen or claimed, approved, paid; or closed."""

    OFFERED = "offered"
    AWAITING_APPROVAL = "awaiting_approval"
    DECLINED = "declined"
    APPROVED = "approved"
    PAID = "paid"
    WITHDRAWN = "withdrawn"


PAYMENT_STATUS_LABELS = {
    PaymentStatus.OFFERED: N_("Offered: waiting for their choice"),
    PaymentStatus.AWAITING_APPROVAL: N_("Waiting for approval"),
    PaymentStatus.DECLINED: N_("No payment, thank you"),
    PaymentStatus.APPROVED: N_("Approved: to be paid"),
    PaymentStatus.PAID: N_("Paid"),
    PaymentStatus.WITHDRAWN: N_("Withdrawn"),
}


class RateBasis(StrEnum):
    """How a rate on the organisation's rates card is counted."""

    PER_HOUR = "per_hour"
    PER_SESSION = "per_session"


RATE_BASIS_LABELS = {RateBasis.PER_HOUR: N_("Per hour"), RateBasis.PER_SESSION: N_("Per session")}


# ---------------------------------------------------------------------------------------------------
# Criteria: the automatic finding and the people's assessment


class FindingStatus(StrEnum):
    """The automatic check's result. The people's assessment (AssessmentStatus) uses all but the last."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    NEEDS_ATTESTATION = "needs_attestation"


class AssessmentStatus(StrEnum):
    """What people conclude about a criterion. Same codes as FindingStatus, so the two compare directly."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


FINDING_STATUS_LABELS = {
    FindingStatus.MET: N_("Met"),
    FindingStatus.PARTLY_MET: N_("Partly met"),
    FindingStatus.NOT_MET: N_("Not met"),
    FindingStatus.NOT_APPLICABLE: N_("Does not apply"),
    FindingStatus.NEEDS_ATTESTATION: N_("A person needs to confirm"),
}
# The same words: an assessment's status and the finding's status mean the same thing.
ASSESSMENT_STATUS_LABELS = {status: FINDING_STATUS_LABELS[FindingStatus(status)] for status in AssessmentStatus}
# Worst first: the order gaps are listed in (criteria page, reports) and the order of status filters.
STATUS_ORDER: tuple[FindingStatus, ...] = (
    FindingStatus.NOT_MET,
    FindingStatus.PARTLY_MET,
    FindingStatus.NEEDS_ATTESTATION,
    FindingStatus.MET,
    FindingStatus.NOT_APPLICABLE,
)
GAPS: tuple[FindingStatus, ...] = (FindingStatus.NOT_MET, FindingStatus.PARTLY_MET)
_STATUS_RANK = {status: index for index, status in enumerate(STATUS_ORDER)}


def status_rank(status: str) -> int:
    """Position in STATUS_ORDER (0 is the worst); accepts a FindingStatus, an AssessmentStatus or its code."""
    return _STATUS_RANK[FindingStatus(status)]


def worst_status(statuses: Iterable[str]) -> FindingStatus | None:
    """The worst of the given statuses, ignoring "does not apply"; None when nothing applies.

    A known gap (partly met) is worse than "a person must confirm", because confirming cannot close a
    gap the records already show.
    """
    applicable = [FindingStatus(s) for s in statuses if s != FindingStatus.NOT_APPLICABLE]
    return min(applicable, key=status_rank) if applicable else None


class CriterionTopic(StrEnum):
    """What a criterion asks for, in the words of the people using it. The criteria page, the coverage of an
    initiative and its "what needs doing" group criteria by this, with the framework's code secondary."""

    EARLY = "involving_early"
    DECISIONS = "sharing_decisions"
    PEOPLE = "who_takes_part"
    ACCESS = "access_and_language"
    FOLLOW_THROUGH = "following_through"
    OUTPUTS = "outputs"
    EVALUATION = "evaluation"
    GOVERNANCE = "governance"


CRITERION_TOPIC_LABELS = {
    CriterionTopic.EARLY: N_("Involving people early"),
    CriterionTopic.DECISIONS: N_("Sharing decisions"),
    CriterionTopic.PEOPLE: N_("Who takes part, and how they are supported"),
    CriterionTopic.ACCESS: N_("Access and language"),
    CriterionTopic.FOLLOW_THROUGH: N_("Following through"),
    CriterionTopic.OUTPUTS: N_("Outputs"),
    CriterionTopic.EVALUATION: N_("Evaluation"),
    CriterionTopic.GOVERNANCE: N_("Governance"),
}
# What to do when criteria on a topic are not (fully) met: one plain sentence, shown under "What needs doing".
CRITERION_TOPIC_ACTIONS = {
    CriterionTopic.EARLY: N_(
        "Involve citizen partners before the big design decisions are made, and record the meetings they took part in."
    ),
    CriterionTopic.DECISIONS: N_("Make decisions together with citizen partners, and record what each one thought."),
    CriterionTopic.PEOPLE: N_(
        "Widen who takes part, including people who draw on care and carers, and record how they are paid or thanked."
    ),
    CriterionTopic.ACCESS: N_("Record people's communication and language needs, and the adjustments made for them."),
    CriterionTopic.FOLLOW_THROUGH: N_("Answer each recommendation: say what was done about it, and review it on time."),
    CriterionTopic.OUTPUTS: N_("Write outputs with citizen partners, publish them, and offer formats people can use."),
    CriterionTopic.EVALUATION: N_("Evaluate the work with citizen partners, against outcomes agreed with them."),
    CriterionTopic.GOVERNANCE: N_("Make sure both sides lead the initiative together and sign off each stage."),
}
# The topic each automatic rule (criteria/rules.py) speaks to. A criterion takes the topic of its first check,
# unless its framework file names one (it must for a criterion checked by a person only: attestation_only).
RULE_TOPICS: Mapping[str, CriterionTopic] = {
    "early_involvement": CriterionTopic.EARLY,
    "partner_in_every_stage": CriterionTopic.DECISIONS,
    "partner_positions_recorded": CriterionTopic.DECISIONS,
    "decisions_changed_by_partners": CriterionTopic.DECISIONS,
    "ladder_rating": CriterionTopic.DECISIONS,
    "diverse_membership": CriterionTopic.PEOPLE,
    "reciprocity_offered": CriterionTopic.PEOPLE,
    "methods_per_stage": CriterionTopic.PEOPLE,
    "communication_needs_met": CriterionTopic.ACCESS,
    "accessible_formats": CriterionTopic.ACCESS,
    "assisted_contributions_confirmed": CriterionTopic.ACCESS,
    "language_preference_recorded": CriterionTopic.ACCESS,
    "welsh_language_offer": CriterionTopic.ACCESS,
    "welsh_language_effects_considered": CriterionTopic.ACCESS,
    "recommendations_answered": CriterionTopic.FOLLOW_THROUGH,
    "regular_activity": CriterionTopic.FOLLOW_THROUGH,
    "co_authored_output": CriterionTopic.OUTPUTS,
    "output_published": CriterionTopic.OUTPUTS,
    "evaluation_with_partners": CriterionTopic.EVALUATION,
    "co_leads_in_place": CriterionTopic.GOVERNANCE,
    "dual_signoff": CriterionTopic.GOVERNANCE,
}


class AssessmentLinkKind(StrEnum):
    """Records an assessment may point to as its evidence."""

    ACTIVITY = "activity"
    DECISION = "decision"
    EVIDENCE = "evidence"
    OUTPUT = "output"


ASSESSMENT_LINK_LABELS = {
    AssessmentLinkKind.ACTIVITY: N_("Activity"),
    AssessmentLinkKind.DECISION: N_("Decision"),
    AssessmentLinkKind.EVIDENCE: N_("Evidence file"),
    AssessmentLinkKind.OUTPUT: N_("Output"),
}


# ---------------------------------------------------------------------------------------------------
# Reports


class ReportKind(StrEnum):
    INITIATIVE = "initiative"
    PORTFOLIO = "portfolio"
    QUALITY_STATEMENT = "quality_statement"


class RenderStatus(StrEnum):
    """Where a report PDF made in the background has got to (reports/rendering.py)."""

    QUEUED = "queued"
    RENDERING = "rendering"
    READY = "ready"
    FAILED = "failed"


RENDER_STATUS_LABELS = {
    RenderStatus.QUEUED: N_("Waiting to start"),
    RenderStatus.RENDERING: N_("Being made"),
    RenderStatus.READY: N_("Ready"),
    RenderStatus.FAILED: N_("Failed"),
}


class NotificationKind(StrEnum):
    """What a notification tells a person (notifications/). An invitation is listed in the app for someone
    with an account (added to another initiative) and emailed as they chose; to anyone else it is only
    emailed. Password resets are always emailed and never listed (the person cannot sign in); the weekly
    digest is an email about the others."""

    SIGN_OFF = "sign_off"
    CONFIRM = "confirm"
    RATE = "rate"
    RESPONSE = "response"
    REVIEW_DUE = "review_due"
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a kind of message, not a password)
    DIGEST = "digest"


NOTIFICATION_KIND_LABELS = {
    NotificationKind.SIGN_OFF: N_("A stage waiting for your sign-off"),
    NotificationKind.CONFIRM: N_("A record made on your behalf to check"),
    NotificationKind.RATE: N_("An activity to rate"),
    NotificationKind.RESPONSE: N_("A response to your recommendation"),
    NotificationKind.REVIEW_DUE: N_("A review date that has come"),
    NotificationKind.INVITATION: N_("An invitation"),
    NotificationKind.PASSWORD_RESET: N_("A password reset link"),
    NotificationKind.DIGEST: N_("The weekly summary"),
}


class ReportLanguage(StrEnum):
    """What a report is written in: one language, or both with each section in each (reports/words.py)."""

    ENGLISH = "en"
    WELSH = "cy"
    BILINGUAL = "bilingual"


REPORT_LANGUAGE_LABELS = {
    ReportLanguage.ENGLISH: N_("English"),
    ReportLanguage.WELSH: N_("Welsh (Cymraeg)"),
    ReportLanguage.BILINGUAL: N_("Both, each section in Welsh and English"),
}


REPORT_KIND_LABELS = {
    ReportKind.INITIATIVE: N_("One initiative"),
    ReportKind.PORTFOLIO: N_("All initiatives"),
    ReportKind.QUALITY_STATEMENT: N_("One CQC quality statement"),
}


# ---------------------------------------------------------------------------------------------------
# People's rights over their data (UK GDPR): requests a person makes about what is held about them


class DataRequestKind(StrEnum):
    CORRECTION = "correction"
    ERASURE = "erasure"


DATA_REQUEST_KIND_LABELS = {
    DataRequestKind.CORRECTION: N_("Correct something"),
    DataRequestKind.ERASURE: N_("Erase my details"),
}


class DataRequestStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    REFUSED = "refused"


DATA_REQUEST_STATUS_LABELS = {
    DataRequestStatus.OPEN: N_("Waiting for an admin"),
    DataRequestStatus.DONE: N_("Done"),
    DataRequestStatus.REFUSED: N_("Not done"),
}


# ---------------------------------------------------------------------------------------------------
# Equality monitoring (Equality Act 2010 public sector equality duty): optional, self-declared answers.
# Every question offers "Prefer not to say", counted apart from the people who did not answer at all.
# Categories follow the ONS 2021 census questions for England and Wales (high-level groups).

PREFER_NOT_TO_SAY = "prefer_not_to_say"


class EqualityQuestion(StrEnum):
    AGE_BAND = "age_band"
    DISABILITY = "disability"
    ETHNICITY = "ethnicity"
    SEX = "sex"
    GENDER_SAME_AS_BIRTH = "gender_same_as_birth"
    RELIGION = "religion"
    SEXUAL_ORIENTATION = "sexual_orientation"
    CARER = "carer"
    SELDOM_HEARD = "seldom_heard"


EQUALITY_QUESTION_LABELS = {
    EqualityQuestion.AGE_BAND: N_("Age"),
    EqualityQuestion.DISABILITY: N_("Disability"),
    EqualityQuestion.ETHNICITY: N_("Ethnic group"),
    EqualityQuestion.SEX: N_("Sex"),
    EqualityQuestion.GENDER_SAME_AS_BIRTH: N_("Gender identity the same as sex registered at birth"),
    EqualityQuestion.RELIGION: N_("Religion or belief"),
    EqualityQuestion.SEXUAL_ORIENTATION: N_("Sexual orientation"),
    EqualityQuestion.CARER: N_("Unpaid carer"),
    EqualityQuestion.SELDOM_HEARD: N_("Seldom-heard groups"),
}
# How each question is asked, in the words of the census where there is one.
EQUALITY_QUESTION_ASKED = {
    EqualityQuestion.AGE_BAND: N_("What is your age?"),
    EqualityQuestion.DISABILITY: N_(
        "Do you have any physical or mental health conditions or illnesses lasting or expected to last 12 months "
        "or more, that reduce your ability to carry out day-to-day activities?"
    ),
    EqualityQuestion.ETHNICITY: N_("What is your ethnic group?"),
    EqualityQuestion.SEX: N_("What is your sex?"),
    EqualityQuestion.GENDER_SAME_AS_BIRTH: N_(
        "Is the gender you identify with the same as your sex registered at birth?"
    ),
    EqualityQuestion.RELIGION: N_("What is your religion?"),
    EqualityQuestion.SEXUAL_ORIENTATION: N_("Which of the following best describes your sexual orientation?"),
    EqualityQuestion.CARER: N_(
        "Do you look after, or give any help or support to, anyone because they have long-term physical or mental "
        "health conditions or illnesses, or problems related to old age?"
    ),
    EqualityQuestion.SELDOM_HEARD: N_("Do any of these describe you?"),
}


class AgeBand(StrEnum):
    UNDER_16 = "under_16"
    FROM_16_TO_24 = "16_24"
    FROM_25_TO_34 = "25_34"
    FROM_35_TO_44 = "35_44"
    FROM_45_TO_54 = "45_54"
    FROM_55_TO_64 = "55_64"
    FROM_65_TO_74 = "65_74"
    FROM_75_TO_84 = "75_84"
    FROM_85 = "85_over"
    PREFER_NOT = PREFER_NOT_TO_SAY


AGE_BAND_LABELS = {
    AgeBand.UNDER_16: N_("Under 16"),
    AgeBand.FROM_16_TO_24: N_("16 to 24"),
    AgeBand.FROM_25_TO_34: N_("25 to 34"),
    AgeBand.FROM_35_TO_44: N_("35 to 44"),
    AgeBand.FROM_45_TO_54: N_("45 to 54"),
    AgeBand.FROM_55_TO_64: N_("55 to 64"),
    AgeBand.FROM_65_TO_74: N_("65 to 74"),
    AgeBand.FROM_75_TO_84: N_("75 to 84"),
    AgeBand.FROM_85: N_("85 or over"),
    AgeBand.PREFER_NOT: N_("Prefer not to say"),
}


class Disability(StrEnum):
    # The census question: the Equality Act 2010 definition, in everyday words.
    YES_A_LOT = "yes_a_lot"
    YES_A_LITTLE = "yes_a_little"
    NO = "no"
    PREFER_NOT = PREFER_NOT_TO_SAY


DISABILITY_LABELS = {
    Disability.YES_A_LOT: N_("Yes, my day-to-day activities are limited a lot"),
    Disability.YES_A_LITTLE: N_("Yes, my day-to-day activities are limited a little"),
    Disability.NO: N_("No"),
    Disability.PREFER_NOT: N_("Prefer not to say"),
}


class Ethnicity(StrEnum):
    """The five high-level ethnic groups of the 2021 census in England and Wales."""

    ASIAN = "asian"
    BLACK = "black"
    MIXED = "mixed"
    WHITE = "white"
    OTHER = "other"
    PREFER_NOT = PREFER_NOT_TO_SAY


ETHNICITY_LABELS = {
    Ethnicity.ASIAN: N_("Asian, Asian British or Asian Welsh"),
    Ethnicity.BLACK: N_("Black, Black British, Black Welsh, Caribbean or African"),
    Ethnicity.MIXED: N_("Mixed or Multiple ethnic groups"),
    Ethnicity.WHITE: N_("White"),
    Ethnicity.OTHER: N_("Other ethnic group"),
    Ethnicity.PREFER_NOT: N_("Prefer not to say"),
}


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    PREFER_NOT = PREFER_NOT_TO_SAY


SEX_LABELS = {Sex.FEMALE: N_("Female"), Sex.MALE: N_("Male"), Sex.PREFER_NOT: N_("Prefer not to say")}


class GenderSameAsBirth(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    PREFER_NOT = PREFER_NOT_TO_SAY


GENDER_SAME_AS_BIRTH_LABELS = {
    GenderSameAsBirth.SAME: N_("Yes"),
    GenderSameAsBirth.DIFFERENT: N_("No"),
    GenderSameAsBirth.PREFER_NOT: N_("Prefer not to say"),
}


class CarerStatus(StrEnum):
    CARER = "carer"
    NOT_CARER = "not_carer"
    PREFER_NOT = PREFER_NOT_TO_SAY


CARER_STATUS_LABELS = {
    CarerStatus.CARER: N_("Yes"),
    CarerStatus.NOT_CARER: N_("No"),
    CarerStatus.PREFER_NOT: N_("Prefer not to say"),
}


class Religion(StrEnum):
    NONE = "none"
    CHRISTIAN = "christian"
    BUDDHIST = "buddhist"
    HINDU = "hindu"
    JEWISH = "jewish"
    MUSLIM = "muslim"
    SIKH = "sikh"
    OTHER = "other"
    PREFER_NOT = PREFER_NOT_TO_SAY


RELIGION_LABELS = {
    Religion.NONE: N_("No religion"),
    Religion.CHRISTIAN: N_("Christian"),
    Religion.BUDDHIST: N_("Buddhist"),
    Religion.HINDU: N_("Hindu"),
    Religion.JEWISH: N_("Jewish"),
    Religion.MUSLIM: N_("Muslim"),
    Religion.SIKH: N_("Sikh"),
    Religion.OTHER: N_("Any other religion or belief"),
    Religion.PREFER_NOT: N_("Prefer not to say"),
}


class SexualOrientation(StrEnum):
    STRAIGHT = "straight"
    GAY_OR_LESBIAN = "gay_or_lesbian"
    BISEXUAL = "bisexual"
    OTHER = "other"
    PREFER_NOT = PREFER_NOT_TO_SAY


SEXUAL_ORIENTATION_LABELS = {
    SexualOrientation.STRAIGHT: N_("Straight or heterosexual"),
    SexualOrientation.GAY_OR_LESBIAN: N_("Gay or lesbian"),
    SexualOrientation.BISEXUAL: N_("Bisexual"),
    SexualOrientation.OTHER: N_("Another sexual orientation"),
    SexualOrientation.PREFER_NOT: N_("Prefer not to say"),
}

# Each single-choice question and its code list; the seldom-heard groups are the organisation's own (a table).
EQUALITY_CODES: Mapping[EqualityQuestion, type[StrEnum]] = {
    EqualityQuestion.AGE_BAND: AgeBand,
    EqualityQuestion.DISABILITY: Disability,
    EqualityQuestion.ETHNICITY: Ethnicity,
    EqualityQuestion.SEX: Sex,
    EqualityQuestion.GENDER_SAME_AS_BIRTH: GenderSameAsBirth,
    EqualityQuestion.RELIGION: Religion,
    EqualityQuestion.SEXUAL_ORIENTATION: SexualOrientation,
    EqualityQuestion.CARER: CarerStatus,
}
# "None of these" for the seldom-heard groups: an answer, unlike a question left blank.
SELDOM_HEARD_NONE = "none"


class RetainedRecord(StrEnum):
    """The kinds of record an organisation sets a retention period for (UK GDPR Art 5(1)(e), storage
    limitation): each is disposed of that long after its initiative closes, unless a legal hold stops it."""

    NEEDS = "needs"
    RATINGS = "ratings"
    EVIDENCE = "evidence"
    RECEIPTS = "receipts"
    ACTIVITIES = "activities"
    DECISIONS = "decisions"


RETAINED_RECORD_LABELS = {
    RetainedRecord.NEEDS: N_("Communication needs and adjustments asked for at activities"),
    RetainedRecord.RATINGS: N_("People's ratings, rating comments and positions on decisions"),
    RetainedRecord.EVIDENCE: N_("Evidence files"),
    RetainedRecord.RECEIPTS: N_("Receipts uploaded with expense claims"),
    RetainedRecord.ACTIVITIES: N_("Activities and who attended them"),
    RetainedRecord.DECISIONS: N_("Decisions and recommendations (“you said, we did”)"),
}

# Why each default is what it is, shown beside the choice on the admin page.
RETAINED_RECORD_HINTS = {
    RetainedRecord.NEEDS: N_(
        "Health and disability information: keep it no longer than needed to arrange meetings. Suggested: 1 year."
    ),
    RetainedRecord.RATINGS: N_("Used to show how co-produced the work was. Suggested: 2 years."),
    RetainedRecord.EVIDENCE: N_("Notes, photos and papers uploaded as evidence. Suggested: 2 years."),
    RetainedRecord.RECEIPTS: N_(
        "Finance records are kept for 6 years (HMRC). The payments themselves stay in the finance history."
    ),
    RetainedRecord.ACTIVITIES: N_("The record of what happened, for audit and inspection. Suggested: 6 years."),
    RetainedRecord.DECISIONS: N_("What was decided and why, for audit and inspection. Suggested: 6 years."),
}

# Months after the initiative closes; None means keep for good (the law or the council expects it).
RETENTION_DEFAULT_MONTHS: Mapping[RetainedRecord, int | None] = {
    RetainedRecord.NEEDS: 12,
    RetainedRecord.RATINGS: 24,
    RetainedRecord.EVIDENCE: 24,
    RetainedRecord.RECEIPTS: 72,
    RetainedRecord.ACTIVITIES: 72,
    RetainedRecord.DECISIONS: 72,
}

# The periods an admin can choose from, in months ("keep" is offered beside them).
RETENTION_MONTH_CHOICES = (6, 12, 24, 36, 72, 84, 120)


# Every code list and its label table: the drift tests walk this, and labels.py translates from it.
LABELS: Mapping[type[StrEnum], Mapping] = {
    Nation: NATION_LABELS,
    OrgRole: ORG_ROLE_LABELS,
    PartnerKind: PARTNER_KIND_LABELS,
    CommunicationNeed: COMMUNICATION_NEED_LABELS,
    Language: LANGUAGE_LABELS,
    TokenPurpose: TOKEN_PURPOSE_LABELS,
    StatutoryFunction: STATUTORY_FUNCTION_LABELS,
    Level: LEVEL_LABELS,
    StageKind: STAGE_LABELS,
    StageStatus: STAGE_STATUS_LABELS,
    MemberRole: MEMBER_ROLE_LABELS,
    Side: SIDE_LABELS,
    SignOffDecision: SIGN_OFF_LABELS,
    ActivityKind: ACTIVITY_KIND_LABELS,
    Position: POSITION_LABELS,
    WelshEffects: WELSH_EFFECTS_LABELS,
    Response: RESPONSE_LABELS,
    ConsentLevel: CONSENT_LABELS,
    EvidenceLinkKind: EVIDENCE_LINK_LABELS,
    OutputKind: OUTPUT_KIND_LABELS,
    OutputFormat: OUTPUT_FORMAT_LABELS,
    ReciprocityKind: RECIPROCITY_KIND_LABELS,
    PaymentStatus: PAYMENT_STATUS_LABELS,
    RateBasis: RATE_BASIS_LABELS,
    ActivityLanguage: ACTIVITY_LANGUAGE_LABELS,
    Interpretation: INTERPRETATION_LABELS,
    FindingStatus: FINDING_STATUS_LABELS,
    AssessmentStatus: ASSESSMENT_STATUS_LABELS,
    AssessmentLinkKind: ASSESSMENT_LINK_LABELS,
    CriterionTopic: CRITERION_TOPIC_LABELS,
    ReportKind: REPORT_KIND_LABELS,
    DataRequestKind: DATA_REQUEST_KIND_LABELS,
    DataRequestStatus: DATA_REQUEST_STATUS_LABELS,
    RenderStatus: RENDER_STATUS_LABELS,
    ReportLanguage: REPORT_LANGUAGE_LABELS,
    EqualityQuestion: EQUALITY_QUESTION_LABELS,
    AgeBand: AGE_BAND_LABELS,
    Disability: DISABILITY_LABELS,
    Ethnicity: ETHNICITY_LABELS,
    Sex: SEX_LABELS,
    GenderSameAsBirth: GENDER_SAME_AS_BIRTH_LABELS,
    CarerStatus: CARER_STATUS_LABELS,
    Religion: RELIGION_LABELS,
    SexualOrientation: SEXUAL_ORIENTATION_LABELS,
    RetainedRecord: RETAINED_RECORD_LABELS,
    NotificationKind: NOTIFICATION_KIND_LABELS,
}


def label(code: object) -> str:
    """The English label of a code (a member of any code list above); raises KeyError for an unknown one."""
    for kind, table in LABELS.items():
        if isinstance(code, kind):
            return table[code]
    raise KeyError(code)
