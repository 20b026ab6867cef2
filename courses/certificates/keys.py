"""Integrators' keys to the verification API: issued by an administrator (the key is shown once,
only its keyed hash is kept, as for ID numbers) and revoked when an integrator is done."""
from __future__ import annotations

import secrets

from flask_babel import gettext as _

from academy import audit, crypto
from academy.errors import DomainError
from academy.extensions import db
from courses.certificates.models import VerificationKey


class VerificationKeyError(DomainError):
    """A refusal about an integrator's key; the message is for the administrator."""


def key_hash(key: str) -> str:
    return crypto.keyed_hash(f"verification-key:{key}")


def issue_verification_key(by, name: str) -> tuple[VerificationKey, str]:
    """A new key for the integrator ``name``: the record and the key itself (to be shown once)."""
    key = secrets.token_urlsafe(24)
    record = VerificationKey(name=name.strip(), key_hash=key_hash(key), created_by_id=getattr(by, "id", None))
    db.session.add(record)
    db.session.flush()
    audit.record(by, "verification_key.issue", record, summary=record.name)
    return record, key


def revoke_verification_key(record: VerificationKey, by) -> None:
    """Stop a key: its integrator falls back to the public quota."""
    if not record.active:
        raise VerificationKeyError(_("This key is already revoked."))
    audit.apply_changes(by, "verification_key.revoke", record, ["active"], {"active": False}, summary=record.name)
