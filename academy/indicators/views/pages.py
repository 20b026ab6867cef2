"""The worker's own page, the area dashboard, the department dashboards, the index and help."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from academy.cases.people import department_ids_of
from academy.extensions import db
from academy.indicators import access, charts, queries, scoring
from academy.indicators.definitions import (
    CASE_INDICATORS,
    CATEGORY_INDICATORS,
    COUNTS,
    DEPARTMENT_INDICATORS,
    FIELD_INDICATORS,
    INDICATORS,
)
from academy.indicators.views import bp, chosen_period
from academy.permissions import Role, ensure, get_or_404, has_role, require_role
from academy.registry.models import Area, AreaLevel, Department, Grid, Worker
from academy.registry.queries import worker_of_user

TREND = ("closure_rate", "on_time_closure_rate", "satisfaction_rate", "patrol_compliance")
COLUMNS = ("closure_rate", "on_time_closure_rate", "rework_rate", "satisfaction_rate", "patrol_compliance")


@bp.get("/")
@require_role(*access.PAGE_ROLES)
def index():
    """Send each user to the page that is theirs: own page, area dashboard or department."""
    if has_role(current_user, *access.LEADERS):
        code = access.home_area(current_user)
        if code is None:
            city = db.session.scalar(sa.select(Area).where(Area.level == AreaLevel.CITY).order_by(Area.code).limit(1))
            code = city.code if city else None
        if code:
            return redirect(url_for("indicators.area", code=code))
    worker = worker_of_user(current_user)
    if worker is not None:
        return redirect(url_for("indicators.worker", worker_id=worker.id))
    if department_ids_of(current_user):
        return redirect(url_for("indicators.departments"))
    return render_template("indicators/nothing.html")


@bp.get("/help")
@require_role(*access.PAGE_ROLES)
def help():
    return render_template("indicators/help.html", counts=COUNTS, indicators=INDICATORS.values())


def _with_targets(values, scheme):
    return [(value, scoring.target_of(scheme, value.indicator.key)) for value in values]


@bp.get("/workers/<int:worker_id>")
@require_role(Role.TRAINEE, *access.LEADERS)
def worker(worker_id: int):
    worker = get_or_404(Worker, worker_id)
    ensure(access.can_see_worker(current_user, worker))
    period, form = chosen_period()
    scheme = queries.scheme_for(period)
    area_code = worker.area.code if worker.area else ""
    counts = queries.one(period, "worker", str(worker.id), area_code)
    categories = queries.unit_rows(period, "worker", keys=[str(worker.id)], category=None, live_prefix=area_code[:6])
    names = queries.category_names()
    category_rows = [(names.get(row.category, row.category), queries.values(row.counts, CATEGORY_INDICATORS))
                     for row in categories if row.category]
    profile = queries.training_profile(worker, period)
    series = queries.trend("worker", str(worker.id), period, TREND)
    chart = charts.line_chart(series, [str(INDICATORS[key].label) for key in TREND])
    return render_template(
        "indicators/worker.html", worker=worker, period=period, form=form, scheme=scheme, profile=profile,
        case_values=_with_targets(queries.values(counts, CASE_INDICATORS), scheme),
        field_values=_with_targets(queries.values(counts, FIELD_INDICATORS), scheme),
        category_rows=category_rows, category_columns=[INDICATORS[k] for k in CATEGORY_INDICATORS], chart=chart,
        marker=queries.marker(period))


def _children(area: Area) -> tuple[str, list[tuple[str, str]]]:
    """The kind and (code, name) of the units one level below ``area``."""
    if area.level == AreaLevel.COMMUNITY:
        grids = db.session.execute(sa.select(Grid.code, Grid.name).where(Grid.community_id == area.id).order_by(Grid.code))
        return "grid", [tuple(row) for row in grids]
    return "area", [(child.code, child.name) for child in area.children]


def _names(kind: str, keys: list[str]) -> dict[str, str]:
    if not keys:
        return {}
    if kind == "worker":
        ids = [int(k) for k in keys if k.isdigit()]
        return {str(i): n for i, n in db.session.execute(sa.select(Worker.id, Worker.name).where(Worker.id.in_(ids)))}
    return {a: b for a, b in db.session.execute(sa.select(Grid.code, Grid.name).where(Grid.code.in_(keys)))}


def ranking_with_names(period, kind: str, code: str):
    ranking = queries.results(period, kind, code)
    names = _names(kind, [row[0] for row in ranking])
    return [(n + 1, names.get(row[0], row[0]), *row) for n, row in enumerate(ranking)]


def load_area(code: str) -> Area:
    area = db.session.scalar(sa.select(Area).where(Area.code == code[:15]))
    if area is None:
        abort(404)
    return area


@bp.get("/areas/<code>")
@require_role(*access.LEADERS)
def area(code: str):
    area = load_area(code)
    ensure(access.can_see_area(current_user, area.code))
    period, form = chosen_period()
    scheme = queries.scheme_for(period)
    own_rows = queries.unit_rows(period, "area", keys=[area.code], category=None, live_prefix=area.code)
    own = [row for row in own_rows if not row.category]
    names = queries.category_names()
    category_rows = [(names.get(r.category, r.category), queries.values(r.counts, CATEGORY_INDICATORS))
                     for r in own_rows if r.category]
    child_kind, children = _children(area)
    found = {row.key: row.counts for row in queries.unit_rows(period, child_kind, prefix=area.code, live_prefix=area.code)}
    side = [(name, child_code, child_kind, queries.values(found.get(child_code, {}), COLUMNS)) for child_code, name in children]
    workers = ranking_with_names(period, "worker", area.code)
    grids = ranking_with_names(period, "grid", area.code)
    return render_template(
        "indicators/area.html", area=area, period=period, form=form, scheme=scheme,
        own_values=_with_targets(queries.values(own[0].counts if own else {}, CASE_INDICATORS + FIELD_INDICATORS), scheme),
        side=side, columns=[INDICATORS[k] for k in COLUMNS], category_rows=category_rows,
        category_columns=[INDICATORS[k] for k in CATEGORY_INDICATORS], workers=workers[:50], grids=grids[:50],
        worker_count=len(workers), star_workers=queries.stars([r[2:] for r in workers], scheme),
        star_grids=queries.stars([r[2:] for r in grids], scheme), marker=queries.marker(period))


def _department_scope():
    if has_role(current_user, *access.LEADERS):
        from academy.permissions import area_scopes, scope_clause

        return scope_clause(Area.code, area_scopes(current_user, *access.LEADERS))
    return Department.id.in_(department_ids_of(current_user) or [-1])


@bp.get("/departments")
@require_role(Role.DEPARTMENT, *access.LEADERS)
def departments():
    period, form = chosen_period()
    rows = db.session.scalars(sa.select(Department).join(Area, Area.id == Department.area_id)
                              .where(_department_scope()).order_by(Department.name).limit(500)).all()
    home = access.home_area(current_user) if has_role(current_user, *access.LEADERS) else None
    found = {row.key: row.counts for row in queries.unit_rows(period, "department", keys=[str(d.id) for d in rows],
                                                              live_prefix=home or None)}
    side = [(dept, queries.values(found.get(str(dept.id), {}), DEPARTMENT_INDICATORS)) for dept in rows]
    return render_template("indicators/departments.html", period=period, form=form, side=side,
                           columns=[INDICATORS[k] for k in DEPARTMENT_INDICATORS])


@bp.get("/departments/<int:department_id>")
@require_role(Role.DEPARTMENT, *access.LEADERS)
def department(department_id: int):
    dept = get_or_404(Department, department_id)
    ensure(access.can_see_department(current_user, dept))
    period, form = chosen_period()
    rows = queries.unit_rows(period, "department", keys=[str(dept.id)], category=None,
                             live_prefix=dept.area.code if dept.area else None)
    names = queries.category_names()
    total = next((row.counts for row in rows if not row.category), {})
    series = queries.trend("department", str(dept.id), period, DEPARTMENT_INDICATORS[:1])
    chart = charts.line_chart(series, [str(INDICATORS[DEPARTMENT_INDICATORS[0]].label)])
    return render_template(
        "indicators/department.html", dept=dept, period=period, form=form, chart=chart,
        values=queries.values(total, DEPARTMENT_INDICATORS), columns=[INDICATORS[k] for k in DEPARTMENT_INDICATORS],
        category_rows=[(names.get(r.category, r.category), queries.values(r.counts, DEPARTMENT_INDICATORS))
                       for r in rows if r.category])
