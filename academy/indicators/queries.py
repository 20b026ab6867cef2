"""Reading indicators for the pages and for the academy: snapshots when the period has them,
else (custom ranges, periods not refreshed yet) a live computation limited to the area shown.

``training_profile(worker, period)`` is the query the academy reads (through the
"training_needs" slot): the categories where a worker falls short of the scheme's targets,
with the figures, and his overall score.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import g

from academy.cases.models import Category
from academy.cases.people import department_ids_of
from academy.extensions import db
from academy.indicators import access, scoring, settings
from academy.indicators.compute import compute
from academy.indicators.definitions import CATEGORY_INDICATORS, COUNT_NAMES, INDICATORS, Value, evaluate
from academy.indicators.models import AssessmentResult, AssessmentScheme, IndicatorSnapshot, SnapshotPeriod
from academy.indicators.periods import Period, last_months, parse_period, previous_month
from academy.permissions import area_scopes, has_role, scope_clause
from academy.registry.models import Area, AreaLevel, Department, Grid, Worker


def active_scheme() -> AssessmentScheme | None:
    """The scheme version in force (the latest active one), if any."""
    return db.session.scalar(sa.select(AssessmentScheme).where(AssessmentScheme.active)
                             .order_by(AssessmentScheme.id.desc()).limit(1))


def marker(period: Period) -> SnapshotPeriod | None:
    """The period's snapshot marker, if its snapshots exist."""
    if not period.storable:
        return None
    cache = g.setdefault("indicator_markers", {})  # asked several times per page
    if period.key not in cache:
        cache[period.key] = db.session.scalar(sa.select(SnapshotPeriod).where(SnapshotPeriod.period_key == period.key))
    return cache[period.key]


def scheme_for(period: Period) -> AssessmentScheme | None:
    """The scheme version the period's results were computed with (the active one for live figures)."""
    mark = marker(period)
    return mark.scheme if mark is not None and mark.scheme is not None else active_scheme()


def _live(period: Period, prefix: str | None):
    cache = g.setdefault("indicator_live", {})
    if (period.key, prefix) not in cache:
        cache[(period.key, prefix)] = compute(period, area_prefix=prefix)
    return cache[(period.key, prefix)]


@dataclass
class UnitRow:
    kind: str
    key: str
    area_code: str
    category: str
    counts: dict = field(default_factory=dict)


def unit_rows(period: Period, kind: str, *, keys: list[str] | None = None, prefix: str | None = None,
              category: str | None = "", live_prefix: str | None = None) -> list[UnitRow]:
    """Counts of units of ``kind`` (only ``keys``, or those whose area code starts with ``prefix``),
    for one category ("" = all; None = every category row)."""
    if marker(period) is not None:
        query = sa.select(IndicatorSnapshot).where(IndicatorSnapshot.period_key == period.key,
                                                   IndicatorSnapshot.unit_kind == kind)
        if keys is not None:
            query = query.where(IndicatorSnapshot.unit_key.in_(keys))
        if prefix:
            query = query.where(IndicatorSnapshot.area_code.startswith(prefix, autoescape=True))
        if category is not None:
            query = query.where(IndicatorSnapshot.category == category)
        return [UnitRow(kind, row.unit_key, row.area_code, row.category, row.counts())
                for row in db.session.scalars(query.order_by(IndicatorSnapshot.unit_key))]
    comp = _live(period, live_prefix if live_prefix is not None else prefix)
    rows = []
    for (row_kind, key, row_category), counts in comp.rows.items():
        area_code = comp.areas.get((row_kind, key), "")
        if row_kind != kind or (keys is not None and key not in keys) or (prefix and not area_code.startswith(prefix)):
            continue
        if category is None or row_category == category:
            rows.append(UnitRow(kind, key, area_code, row_category, {n: counts.get(n, 0) for n in COUNT_NAMES}))
    return sorted(rows, key=lambda row: (row.key, row.category))


def values(counts: dict, keys) -> list[Value]:
    least, weight = settings.min_sample(), settings.basic_weight()
    return [evaluate(key, counts, least, weight) for key in keys]


def one(period: Period, kind: str, key: str, area_code: str) -> dict:
    """The counts of one unit (all categories), zeros when it has none."""
    rows = unit_rows(period, kind, keys=[key], live_prefix=area_code[:6] if kind != "department" else None)
    return rows[0].counts if rows else {name: 0 for name in COUNT_NAMES}


def results(period: Period, kind: str, prefix: str | None) -> list[tuple[str, str, float | None, int]]:
    """(unit key, area code, score, sample) of the units under ``prefix``, best first."""
    if marker(period) is not None:
        query = sa.select(AssessmentResult.unit_key, AssessmentResult.area_code, AssessmentResult.score,
                          AssessmentResult.sample).where(AssessmentResult.period_key == period.key,
                                                         AssessmentResult.unit_kind == kind)
        if prefix:
            query = query.where(AssessmentResult.area_code.startswith(prefix, autoescape=True))
        found = [tuple(row) for row in db.session.execute(query)]
    else:
        scheme = active_scheme()
        found = []
        for row in unit_rows(period, kind, prefix=prefix):
            result = scoring.score(row.counts, scheme, settings.min_sample(), settings.basic_weight()) if scheme else None
            found.append((row.key, row.area_code, result.score if result else None, row.counts.get("due_to_close", 0)))
    return sorted(found, key=lambda r: (r[2] is None, -(r[2] or 0), r[0]))


def stars(ranking: list[tuple], scheme: AssessmentScheme | None) -> list[tuple]:
    """The "excellent" entries of a ranking by the scheme's rules (top N and/or a minimum score,
    with a minimum sample of cases due to close)."""
    if scheme is None:
        return []
    chosen = [row for row in ranking if row[2] is not None and row[3] >= scheme.min_sample
              and (scheme.excellent_min_score is None or row[2] >= scheme.excellent_min_score)]
    return chosen[: scheme.excellent_top_n] if scheme.excellent_top_n else chosen


def category_names() -> dict[str, str]:
    return {a: b for a, b in db.session.execute(sa.select(Category.code, Category.name).where(Category.parent_id.is_(None)))}


def category_values(rows: list[UnitRow], keys) -> list[tuple[str, list[Value]]]:
    """(top-level category name, values of the indicators ``keys``) of each per-category row."""
    names = category_names()
    return [(names.get(row.category, row.category), values(row.counts, keys)) for row in rows if row.category]


@dataclass
class Shortfall:
    category: str
    name: str
    indicator: str
    value: float
    target: float
    sample: int


@dataclass
class TrainingProfile:
    """What the academy reads: the worker's score and the categories below target, worst first."""

    period: Period
    score: float | None
    shortfalls: list[Shortfall]


def _below(value: Value, target: float) -> bool:
    if value.value is None:
        return False
    return value.value < target if value.indicator.higher_is_better else value.value > target


def training_profile(worker, period: Period) -> TrainingProfile:
    """For a worker and a period: the categories where he falls below the scheme's targets (with
    the figures) and his overall score. Categories with too few cases are left out."""
    scheme = scheme_for(period)
    area_code = worker.area.code if worker.area else ""
    rows = unit_rows(period, "worker", keys=[str(worker.id)], category=None, live_prefix=area_code[:6])
    names, shortfalls = category_names(), []
    for row in rows:
        if not row.category:
            continue
        for value in values(row.counts, CATEGORY_INDICATORS):
            target = scoring.target_of(scheme, value.indicator.key)
            if target is not None and _below(value, target):
                shortfalls.append(Shortfall(row.category, names.get(row.category, row.category), value.indicator.key,
                                            round(value.value, 1), target, value.denominator or 0))
    shortfalls.sort(key=lambda s: (s.value - s.target) * (1 if INDICATORS[s.indicator].higher_is_better else -1))
    return TrainingProfile(period, score_of(period, "worker", str(worker.id), area_code), shortfalls)


def score_of(period: Period, kind: str, key: str, area_code: str) -> float | None:
    """One unit's score: its stored result, or computed live for periods without snapshots."""
    if marker(period) is not None:
        return db.session.scalar(sa.select(AssessmentResult.score).where(
            AssessmentResult.period_key == period.key, AssessmentResult.unit_kind == kind,
            AssessmentResult.unit_key == key))
    scheme = active_scheme()
    if scheme is None:
        return None
    return scoring.score(one(period, kind, key, area_code), scheme, settings.min_sample(), settings.basic_weight()).score


def trend(kind: str, key: str, period: Period, indicator_keys: tuple[str, ...]) -> list[tuple[str, list]]:
    """The last 12 months up to ``period`` from the snapshots: (month, [value or None per indicator])."""
    months = last_months(period)
    rows = {row.period_key: row.counts() for row in db.session.scalars(sa.select(IndicatorSnapshot).where(
        IndicatorSnapshot.unit_kind == kind, IndicatorSnapshot.unit_key == key, IndicatorSnapshot.category == "",
        IndicatorSnapshot.period_key.in_([m.key for m in months])))}
    series = []
    for month in months:
        counts = rows.get(month.key)
        series.append((month.key, [v.value for v in values(counts, indicator_keys)] if counts else
                       [None] * len(indicator_keys)))
    return series


def merged(rows: list[UnitRow]) -> dict:
    total = Counter()
    for row in rows:
        total.update(row.counts)
    return dict(total)


def latest_stored_month() -> Period:
    """The latest month with snapshots (the previous month if none is stored yet)."""
    key = db.session.scalar(sa.select(sa.func.max(SnapshotPeriod.period_key)).where(SnapshotPeriod.kind == "month"))
    return parse_period(key) if key else previous_month()


def scheme_versions(limit: int = 100) -> list[AssessmentScheme]:
    """The scheme versions, newest first."""
    return db.session.scalars(sa.select(AssessmentScheme).order_by(AssessmentScheme.id.desc()).limit(limit)).all()


def stored_periods(limit: int = 40) -> list[SnapshotPeriod]:
    """The periods with snapshots, latest first."""
    return db.session.scalars(sa.select(SnapshotPeriod).order_by(SnapshotPeriod.period_key.desc()).limit(limit)).all()


# ---- The units the pages show: areas, their children, names, departments.

def city_code() -> str | None:
    """The code of the city's area (the dashboard of a leader without an area limit)."""
    city = db.session.scalar(sa.select(Area).where(Area.level == AreaLevel.CITY).order_by(Area.code).limit(1))
    return city.code if city else None


def area_by_code(code: str) -> Area | None:
    return db.session.scalar(sa.select(Area).where(Area.code == code[:15]))


def child_units(area: Area) -> tuple[str, list[tuple[str, str]]]:
    """The kind and (code, name) of the units one level below ``area``."""
    if area.level == AreaLevel.COMMUNITY:
        grids = db.session.execute(sa.select(Grid.code, Grid.name).where(Grid.community_id == area.id).order_by(Grid.code))
        return "grid", [tuple(row) for row in grids]
    return "area", [(child.code, child.name) for child in area.children]


def unit_names(kind: str, keys: list[str]) -> dict[str, str]:
    """The names of workers (by id) or grids (by code)."""
    if not keys:
        return {}
    if kind == "worker":
        ids = [int(k) for k in keys if k.isdigit()]
        return {str(i): n for i, n in db.session.execute(sa.select(Worker.id, Worker.name).where(Worker.id.in_(ids)))}
    return {a: b for a, b in db.session.execute(sa.select(Grid.code, Grid.name).where(Grid.code.in_(keys)))}


def ranking_with_names(period: Period, kind: str, code: str) -> list[tuple]:
    """(rank, name, unit key, area code, score, sample) of the units under ``code``, best first."""
    ranking = results(period, kind, code)
    names = unit_names(kind, [row[0] for row in ranking])
    return [(n + 1, names.get(row[0], row[0]), *row) for n, row in enumerate(ranking)]


def visible_departments(user, limit: int = 500) -> list[Department]:
    """The departments ``user`` sees: a leader's within his areas, a department member's own."""
    if has_role(user, *access.LEADERS):
        scope = scope_clause(Area.code, area_scopes(user, *access.LEADERS))
    else:
        scope = Department.id.in_(department_ids_of(user) or [-1])
    return db.session.scalars(sa.select(Department).join(Area, Area.id == Department.area_id)
                              .where(scope).order_by(Department.name).limit(limit)).all()
