"""Account operations: create users, log in with throttling, change passwords, grant roles.

Each operation takes the acting user, validates, changes the models, writes the audit log and
flushes; the caller (a view, the CLI, a test) commits once.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from academy import audit
from academy.accounts.models import LoginFailure, RoleGrant, User, new_session_token
from academy.accounts.passwords import dummy_hash, hash_password, password_problem, verify_password
from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role


class AccountError(ValueError):
    """A domain rule refused the change; the message is for the user."""


def _same_user(by, user: User) -> bool:
    # ``by`` may be Flask-Login's proxy, so compare ids, not identity.
    return by is not None and getattr(by, "id", None) == user.id


def find_user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))


def create_user(username: str, password: str, by, *, display_name: str = "", locale: str | None = None) -> User:
    """Create an active user with a policy-checked password. Flushes."""
    username = username.strip().lower()
    if find_user(username) is not None:
        raise AccountError(_("This username is taken."))
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        locale=locale,
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(by, "user.create", user, summary=username, after={"display_name": user.display_name})
    return user


@dataclass
class LoginResult:
    user: User | None
    locked_minutes: int = 0  # > 0: refused because of too many failures, whatever the password


def _failures_since(column, value: str, since) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(LoginFailure.id)).where(column == value, LoginFailure.at >= since)
    )


def authenticate(username: str, password: str, address: str) -> LoginResult:
    """Check a log-in attempt; count failures per account and per address in the database.

    A locked account or address is refused before the password is checked, so guessing gains
    nothing during the lock. The failure is recorded in the caller's transaction; the caller
    commits it even though the log-in failed.
    """
    config = current_app.config
    username = username.strip().lower()[:40]
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    since = utcnow() - window
    if (
        _failures_since(LoginFailure.username, username, since) >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or _failures_since(LoginFailure.address, address, since) >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    ):
        return LoginResult(None, locked_minutes=config["LOGIN_WINDOW_MINUTES"])
    user = find_user(username)
    # Verify against a dummy hash for unknown users, so timing does not reveal who exists.
    valid = verify_password(user.password_hash if user else dummy_hash(), password)
    if not (user and valid and user.active):
        db.session.add(LoginFailure(username=username, address=address[:64]))
        db.session.flush()
        return LoginResult(None)
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.username == username))
    user.last_login_at = utcnow()
    db.session.flush()
    return LoginResult(user)


def end_sessions(user: User) -> None:
    """Invalidate every session of ``user`` (log-out everywhere). Flushes."""
    user.session_token = new_session_token()
    db.session.flush()


def change_password(user: User, new_password: str, by) -> None:
    """Set a new password and end the user's other sessions. Flushes."""
    problem = password_problem(new_password, user.username)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    end_sessions(user)
    action = "user.password_change" if _same_user(by, user) else "user.password_reset"
    audit.record(by, action, user, summary=user.username)


def update_user(user: User, by, *, display_name: str, active: bool) -> None:
    """Change a user's name or disable them; disabling ends their sessions. Flushes."""
    if _same_user(by, user) and not active:
        raise AccountError(_("You cannot disable your own account."))
    before, after = audit.changes(user, ["display_name", "active"], {"display_name": display_name, "active": active})
    if not after:
        return
    user.display_name, user.active = display_name, active
    if not active:
        end_sessions(user)
    audit.record(by, "user.update", user, summary=user.username, before=before, after=after)


def set_language(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


def grant_role(user: User, role: Role, by, *, area_code: str | None = None, area_label: str = "") -> RoleGrant:
    """Give ``user`` ``role`` in an area (or the whole city). Flushes."""
    for grant in user.grants:
        if grant.role == role and grant.area_code == area_code:
            raise AccountError(_("The user already holds this role in this area."))
    grant = RoleGrant(user=user, role=role, area_code=area_code, area_label=area_label, granted_by_id=getattr(by, "id", None))
    db.session.add(grant)
    db.session.flush()
    audit.record(by, "grant.add", user, summary=f"{user.username}: {role.value} {area_code or '*'}",
                 after={"role": role.value, "area_code": area_code})
    return grant


def revoke_grant(grant: RoleGrant, by) -> None:
    """Take a grant away; an administrator cannot take away his own admin role. Flushes."""
    user = grant.user
    if _same_user(by, grant.user) and grant.role == Role.ADMIN:
        raise AccountError(_("You cannot take away your own administrator role."))
    user.grants.remove(grant)
    db.session.flush()
    audit.record(by, "grant.revoke", user, summary=f"{user.username}: {grant.role.value} {grant.area_code or '*'}",
                 before={"role": grant.role.value, "area_code": grant.area_code})


def random_password() -> str:
    return secrets.token_urlsafe(12)
