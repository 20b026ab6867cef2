"""HR prints certificates in batches: choose, follow the job's progress bar, download the results."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from academy.exports import send_stored
from academy.jobs import Job, get_progress
from academy.jobs.access import finished_job_file, own_job
from academy.permissions import Role, require_role
from academy.web import previews
from academy.web.cycle import on_refusal
from academy.web.errors import json_endpoint
from academy.web.urls import public_base
from courses.certificates import batch, queries
from courses.certificates.forms import BatchForm
from courses.certificates.views import bp
from courses.certificates.views.records import selection_choices


def _recent_batches() -> list[Job]:
    return queries.recent_batches(current_user, batch.KIND)


def _page(form: BatchForm, status: int = 200):
    return render_template("certificates/batch_new.html", form=form, batches=_recent_batches()), status


@bp.route("/certificates/batches", methods=["GET", "POST"])
@require_role(Role.HR)
def batch_new():
    # GET: the list's filter comes along (prefilled from the query string); the form keeps its CSRF token.
    choices = selection_choices()
    form = BatchForm(**choices) if request.method == "POST" else BatchForm(request.args, **choices)
    if request.method == "GET":
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, 400)
    if not previews.confirmed():
        return previews.ask_first(_preview(form), title=_("Print certificates"), back=url_for("certificates.batch_new"))
    on_refusal(lambda _error: _page(form, 400))
    job = batch.request_batch(form.selection(), queries.hr_scopes(current_user), current_user,
                              base_url=public_base(), language=form.language.data)
    return redirect(url_for("certificates.batch_page", job_id=job.id))



@bp.get("/certificates/batches/preview")
@require_role(Role.HR)
@json_endpoint
def batch_preview():
    """How many valid certificates the batch form's selection would print, for its confirmation."""
    form = BatchForm(request.args, meta={"csrf": False}, **selection_choices())
    previews.refuse_invalid(form)
    return previews.as_json(_preview(form))


def _preview(form: BatchForm) -> previews.Preview:
    """How many valid certificates the selection prints (the dialog and the confirmation page say it)."""
    return previews.count(lambda: queries.batch_size(form.selection(), queries.hr_scopes(current_user)),
                          lambda n: ngettext("Print %(num)d certificate? It becomes one PDF, a .zip of single PDFs and a roster.",
                                             "Print %(num)d certificates? They become one PDF, a .zip of single PDFs and a roster.", n),
                          queries.MAX_BATCH)


@bp.get("/certificates/batches/<job_id>")
@require_role(Role.HR)
def batch_page(job_id: str):
    job = own_job(job_id, batch.KIND)
    return render_template("certificates/batch.html", job=job, progress=get_progress(job),
                           count=len(job.params.get("certificate_ids", [])), files=batch.FILES)


@bp.get("/certificates/batches/<job_id>/<kind>")
@require_role(Role.HR)
def batch_file(job_id: str, kind: str):
    job = own_job(job_id, batch.KIND)
    return send_stored(*finished_job_file(job, batch.FILES, kind))
