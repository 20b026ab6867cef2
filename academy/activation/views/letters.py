"""HR's side: print activation letters for a selection of workers, follow the job, download the
PDFs; print a new letter for one worker (HR's reset)."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from academy.activation import letters, purge, queries
from academy.activation.forms import ConfirmForm, LettersForm
from academy.activation.views import bp
from academy.exports import send_stored
from academy.jobs import get_progress
from academy.jobs.access import finished_job_file, own_job
from academy.permissions import Role, ensure, get_or_404, require_role
from academy.registry import access
from academy.registry.models import Worker
from academy.registry.queries import areas_in_scope
from academy.web import previews
from academy.web.cycle import on_refusal, refusal_redirects
from academy.web.errors import json_endpoint
from academy.web.urls import public_url


def _areas() -> list[tuple[str, str]]:
    return [(a.code, f"{a.code} {a.full_name}") for a in areas_in_scope(access.edit_scopes(current_user))]


def _page(form: LettersForm, status: int = 200):
    jobs = queries.recent_letter_jobs(current_user, letters.KIND)
    return render_template("activation/letters_new.html", form=form, jobs=jobs), status


@bp.route("/activation/letters", methods=["GET", "POST"])
@require_role(Role.HR)
def letters_new():
    form = LettersForm(_areas()) if request.method == "POST" else LettersForm(_areas(), request.args)
    if request.method == "GET":
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, 400)
    if not previews.confirmed():
        return previews.ask_first(_preview(form), title=_("Activation letters"), back=url_for("activation.letters_new"))
    workers = queries.letter_workers(access.edit_scopes(current_user), form.area_code.data or "", form.status.data or "")
    on_refusal(lambda _error: _page(form, 400))
    job = letters.request_letters(workers, current_user, activate_url=public_url("activation.activate"))
    return redirect(url_for("activation.letters_job", job_id=job.id), 303)



@bp.get("/activation/letters/preview")
@require_role(Role.HR)
@json_endpoint
def letters_preview():
    """How many workers the letters form's selection names, for its confirmation."""
    form = LettersForm(_areas(), request.args, meta={"csrf": False})
    previews.refuse_invalid(form)
    return previews.as_json(_preview(form))


def _preview(form: LettersForm) -> previews.Preview:
    """How many letters the form's selection prints, and what that does (the dialog and the page say it)."""
    return previews.count(lambda: len(queries.letter_workers(access.edit_scopes(current_user),
                                                             form.area_code.data or "", form.status.data or "")),
                          lambda n: ngettext(
        "Print %(num)d activation letter? Each revokes that worker's earlier activation code.",
        "Print %(num)d activation letters? Each revokes that worker's earlier activation code.", n), queries.MAX_LETTERS)


@bp.get("/activation/letters/<job_id>")
@require_role(Role.HR)
def letters_job(job_id: str):
    job = own_job(job_id, letters.KIND)
    return render_template("activation/letters_job.html", job=job, progress=get_progress(job),
                           count=len(job.params.get("worker_ids", [])), expires_at=purge.issue_times(job)[1],
                           purged_at=purge.purged_at(job))


@bp.get("/activation/letters/<job_id>/<kind>")
@require_role(Role.HR)
def letters_file(job_id: str, kind: str):
    job = own_job(job_id, letters.KIND)
    return send_stored(*finished_job_file(job, letters.FILES, kind))


@bp.post("/activation/workers/<int:worker_id>/letter")
@require_role(Role.HR)
def worker_letter(worker_id: int):
    """HR's reset: a new letter for one worker; printing it revokes his old code."""
    worker = get_or_404(Worker, worker_id)
    ensure(access.can_edit(current_user, worker.area.code))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    refusal_redirects(url_for("registry.worker", worker_id=worker.id))
    job = letters.reset_by_hr(worker, current_user, activate_url=public_url("activation.activate"))
    return redirect(url_for("activation.letters_job", job_id=job.id), 303)
