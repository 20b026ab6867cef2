"""The worker's own page, the area dashboard, the department dashboards, the index and help."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy import charts
from academy.cases.people import department_ids_of
from academy.indicators import access, queries, scoring
from academy.indicators.definitions import (
    CASE_INDICATORS,
    CATEGORY_INDICATORS,
    COUNTS,
    DEPARTMENT_INDICATORS,
    FIELD_INDICATORS,
    INDICATORS,
)
from academy.indicators.views import bp, chosen_period, load_area
from academy.permissions import Role, ensure, get_or_404, has_role, require_role
from academy.registry.models import Department, Worker
from academy.registry.queries import worker_of_user

TREND = ("closure_rate", "on_time_closure_rate", "satisfaction_rate", "patrol_compliance")
COLUMNS = ("closure_rate", "on_time_closure_rate", "rework_rate", "satisfaction_rate", "patrol_compliance")
COMPARED = "on_time_closure_rate"  # the units below an area, side by side in a chart


def _labels(keys) -> list[str]:
    return [str(INDICATORS[key].label) for key in keys]


@bp.get("/")
@require_role(*access.PAGE_ROLES)
def index():
    """Send each user to the page that is theirs: own page, area dashboard or department."""
    if has_role(current_user, *access.LEADERS):
        code = access.home_area(current_user)
        if code is None:
            code = queries.city_code()
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
    category_rows = queries.category_values(categories, CATEGORY_INDICATORS)
    profile = queries.training_profile(worker, period)
    series = queries.trend("worker", str(worker.id), period, TREND)
    trend = charts.months("trend", _("Indicators over the last 12 months"), series, _labels(TREND))
    return render_template(
        "indicators/worker.html", worker=worker, period=period, form=form, scheme=scheme, profile=profile,
        case_values=_with_targets(queries.values(counts, CASE_INDICATORS), scheme),
        field_values=_with_targets(queries.values(counts, FIELD_INDICATORS), scheme),
        category_rows=category_rows, category_columns=[INDICATORS[k] for k in CATEGORY_INDICATORS], trend=trend,
        marker=queries.marker(period))


@bp.get("/areas/<code>")
@require_role(*access.LEADERS)
def area(code: str):
    area = load_area(code)
    ensure(access.can_see_area(current_user, area.code))
    period, form = chosen_period()
    scheme = queries.scheme_for(period)
    own_rows = queries.unit_rows(period, "area", keys=[area.code], category=None, live_prefix=area.code)
    own = [row for row in own_rows if not row.category]
    category_rows = queries.category_values(own_rows, CATEGORY_INDICATORS)
    child_kind, children = queries.child_units(area)
    found = {row.key: row.counts for row in queries.unit_rows(period, child_kind, prefix=area.code, live_prefix=area.code)}
    side = [(name, child_code, child_kind, queries.values(found.get(child_code, {}), COLUMNS)) for child_code, name in children]
    trend = charts.months("trend", _("Indicators over the last 12 months"),
                          queries.trend("area", area.code, period, TREND), _labels(TREND))
    compared = charts.bars("children", _("On-time closure rate, side by side"),
                           [(name, [vals[COLUMNS.index(COMPARED)].value]) for name, _code, _kind, vals in side],
                           _labels((COMPARED,)), unit="%", value_title=_("Rate"), category_title=_("Name"),
                           decimals=1, maximum=100.0, note=_("A unit with too few cases has no bar."))
    workers = queries.ranking_with_names(period, "worker", area.code)
    grids = queries.ranking_with_names(period, "grid", area.code)
    return render_template(
        "indicators/area.html", area=area, period=period, form=form, scheme=scheme,
        own_values=_with_targets(queries.values(own[0].counts if own else {}, CASE_INDICATORS + FIELD_INDICATORS), scheme),
        side=side, trend=trend, compared=compared, columns=[INDICATORS[k] for k in COLUMNS], category_rows=category_rows,
        category_columns=[INDICATORS[k] for k in CATEGORY_INDICATORS], workers=workers[:50], grids=grids[:50],
        worker_count=len(workers), star_workers=queries.stars([r[2:] for r in workers], scheme),
        star_grids=queries.stars([r[2:] for r in grids], scheme), marker=queries.marker(period))


@bp.get("/departments")
@require_role(Role.DEPARTMENT, *access.LEADERS)
def departments():
    period, form = chosen_period()
    rows = queries.visible_departments(current_user)
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
    total = next((row.counts for row in rows if not row.category), {})
    series = queries.trend("department", str(dept.id), period, DEPARTMENT_INDICATORS[:1])
    trend = charts.months("trend", _("On-time handling over the last 12 months"), series,
                          _labels(DEPARTMENT_INDICATORS[:1]))
    return render_template(
        "indicators/department.html", dept=dept, period=period, form=form, trend=trend,
        values=queries.values(total, DEPARTMENT_INDICATORS), columns=[INDICATORS[k] for k in DEPARTMENT_INDICATORS],
        category_rows=queries.category_values(rows, DEPARTMENT_INDICATORS))
