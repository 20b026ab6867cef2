"""Slots that higher packages fill, so lower ones can show their parts without importing them.

The registry's worker page lists sections that training, certificates and cases contribute;
the navigation lists entries that each package contributes; the demo city is built by steps
that each package contributes. A slot is a name; a contribution is any object, kept in order.

Slots are for what a page or a query gathers from the packages above it. Events (a case
changed, an attempt was graded) are not slots: they are named signals, declared in the sending
package's ``signals.py`` (see ``academy.signals``).
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


@dataclass(frozen=True)
class NavItem:
    """An entry of the top navigation, shown to users holding one of ``roles``."""

    endpoint: str
    label: Callable[[], str]  # a lazy string, evaluated in the user's language
    roles: tuple[str, ...]
    # A page about the user's own record ("my training"): shown only to holders of ``roles``
    # themselves, not to administrators, who pass every role check but have no such record.
    personal: bool = False
