"""Where am I: the report form sends the phone's position and shows the answer as a place in words
(the grid and its area, an address if an earlier report near there gave one), never as numbers.
See ``academy.cases.queries.places`` for how the grid is chosen."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from academy.cases import queries
from academy.cases.forms import PlaceQuery
from academy.cases.people import grids_of
from academy.cases.views import bp
from academy.permissions import Role, ensure, require_role
from academy.registry.queries import worker_of_user
from academy.web.errors import json_endpoint
from academy.web.pickers import refuse_invalid


def _how(place: queries.Place) -> str:
    """How the grid was found, in the user's words (the page shows it under the place)."""
    name = place.grid.name if place.grid is not None else ""
    return {
        "polygon": _("Inside the boundary of %(grid)s.", grid=name),
        "centre": _("Nearest grid centre: %(grid)s, about %(m)d m away.", grid=name, m=place.metres or 0),
        "case": _("An earlier report about %(m)d m away was in %(grid)s.", grid=name, m=place.metres or 0),
        "only": _("%(grid)s is your only grid; no boundary tells where this point lies.", grid=name),
    }.get(place.how, _("This point is not in one of your grids as far as we know: choose the grid below."))


@bp.get("/cases/report/place")
@require_role(Role.TRAINEE)
@json_endpoint
def report_place():
    worker = worker_of_user(current_user)
    ensure(worker is not None)
    query = refuse_invalid(PlaceQuery(request.args))
    place = queries.place_at(query.lat.data, query.lon.data, grids_of(worker))
    grid = place.grid
    return jsonify(found=grid is not None, how=place.how, message=_how(place),
                   grid_id=grid.id if grid else None, grid=grid.name if grid else "",
                   grid_code=grid.code if grid else "", area=grid.community.full_name if grid else "",
                   address=place.address)
