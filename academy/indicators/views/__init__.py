"""The indicator pages: one blueprint, views by concern (pages, exports, administration)."""
from __future__ import annotations

from flask import Blueprint, abort, make_response, request
from flask_babel import gettext as _

from academy.indicators import queries
from academy.indicators.definitions import INDICATORS
from academy.indicators.forms import PeriodForm
from academy.indicators.periods import Period, current_month, parse_period
from academy.registry.models import Area
from academy.web.errors import render_error

bp = Blueprint("indicators", __name__, url_prefix="/indicators")


def chosen_period(form_class=PeriodForm) -> tuple[Period, PeriodForm]:
    """The period in the query string (the current month by default); 400 with a message if unreadable."""
    form = form_class(request.args)
    if not form.validate():
        abort(make_response(render_error(400, "; ".join(str(e) for errors in form.errors.values() for e in errors)
                           or _("The request could not be understood."))))
    period = parse_period(form.period.data) if form.period.data else current_month()
    form.period.data = period.key
    return period, form


def load_area(code: str) -> Area:
    """The area of the URL's code, or 404."""
    area = queries.area_by_code(code)
    if area is None:
        abort(404)
    return area


@bp.app_template_filter("indicator_value")
def indicator_value(value) -> str:
    """A value for the screen: a rate with one decimal and %, a figure, or "too few cases"."""
    if value.too_few:
        return _("too few cases")
    if value.indicator.denominator is None:
        return f"{value.value:,.1f}" if isinstance(value.value, float) and not value.value.is_integer() else f"{int(value.value):,}"
    return f"{value.value:.1f} %"


@bp.app_context_processor
def indicator_helpers():
    return {"indicator_defs": INDICATORS}


from academy.indicators.views import admin, pages, rankings  # noqa: E402,F401
