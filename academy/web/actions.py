"""The last steps of a view that changes something, written once for every package.

Call the operation; if a domain rule refuses, nothing is kept, the reason is flashed and the
browser goes back (303); otherwise the request commits once, says so, and redirects.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect

from academy.extensions import db

Refusals = type[Exception] | tuple[type[Exception], ...]


@dataclass(frozen=True)
class Outcome:
    """What ``commit_or_refuse`` did: the operation's result, or the refusal (nothing kept)."""

    value: object = None
    refusal: Exception | None = None

    @property
    def done(self) -> bool:
        return self.refusal is None


def commit_or_refuse(action: Callable[[], object], *, refusals: Refusals, refused_category: str = "danger",
                     categories: dict[type[Exception], str] | None = None) -> Outcome:
    """Run ``action`` (one operation): commit once, or on a refusal roll back and flash its reason
    (``categories`` picks the flash category by refusal class). For views that answer the refusal
    themselves, e.g. by showing the form again."""
    try:
        value = action()
    except refusals as error:
        db.session.rollback()
        category = next((c for kind, c in (categories or {}).items() if isinstance(error, kind)), refused_category)
        flash(str(error), category)
        return Outcome(refusal=error)
    db.session.commit()
    return Outcome(value=value)


def perform(action: Callable[[], object], *, refusals: Refusals,
            done: str, to: str, refused_to: str | None = None, refused_category: str = "danger"):
    """Run ``action`` (one operation) and answer as the request cycle in DESIGN.md says."""
    if not commit_or_refuse(action, refusals=refusals, refused_category=refused_category).done:
        return redirect(refused_to or to), 303
    flash(done, "success")
    return redirect(to)
