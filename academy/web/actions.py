"""The end of a plain action (a button on a page): one operation, then a flash and a redirect.

The request cycle (``academy.web.cycle``) commits when the view returns; a refusal rolls back
and goes to ``refused_to`` (or ``to``) with its reason flashed.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect

from academy.web.cycle import refusal_redirects


def perform(action: Callable[[], object], *, done: str, to: str, refused_to: str | None = None,
            refused_category: str = "danger"):
    """Run ``action`` (one operation), say ``done`` and go to ``to``; a refusal goes to ``refused_to``."""
    refusal_redirects(refused_to or to, category=refused_category)
    action()
    flash(done, "success")
    return redirect(to)
