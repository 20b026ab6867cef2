"""The audit log: who changed what, when, from what to what, and from which address.

Operations write here (``record``) in the same transaction as the change, so an entry exists
exactly when the change does. The address comes from a context variable that the request cycle
sets, so operations never read ``flask.request`` and work the same from the CLI and jobs.
"""
from __future__ import annotations

import contextvars
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from academy.database import UTCDateTime, utcnow
from academy.extensions import db

_address = contextvars.ContextVar("audit_address", default=None)


def set_address(address: str | None) -> contextvars.Token:
    return _address.set(address)


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    actor_name: Mapped[str] = mapped_column(sa.String(80), default="system")
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(60), index=True)
    object_id: Mapped[str | None] = mapped_column(sa.String(60))
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    before: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    after: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    address: Mapped[str | None] = mapped_column(sa.String(64))

    __table_args__ = (sa.Index("ix_audit_entries_object", "object_type", "object_id"),)


def _plain(values: dict[str, Any] | None) -> dict | None:
    """Make a before/after summary JSON-safe (dates, enums and decimals become text)."""
    if values is None:
        return None
    return json.loads(json.dumps(values, default=str, ensure_ascii=False))


def record(
    actor,
    action: str,
    obj=None,
    *,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Log ``action`` by ``actor`` (a user or None for the system) on ``obj``; flushes."""
    made = entry(actor, action, obj, summary=summary, before=before, after=after)
    db.session.add(made)
    db.session.flush()
    return made


def entry(actor, action: str, obj=None, *, summary: str = "", before: dict | None = None,
          after: dict | None = None) -> AuditEntry:
    """One entry as ``record`` writes it, not yet added: a batch (``record_all``) writes many with one flush."""
    return AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None) or "system",
        action=action,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(obj.id) if obj is not None and getattr(obj, "id", None) is not None else None,
        summary=summary[:500],
        before=_plain(before),
        after=_plain(after),
        address=_address.get(),
    )


FIELDS = ("actor_id", "actor_name", "action", "object_type", "object_id", "summary", "before", "after", "address")


def record_all(entries: list[AuditEntry]) -> None:
    """Write the entries a batch made (``entry``), one entry per change as ever, in one statement:
    rows written, not objects kept in the session (nothing reads them back in the transaction)."""
    if entries:
        now = utcnow()
        db.session.execute(sa.insert(AuditEntry), [{"at": now, **{name: getattr(e, name) for name in FIELDS}}
                                                    for e in entries])


def changes(obj, fields: list[str], new_values: dict[str, Any]) -> tuple[dict, dict]:
    """The before/after pair of the ``fields`` that ``new_values`` actually changes on ``obj``."""
    before, after = {}, {}
    for name in fields:
        if name in new_values and getattr(obj, name) != new_values[name]:
            before[name] = getattr(obj, name)
            after[name] = new_values[name]
    return before, after


def apply_changes(by, action: str, obj, fields: list[str], new_values: dict[str, Any], *, summary: str = "") -> dict:
    """Set on ``obj`` the ``fields`` that ``new_values`` changes, flush, and record one audit entry
    of them (none when nothing changed). Returns what changed."""
    before, after = changes(obj, fields, new_values)
    if after:
        for name, value in after.items():
            setattr(obj, name, value)
        db.session.flush()
        record(by, action, obj, summary=summary, before=before, after=after)
    return after
