"""Making, reading and hashing one-time codes.

Activation codes are 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), so a
code copied from paper by hand is read as printed; 31^10 is about 8 * 10^14 codes. Reset codes
are 6 digits, as SMS codes are everywhere. Both are stored as an HMAC-SHA256 under a key derived
from ``DATA_KEY`` for this purpose alone: the database never holds a usable code.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from flask import current_app

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACTIVATION_LENGTH = 10
RESET_LENGTH = 6


def new_activation_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(ACTIVATION_LENGTH))


def new_reset_code() -> str:
    return f"{secrets.randbelow(10 ** RESET_LENGTH):0{RESET_LENGTH}d}"


def normalise(text: str) -> str:
    """A code as typed: full-width characters as their ASCII forms, spaces and dashes dropped, upper case."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if ch not in " -\u3000\t").upper()[:40]


def spaced(code: str) -> str:
    """A code as printed, in groups of five (``ABCDE FGHJK``): easier to copy without a slip."""
    return " ".join(code[i:i + 5] for i in range(0, len(code), 5))


def _key() -> bytes:
    return hmac.new(current_app.config["DATA_KEY"].encode(), b"access-code", hashlib.sha256).digest()


def code_hash(code: str) -> str:
    """The keyed hash a code is stored and looked up by."""
    return hmac.new(_key(), normalise(code).encode(), hashlib.sha256).hexdigest()
