"""Worker pages: list, record, edit, status, the ID number reveal, assignments, and "my record".

The worker page is built from sections: the registry's own (assignments, status history) and
those later packages contribute to the "worker_sections" slot, each a callable
``(worker, viewer_user) -> dict(title=..., html=Markup) or None``.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.contributions import contributions
from academy.database import city_today
from academy.permissions import ensure, get_or_404, require_role
from academy.registry import access, labels, operations, queries
from academy.registry.forms import (
    AssignmentForm,
    ConfirmForm,
    EndForm,
    PhotoForm,
    StatusForm,
    WorkerCreateForm,
    WorkerEditForm,
    WorkerFilterForm,
)
from academy.registry.models import Assignment, AssignmentRole, Worker, WorkerStatus
from academy.registry.views import bp
from academy.registry.views.common import employing_area_options, form_status, read_scopes_for
from academy.web.cycle import on_refusal
from academy.web.paging import paginate
from academy.web.sorting import sort_status


@bp.route("/registry/workers", methods=["GET", "POST"])
@require_role(*access.READ_ROLES)
def workers():
    """The list; its search form posts, so an ID number searched for never goes into a URL (and so
    into access logs, browser history and proxies). A GET carrying one is not searched."""
    filters = WorkerFilterForm(request.form if request.method == "POST" else request.args)
    valid = filters.validate()
    if request.method == "GET" and queries.is_id_number(filters.q.data or ""):
        flash(_("ID numbers are searched with the search form only; they are never put into addresses."), "warning")
        filters.q.data = ""
    scopes = read_scopes_for(filters.area.data if valid else None)
    query = queries.workers_query(scopes, search=(filters.q.data or "").strip() if valid else "",
                                  status=filters.status.data if valid else "",
                                  awaiting_activation=valid and filters.login.data == "awaiting",
                                  sort=filters.sort.data if valid else "")
    workers = paginate(query, 50)
    return render_template("registry/workers.html", workers=workers, pager=workers, filters=filters, labels=labels,
                           can_add=access.has_edit_role(current_user),
                           export_area=filters.area.data if valid else ""), sort_status(filters)


@bp.route("/registry/workers/new", methods=["GET", "POST"])
@require_role(*access.EDIT_ROLES)
def new_worker():
    form = WorkerCreateForm(employing_area_options())
    if form.validate_on_submit():
        on_refusal(lambda _error: (render_template("registry/worker_form.html", form=form, worker=None), 400))
        worker = operations.create_worker(current_user, id_number=form.id_number.data,
                                          area=queries.area_by_code(form.area.data), **form.values())
        flash(_("Worker %(number)s recorded.", number=worker.number), "success")
        return redirect(url_for("registry.worker", worker_id=worker.id))
    return render_template("registry/worker_form.html", form=form, worker=None), form_status(form)


def _editable_worker(worker_id) -> Worker:
    worker = get_or_404(Worker, worker_id)
    ensure(access.can_edit(current_user, worker.area.code))
    return worker


def registry_sections(worker: Worker, viewer) -> list[dict]:
    """The sections of the worker page: the registry's own, then those other packages contribute."""
    sections = []
    for provider in contributions("worker_sections"):
        section = provider(worker, viewer)
        if section:
            sections.append(section)
    return sections


def worker_page(worker: Worker, status: int = 200, **forms):
    can_edit = access.can_edit(current_user, worker.area.code)
    return render_template(
        "registry/worker.html", worker=worker, labels=labels, can_edit=can_edit,
        sections=registry_sections(worker, current_user), revealed=forms.pop("revealed", None),
        status_form=forms.get("status_form") or StatusForm(formdata=None),
        assignment_form=forms.get("assignment_form") or AssignmentForm(formdata=None),
        reveal_form=ConfirmForm(formdata=None), end_form=EndForm(formdata=None),
        can_change_photo=access.can_change_photo(current_user, worker),
        photo_form=forms.get("photo_form") or PhotoForm(formdata=None),
    ), status


@bp.get("/registry/workers/<int:worker_id>")
@login_required
def worker(worker_id: int):
    worker = get_or_404(Worker, worker_id)
    ensure(access.can_see_worker(current_user, worker))
    return worker_page(worker)


@bp.get("/registry/me")
@login_required
def my_record():
    worker = queries.worker_of_user(current_user)
    if worker is None:
        abort(404)
    return redirect(url_for("registry.worker", worker_id=worker.id))


@bp.route("/registry/workers/<int:worker_id>/edit", methods=["GET", "POST"])
@require_role(*access.EDIT_ROLES)
def edit_worker(worker_id: int):
    worker = _editable_worker(worker_id)
    form = WorkerEditForm(employing_area_options(), obj=worker)
    if request.method == "GET":
        form.area.data = worker.area.code
        for name in ("gender", "education", "political_status", "employment"):
            getattr(form, name).data = getattr(worker, name).value
    if form.validate_on_submit():
        on_refusal(lambda _error: (render_template("registry/worker_form.html", form=form, worker=worker), 400))
        operations.update_worker(worker, current_user, area=queries.area_by_code(form.area.data), **form.values())
        flash(_("Saved."), "success")
        return redirect(url_for("registry.worker", worker_id=worker.id))
    return render_template("registry/worker_form.html", form=form, worker=worker), form_status(form)


@bp.post("/registry/workers/<int:worker_id>/status")
@require_role(*access.EDIT_ROLES)
def worker_status(worker_id: int):
    worker = _editable_worker(worker_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return worker_page(worker, 400, status_form=form)
    target = WorkerStatus(form.status.data)
    on_refusal(lambda _error: worker_page(worker, 400, status_form=form))
    if target == WorkerStatus.EXITED:
        operations.exit_worker(worker, current_user, on=form.on.data or city_today(), reason=form.reason.data)
    else:
        operations.change_status(worker, target, current_user, form.reason.data)
    flash(_("Status changed to %(status)s.", status=labels.label(target)), "success")
    return redirect(url_for("registry.worker", worker_id=worker.id))


@bp.post("/registry/workers/<int:worker_id>/id-number")
@require_role(*access.EDIT_ROLES)
def reveal_id_number(worker_id: int):
    worker = _editable_worker(worker_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    number = operations.reveal_id_number(worker, current_user)
    # The request cycle commits the audit entry of the reveal, though nothing else changed.
    return worker_page(worker, revealed=number)


@bp.post("/registry/workers/<int:worker_id>/assignments")
@require_role(*access.EDIT_ROLES)
def new_assignment(worker_id: int):
    worker = _editable_worker(worker_id)
    form = AssignmentForm()
    if not form.validate_on_submit():
        return worker_page(worker, 400, assignment_form=form)
    grid = queries.grid_by_code(form.grid_code.data)
    if grid is None or not access.can_edit(current_user, grid.code):
        flash(_("No grid with this code in your area."), "danger")
        return worker_page(worker, 400, assignment_form=form)
    on_refusal(lambda _error: worker_page(worker, 400, assignment_form=form))
    assignment = operations.assign_worker(worker, grid, current_user, role=AssignmentRole(form.role.data),
                                          starts_on=form.starts_on.data)
    if assignment.awaiting_qualification:
        flash(_("%(name)s will hold grid %(code)s once on duty: the assignment awaits his on-duty qualification "
                "and does not count as coverage until then.", name=worker.name, code=grid.code), "warning")
    else:
        flash(_("%(name)s now holds grid %(code)s.", name=worker.name, code=grid.code), "success")
    return redirect(url_for("registry.worker", worker_id=worker.id))


@bp.post("/registry/assignments/<int:assignment_id>/end")
@require_role(*access.EDIT_ROLES)
def end_assignment(assignment_id: int):
    assignment = get_or_404(Assignment, assignment_id)
    ensure(access.can_edit(current_user, assignment.grid.code)
           or access.can_edit(current_user, assignment.worker.area.code))
    form = EndForm()
    if form.validate_on_submit():
        on_refusal(lambda _error: worker_page(assignment.worker, 400))
        operations.end_assignment(assignment, current_user, on=form.on.data, reason=form.reason.data)
        flash(_("Assignment ended; it stays in the history."), "success")
        return redirect(url_for("registry.worker", worker_id=assignment.worker_id))
    return worker_page(assignment.worker, 400)
