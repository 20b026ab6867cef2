"""Reads of the accounts package: the user list, the audit log's filter, the areas a grant may name."""
from __future__ import annotations

import sqlalchemy as sa

from academy.accounts.models import User
from academy.audit import AuditEntry
from academy.contributions import contributions


def users_query() -> sa.Select:
    """Every user, by username (the administrators' list pages through it)."""
    return sa.select(User).order_by(User.username)


def audit_query(actor: str = "", action: str = "", object_type: str = "") -> sa.Select:
    """Audit entries, newest first, narrowed by actor name, action prefix and object type (each optional)."""
    query = sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if actor:
        query = query.where(AuditEntry.actor_name == actor.strip().lower())
    if action:
        query = query.where(AuditEntry.action.startswith(action.strip(), autoescape=True))
    if object_type:
        query = query.where(AuditEntry.object_type == object_type.strip())
    return query


def area_choices() -> list[tuple[str, str]]:
    """Areas a grant may be scoped to, as the registry contributes them (none before it exists).

    Not ``academy.registry.queries.area_choices``: accounts sits below the registry and must not
    import it, so the registry hands its choices up through the "area_choices" slot."""
    choices: list[tuple[str, str]] = []
    for provider in contributions("area_choices"):
        choices.extend(provider())
    return choices


def login_providers() -> list[tuple[str, str]]:
    """Other ways to sign in the log-in page offers, as (URL, label) pairs from the "login_providers"
    slot: each contribution returns its pair, or None while it is not configured."""
    return [pair for provider in contributions("login_providers") if (pair := provider()) is not None]
