"""The last steps of a view that changes something, written once for every package.

Call the operation; if a domain rule refuses, nothing is kept, the reason is flashed and the
browser goes back (303); otherwise the request commits once, says so, and redirects.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect

from academy.extensions import db


def perform(action: Callable[[], object], *, refusals: type[Exception] | tuple[type[Exception], ...],
            done: str, to: str, refused_to: str | None = None, refused_category: str = "danger"):
    """Run ``action`` (one operation) and answer as the request cycle in DESIGN.md says."""
    try:
        action()
    except refusals as error:
        db.session.rollback()
        flash(str(error), refused_category)
        return redirect(refused_to or to), 303
    db.session.commit()
    flash(done, "success")
    return redirect(to)
