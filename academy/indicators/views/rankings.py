"""The ranking of an area's workers or grids as a download (.xlsx or .csv)."""
from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user

from academy.exports import Table, csv_bytes, download, xlsx_bytes
from academy.indicators import access, queries
from academy.indicators.forms import RankingForm
from academy.indicators.views import bp, chosen_period, load_area
from academy.permissions import ensure, require_role

FORMATS = ("xlsx", "csv")


@bp.get("/areas/<code>/ranking.<fmt>")
@require_role(*access.LEADERS)
def ranking(code: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    area = load_area(code)
    ensure(access.can_see_area(current_user, area.code))
    period, form = chosen_period(RankingForm)
    kind = form.kind.data or "worker"
    scheme = queries.scheme_for(period)
    excellent = {row[0] for row in queries.stars(queries.results(period, kind, area.code), scheme)}
    named = [_("Name"), _("Code")] if kind == "grid" else [pgettext("person", "Name"), _("Worker ID")]
    header = [_("Rank"), *named, _("Area code"), _("Score"), _("Cases due to close"), _("Excellent")]
    rows = [[rank, name, key, area_code, score if score is not None else _("too few cases"), sample,
             _("yes") if key in excellent else ""] for rank, name, key, area_code, score, sample in
            queries.ranking_with_names(period, kind, area.code)]
    name = f"ranking-{kind}-{area.code}-{period.key}.{fmt}".replace("..", "_")
    title = _("Ranking %(period)s", period=period.key)
    body = xlsx_bytes([Table(title, header, rows)]) if fmt == "xlsx" else csv_bytes(header, rows)
    return download(body, name)
