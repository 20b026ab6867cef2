"""The benchmark city's case module: categories, calendar, department members, a year of cases
day by day, and the patrols and household visits of every worker.

Categories and holidays are the demo's (made through the operations); cases are numbered as
``report_case`` numbers them (district + local date + the district's serial of that day, taken
from ``academy.numbers`` in one reservation per district and day, so a case filed later on the
site continues the series); their lives are written by ``CaseLife``.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from academy import numbers
from academy.cases import operations
from academy.cases.models import Case, Category, DepartmentMember, Holiday
from academy.extensions import db
from citydata.bench.caselife import CaseLife, Place
from citydata.bench.city import BenchCity
from citydata.bench.fieldwork import build_fieldwork
from citydata.bench.people import username
from citydata.demo.case_builder import HOLIDAYS, TITLES, _categories

CHANNELS = (("worker", 70), ("hotline", 27), ("open311", 3))
HISTORY_DAYS = 365


def categories() -> list[tuple]:
    """(id, limit, clock, self-handling allowed, default level, title) of the leaf categories,
    made from the demo's tree when the database has none."""
    leaves = [c for c in db.session.scalars(sa.select(Category).where(Category.parent_id.is_not(None)))] or _categories()
    return [(c.id, c.time_limit, c.clock, c.allow_self_handling, c.default_level, TITLES.get(c.code, c.name))
            for c in leaves]


def calendar():
    """The city's calendar with the demo's holidays and make-up days (added once)."""
    known = set(db.session.scalars(sa.select(Holiday.day)))
    for day, name, working in HOLIDAYS:
        if day not in known:
            operations.set_holiday(None, day, name, working)
    return operations.work_calendar(), operations.calendar_snapshot()


def department_members(city: BenchCity) -> dict[str, list]:
    """One member per department; returns each district's [(department id, (user id, name))]."""
    by_district: dict[str, list] = {}
    for dept_id, code in city.state["departments"]:
        name = username(city, "dept", code.lower())
        user_id = city.state["staff"][name]
        city.writer.add(DepartmentMember.__table__, {"user_id": user_id, "department_id": dept_id})
        by_district.setdefault(code[1:7], []).append((dept_id, (user_id, name)))
    return by_district


def _staff(city: BenchCity, *parts: str) -> tuple[int, str]:
    name = username(city, *parts)
    return city.state["staff"][name], name


class Places:
    """Who reports and who acts, per worker (worker reports) and per grid (hotline, Open311)."""

    def __init__(self, city: BenchCity, departments: dict[str, list]) -> None:
        self.city, self.departments = city, departments
        self.approver = _staff(city, "dispatcher")
        self.grids = city.state["grids"]

    def _place(self, grid_id, area_code, grid_code, worker_id=None, user_id=None, operator=None) -> Place:
        district = grid_code[:6]
        dispatcher = _staff(self.city, "dispatcher", district)
        handlers = {"community": _staff(self.city, "dispatcher", grid_code[:12]),
                    "street": _staff(self.city, "dispatcher", grid_code[:9])}
        return Place(grid_id, area_code, worker_id, user_id if operator is None else operator[0], dispatcher,
                     self.approver, handlers, self.departments.get(district, []))

    def reported_by_worker(self, worker) -> Place:
        worker_id, grid_id, grid_code, user_id = worker
        return self._place(grid_id, grid_code, grid_code, worker_id, user_id)

    def reported_by_resident(self, rng, channel: str) -> Place:
        grid_id, grid_code = rng.choice(self.grids)
        exact = rng.random() < 0.5
        operator = _staff(self.city, "dispatcher", grid_code[:6]) if channel == "hotline" else (None, "open311")
        return self._place(grid_id if exact else None, grid_code if exact else grid_code[:12], grid_code, operator=operator)


def daily_counts(total: int, days: list) -> list[int]:
    """Cases per day adding up to ``total``: weekends see six in ten of a weekday's reports."""
    weights = [0.6 if day.weekday() >= 5 else 1.0 for day in days]
    counts = [int(total * w / sum(weights)) for w in weights]
    for n in range(total - sum(counts)):
        counts[n % len(counts)] += 1
    return counts


REPORTS_OPEN = time(7, 0)  # the first report of a day


def _day_times(city: BenchCity, zone, day, count: int) -> list[datetime]:
    opens = datetime.combine(day, REPORTS_OPEN, zone).astimezone(UTC)
    span = min(14 * 3600, max(int((city.end - opens).total_seconds()), 1))
    return sorted(opens + timedelta(seconds=city.rng.randrange(span)) for _n in range(count))


def build_cases(city: BenchCity) -> None:
    work, cal = calendar()
    leaves, places = categories(), Places(city, department_members(city))
    life = CaseLife(city, cal, work.accept_limit_hours, work.verify_limit_days, work.red_card_multiple)
    worker_places = [places.reported_by_worker(w) for w in city.state["workers"]]
    # The last day is the last one whose reports have begun: just after midnight, yesterday.
    zone = cal.zone
    end_day = (city.end.astimezone(zone) - timedelta(hours=REPORTS_OPEN.hour)).date()
    days = [end_day - timedelta(days=n) for n in range(HISTORY_DAYS - 1, -1, -1)]
    counts, done = daily_counts(city.options.cases, days), 0
    channels, weights = [c for c, _w in CHANNELS], [w for _c, w in CHANNELS]
    for day, count in zip(days, counts, strict=True):
        todays = []
        for reported in _day_times(city, zone, day, count):
            channel = city.rng.choices(channels, weights)[0]
            place = city.rng.choice(worker_places) if channel == "worker" else places.reported_by_resident(city.rng, channel)
            todays.append((reported, channel, place))
        ids = iter(city.writer.ids(Case.__table__, len(todays)))
        for (reported, channel, place), number in zip(todays, _numbers(day, todays), strict=True):
            life.write(next(ids), number, reported, city.rng.choice(leaves), channel, place)
            city.writer.maybe_flush()
        done += count
        city.count("cases", count)
        city.progress("cases", done, city.options.cases)
    city.state["history"] = (days[0], end_day)


def _numbers(day, todays) -> list[str]:
    """Case numbers as ``report_case`` gives them, one reservation per district and day."""
    per_district: dict[str, int] = {}
    for _reported, _channel, place in todays:
        district = place.area_code[:6]
        per_district[district] = per_district.get(district, 0) + 1
    serials = {d: iter(numbers.reserve(f"case:{d}:{day:%Y%m%d}", n)) for d, n in per_district.items()}
    return [f"{place.area_code[:6]}{day:%Y%m%d}{next(serials[place.area_code[:6]]):04d}" for _r, _c, place in todays]


def run(city: BenchCity) -> None:
    """The case module's step: a year of cases, then patrols and visits."""
    build_cases(city)
    city.writer.flush()
    build_fieldwork(city)
