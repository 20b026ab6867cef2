"""City-scale benchmark data: ``flask academy bench-data``.

Each layer contributes its own step to the ``bench_data`` slot (``academy.contributions``), as
each contributes to the demo: a ``BenchStep`` whose ``run(city)`` adds its rows, in ``order``:

    10 accounts (staff log-ins)     20 registry (areas, grids, workers, trainee log-ins)
    30 cases (categories, cases with their timelines, patrols, visits)
    40 syllabus   41 enrollment   42 lessons   45 exams        (courses/*/bench.py)
    50 certificates (types, qualifications, completions: courses/certificates/bench.py)
    90 indicators (the last month's snapshots, so dashboards show figures)

Large tables are written in bulk (``BulkWriter``), keeping the rules the operations keep; small
ones (categories, the syllabus, courses, exams) go through the operations themselves. Steps read
what earlier steps made from ``city.state`` and add their figures to ``city.totals``.
"""
from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from academy.benchdata.bulk import BulkWriter
from academy.contributions import contributions
from academy.errors import DomainError
from academy.extensions import db


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


def database_is_empty() -> bool:
    from academy.accounts.models import User
    from academy.registry.models import Area

    return not (db.session.scalar(sa.select(sa.func.count(User.id)))
                or db.session.scalar(sa.select(sa.func.count(Area.id))))


def build_city(options: BenchOptions, say: Callable[[str], None] = print) -> dict[str, int]:
    """Run every contributed step in order; commits after each. Returns the totals."""
    options.check()
    if not options.append and not database_is_empty():
        raise BenchDataError("The database is not empty; bench data needs an empty one (or --append "
                             "to add a second city beside what is there).")
    end = (options.end or datetime.now(UTC)).replace(microsecond=0)
    city = BenchCity(options, BulkWriter(), end, random.Random(options.seed), say)
    began = time.perf_counter()
    for step in contributions("bench_data"):
        started = time.perf_counter()
        say(f"{step.name} ...")
        step.run(city)
        city.writer.commit()
        say(f"{step.name}: {time.perf_counter() - started:.1f} s")
    _record(city, time.perf_counter() - began)
    say("analyze ...")
    analyze()
    return dict(city.totals)


def analyze() -> None:
    """Statistics (and PostgreSQL's visibility map) for the planner: after millions of bulk rows
    the tables look empty to it until autovacuum comes by."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def _record(city: BenchCity, seconds: float) -> None:
    """One audit entry for the whole run: the bulk rows are not people's actions, the run is."""
    from academy import audit

    audit.record(None, "bench_data.build", None, summary=f"city {city.state.get('city_code')} in {seconds:.0f} s",
                 after={"options": {k: v for k, v in vars(city.options).items() if k not in ("password", "end")},
                        "totals": dict(city.totals), "end": city.end.isoformat()})
    db.session.commit()
