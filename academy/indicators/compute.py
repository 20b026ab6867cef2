"""Counting a period straight from the raw rows: cases, tasks, verifications, return visits,
patrols and visits, added up per worker, grid, area (every level) and department, for all
categories together and for each top-level category.

The databases do the heavy counting (one grouped query per kind of row, using the predicates of
``definitions``); Python only rolls the groups up the area codes and counts patrol days in
the city's time zone. The same function feeds the snapshots and the live custom ranges.
"""
from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from academy.cases import clock
from academy.cases.models import (
    Case,
    CaseTask,
    Category,
    Holiday,
    Level,
    Patrol,
    ReturnVisit,
    Satisfaction,
    Verification,
    Visit,
    WorkCalendar,
)
from academy.extensions import db
from academy.indicators.definitions import (
    PATROLS_PER_DAY,
    TASK_COUNTS,
    case_conditions,
    summed,
    task_conditions,
)
from academy.indicators.periods import Period
from academy.registry.models import Area, Assignment, Department, Grid, Worker, WorkerStatus

AREA_LENGTHS = (4, 6, 9, 12)
Key = tuple[str, str, str]  # (unit kind, unit key, top-level category code or "")


@dataclass
class Computation:
    """The counts of every unit in one period, and the area code each unit sits in."""

    period: Period
    as_of: datetime
    rows: dict[Key, Counter] = field(default_factory=lambda: defaultdict(Counter))
    areas: dict[tuple[str, str], str] = field(default_factory=dict)

    def counts(self, kind: str, key: str, category: str = "") -> Counter:
        return self.rows.get((kind, key, category), Counter())


def calendar() -> clock.Calendar:
    """The working calendar as the clocks see it (read only: defaults when none is saved)."""
    row = db.session.scalar(sa.select(WorkCalendar).order_by(WorkCalendar.id).limit(1))
    overrides = {a: b for a, b in db.session.execute(sa.select(Holiday.day, Holiday.working))}
    if row is None:
        return clock.Calendar(overrides=overrides)
    return clock.Calendar(row.timezone, row.work_start, row.work_end, row.weekend, overrides)


def category_roots() -> dict[int, str]:
    """Each category id and the code of its top-level category."""
    parents = {cid: (parent, code) for cid, parent, code in db.session.execute(
        sa.select(Category.id, Category.parent_id, Category.code))}
    roots = {}
    for cid in parents:
        node, seen = cid, set()
        while parents[node][0] is not None and node not in seen:
            seen.add(node)
            node = parents[node][0]
        roots[cid] = parents[node][1]
    return roots


def _area_keys(area_code: str) -> list[tuple[str, str]]:
    keys = [("area", area_code[:n]) for n in AREA_LENGTHS if len(area_code) >= n]
    if len(area_code) == 15:
        keys.append(("grid", area_code))
    return keys


class _Roller:
    """Adds grouped counts to every unit they belong to, per category and in total.

    Groups are first summed per (area code, top-level category) and per (worker, category) as
    plain lists, then spread up the area codes once each: far fewer additions than one per group
    and unit, which matters at a million cases."""

    def __init__(self, comp: Computation, roots: dict[int, str], worker_areas: dict[int, str]) -> None:
        self.comp, self.roots, self.worker_areas = comp, roots, worker_areas
        self.sums: dict[tuple, list[int]] = {}

    def _sum(self, key: tuple, values: list[int]) -> None:
        current = self.sums.get(key)
        self.sums[key] = values if current is None else [a + b for a, b in zip(current, values, strict=True)]

    def add(self, area_code: str | None, worker_id: int | None, category_id: int | None, names: tuple[str, ...],
            values: list[int]) -> None:
        root = self.roots.get(category_id, "") if category_id is not None else ""
        self._sum(("area", area_code or "", root, names), values)
        if worker_id is not None:
            self._sum(("worker", str(worker_id), root, names), values)

    def finish(self) -> None:
        spread: dict[tuple, list[int]] = {}
        for (kind, key, root, names), values in self.sums.items():
            units = [("worker", key)] if kind == "worker" else _area_keys(key)
            for unit in units:
                for category in (("", root) if root else ("",)):
                    target = (*unit, category, names)
                    current = spread.get(target)
                    spread[target] = values if current is None else [a + b for a, b in zip(current, values, strict=True)]
        for (kind, key, category, names), values in spread.items():
            self.comp.areas.setdefault((kind, key), self.worker_areas.get(int(key), "") if kind == "worker" else key)
            self.comp.rows[(kind, key, category)].update(dict(zip(names, values, strict=True)))
        self.sums.clear()


def _case_groups(roller: _Roller, s, e, prefix: str | None) -> None:
    conditions = case_conditions(s, e)
    names = tuple(conditions)
    wanted = sa.or_(conditions["reported"], conditions["due_to_close"], conditions["pending"])
    query = (sa.select(Case.area_code, Case.reporter_worker_id, Case.category_id, *summed(conditions))
             .where(wanted).group_by(Case.area_code, Case.reporter_worker_id, Case.category_id))
    if prefix:
        query = query.where(Case.area_code.startswith(prefix, autoescape=True))
    for row in db.session.execute(query):
        roller.add(row[0], row[1], row[2], names, [int(value or 0) for value in row[3:]])


def _verification_groups(roller: _Roller, s, e, prefix: str | None) -> None:
    query = (sa.select(Case.area_code, Verification.worker_id, Case.category_id, sa.func.count(Verification.id),
                       sa.func.sum(sa.case((Verification.on_time.is_(True), 1), else_=0)))
             .join(Case, Case.id == Verification.case_id).where(Verification.at >= s, Verification.at < e)
             .group_by(Case.area_code, Verification.worker_id, Case.category_id))
    if prefix:
        query = query.where(Case.area_code.startswith(prefix, autoescape=True))
    names = ("verifications", "verifications_on_time")
    for area_code, worker_id, category_id, total, on_time in db.session.execute(query):
        roller.add(area_code, worker_id, category_id, names, [int(total), int(on_time or 0)])


def _return_visit_groups(roller: _Roller, s, e, prefix: str | None) -> None:
    rated = {name: sa.func.sum(sa.case((ReturnVisit.satisfaction == value, 1), else_=0)).label(name)
             for name, value in (("satisfied", Satisfaction.SATISFIED), ("basic", Satisfaction.BASIC),
                                 ("dissatisfied", Satisfaction.DISSATISFIED))}
    query = (sa.select(Case.area_code, Case.reporter_worker_id, Case.category_id, sa.func.count(ReturnVisit.id),
                       *rated.values())
             .join(Case, Case.id == ReturnVisit.case_id).where(ReturnVisit.at >= s, ReturnVisit.at < e)
             .group_by(Case.area_code, Case.reporter_worker_id, Case.category_id))
    if prefix:
        query = query.where(Case.area_code.startswith(prefix, autoescape=True))
    names = ("return_visits", *rated)
    for row in db.session.execute(query):
        roller.add(row[0], row[1], row[2], names, [int(value or 0) for value in row[3:]])


def _task_groups(comp: Computation, roots: dict[int, str], s, e, prefix: str | None) -> None:
    conditions = task_conditions(s, e)
    query = (sa.select(CaseTask.department_id, Case.category_id, Area.code, *summed(conditions))
             .join(Case, Case.id == CaseTask.case_id).join(Department, Department.id == CaseTask.department_id)
             .join(Area, Area.id == Department.area_id)
             .where(CaseTask.level == Level.DEPARTMENT, sa.or_(conditions["due_to_handle"], conditions["task_pending"]))
             .group_by(CaseTask.department_id, Case.category_id, Area.code))
    if prefix:
        query = query.where(Area.code.startswith(prefix, autoescape=True))
    for row in db.session.execute(query):
        key = str(row[0])
        comp.areas[("department", key)] = row[2]
        counts = {name: int(row._mapping[name] or 0) for name in TASK_COUNTS}
        for category in ("", roots.get(row[1], "")):
            comp.rows[("department", key, category)].update(counts)


class _Days:
    """The working days of the period that are over at ``as_of``, for counting by range."""

    def __init__(self, cal: clock.Calendar, period: Period, as_of: datetime) -> None:
        self.today = as_of.astimezone(cal.zone).date()
        last = min(period.end, self.today)
        day, self.days = period.first, []
        while day < last:
            if cal.is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)
        self.set = set(self.days)

    def count(self, start: date | None, end: date | None) -> int:
        """Working days over in [start, end) (None: unbounded)."""
        lo = bisect.bisect_left(self.days, start) if start else 0
        hi = bisect.bisect_left(self.days, end) if end else len(self.days)
        return max(hi - lo, 0)


def local_day(column, zone: str, offset: timedelta):
    """The local calendar day of a UTC timestamp column, in SQL (the zone on PostgreSQL; a fixed
    offset on SQLite, which has no time zones: right for zones without daylight saving)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.date(sa.func.timezone(zone, column))
    return sa.func.date(column, f"{int(offset.total_seconds() // 60):+d} minutes")


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _field_groups(comp: Computation, cal: clock.Calendar, days: _Days, s, e, prefix: str | None) -> None:
    """Patrols and visits: counts per worker and grid, compliant days per worker and grid."""
    day = local_day(Patrol.started_at, cal.timezone, s.astimezone(cal.zone).utcoffset() or timedelta(0))
    query = (sa.select(Patrol.worker_id, Grid.code, day, sa.func.count(Patrol.id), sa.func.sum(Patrol.minutes))
             .join(Grid, Grid.id == Patrol.grid_id)
             .where(Patrol.started_at >= s, Patrol.started_at < e, Patrol.ended_at.is_not(None))
             .group_by(Patrol.worker_id, Grid.code, day))
    if prefix:
        query = query.where(Grid.code.startswith(prefix, autoescape=True))
    per_day: dict[tuple[str, str], Counter] = defaultdict(Counter)
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for worker_id, grid_code, when, count, minutes in db.session.execute(query):
        when = _as_date(when)
        for unit in (("worker", str(worker_id)), ("grid", grid_code)):
            per_day[unit][when] += count
            totals[unit][0] += count
            totals[unit][1] += int(minutes or 0)
    for unit, by_day in per_day.items():
        compliant = sum(1 for when, n in by_day.items() if n >= PATROLS_PER_DAY and when in days.set)
        comp.rows[(*unit, "")].update({"patrols": totals[unit][0], "patrol_minutes": totals[unit][1],
                                       "compliant_days": compliant})
    visits = (sa.select(Visit.worker_id, Grid.code, sa.func.count(Visit.id)).join(Grid, Grid.id == Visit.grid_id)
              .where(Visit.visited_at >= s, Visit.visited_at < e).group_by(Visit.worker_id, Grid.code))
    if prefix:
        visits = visits.where(Grid.code.startswith(prefix, autoescape=True))
    for worker_id, grid_code, total in db.session.execute(visits):
        comp.rows[("worker", str(worker_id), "")]["visits"] += int(total)
        comp.rows[("grid", grid_code, "")]["visits"] += int(total)


def _worker_areas(period: Period, prefix: str | None) -> dict[int, tuple[str, date, date | None, WorkerStatus]]:
    """Each worker's place for the period: the grid of his latest assignment in force during the
    period (so street and community dashboards rank their own workers), else where he is employed."""
    grids = {}
    for worker_id, code in db.session.execute(
            sa.select(Assignment.worker_id, Grid.code).join(Grid, Grid.id == Assignment.grid_id)
            .where(Assignment.starts_on < period.end,
                   sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on > period.first))
            .order_by(Assignment.starts_on, Assignment.id)):
        grids[worker_id] = code
    query = sa.select(Worker.id, Area.code, Worker.hired_on, Worker.exited_on, Worker.status).join(Area, Area.id == Worker.area_id)
    found = {}
    for worker_id, area_code, hired_on, exited_on, status in db.session.execute(query):
        place = grids.get(worker_id, area_code)
        if not prefix or place.startswith(prefix):
            found[worker_id] = (place, hired_on, exited_on, status)
    return found


def _expected_days(comp: Computation, days: _Days, workers: dict, prefix: str | None) -> None:
    """Every worker on the books and every grid in force gets a row, with its working days."""
    period = comp.period
    for worker_id, (area_code, hired_on, exited_on, status) in workers.items():
        if status in (WorkerStatus.RECRUITED, WorkerStatus.IN_TRAINING) or hired_on >= period.end:
            continue
        if exited_on is not None and exited_on < period.first:
            continue
        key = ("worker", str(worker_id))
        comp.areas[key] = area_code
        comp.rows[(*key, "")]["working_days"] += days.count(max(hired_on, period.first), exited_on)
    query = sa.select(Grid.code, Grid.valid_from, Grid.valid_to).where(
        Grid.valid_from < period.end, sa.or_(Grid.valid_to.is_(None), Grid.valid_to > period.first))
    if prefix:
        query = query.where(Grid.code.startswith(prefix, autoescape=True))
    for code, valid_from, valid_to in db.session.execute(query):
        comp.areas[("grid", code)] = code
        comp.rows[("grid", code, "")]["working_days"] += days.count(max(valid_from, period.first), valid_to)


def _roll_grids_up(comp: Computation) -> None:
    """An area's patrol figures are its grids' added up (grid-days, not worker-days)."""
    fields = ("working_days", "compliant_days", "patrols", "patrol_minutes", "visits")
    for (kind, key, category), counts in list(comp.rows.items()):
        if kind != "grid" or category:
            continue
        part = {name: counts[name] for name in fields if counts[name]}
        for area_kind, area_key in _area_keys(key)[:-1]:
            comp.areas.setdefault((area_kind, area_key), area_key)
            comp.rows[(area_kind, area_key, "")].update(part)


def compute(period: Period, as_of: datetime | None = None, area_prefix: str | None = None) -> Computation:
    """All counts of ``period`` as the raw rows say at ``as_of`` (now by default), optionally
    only for units under ``area_prefix`` (live dashboards of custom ranges)."""
    as_of = as_of or datetime.now(UTC)
    cal = calendar()
    s, e = period.bounds(cal.timezone)
    comp = Computation(period, as_of)
    roots = category_roots()
    workers = _worker_areas(period, None)
    roller = _Roller(comp, roots, {wid: info[0] for wid, info in workers.items()})
    _case_groups(roller, s, e, area_prefix)
    _verification_groups(roller, s, e, area_prefix)
    _return_visit_groups(roller, s, e, area_prefix)
    roller.finish()
    _task_groups(comp, roots, s, e, area_prefix)
    days = _Days(cal, period, as_of)
    _field_groups(comp, cal, days, s, e, area_prefix)
    _expected_days(comp, days, {k: v for k, v in workers.items() if not area_prefix or v[0].startswith(area_prefix)}, area_prefix)
    _roll_grids_up(comp)
    for (kind, key, _category) in comp.rows:
        if kind == "worker" and key.isdigit() and int(key) in workers:
            comp.areas[(kind, key)] = workers[int(key)][0]
        comp.areas.setdefault((kind, key), "")
    return comp
