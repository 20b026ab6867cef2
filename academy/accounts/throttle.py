"""Log-in throttling: keep password guessing out without letting a stranger lock a person out.

Three limits, all counted over the failures of the last ``LOGIN_WINDOW_MINUTES`` (rows of
``login_failures`` in the database, so every gunicorn worker and host sees the same figures):

- **Account and address** (``LOGIN_MAX_FAILURES_PER_PAIR``, 5): that many failures on one account
  from one address block that pair, and only that pair, for the rest of the window. A stranger who
  guesses at the owner's password locks himself out, not the owner.
- **Account, from everywhere** (``LOGIN_ACCOUNT_THROTTLE_AFTER``, 10): past that many failures from
  all addresses together, each further attempt from an address the account has never logged in
  from must wait a delay after the account's last failure that doubles with every failure, up to
  ``LOGIN_ACCOUNT_MAX_DELAY_SECONDS``. A botnet spreading guesses over many addresses gets a few
  guesses an hour; the owner, from an address he has logged in from before, is not held up.
- **Accounts tried from one address** (``LOGIN_MAX_ACCOUNTS_PER_ADDRESS``, 30): once one address
  has failed on that many different accounts (credential stuffing), it may go on only with the
  accounts it already tried or has logged in from before. An office of people behind one address,
  each mistyping once, stays well inside the limit, and its people's own addresses are known.

A "known" address is one the account logged in from successfully in the last
``LOGIN_KNOWN_ADDRESS_DAYS``: the audit log's ``user.login`` entries carry the address.
"""
from __future__ import annotations

import math
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from academy.accounts.models import LoginFailure, User
from academy.audit import AuditEntry
from academy.database import utcnow
from academy.extensions import db


def login_name(username: str) -> str:
    """The form a username is counted under (case and outer spaces ignored, column length)."""
    return username.strip().lower()[:40]


def _count(*conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count(LoginFailure.id)).where(*conditions))


def is_known_address(name: str, address: str) -> bool:
    """True when the account ``name`` has logged in from ``address`` recently (audit log)."""
    user_id = db.session.scalar(sa.select(User.id).where(User.username == name))
    if user_id is None or not address:
        return False
    since = utcnow() - timedelta(days=current_app.config["LOGIN_KNOWN_ADDRESS_DAYS"])
    # object_type/object_id are indexed together, so this stays quick on a long audit log.
    return db.session.scalar(sa.select(AuditEntry.id).where(
        AuditEntry.object_type == "User", AuditEntry.object_id == str(user_id), AuditEntry.action == "user.login",
        AuditEntry.address == address, AuditEntry.at >= since).limit(1)) is not None


def _account_delay(name: str, since) -> int:
    """Seconds an unknown address must still wait before trying account ``name`` (0: go on)."""
    config = current_app.config
    failures = _count(LoginFailure.username == name, LoginFailure.at >= since)
    if failures < config["LOGIN_ACCOUNT_THROTTLE_AFTER"]:
        return 0
    delay = min(config["LOGIN_ACCOUNT_MAX_DELAY_SECONDS"], 2 ** (failures - config["LOGIN_ACCOUNT_THROTTLE_AFTER"]))
    last = db.session.scalar(sa.select(sa.func.max(LoginFailure.at)).where(LoginFailure.username == name))
    waited = (utcnow() - last).total_seconds()
    return max(0, math.ceil(delay - waited))


def _spraying(name: str, address: str, since) -> bool:
    """True when ``address`` has used up its distinct accounts and ``name`` is not one of them."""
    tried = sa.select(LoginFailure.username).where(LoginFailure.address == address, LoginFailure.at >= since)
    if _count(LoginFailure.address == address, LoginFailure.at >= since, LoginFailure.username == name):
        return False  # an account this address already tried: the pair limit governs it
    distinct = db.session.scalar(sa.select(sa.func.count()).select_from(tried.distinct().subquery()))
    return distinct >= current_app.config["LOGIN_MAX_ACCOUNTS_PER_ADDRESS"]


def wait_seconds(username: str, address: str) -> int:
    """Seconds this address must wait before trying this account's password again (0: go on)."""
    config = current_app.config
    window = config["LOGIN_WINDOW_MINUTES"] * 60
    name, address = login_name(username), address[:64]
    now = utcnow()
    since = now - timedelta(seconds=window)
    pair = (LoginFailure.username == name, LoginFailure.address == address, LoginFailure.at >= since)
    if _count(*pair) >= config["LOGIN_MAX_FAILURES_PER_PAIR"]:
        # Blocked until the oldest of the counted failures leaves the window.
        oldest = db.session.scalar(sa.select(sa.func.min(LoginFailure.at)).where(*pair))
        return max(1, math.ceil(window - (now - oldest).total_seconds()))
    delay = _account_delay(name, since)
    spraying = _spraying(name, address, since)
    if (delay or spraying) and not is_known_address(name, address):
        return delay or window
    return 0


def record_failure(username: str, address: str) -> None:
    """Count one failed attempt of ``address`` on ``username``. Flushes."""
    db.session.add(LoginFailure(username=login_name(username), address=address[:64]))
    db.session.flush()


def clear_failures(username: str, address: str) -> None:
    """Forget this pair's failures after a success; other addresses' failures keep counting."""
    db.session.execute(sa.delete(LoginFailure).where(
        LoginFailure.username == login_name(username), LoginFailure.address == address[:64]))
