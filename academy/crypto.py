"""Field encryption and keyed hashes for personal data (national ID numbers).

Values are encrypted with Fernet (AES-128-CBC + HMAC) under a key derived from ``DATA_KEY``;
a keyed HMAC-SHA256 of the normalised value makes them searchable without decrypting.
"""
from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _derive(purpose: bytes) -> bytes:
    return hmac.new(current_app.config["DATA_KEY"].encode(), purpose, hashlib.sha256).digest()


def encrypt(value: str) -> str:
    return Fernet(base64.urlsafe_b64encode(_derive(b"encrypt"))).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return Fernet(base64.urlsafe_b64encode(_derive(b"encrypt"))).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("cannot decrypt: wrong ACADEMY_DATA_KEY or damaged value") from error


def keyed_hash(value: str) -> str:
    return hmac.new(_derive(b"search"), value.encode(), hashlib.sha256).hexdigest()
