"""What the benchmark city's steps share: options, the step record, the city being built, errors."""
from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from academy.errors import DomainError
from citydata.bench.bulk import BulkWriter


class BenchDataError(DomainError):
    """The city cannot be built as asked; the message says why."""


@dataclass(frozen=True)
class BenchOptions:
    grids: int = 3000
    workers: int = 3500
    cases: int = 1_000_000
    logs: int = 3_000_000
    trainees: int = 3500
    seed: int = 9
    append: bool = False
    password: str = "grid-academy-bench"
    end: datetime | None = None  # the history ends here (default: now)

    def check(self) -> None:
        if self.grids < 1 or self.workers < 1:
            raise BenchDataError("A city needs at least one grid and one worker.")
        if self.grids > 99 * 999 * 99:
            raise BenchDataError("At most 9,791,199 grids fit the code scheme of one city.")
        if self.cases < 0 or self.logs < 0 or self.trainees < 0:
            raise BenchDataError("Counts cannot be negative.")
        if self.trainees > self.workers:
            raise BenchDataError("Every trainee is a grid worker: --trainees cannot exceed --workers.")


@dataclass(frozen=True)
class BenchStep:
    """One layer's part of the benchmark city."""

    name: str
    run: Callable[[BenchCity], None]


@dataclass
class BenchCity:
    """What the steps share: options, one random source, the writer, the running totals, and
    ``state`` (what earlier steps made: city code, districts, grids, workers, users ...)."""

    options: BenchOptions
    writer: BulkWriter
    end: datetime
    rng: random.Random
    say: Callable[[str], None] = print
    totals: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    state: dict = field(default_factory=dict)
    shown: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, amount: int = 1) -> None:
        self.totals[name] += amount

    def progress(self, label: str, done: int, total: int) -> None:
        """A line at every tenth of a long loop."""
        tenth = done * 10 // max(total, 1)
        if tenth > self.shown.get(label, 0):
            self.shown[label] = tenth
            self.say(f"  {label}: {done:,} / {total:,}")
