"""Sentences the domain core says to people, as message ids with parameters.

The core returns ``Message`` values, never finished text, so the web layer can translate them (a later
issue adds the Welsh catalogue) and the pure core stays free of Flask-Babel. ``render`` turns a message
into text through a translator function; the default is the English text itself. The English templates
are marked with ``N_`` so ``make extract-messages`` finds them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..codes import N_

Translator = Callable[[str], str]

CATALOGUE: Mapping[str, str] = MappingProxyType(
    {
        # What a stage gate still needs (shown as a list under "Before this stage can close, it needs:").
        "gate.needs.partner_contribution": N_(
            "an activity in this stage where a citizen partner took part and contributed"
        ),
        "gate.needs.commissioner_co_lead": N_("a commissioner co-lead"),
        "gate.needs.partner_co_lead": N_("a citizen partner co-lead"),
        "gate.needs.commissioner_approval": N_("sign-off by a commissioner member"),
        "gate.needs.partner_approval": N_("sign-off by a citizen partner member"),
        # Why an approval was refused: the first thing the gate is waiting for, named.
        "gate.refused": N_("This stage cannot be approved yet: it still needs %(need)s"),
        # Criteria reasons (criteria/rules/), family by family as they move to message ids.
        "criteria.stage.design": N_("Design stage"),
        "criteria.stage.delivery": N_("Delivery stage"),
        "criteria.stage.evaluation": N_("Evaluation stage"),
        "criteria.sides.commissioner": N_("a commissioner"),
        "criteria.sides.citizen_partner": N_("a citizen partner"),
        "criteria.sides.both": N_("a commissioner and a citizen partner"),
        # Governance: dual sign-off and co-leads.
        "criteria.signoff.signed": N_("%(stage)s was signed off by a commissioner and a citizen partner."),
        "criteria.signoff.waiting": N_("%(stage)s is waiting for sign-off from %(sides)s."),
        "criteria.signoff.closed_without": N_("%(stage)s was closed without sign-off from %(sides)s."),
        "criteria.signoff.dissent": N_("%(stage)s: %(who)s disagreed at the sign-off: %(quote)s."),
        "criteria.signoff.dissent_no_reason": N_(
            "%(stage)s: %(who)s disagreed at the sign-off, without giving a reason."
        ),
        "criteria.signoff.none_yet": N_("No stage has reached its sign-off yet."),
        "criteria.co_leads.citizen_partner": N_("A citizen partner is a co-lead."),
        "criteria.co_leads.commissioner": N_("A commissioner is a co-lead."),
        "criteria.co_leads.no_citizen_partner": N_("There is no citizen partner co-lead."),
        "criteria.co_leads.no_commissioner": N_("There is no commissioner co-lead."),
        "criteria.co_leads.no_citizen_partner_now": N_("There is no citizen partner co-lead at the moment."),
        "criteria.co_leads.no_commissioner_now": N_("There is no commissioner co-lead at the moment."),
    }
)


def identity(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Message:
    """A message id and its parameters (kept as sorted pairs, so a message is hashable and comparable)."""

    id: str
    params: tuple[tuple[str, object], ...] = ()

    def __post_init__(self) -> None:
        if self.id not in CATALOGUE:
            raise KeyError(f"unknown message id {self.id!r}")

    @classmethod
    def of(cls, message_id: str, **params: object) -> Message:
        return cls(message_id, tuple(sorted(params.items())))

    def render(self, translate: Translator = identity) -> str:
        text = translate(CATALOGUE[self.id])
        if not self.params:
            return text
        # Parameters that are messages themselves are rendered with the same translator.
        return text % {k: v.render(translate) if isinstance(v, Message) else v for k, v in self.params}

    def __str__(self) -> str:
        return self.render()
