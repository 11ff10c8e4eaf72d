"""Password policy (ASVS 5.0 L2): length 10 to 128, no composition rules, strength checked by zxcvbn."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 128
MIN_SCORE = 3
# Hashing a throwaway value when the email is unknown keeps login timing the same either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password(stored_hash: str | None, password: str) -> bool:
    return check_password_hash(stored_hash or _DUMMY_HASH, password) and stored_hash is not None


def password_problems(password: str, user_inputs: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Plain-English reasons the password is not acceptable (empty list when it is)."""
    if len(password) < MIN_LENGTH:
        return [f"Password must be at least {MIN_LENGTH} characters"]
    if len(password) > MAX_LENGTH:
        return [f"Password must be {MAX_LENGTH} characters or fewer"]
    result = zxcvbn(password[:MAX_LENGTH], user_inputs=[u for u in user_inputs if u])
    if result["score"] >= MIN_SCORE:
        return []
    feedback = result.get("feedback") or {}
    problems = ["Password is too easy to guess"]
    if feedback.get("warning"):
        problems.append(feedback["warning"])
    problems.extend(feedback.get("suggestions") or [])
    return [" – ".join(problems)]
