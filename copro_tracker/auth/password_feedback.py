"""zxcvbn's advice on a weak password, in the reader's language.

zxcvbn words its warnings and suggestions in English, from a fixed set of sentences in its own
``feedback.py``. Each is marked here as a message id (its English text, exactly as zxcvbn writes it), so the
catalogue translates it when the page is shown. A sentence this list does not know (a newer zxcvbn) becomes
a general hint rather than English on a Welsh page; tests/unit/test_password_feedback.py compares this list
with the installed zxcvbn, so an upgrade that adds one fails there first.
"""

from __future__ import annotations

from ..codes import N_
from ..domain.messages import Phrase

# zxcvbn's own most general advice, also given for a sentence not in the set below, so a reader never meets
# English from an unknown one.
GENERAL = N_("Add another word or two. Uncommon words are better.")

FEEDBACK = frozenset(
    {
        # Suggestions.
        GENERAL,
        N_("Use a few words, avoid common phrases."),
        N_("No need for symbols, digits, or uppercase letters."),
        N_("Use a longer keyboard pattern with more turns."),
        N_("Avoid repeated words and characters."),
        N_("Avoid sequences."),
        N_("Avoid recent years."),
        N_("Avoid years that are associated with you."),
        N_("Avoid dates and years that are associated with you."),
        N_("Capitalization doesn't help very much."),
        N_("All-uppercase is almost as easy to guess as all-lowercase."),
        N_("Reversed words aren't much harder to guess."),
        N_("Predictable substitutions like '@' instead of 'a' don't help very much."),
        # Warnings.
        N_("Straight rows of keys are easy to guess."),
        N_("Short keyboard patterns are easy to guess."),
        N_('Repeats like "aaa" are easy to guess.'),
        N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
        N_('Sequences like "abc" or "6543" are easy to guess.'),
        N_("Recent years are easy to guess."),
        N_("Dates are often easy to guess."),
        N_("This is a top-10 common password."),
        N_("This is a top-100 common password."),
        N_("This is a very common password."),
        N_("This is similar to a commonly used password."),
        N_("A word by itself is easy to guess."),
        N_("Names and surnames by themselves are easy to guess."),
        N_("Common names and surnames are easy to guess."),
    }
)


def feedback_phrase(text: str) -> Phrase:
    """zxcvbn's sentence as a phrase to translate, or the general hint when it is not one of the known set."""
    return Phrase(text if text in FEEDBACK else GENERAL)
