"""Password policy and hashing (argon2id).

The policy: 8 to 128 characters, not a common password, not the username, not one repeated
character. Hashes use argon2id at the library's recommended cost; tests may ask for a cheap
cost (``PASSWORD_HASH_FAST``) and the policy test checks the production parameters.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 8
MAX_LENGTH = 128

PRODUCTION_HASHER = PasswordHasher(type=Type.ID)  # time_cost=3, memory 64 MiB, parallelism 4
_FAST_HASHER = PasswordHasher(type=Type.ID, time_cost=1, memory_cost=1024, parallelism=1)


@cache
def common_passwords() -> frozenset[str]:
    text = (Path(__file__).parent / "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` is refused, in the user's language, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("The password must have at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("The password must have at most %(n)d characters.", n=MAX_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords():
        return _("This password is too common; choose another.")
    if username and username.lower() in lowered:
        return _("The password must not contain the username.")
    if len(set(password)) < 3:
        return _("The password needs more different characters.")
    return None


def _hasher() -> PasswordHasher:
    return _FAST_HASHER if current_app.config.get("PASSWORD_HASH_FAST") else PRODUCTION_HASHER


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the username does not exist, so both cases take the same time.
@cache
def dummy_hash() -> str:
    return PRODUCTION_HASHER.hash("no-such-user-placeholder")
