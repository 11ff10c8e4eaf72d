"""Sentences the domain core says to people, as message ids with parameters.

The core returns ``Message`` values, never finished text, so the web layer can translate them (a later
issue adds the Welsh catalogue) and the pure core stays free of Flask-Babel. ``render`` turns a message
into text through a translator function; the default is the English text itself. The English templates
are marked with ``N_`` so ``make extract-messages`` finds them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
    }
)


def identity(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.id not in CATALOGUE:
            raise KeyError(f"unknown message id {self.id!r}")

    def render(self, translate: Translator = identity) -> str:
        text = translate(CATALOGUE[self.id])
        if not self.params:
            return text
        # Parameters that are messages themselves are rendered with the same translator.
        values = {k: v.render(translate) if isinstance(v, Message) else v for k, v in self.params.items()}
        return text % values

    def __str__(self) -> str:
        return self.render()
