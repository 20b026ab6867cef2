"""Slots that higher packages fill, so lower ones can show their parts without importing them.

The registry's worker page lists sections that training, certificates and cases contribute;
the navigation lists entries that each package contributes ("nav": NavItem), and the homes'
workbenches the counts of what waits ("work": WorkCount, also the navigation's badges); the demo city is built by steps
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
    """An entry of the navigation, shown to users holding one of ``roles``, under its ``group``
    (a key of ``academy.web.labels.NAV_GROUP_LABELS``: teaching, exams, certificates, grid, cases,
    performance, system)."""

    endpoint: str
    label: Callable[[], str]  # a lazy string, evaluated in the user's language
    roles: tuple[str, ...]
    # A page about the user's own record ("my training"): shown only to holders of ``roles``
    # themselves, not to administrators, who pass every role check but have no such record.
    personal: bool = False
    group: str = "teaching"
    icon: str = ""  # a Bootstrap Icons name ("journal-text"), always shown beside the label
    badge: str = ""  # the key of a WorkCount whose number the entry carries


@dataclass(frozen=True)
class Tally:
    """How many things wait, and the list that shows exactly them; ``parts`` splits the number
    where one click should reach each part (the essays of each exam: its grading queue)."""

    n: int
    url: str
    parts: tuple[tuple[str, str, int], ...] = ()  # (what, url, how many)


@dataclass(frozen=True)
class WorkCount:
    """A number on a person's workbench (the home) and on a navigation badge: what waits for him.

    ``tally(user)`` runs one query of the owning package's ``queries.py``; the home and the badge
    call the same one (once a request). ``personal``: as NavItem's, for work only the role's own
    holders have (a department's tasks), not administrators."""

    key: str
    label: Callable[[], str]
    roles: tuple[str, ...]
    tally: Callable[[Any], Tally]
    group: str = "teaching"
    icon: str = ""
    tone: str = ""  # "danger" or "warning": a number that means late, drawn in that colour
    personal: bool = False


@dataclass(frozen=True)
class JobKind:
    """What a kind of background job is called, and the page that shows one of them (an endpoint taking
    ``job_id``; empty: the shell's own job page). Contributed to the "job_kinds" slot."""

    kind: str
    label: Callable[[], str]
    endpoint: str = ""


@dataclass(frozen=True)
class Tab:
    """A tab of the trainee's and field worker's bottom tab bar (phones): shown when ``show(user)``
    says so (None: always); current on ``endpoint`` and on every page of ``blueprints``."""

    endpoint: str
    label: Callable[[], str]
    icon: str
    blueprints: tuple[str, ...] = ()
    show: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class NextStep:
    """A card of the trainee's home, "what to do next": how many, the list that shows them, a few
    lines naming them (text, url), one main action (label, url) and what to do when there is none.
    Contributed to the "next_steps" slot as ``step(user) -> NextStep | None``."""

    key: str
    label: str
    n: int
    url: str
    icon: str = ""
    tone: str = ""  # "danger" or "warning": something late or about to be
    lines: tuple[tuple[str, str], ...] = ()
    action: tuple[str, str] | None = None
    empty: str = ""
