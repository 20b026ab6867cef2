"""The ranking of an area's workers or grids as a download (.xlsx or .csv)."""
from __future__ import annotations

from flask import Response, abort
from flask_babel import gettext as _
from flask_login import current_user

from academy.indicators import access, exports, queries
from academy.indicators.forms import RankingForm
from academy.indicators.views import bp, chosen_period
from academy.indicators.views.pages import load_area, ranking_with_names
from academy.permissions import ensure, require_role

TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}


@bp.get("/areas/<code>/ranking.<fmt>")
@require_role(*access.LEADERS)
def ranking(code: str, fmt: str):
    if fmt not in TYPES:
        abort(404)
    area = load_area(code)
    ensure(access.can_see_area(current_user, area.code))
    period, form = chosen_period(RankingForm)
    kind = form.kind.data or "worker"
    scheme = queries.scheme_for(period)
    excellent = {row[0] for row in queries.stars(queries.results(period, kind, area.code), scheme)}
    header = [_("Rank"), _("Name"), _("Code") if kind == "grid" else _("Worker ID"), _("Area code"), _("Score"),
              _("Cases due to close"), _("Excellent")]
    rows = [[rank, name, key, area_code, score if score is not None else _("too few cases"), sample,
             _("yes") if key in excellent else ""] for rank, name, key, area_code, score, sample in
            ranking_with_names(period, kind, area.code)]
    name = f"ranking-{kind}-{area.code}-{period.key}.{fmt}".replace("..", "_")
    body = exports.to_xlsx(period.key, header, rows) if fmt == "xlsx" else exports.to_csv(header, rows)
    return Response(body, mimetype=TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})
