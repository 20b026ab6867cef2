"""Who may do what: roles, area scopes, ``require_role()`` and the helpers views share.

A role grant may be scoped to an area. Area codes are hierarchical (district 6 digits, street 9,
community 12, grid 15, the city its 4-digit prefix), so a scope is a code prefix: a district HR
grant scoped to ``320102`` covers every street, community, grid and worker whose code starts with
it. A grant without an area covers the whole city. ``admin`` passes every role check.
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from academy.extensions import db, login_manager


class Role(enum.StrEnum):
    ADMIN = "admin"
    HR = "hr"
    INSTRUCTOR = "instructor"
    TRAINEE = "trainee"
    DISPATCHER = "dispatcher"
    DEPARTMENT = "department"
    VIEWER = "viewer"



CITY_WIDE = None  # the scope of a grant without an area


def _grants(user) -> Iterable:
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    return user.grants


def has_role(user, *roles: str) -> bool:
    """True if ``user`` holds any of ``roles`` (in any area), or is an administrator."""
    held = {grant.role for grant in _grants(user)}
    return Role.ADMIN in held or bool(held.intersection(roles))


def area_scopes(user, *roles: str) -> list[str] | None:
    """The area-code prefixes ``user`` may act on with ``roles``: None means the whole city."""
    prefixes: list[str] = []
    for grant in _grants(user):
        if grant.role == Role.ADMIN or grant.role in roles:
            if grant.area_code is CITY_WIDE:
                return None
            prefixes.append(grant.area_code)
    return prefixes


def in_scope(user, area_code: str | None, *roles: str) -> bool:
    """True if an object in area ``area_code`` lies inside ``user``'s scope for ``roles``."""
    scopes = area_scopes(user, *roles)
    if scopes is None:
        return True
    return area_code is not None and any(area_code.startswith(prefix) for prefix in scopes)


def scope_clause(column, scopes: list[str] | None):
    """A WHERE clause keeping rows whose area code lies in ``scopes`` (from ``area_scopes``)."""
    if scopes is None:
        return sa.true()
    if not scopes:
        return sa.false()
    return sa.or_(*(column.startswith(prefix, autoescape=True) for prefix in scopes))


def require_role(*roles: str) -> Callable:
    """View decorator: log in first (redirect), then hold one of ``roles`` (403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


MAX_ID = 2**31 - 1  # the largest id an integer key column holds


def get_or_404(model, ident, *options):
    """Load ``model`` by primary key or answer 404; the ident from a URL may be any text.
    ``options``: loader options (what the page shows next, in the same statement)."""
    if isinstance(ident, int) and not 0 < ident <= MAX_ID:
        abort(404)  # past the column's range: PostgreSQL would refuse it and spoil the transaction
    try:
        obj = db.session.get(model, ident, options=options or None)
    except (sa.exc.StatementError, ValueError, OverflowError):
        obj = None
    if obj is None:
        abort(404)
    return obj


def ensure(allowed: bool) -> None:
    """Answer 403 unless ``allowed``: the one place a view turns an object check into a refusal."""
    if not allowed:
        abort(403)
