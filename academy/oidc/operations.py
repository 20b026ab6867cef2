"""Signing a person in on the identity provider's word: match the ID token's claims to a worker,
check his account, audit the outcome either way. Flushes, never commits.

A person is matched by the worker number claim, by the national ID number claim (hashed with the
registry's keyed hash and looked up; the number itself is never stored or logged), or both. When
both name a worker they must name the same one; a claim that names nobody is passed over when the
other one matches (a provider's stale worker number must not lock out a person his ID number finds).
"""
from __future__ import annotations

from academy import audit
from academy.accounts.models import User
from academy.accounts.operations import complete_login
from academy.oidc import errors, queries
from academy.oidc.client import Settings

MAX_CLAIM = 64  # longer claim values are no worker number or ID number: passed over unread


def _claim(claims: dict, name: str) -> str:
    value = claims.get(name) if name else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value.strip() if isinstance(value, str) and 0 < len(value.strip()) <= MAX_CLAIM else ""


def _match(claims: dict, found: Settings) -> tuple[object, str]:
    """The one worker the claims name and the claims that named him ("worker_number", "id_number")."""
    number, id_number = _claim(claims, found.worker_number_claim), _claim(claims, found.id_number_claim)
    matches = {"worker_number": queries.worker_by_number(number) if number else None,
               "id_number": queries.worker_by_id_number(id_number) if id_number else None}
    workers = {worker.id: worker for worker in matches.values() if worker is not None}
    refusal = {"claimed_number": number[:20], "subject": str(claims.get("sub", ""))[:100]}
    if not workers:
        raise errors.SignInRefused(errors.UNKNOWN, found.display_name, **refusal)
    if len(workers) > 1:
        raise errors.SignInRefused(errors.CONFLICT, found.display_name, **refusal)
    worker = next(iter(workers.values()))
    return worker, "+".join(name for name, match in matches.items() if match is not None)


def sign_in(claims: dict, found: Settings, address: str) -> User:
    """The account of the worker the verified ``claims`` name, logged in from ``address``.

    Refuses (``SignInRefused``, nothing changed) when no worker or no active account matches.
    The success is audited as ``user.login_oidc`` beside the ordinary ``user.login``. Flushes."""
    worker, matched_by = _match(claims, found)
    user = queries.account_of(worker)
    if user is None or not user.active:
        raise errors.SignInRefused(errors.NO_ACCOUNT if user is None else errors.INACTIVE, found.display_name,
                                   worker=worker, subject=str(claims.get("sub", ""))[:100])
    complete_login(user, address)
    audit.record(user, "user.login_oidc", user, summary=f"{user.username} ({matched_by})",
                 after={"matched_by": matched_by, "worker": worker.number})
    return user


def record_refusal(refusal: errors.SignInRefused) -> None:
    """Audit a refused sign-in: why, and which worker or claimed number it concerned (never an ID number)."""
    after = {"reason": refusal.reason}
    if refusal.claimed_number:
        after["claimed_worker_number"] = refusal.claimed_number
    if refusal.subject:
        after["subject"] = refusal.subject
    audit.record(None, "user.login_oidc_refused", refusal.worker, summary=refusal.reason, after=after)
