"""One workflow mechanism for every workflow of the app (cases, tasks, syllabus versions, enrollments,
attempts, certificates).

A package declares its workflow once, as data: which attribute holds the state, the allowed moves
(``from -> {to, ...}``, or named steps with their source states for a workflow whose buttons are actions),
the table its transition rows go to (actor, from, to, reason, time), how a refusal is worded (the
package's own error, in the user's language) and what else a move writes (the audit entry, dates).
``Workflow.move`` is then the only way a state changes: it checks the move, sets the state, writes the
transition row, runs the package's hook and flushes. It never commits.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from academy.database import UTCDateTime, utcnow
from academy.extensions import db

MAX_REASON = 500


class TransitionLog:
    """Columns every transition table shares: actor, reason, time (and the key).

    The owner's key and the from/to columns keep each table's own names (``certificate_id``,
    ``from_status``...), so a subclass declares them and names them in ``workflow_columns``;
    sharing only these four keeps the tables exactly as the migrations made them.
    """

    workflow_columns: ClassVar[tuple[str, str, str]]  # (owner key, from column, to column)

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)
    reason: Mapped[str] = mapped_column(sa.String(MAX_REASON), default="")
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True)
class Step:
    """A named move: the states it may start from and where it leads (None: the operation says,
    as a resumed case goes back to where it was)."""

    sources: frozenset
    target: Any | None
    label: Any = ""


@dataclass(frozen=True)
class Move:
    """One move as it was made, handed to the workflow's hook."""

    obj: Any
    before: Any | None
    to: Any
    by: Any
    reason: str
    at: datetime
    step: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Workflow:
    """A workflow declared as data; ``move`` applies it."""

    of: type  # the model whose state it keeps
    state: str  # the attribute that holds the state
    refuse: Callable[[Any, Any, Any], Exception]  # (obj, from, to) -> the package's error, worded for the user
    moves: Mapping[Any, frozenset] = field(default_factory=dict)  # from -> allowed targets
    steps: Mapping[str, Step] = field(default_factory=dict)  # named moves, for workflows driven by actions
    log: type[TransitionLog] | None = None  # where transition rows go (None: the hook logs the move itself)
    after: Callable[[Move], None] | None = None  # the package's own part: audit entry, dates, timeline
    clock: Callable[[], datetime] = utcnow

    def allows(self, before, to) -> bool:
        """May the state go from ``before`` to ``to``?"""
        return to in self.moves.get(before, ())

    def can_take(self, step: str, state) -> bool:
        """May the named step be taken from ``state``?"""
        named = self.steps.get(step)
        return named is not None and state in named.sources

    def move(self, obj, to=None, *, by, reason: str = "", step: str | None = None, at: datetime | None = None,
             **extra) -> Move:
        """Move ``obj`` to ``to`` (or along the named ``step``); refuse any move the table does not allow.
        Sets the state, writes the transition row, runs the hook, flushes."""
        before = getattr(obj, self.state)
        if step is not None:
            allowed = self.can_take(step, before)
            to = to or self.steps[step].target
        else:
            allowed = self.allows(before, to)
        if not allowed:
            raise self.refuse(obj, before, to)
        setattr(obj, self.state, to)
        done = Move(obj, before, to, by, reason or "", at or self.clock(), step, extra)
        if self.log is not None:
            self.record(obj, before, to, by, reason, at=done.at)
        if self.after is not None:
            self.after(done)
        db.session.flush()
        return done

    def record(self, obj, before, to, by, reason: str = "", *, at: datetime | None = None) -> TransitionLog:
        """Write one transition row, without a check: also the first row of a new object,
        which is created in its first state."""
        if obj.id is None:
            db.session.flush()  # a new object gets its key first
        owner, from_column, to_column = self.log.workflow_columns
        row = self.log(**{owner: obj.id, from_column: before, to_column: to}, reason=(reason or "")[:MAX_REASON],
                       by_id=getattr(by, "id", None), at=at or self.clock())
        db.session.add(row)
        return row


def value_of(state) -> str:
    """A state as a refusal names it (a new object has none yet)."""
    return state.value if state is not None else "-"


def moves_of(pairs) -> dict[Any, frozenset]:
    """The ``from -> targets`` table from a set of ``(from, to)`` pairs."""
    table: dict[Any, set] = {}
    for before, to in pairs:
        table.setdefault(before, set()).add(to)
    return {before: frozenset(targets) for before, targets in table.items()}
