"""City-scale benchmark data: ``flask academy bench-data``.

Each layer of the app has its own module here, and ``STEPS`` runs them in order, lower layers
first: a ``BenchStep`` whose ``run(city)`` adds its rows:

    registry (areas, grids, workers, trainee log-ins)    staff (staff log-ins)
    cases (categories, cases with their timelines, patrols, visits)
    syllabus, enrollment, lessons, exams, certificates (types, qualifications, completions)
    indicators (the last month's snapshots, so dashboards show figures)

Large tables are written in bulk (``BulkWriter``), keeping the rules the operations keep; small
ones (categories, the syllabus, courses, exams) go through the operations themselves. Steps read
what earlier steps made from ``city.state`` and add their figures to ``city.totals``.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from academy import audit
from academy.accounts.models import User
from academy.extensions import db
from academy.registry.models import Area
from citydata.bench import (
    cases,
    certificates,
    enrollment,
    exams,
    indicators,
    lessons,
    people,
    registry,
    syllabus,
)
from citydata.bench.bulk import BulkWriter
from citydata.bench.city import BenchCity, BenchDataError, BenchOptions, BenchStep

__all__ = ["STEPS", "BenchCity", "BenchDataError", "BenchOptions", "BenchStep", "analyze", "build_city",
           "database_is_empty"]

STEPS = (
    BenchStep("registry", registry.run),
    BenchStep("staff", people.run_staff),
    BenchStep("cases", cases.run),
    BenchStep("syllabus", syllabus.run),
    BenchStep("enrollment", enrollment.run),
    BenchStep("lessons", lessons.run),
    BenchStep("exams", exams.run),
    BenchStep("certificates", certificates.run),
    BenchStep("indicators", indicators.run),
)


def database_is_empty() -> bool:
    return not (db.session.scalar(sa.select(sa.func.count(User.id)))
                or db.session.scalar(sa.select(sa.func.count(Area.id))))


def build_city(options: BenchOptions, say: Callable[[str], None] = print) -> dict[str, int]:
    """Run every step of ``STEPS`` in order; commits after each. Returns the totals."""
    options.check()
    if not options.append and not database_is_empty():
        raise BenchDataError("The database is not empty; bench data needs an empty one (or --append "
                             "to add a second city beside what is there).")
    end = (options.end or datetime.now(UTC)).replace(microsecond=0)
    city = BenchCity(options, BulkWriter(), end, random.Random(options.seed), say)
    began = time.perf_counter()
    for step in STEPS:
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
    audit.record(None, "bench_data.build", None, summary=f"city {city.state.get('city_code')} in {seconds:.0f} s",
                 after={"options": {k: v for k, v in vars(city.options).items() if k not in ("password", "end")},
                        "totals": dict(city.totals), "end": city.end.isoformat()})
    db.session.commit()
