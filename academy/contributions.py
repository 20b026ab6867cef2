"""Slots that higher packages fill, so lower ones can show their parts without importing them.

The registry's worker page lists sections that training, certificates and cases contribute;
the navigation lists entries that each package contributes; the demo city is built by steps
that each package contributes. A slot is a name; a contribution is any object, kept in order.

Some slots are events a lower package announces with ``notify`` and a higher one listens to:
- ``worker_status_changed``: ``(worker, from_status, to_status, by)``, called by the registry's
  ``change_status`` after every lifecycle step (certificates follow suspension, exit and return);
- ``attempt_graded``: ``(attempt, by)``, called by the exams when an attempt is graded, graded by
  hand or regraded (certificates issue, or revoke what a regrade undid);
- ``training_recorded``: ``(worker, by)``, called when a worker's credited hours or a course
  result change (lessons, attendance, results; certificates issue what is now earned).
A listener works inside the caller's transaction and must not commit.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app


@dataclass
class Slots:
    items: dict[str, list[tuple[int, Any]]] = field(default_factory=lambda: defaultdict(list))


def init_app(app: Flask) -> None:
    app.extensions["academy.slots"] = Slots()


def contribute(app: Flask, slot: str, item: Any, order: int = 100) -> None:
    """Add ``item`` to ``slot`` for ``app``; lower ``order`` comes first."""
    app.extensions["academy.slots"].items[slot].append((order, item))


def contributions(slot: str, app: Flask | None = None) -> list[Any]:
    slots = (app or current_app).extensions["academy.slots"]
    return [item for _order, item in sorted(slots.items[slot], key=lambda pair: pair[0])]


def notify(slot: str, *args: Any) -> None:
    """Tell every listener of an event slot what happened (see the list above)."""
    for listener in contributions(slot):
        listener(*args)


@dataclass(frozen=True)
class NavItem:
    """An entry of the top navigation, shown to users holding one of ``roles``."""

    endpoint: str
    label: Callable[[], str]  # a lazy string, evaluated in the user's language
    roles: tuple[str, ...]
    # A page about the user's own record ("my training"): shown only to holders of ``roles``
    # themselves, not to administrators, who pass every role check but have no such record.
    personal: bool = False
