"""Named, pure checks over an ``InitiativeFacts`` snapshot, one module per family of criteria.

- ``core``: what a rule returns (``Finding``, ``Reason``, ``EvidenceRef``), the ``rule`` registry
  (``RULES``), grading and the helpers several families share; ``words``: plain-English words for codes.
- Families: ``participation``, ``follow_through``, ``access_language``, ``outputs``, ``evaluation``,
  ``governance``. Importing this package imports them all, so every rule is registered.
- ``evaluate``: a criterion's checks combined into one finding.

Every rule is ``(facts, *, **params) -> Finding``. Parameters are keyword-only and annotated: the framework
loader reads the signature to reject unknown or mistyped parameters in the YAML, and dry-runs every check
against an empty initiative, so a rule raises ``ValueError`` for a parameter value it cannot use.

Reasons are written for a citizen partner: short sentences in plain English that name the stage, the
meeting, the decision, the output and the person concerned. Whenever a sentence names a person it also
carries a ``member`` reference whose label is exactly the name used, so an evidence report that
anonymises people replaces the name with the person's pseudonym (reports/) without rewording.
Text people typed (a decision, a reason) is quoted, never pasted mid-sentence.

Grading, used by most rules: each thing a rule looks at (a stage, a decision, a partner, an output) is
fully in order, partly in order, or not in order. All in order is *met*; none in order at all is
*not met*; anything between is *partly met*. Nothing to look at is *not applicable*.
"""

from __future__ import annotations

from .access_language import (
    accessible_formats,
    assisted_contributions_confirmed,
    communication_needs_met,
    language_preference_recorded,
    welsh_language_effects_considered,
    welsh_language_offer,
)
from .core import (
    RULES,
    VIEWS_ONLY_KINDS,
    EvidenceRef,
    Finding,
    Reason,
    RuleFunction,
    Status,
    attestation_only,
    rule,
)
from .evaluate import AppliesTo, CheckLike, CriterionLike, combine, evaluate, evaluate_all
from .evaluation import evaluation_with_partners
from .follow_through import decisions_changed_by_partners, recommendations_answered
from .governance import co_leads_in_place, dual_signoff
from .outputs import co_authored_output, output_published
from .participation import (
    diverse_membership,
    early_involvement,
    ladder_rating,
    methods_per_stage,
    partner_in_every_stage,
    partner_positions_recorded,
    reciprocity_offered,
    regular_activity,
)
from .words import (
    ACTIVITY_KIND_WORDS,
    FORMAT_WORDS,
    FUNCTION_WORDS,
    NEED_FORMATS,
    NEED_WORDS,
    OUTPUT_WORDS,
    PARTNER_KIND_WORDS,
    RUNG_WORDS,
    STAGE_WORDS,
)

__all__ = [
    "ACTIVITY_KIND_WORDS",
    "FORMAT_WORDS",
    "FUNCTION_WORDS",
    "NEED_FORMATS",
    "NEED_WORDS",
    "OUTPUT_WORDS",
    "PARTNER_KIND_WORDS",
    "RULES",
    "RUNG_WORDS",
    "STAGE_WORDS",
    "VIEWS_ONLY_KINDS",
    "AppliesTo",
    "CheckLike",
    "CriterionLike",
    "EvidenceRef",
    "Finding",
    "Reason",
    "RuleFunction",
    "Status",
    "accessible_formats",
    "assisted_contributions_confirmed",
    "attestation_only",
    "co_authored_output",
    "co_leads_in_place",
    "combine",
    "communication_needs_met",
    "decisions_changed_by_partners",
    "diverse_membership",
    "dual_signoff",
    "early_involvement",
    "evaluate",
    "evaluate_all",
    "evaluation_with_partners",
    "ladder_rating",
    "language_preference_recorded",
    "methods_per_stage",
    "output_published",
    "partner_in_every_stage",
    "partner_positions_recorded",
    "reciprocity_offered",
    "recommendations_answered",
    "regular_activity",
    "rule",
    "welsh_language_effects_considered",
    "welsh_language_offer",
]
