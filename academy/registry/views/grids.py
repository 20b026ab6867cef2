"""Grid pages: list, create, show, edit, retire and split."""
from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.database import city_today
from academy.permissions import ensure, get_or_404, require_role
from academy.registry import access, labels, operations, queries
from academy.registry.forms import EndForm, GridCreateForm, GridEditForm, ListFilterForm, SplitForm
from academy.registry.models import Grid, GridKind
from academy.registry.views import bp
from academy.registry.views.common import community_options, form_status, read_scopes_for
from academy.web.cycle import on_refusal
from academy.web.paging import paginate


@bp.get("/registry/grids")
@require_role(*access.READ_ROLES)
def grids():
    filters = ListFilterForm(request.args)
    valid = filters.validate()
    scopes = read_scopes_for(filters.area.data if valid else None)
    query = queries.grids_query(scopes, search=(filters.q.data or "").strip() if valid else "",
                                kind=filters.kind.data if valid else "", state=filters.state.data or "active")
    grids = paginate(query, 50)
    return render_template("registry/grids.html", grids=grids, pager=grids, filters=filters,
                           can_add=access.has_edit_role(current_user), export_area=filters.area.data if valid else "")


@bp.route("/registry/grids/new", methods=["GET", "POST"])
@require_role(*access.EDIT_ROLES)
def new_grid():
    form = GridCreateForm(community_options())
    if form.validate_on_submit():
        community = queries.area_by_code(form.community.data)
        on_refusal(lambda _error: (render_template("registry/grid_form.html", form=form, grid=None), 400))
        grid = operations.create_grid(community, current_user, kind=GridKind(form.kind.data),
                                      valid_from=form.valid_from.data, **form.values())
        flash(_("Grid %(code)s created.", code=grid.code), "success")
        return redirect(url_for("registry.grid", grid_id=grid.id))
    return render_template("registry/grid_form.html", form=form, grid=None), form_status(form)


def _readable_grid(grid_id) -> Grid:
    grid = get_or_404(Grid, grid_id)
    ensure(access.can_read(current_user, grid.code))
    return grid


def _editable_grid(grid_id) -> Grid:
    grid = get_or_404(Grid, grid_id)
    ensure(access.can_edit(current_user, grid.code))
    return grid


@bp.get("/registry/grids/<int:grid_id>")
@require_role(*access.READ_ROLES)
def grid(grid_id: int):
    grid = _readable_grid(grid_id)
    return _grid_page(grid, EndForm(formdata=None))


def _grid_page(grid: Grid, end_form: EndForm, status: int = 200):
    successors = queries.successors_of(grid)
    return render_template("registry/grid.html", grid=grid, successors=successors, labels=labels,
                           can_edit=access.can_edit(current_user, grid.code), end_form=end_form,
                           today=city_today()), status


@bp.route("/registry/grids/<int:grid_id>/edit", methods=["GET", "POST"])
@require_role(*access.EDIT_ROLES)
def edit_grid(grid_id: int):
    grid = _editable_grid(grid_id)
    form = GridEditForm(obj=grid)
    if request.method == "GET":
        form.unit_type.data = grid.unit_type.value if grid.unit_type else ""
        form.boundary_geojson.data = json.dumps(grid.boundary_geojson) if grid.boundary_geojson else ""
    if form.validate_on_submit():
        on_refusal(lambda _error: (render_template("registry/grid_form.html", form=form, grid=grid), 400))
        operations.update_grid(grid, current_user, **form.values())
        flash(_("Saved."), "success")
        return redirect(url_for("registry.grid", grid_id=grid.id))
    return render_template("registry/grid_form.html", form=form, grid=grid), form_status(form)


@bp.post("/registry/grids/<int:grid_id>/retire")
@require_role(*access.EDIT_ROLES)
def retire_grid(grid_id: int):
    grid = _editable_grid(grid_id)
    form = EndForm()
    if not form.validate_on_submit():
        return _grid_page(grid, form, 400)
    on_refusal(lambda _error: _grid_page(grid, form, 400))
    operations.retire_grid(grid, current_user, on=form.on.data, reason=form.reason.data)
    flash(_("Grid %(code)s ended; its history is kept.", code=grid.code), "success")
    return redirect(url_for("registry.grid", grid_id=grid.id))


@bp.route("/registry/grids/<int:grid_id>/split", methods=["GET", "POST"])
@require_role(*access.EDIT_ROLES)
def split_grid(grid_id: int):
    grid = _editable_grid(grid_id)
    form = SplitForm()
    if form.validate_on_submit():
        on_refusal(lambda _error: (render_template("registry/split.html", form=form, grid=grid), 400))
        parts = operations.split_grid(grid, current_user, on=form.on.data, parts=form.parsed)
        flash(_("Grid %(code)s split into %(codes)s.", code=grid.code, codes=", ".join(p.code for p in parts)),
              "success")
        return redirect(url_for("registry.grid", grid_id=grid.id))
    return render_template("registry/split.html", form=form, grid=grid), form_status(form)
