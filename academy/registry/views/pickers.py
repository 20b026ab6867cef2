"""JSON for the pickers (``static/js/pickers.js``): the area tree, grids and workers, each searched
only inside the caller's own areas. ``academy.web.pickers`` says what they read and answer."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from academy.permissions import require_role
from academy.registry import access, labels, queries
from academy.registry.models import AreaLevel
from academy.registry.views import bp
from academy.web import pickers
from academy.web.errors import json_endpoint


@bp.get("/registry/pick/areas")
@require_role(*access.AREA_PICKER_ROLES)
@json_endpoint
def pick_areas():
    """``parent``: the children of that area; ``q``: a search; ``code``: one area; none: the tops."""
    query = pickers.read_query(request.args)
    areas = queries.picker_areas(access.picker_scopes(current_user, access.AREA_PICKER_ROLES),
                                 search=query.q.data, parent_code=query.parent.data or "", code=query.code.data or "")
    return pickers.answer([pickers.item(code=area.code, label=area.name, detail=f"{area.full_name} · {area.code}",
                                        level=labels.label(area.level), has_children=area.level != AreaLevel.COMMUNITY)
                           for area in areas])


@bp.get("/registry/pick/grids")
@require_role(*access.GRID_PICKER_ROLES)
@json_endpoint
def pick_grids():
    query = pickers.read_query(request.args)
    grids = queries.picker_grids(access.picker_scopes(current_user, access.GRID_PICKER_ROLES),
                                 search=query.q.data, code=query.code.data or "", grid_id=query.id.data)
    return pickers.answer([pickers.item(id=grid.id, code=grid.code, label=grid.name,
                                        detail=f"{grid.community.full_name} · {grid.code}") for grid in grids])


@bp.get("/registry/pick/workers")
@require_role(*access.WORKER_PICKER_ROLES)
@json_endpoint
def pick_workers():
    query = pickers.read_query(request.args)
    workers = queries.picker_workers(access.picker_scopes(current_user, access.WORKER_PICKER_ROLES),
                                     search=query.q.data, code=query.code.data or "")
    return pickers.answer([pickers.item(id=worker.id, code=worker.number, label=worker.name,
                                        detail=f"{worker.number} · {worker.area.full_name}") for worker in workers])
