"""Log-ins for workers: "create log-ins for these workers" (by area and status, after a
confirmation that says how many) and the worker page's button for one worker."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.permissions import ensure, get_or_404, require_role
from academy.registry import access, operations, queries
from academy.registry.forms import ConfirmForm, WorkerAccountsForm
from academy.registry.models import Worker, WorkerStatus
from academy.registry.views import bp
from academy.registry.views.common import employing_area_options


@bp.route("/registry/workers/accounts", methods=["GET", "POST"])
@require_role(*access.EDIT_ROLES)
def worker_accounts():
    """First post: count (a dry run) and ask to confirm; the confirmation's post creates them."""
    form = WorkerAccountsForm(employing_area_options(), request.form if request.method == "POST" else request.args)
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("registry/worker_accounts.html", form=form, counts=None), 400 if form.errors else 200
    ensure(access.can_edit(current_user, form.area.data))
    status = WorkerStatus(form.status.data) if form.status.data else None
    workers = queries.workers_for_accounts(form.area.data, status)
    confirmed = form.confirmed.data == "1"
    counts = operations.create_worker_accounts(workers, current_user, dry_run=not confirmed)
    if not confirmed:
        form.confirmed.data = "1"
        return render_template("registry/worker_accounts.html", form=form, counts=counts), 200
    flash(counts.summary(), "success")
    return redirect(url_for("registry.workers", area=form.area.data, status=form.status.data))


@bp.post("/registry/workers/<int:worker_id>/account")
@require_role(*access.EDIT_ROLES)
def create_worker_account(worker_id: int):
    worker = get_or_404(Worker, worker_id)
    ensure(access.can_edit(current_user, worker.area.code))
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired; try again."), "danger")
        return redirect(url_for("registry.worker", worker_id=worker.id)), 303
    counts = operations.create_worker_accounts([worker], current_user)
    flash(counts.summary(), "success" if counts.created else "warning")
    return redirect(url_for("registry.worker", worker_id=worker.id))
