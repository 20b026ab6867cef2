"""The coverage page (findings, staffing table, bar chart) and the public notice board (公示牌)."""
from __future__ import annotations

from flask import abort, render_template, request

from academy.database import city_today
from academy.permissions import require_role
from academy.registry import access, labels, queries
from academy.registry.coverage import coverage_report, household_range, staffing_chart
from academy.registry.forms import ListFilterForm
from academy.registry.views import bp
from academy.registry.views.common import read_scopes_for
from academy.web.errors import render_error
from academy.web.qr import qr_svg
from academy.web.ratelimit import Verdict, rate_limited
from academy.web.urls import public_url


@bp.get("/registry/coverage")
@require_role(*access.READ_ROLES)
def coverage():
    filters = ListFilterForm(request.args)
    area = request.args.get("area") or None
    scopes = read_scopes_for(area)  # a malformed code is a 404, another district's a 403
    low, high = household_range()
    low = _bounded(request.args.get("min", low), low)
    high = max(low, _bounded(request.args.get("max", high), high))
    report = coverage_report(scopes, households=(low, high))
    return render_template("registry/coverage.html", report=report, staffing_chart=staffing_chart(report["staffing"]),
                           filters=filters, area=area or "", low=low, high=high)


def _bounded(raw, default: int) -> int:
    try:
        return max(0, min(100_000, int(raw)))
    except (TypeError, ValueError):
        return default


def _too_many(verdict: Verdict):
    return render_error(429)


@bp.get("/board/<code>")
@rate_limited("board", "60/600", refused=_too_many)
def notice_board(code: str):
    """Public: the grid's notice board, printable; no personal data beyond a notice board's."""
    if not (len(code) == 15 and code.isdigit()):
        abort(404)
    grid = queries.grid_by_code(code)
    if grid is None:
        abort(404)
    holders = sorted(queries.active_assignments_of_grid(grid), key=lambda a: (labels.rank(a.role), a.worker.name))
    url = public_url("registry.notice_board", code=grid.code)
    return render_template("registry/board.html", grid=grid, holders=holders, labels=labels, qr=qr_svg(url),
                           url=url, ended=not grid.active_on(city_today()))
