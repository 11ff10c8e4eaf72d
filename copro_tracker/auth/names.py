"""What a person's display name may contain: one rule for every form, service and command that sets one.

Names are shown to other people beside records and sign-offs. Characters that are invisible or that
reorder the text around them (bidi overrides and isolates, zero-width spaces and joiners, other control
and format characters, line and paragraph separators) let one person's name pass for another's, so
they are refused rather than silently removed: the person sees exactly what will be stored.
"""

from __future__ import annotations

import unicodedata

from ..codes import N_

# English, as the CLI and services speak; forms pass it through gettext for the person's language.
HIDDEN_CHARACTERS = N_(
    "Name must not contain hidden characters, like zero-width spaces or text direction marks. "
    "Type the name yourself instead of pasting it"
)


def is_hidden(character: str) -> bool:
    category = unicodedata.category(character)
    return category.startswith("C") or category in ("Zl", "Zp")


def name_problem(name: str) -> str | None:
    """The message to show when the name cannot be used, or None when it can."""
    if any(is_hidden(character) for character in name):
        return HIDDEN_CHARACTERS
    return None
