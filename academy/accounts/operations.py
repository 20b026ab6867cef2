"""Account operations: create users, log in with throttling, change passwords, grant roles.

Each operation takes the acting user, validates, changes the models, writes the audit log and
flushes; the caller (a view, the CLI, a test) commits once.
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.accounts import throttle
from academy.accounts.models import RoleGrant, User, new_session_token
from academy.accounts.passwords import dummy_hash, hash_password, password_problem, verify_password
from academy.contributions import contributions
from academy.database import utcnow
from academy.errors import DomainError
from academy.extensions import db
from academy.permissions import Role


class AccountError(DomainError):
    """A domain rule refused the change; the message is for the user."""


def _same_user(by, user: User) -> bool:
    # ``by`` may be Flask-Login's proxy, so compare ids, not identity.
    return by is not None and getattr(by, "id", None) == user.id


def find_user(username: str) -> User | None:
    """The user with this username (case and outer spaces ignored), or None."""
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


# A stored hash no argon2 verify accepts: the account exists but has no password until activation.
UNUSABLE_PREFIX = "!"


def has_usable_password(user: User) -> bool:
    return not user.password_hash.startswith(UNUSABLE_PREFIX)


def create_account(username: str, by, *, display_name: str = "") -> User:
    """Create an active user with no usable password (set at activation). Flushes, audits."""
    username = username.strip().lower()
    if not username or len(username) > 40:
        raise AccountError(_("A username has 1 to 40 characters."))
    if find_user(username) is not None:
        raise AccountError(_("This username is taken."))
    user = User(username=username, display_name=(display_name or username)[:80],
                password_hash=UNUSABLE_PREFIX + secrets.token_hex(16))
    db.session.add(user)
    db.session.flush()
    audit.record(by, "user.create", user, summary=username, after={"display_name": user.display_name,
                                                                   "password": "awaiting activation"})
    return user


def set_active(user: User, active: bool, by, *, reason: str = "") -> bool:
    """Enable or disable a log-in; disabling ends its sessions. False when nothing changed. Flushes."""
    if user.active == active:
        return False
    user.active = active
    if not active:
        end_sessions(user)
    db.session.flush()
    audit.record(by, "user.enable" if active else "user.disable", user, summary=user.username,
                 before={"active": not active}, after={"active": active, "reason": reason})
    return True


def login_candidates(typed: str) -> set[str]:
    """Every username the name typed at log-in may mean: the username itself and whatever the
    packages above contribute to "login_names" (the registry: the worker whose phone it is)."""
    name = throttle.login_name(typed)
    found = {name} if find_user(name) is not None else set()
    for resolve in contributions("login_names"):
        found.update(resolve(name))
    return found


def resolve_login(typed: str) -> str | None:
    """The one username ``typed`` signs into, or None when it means no account or several
    (a phone shared by two workers, or equal to another person's username: refused, not guessed)."""
    candidates = login_candidates(typed)
    return next(iter(candidates)) if len(candidates) == 1 else None


def open_login_attempt(username: str, address: str) -> int:
    """Count a log-in attempt before its password is checked; returns seconds to wait (0: go on).

    The attempt is written as a failure first and cleared by ``complete_login``, so parallel
    guesses cannot slip past the limits (``academy.accounts.throttle``) while their passwords are
    being checked. On PostgreSQL a per-account advisory lock makes the count and the insert one
    step. Flushes.
    """
    # Counted under the name typed and under the account it resolves to, so guessing a worker's
    # password through his phone and through his worker number shares one budget.
    names = sorted({throttle.login_name(username), resolve_login(username) or throttle.login_name(username)})
    if db.session.get_bind().dialect.name == "postgresql":
        for name in names:
            db.session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": "login:" + name})
    wait = max(throttle.wait_seconds(name, address) for name in names)
    if wait:
        return wait
    for name in names:
        throttle.record_failure(name, address)
    return 0


def check_credentials(username: str, password: str) -> User | None:
    """The active user with this username (or phone) and password, or None. Reads only (and slowly)."""
    resolved = resolve_login(username)
    user = find_user(resolved) if resolved else None
    # Verify against a dummy hash for unknown users and accounts awaiting activation, so timing
    # does not reveal who exists.
    usable = user is not None and has_usable_password(user)
    valid = verify_password(user.password_hash if usable else dummy_hash(), password) and usable
    return user if user is not None and valid and user.active else None


def complete_login(user: User, address: str, typed: str = "") -> None:
    """Clear this address's failures on the account and on the name typed (the attempt that just
    succeeded among them) and log the log-in, whose address makes it a known one for the throttle.
    Flushes."""
    throttle.clear_failures(user.username, address)
    if typed:
        throttle.clear_failures(typed, address)
    user.last_login_at = utcnow()
    audit.record(user, "user.login", user, summary=user.username)


def end_sessions(user: User) -> None:
    """Invalidate every session of ``user`` (log-out everywhere). Flushes.

    Used by log-out, password changes and disabling; the caller audits the reason."""
    user.session_token = new_session_token()
    db.session.flush()


def log_out(user: User) -> None:
    """End every session of ``user`` (a copied cookie stops working too) and log it. Flushes."""
    end_sessions(user)
    audit.record(user, "user.logout", user, summary=user.username)


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
    """Remember the user's language. Flushes."""
    user.locale = locale
    db.session.flush()


def grant_role(user: User, role: Role, by, *, area_code: str | None = None, area_label: str = "") -> RoleGrant:
    """Give ``user`` ``role`` in an area (or the whole city). Flushes.

    Administrators are city-wide by nature (``admin`` passes every check), so an admin grant
    with an area is refused rather than quietly acting everywhere."""
    if role == Role.ADMIN and area_code is not None:
        raise AccountError(_("The administrator role cannot be limited to an area."))
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


