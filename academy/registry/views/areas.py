"""The area tree and the functional departments."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.database import city_today
from academy.permissions import ensure, get_or_404, require_role
from academy.registry import access, operations, queries
from academy.registry.forms import AreaForm, DepartmentEditForm, DepartmentForm, ListFilterForm
from academy.registry.models import AreaLevel, Department
from academy.registry.views import bp
from academy.registry.views.common import area_options, can_edit_here, read_scopes_for
from academy.web.cycle import on_refusal
from academy.web.paging import paginate


def _areas_page(form: AreaForm | None = None, status: int = 200):
    scopes = access.read_scopes(current_user)
    areas = queries.areas_in_scope(scopes)
    counts = queries.grid_counts_by_community(city_today())
    can_add = access.has_edit_role(current_user)
    return render_template("registry/areas.html", areas=areas, counts=counts, form=form or AreaForm(formdata=None),
                           can_add=can_add), status


@bp.get("/registry/areas")
@require_role(*access.READ_ROLES)
def areas():
    return _areas_page()


@bp.post("/registry/areas")
@require_role(*access.EDIT_ROLES)
def new_area():
    form = AreaForm()
    if not form.validate_on_submit():
        return _areas_page(form, 400)
    code = form.code.data
    # More than one operation's worth: the parent is found here so that the scope check (403)
    # and the missing parent (the form again, 400) answer before create_area is called.
    parent_code = code[:4] if len(code) == 6 else code[:-3]
    ensure(can_edit_here(parent_code) if len(code) == 6 else can_edit_here(code))
    parent = queries.area_by_code(parent_code)
    if parent is None:
        flash(_("The parent area %(code)s does not exist yet.", code=parent_code), "danger")
        return _areas_page(form, 400)
    on_refusal(lambda _error: _areas_page(form, 400))
    operations.create_area(code, form.name.data, current_user, parent=parent)
    flash(_("Area %(code)s added.", code=code), "success")
    return redirect(url_for("registry.areas"))


def _departments_page(form: DepartmentForm | None = None, status: int = 200):
    filters = ListFilterForm(request.args)
    scopes = read_scopes_for(filters.area.data if filters.validate() else None)
    departments = paginate(queries.departments_query(scopes), 50)
    levels = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET)
    return render_template("registry/departments.html", departments=departments, pager=departments,
                           form=form or DepartmentForm(area_options(levels), formdata=None),
                           edit_form=DepartmentEditForm(formdata=None), can_edit=can_edit_here,
                           can_add=access.has_edit_role(current_user)), status


@bp.get("/registry/departments")
@require_role(*access.READ_ROLES)
def departments():
    return _departments_page()


@bp.post("/registry/departments")
@require_role(*access.EDIT_ROLES)
def new_department():
    form = DepartmentForm(area_options((AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET)))
    if form.area.data and queries.area_by_code(form.area.data) is not None:
        ensure(can_edit_here(form.area.data))  # another district's area: refused, not merely invalid
    if not form.validate_on_submit():
        return _departments_page(form, 400)
    on_refusal(lambda _error: _departments_page(form, 400))
    operations.create_department(current_user, code=form.code.data, name=form.name.data,
                                 area=queries.area_by_code(form.area.data))
    flash(_("Department %(name)s added.", name=form.name.data), "success")
    return redirect(url_for("registry.departments"))


@bp.post("/registry/departments/<int:department_id>")
@require_role(*access.EDIT_ROLES)
def edit_department(department_id: int):
    department = get_or_404(Department, department_id)
    ensure(can_edit_here(department.area.code))
    form = DepartmentEditForm()
    if not form.validate_on_submit():
        flash(_("A department needs a name of at most 100 characters."), "danger")
        return _departments_page(status=400)
    operations.update_department(department, current_user, name=form.name.data, active=form.active.data)
    flash(_("Saved."), "success")
    return redirect(url_for("registry.departments"))
