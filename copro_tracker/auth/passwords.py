"""Password policy (ASVS 5.0 L2): length 10 to 128, no composition rules, strength checked by zxcvbn."""

from __future__ import annotations

import re

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from ..codes import N_
from ..domain.messages import Listing, Message, Phrase
from .password_feedback import feedback_phrase

MIN_LENGTH = 10
MAX_LENGTH = 128
MIN_SCORE = 3


# Checked when the email is unknown, so login takes the same time either way. A fixed hash of a
# throwaway password rather than one made at import: scrypt is slow on purpose (~0.3 s), and every
# process start (each gunicorn worker, each CLI command) paid for it. tests/web/test_auth.py checks it
# uses the same scrypt parameters as hash_password, so the timing stays equal if werkzeug's change.
DUMMY_HASH = (
    "scrypt:32768:8:1$DZQKZkUqtWoGCNqM$f032afd68945e753dde03d78584f276cbdb2ca76ee433f86919dfc22335bc97"
    "23ca7637aa5ef3d591735d1344db50d99f5c2a63bb9ddacc32ade463c70e8db6e"
)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password(stored_hash: str | None, password: str) -> bool:
    return check_password_hash(stored_hash or DUMMY_HASH, password) and stored_hash is not None


TOO_EASY = N_("Password is too easy to guess")
CONTEXT_HINT = N_("Avoid your name, your email address, your organisation's name, this service's name and the year")


def context_words(*texts: str | None, year: int) -> list[str]:
    """What an attacker who knows the person tries first: each text whole, word by word and run together,
    an email's local part, and the year (e.g. "northshire2026" for someone at Northshire).

    zxcvbn only matches a user input as a whole token, so "Northshire County Council" must also be given
    as "northshire", "county", "council" and "northshirecountycouncil".
    """
    words = {str(year)}
    for text in texts:
        if not text:
            continue
        text = text.strip().lower()
        words.add(text)
        if "@" in text:
            words.add(text.split("@", 1)[0])
        parts = [part for part in re.split(r"[^0-9a-z]+", text) if len(part) >= 3]
        words.update(parts)
        words.add("".join(parts))
    words.discard("")
    return sorted(words)


def password_problems(password: str, user_inputs: list[str] | tuple[str, ...] = ()) -> list[Message | Listing]:
    """Why the password is not acceptable (empty list when it is), as messages rendered in the reader's
    language where they are shown (``str()`` gives the English)."""
    if len(password) < MIN_LENGTH:
        return [Message.of("password.too_short", count=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [Message.of("password.too_long", count=MAX_LENGTH)]
    result = zxcvbn(password[:MAX_LENGTH], user_inputs=[u for u in user_inputs if u])
    if result["score"] >= MIN_SCORE:
        return []
    feedback = result.get("feedback") or {}
    problems = [Phrase(TOO_EASY)]
    if feedback.get("warning"):
        problems.append(feedback_phrase(feedback["warning"]))
    if any(match.get("dictionary_name") == "user_inputs" for match in result.get("sequence", [])):
        problems.append(Phrase(CONTEXT_HINT))
    problems.extend(feedback_phrase(text) for text in feedback.get("suggestions") or [])
    # Two unknown texts both become the general hint: say it once.
    return [Listing(tuple(dict.fromkeys(problems)), " – ")]
