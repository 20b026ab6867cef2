"""The coverage and staffing checks: the failures the sources name, counted and listed.

Everything is computed for one day (today by default) inside the viewer's scopes. A "full-time
holder" of a grid is a current assignment as full-time worker, or as grid leader by a worker
employed full-time. Later modules add their own findings through the "coverage_findings" slot:
callables ``(area_code_scopes) -> [dict(title=..., count=..., url=... or rows=[dict(label, url)])]``
where ``area_code_scopes`` is a list of code prefixes, or None for the whole city.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Bundle

from academy import charts
from academy.contributions import contributions
from academy.database import city_today
from academy.extensions import db
from academy.permissions import scope_clause
from academy.registry.models import (
    Area,
    AreaLevel,
    Assignment,
    AssignmentRole,
    Employment,
    Grid,
    GridKind,
    Worker,
    WorkerStatus,
)
from academy.registry.queries import active_clause

ROW_LIMIT = 200  # rows listed per finding; the count is always complete


@dataclass
class Finding:
    key: str
    title: str
    count: int
    rows: list[dict] = field(default_factory=list)
    url: str | None = None


@dataclass
class StaffingRow:
    code: str
    name: str
    grids: int = 0
    households: int = 0
    full_time: int = 0
    vacancies: int = 0

    @property
    def ratio(self) -> float:
        return self.full_time / self.grids if self.grids else 0.0

    @property
    def households_per_worker(self) -> int | None:
        return round(self.households / self.full_time) if self.full_time else None


def household_range() -> tuple[int, int]:
    return (current_app.config.get("REGISTRY_HOUSEHOLDS_MIN", 150), current_app.config.get("REGISTRY_HOUSEHOLDS_MAX", 600))


def is_full_time_holding(assignment, worker) -> bool:
    """Does this holding cover its grid? A full-time role (or a full-time worker as leader), in force
    (not awaiting qualification), of a worker on duty (持证上岗: a suspended worker covers nothing)."""
    return (worker.status == WorkerStatus.ON_DUTY and not assignment.awaiting_qualification
            and (assignment.role == AssignmentRole.FULL_TIME
                 or (assignment.role == AssignmentRole.LEADER and worker.employment == Employment.FULL_TIME)))


def _grid_row(grid, extra: str = "") -> dict:
    label = f"{grid.code} {grid.name}" + (f" — {extra}" if extra else "")
    return {"label": label, "url": url_for("registry.grid", grid_id=grid.id)}


def _worker_row(worker, extra: str = "") -> dict:
    """A worker's line: ``worker`` is a Worker or a row with its id, number and name."""
    label = f"{worker.number} {worker.name}" + (f" — {extra}" if extra else "")
    return {"label": label, "url": url_for("registry.worker", worker_id=worker.id)}


def _finding(key: str, title: str, rows: list[dict]) -> Finding:
    return Finding(key, title, len(rows), rows[:ROW_LIMIT])


# The report reads only these columns, as plain rows: a district's hundreds of grids and holdings
# loaded as full objects were most of the page's time and of the garbage its process collects.
_GRID = (Grid.id, Grid.code, Grid.name, Grid.kind, Grid.households, Grid.valid_from, Grid.valid_to)


def _grid_active(grid, day: date) -> bool:
    """``Grid.active_on`` for a row of ``_GRID``."""
    return grid.valid_from <= day and (grid.valid_to is None or day < grid.valid_to)


def _current_holdings(scopes, day: date):
    """(assignment, worker, grid) rows of the current assignments: role, held; id, number, name,
    employment, status; ``_GRID``."""
    query = (sa.select(Bundle("assignment", Assignment.role, Assignment.awaiting_qualification),
                       Bundle("worker", Worker.id, Worker.number, Worker.name, Worker.employment, Worker.status),
                       Bundle("grid", *_GRID))
             .join(Worker, Assignment.worker_id == Worker.id)
             .join(Grid, Assignment.grid_id == Grid.id)
             .where(scope_clause(Grid.code, scopes), active_clause(Assignment, day)))
    return db.session.execute(query).all()


def coverage_report(scopes, day: date | None = None, households: tuple[int, int] | None = None) -> dict:
    """Findings and the per-district staffing table for ``scopes`` on ``day``."""
    day = day or city_today()
    low, high = households or household_range()
    grids = db.session.execute(sa.select(*_GRID).where(scope_clause(Grid.code, scopes), active_clause(Grid, day))
                               .order_by(Grid.code)).all()
    holdings = _current_holdings(scopes, day)
    covered, full_time_grids = set(), defaultdict(list)
    for assignment, worker, grid in holdings:
        if is_full_time_holding(assignment, worker) and _grid_active(grid, day):
            covered.add(grid.id)
            if grid.kind == GridKind.COMPREHENSIVE:
                full_time_grids[worker].append(grid)
    findings = [
        _finding("uncovered", _("Grids with no full-time worker today"),
                 [_grid_row(g) for g in grids if g.id not in covered]),
        _finding("multiple", _("Workers holding two or more comprehensive grids today"),
                 [_worker_row(w, ", ".join(g.code for g in gs)) for w, gs in sorted(full_time_grids.items(), key=lambda p: p[0].number)
                  if len(gs) >= 2]),
        _finding("households", _("Grids outside %(low)d-%(high)d households", low=low, high=high),
                 [_grid_row(g, _("%(n)d households", n=g.households)) for g in grids
                  if g.kind == GridKind.COMPREHENSIVE and not low <= g.households <= high]),
        _idle_workers(scopes, day),
        _finding("ended", _("Ended grids still holding workers"), _ended_but_held(holdings, day)),
        _finding("awaiting", _("Assignments awaiting qualification (not counted as coverage)"),
                 [_worker_row(w, f"{g.code} {g.name}") for a, w, g in sorted(holdings, key=lambda h: h[1].number)
                  if a.awaiting_qualification]),
    ]
    for provider in contributions("coverage_findings"):
        for item in provider(scopes) or []:
            findings.append(Finding(item.get("key", "contributed"), item["title"], item["count"],
                                    list(item.get("rows") or [])[:ROW_LIMIT], item.get("url")))
    return {"day": day, "findings": findings, "staffing": staffing_table(grids, holdings, covered, day),
            "households": (low, high)}


def _ended_but_held(holdings, day: date) -> list[dict]:
    ended = {grid.id: grid for _a, _w, grid in holdings if grid.valid_to is not None and grid.valid_to <= day}
    return [_grid_row(grid, _("ended on %(day)s", day=grid.valid_to.isoformat()))
            for grid in sorted(ended.values(), key=lambda g: g.code)]


def listed_workers(key: str, title: str, where) -> Finding:
    """A finding of workers: counted in the database, the first ``ROW_LIMIT`` by number listed.

    Only the columns a row shows are read: a district with hundreds of such workers (one of the
    benchmark city has 500) made the page load, build and collect every full worker to show 200."""
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Worker).join(Area, Worker.area_id == Area.id)
                              .where(*where))
    rows = db.session.execute(sa.select(Worker.id, Worker.number, Worker.name).join(Area, Worker.area_id == Area.id)
                              .where(*where).order_by(Worker.number).limit(ROW_LIMIT)) if count else []
    return Finding(key, title, count, [_worker_row(w) for w in rows])


def _idle_workers(scopes, day: date) -> Finding:
    holding = sa.select(Assignment.worker_id).where(active_clause(Assignment, day))
    return listed_workers("idle", _("Workers on duty with no current assignment"),
                          [scope_clause(Area.code, scopes), Worker.status == WorkerStatus.ON_DUTY,
                           Worker.id.not_in(holding)])


def staffing_table(grids: list, holdings, covered: set[int], day: date) -> list[StaffingRow]:
    """One row per district: grids, households, full-time workers, their ratio, vacancies."""
    rows: dict[str, StaffingRow] = {}
    names = dict(db.session.execute(sa.select(Area.code, Area.name).where(Area.level == AreaLevel.DISTRICT)).all())
    for grid in grids:
        row = rows.setdefault(grid.code[:6], StaffingRow(grid.code[:6], names.get(grid.code[:6], grid.code[:6])))
        row.grids += 1
        row.households += grid.households
        row.vacancies += grid.id not in covered
    workers = defaultdict(set)
    for assignment, worker, grid in holdings:
        if is_full_time_holding(assignment, worker) and _grid_active(grid, day):
            workers[grid.code[:6]].add(worker.id)
    for code, ids in workers.items():
        if code in rows:
            rows[code].full_time = len(ids)
    return [rows[code] for code in sorted(rows)]


def staffing_chart(rows: list[StaffingRow]) -> charts.Chart:
    """Full-time workers per grid by district, a bar each, those below one per grid in red and named so."""
    return charts.bars(
        "staffing", _("Full-time workers per grid, by district"),
        [(row.name, [row.ratio if row.ratio < 1 else None, row.ratio if row.ratio >= 1 else None]) for row in rows],
        [_("Below 1 per grid"), _("1 or more per grid")], tones=("red", ""), stacked=True, decimals=2,
        unit=_("people"), value_title=_("Full-time workers per grid"), category_title=_("District"),
        reference=(1.0, _("1 per grid")))
