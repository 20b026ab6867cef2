"""Reads of the accounts package: the user list, the audit log (filtered, and in words), the areas a grant may name."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext, pgettext

from academy.accounts.labels import role_label
from academy.accounts.models import User
from academy.audit import AuditEntry
from academy.contributions import contributions
from academy.exports import Table
from academy.extensions import db
from academy.labels import event_label, field_label, label, model_class, object_label, object_link, value_words
from academy.web.i18n import local_datetime


def users_query() -> sa.Select:
    """Every user, by username (the administrators' list pages through it)."""
    return sa.select(User).order_by(User.username)


def audit_query(actor: str = "", action: str = "", object_type: str = "", *,
                since: datetime | None = None, before: datetime | None = None) -> sa.Select:
    """Audit entries, newest first, narrowed (each optional) by who (user name or full name), the
    event code, the object's kind and a time range [since, before)."""
    query = sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if actor.strip():
        who = actor.strip()
        named = sa.select(User.id).where(User.display_name == who)
        query = query.where(sa.or_(AuditEntry.actor_name == who.lower(), AuditEntry.actor_id.in_(named)))
    if action:
        query = query.where(AuditEntry.action == action)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if before is not None:
        query = query.where(AuditEntry.at < before)
    return query


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as an inspector reads it: what happened, who, on what, what changed."""

    entry: AuditEntry
    event: str
    who: str
    roles: str
    object_kind: str
    object_name: str
    object_url: str | None
    changes: list[tuple[str, str, str]]  # (field, before, after) in words

    def changes_text(self) -> str:
        return "\n".join(gettext("%(field)s: %(before)s → %(after)s", field=name, before=old, after=new)
                         for name, old, new in self.changes)


NAME_ATTRIBUTES = ("number", "name", "title", "display_name", "username", "code")


def _object_name(obj) -> str:
    values = [getattr(obj, attr, None) for attr in NAME_ATTRIBUTES]
    parts = [label(value) for value in values if value and isinstance(value, str | int)]
    return " · ".join(dict.fromkeys(parts[:2]))


def _changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    before, after = entry.before or {}, entry.after or {}
    rows = []
    for name in dict.fromkeys([*before, *after]):
        old = value_words(before.get(name), entry.object_type, name) if name in before else "—"
        new = value_words(after.get(name), entry.object_type, name) if name in after else "—"
        rows.append((field_label(name), old, new))
    return rows


def _objects(entries) -> dict[tuple[str, str], object]:
    """The objects the entries name, loaded once per kind (None for one deleted since)."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_type and entry.object_id and entry.object_id.isdigit():
            wanted.setdefault(entry.object_type, set()).add(int(entry.object_id))
    found = {}
    for kind, ids in wanted.items():
        cls = model_class(kind)
        if cls is None or not hasattr(cls, "id"):
            continue
        for obj in db.session.scalars(sa.select(cls).where(cls.id.in_(ids))):
            found[(kind, str(obj.id))] = obj
    return found


def audit_rows(entries) -> list[AuditRow]:
    """The entries in words, with their users and objects read in one query per kind."""
    entries = list(entries)
    user_ids = {e.actor_id for e in entries if e.actor_id}
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    objects = _objects(entries)
    rows = []
    for entry in entries:
        user = users.get(entry.actor_id)
        obj = objects.get((entry.object_type, entry.object_id))
        link = object_link(entry.object_type)
        rows.append(AuditRow(
            entry=entry, event=event_label(entry.action),
            who=(user.display_name or user.username) if user else (entry.actor_name if entry.actor_id else gettext("System")),
            roles=pgettext("between items", ", ").join(role_label(role) for role in sorted(user.roles)) if user else "",
            object_kind=object_label(entry.object_type),
            object_name=_object_name(obj) if obj is not None else (entry.object_id or ""),
            object_url=url_for(link[0], **{link[1]: obj.id}) if obj is not None and link else None,
            changes=_changes(entry)))
    return rows


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


AUDIT_EXPORT_LIMIT = 20_000  # a year of a busy city's changes; narrow the filter for more


def audit_table(query: sa.Select) -> Table:
    """The audit entries ``query`` selects (at most AUDIT_EXPORT_LIMIT), as the export's sheet: the
    same words as the page."""
    rows = audit_rows(db.session.scalars(query.limit(AUDIT_EXPORT_LIMIT)))
    headers = [gettext("Time"), gettext("Who"), gettext("Role"), gettext("What was done"), gettext("On what"),
               gettext("Changes"), gettext("Note"), gettext("Address")]
    return Table(gettext("Audit log"), headers, [
        [local_datetime(row.entry.at, "yyyy-MM-dd HH:mm:ss"), row.who, row.roles, row.event,
         " ".join(part for part in (row.object_kind, row.object_name) if part), row.changes_text(),
         row.entry.summary, row.entry.address or ""] for row in rows])

