"""The home page, the language switch, job progress pages and the health check."""
from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.accounts.forms import LanguageForm
from academy.accounts.labels import role_label
from academy.accounts.operations import set_language
from academy.contributions import contributions
from academy.database import ping
from academy.exports import send_stored
from academy.extensions import db
from academy.jobs import Job, JobStatus, get_progress
from academy.jobs.labels import job_state_label, job_status_label
from academy.jobs.queries import jobs_of
from academy.permissions import Role, ensure, get_or_404, has_role
from academy.redirects import safe_next
from academy.web import shell
from academy.web.errors import json_endpoint
from academy.web.i18n import locale_code
from academy.web.labels import ACADEMY_LABEL
from academy.web.paging import paginate

bp = Blueprint("web", __name__)


@bp.app_context_processor
def shell_context():
    return {
        # Called by the base template, so a page without the shell (an error before log-in) asks nothing.
        "nav_groups": lambda badges=True: shell.nav_groups(current_user, badges),
        "desk_menu": lambda: shell.desk_menu(current_user),
        "off_desk_bar": lambda: shell.off_desk_bar(current_user),
        "is_staff": shell.is_staff(current_user),
        "tab_bar": lambda: shell.tab_bar(current_user),
        "academy_label": ACADEMY_LABEL,
        "current_locale": locale_code(),
        "language_form": LanguageForm(formdata=None),
        "role_label": role_label,
        "job_status_label": job_status_label,
        "job_state_label": job_state_label,
        "page_url": page_url,
    }


def page_url(page: int) -> str:
    """This page's URL with ``page`` changed and every other query argument kept (filters).

    A list searched by POST (the worker list) keeps its filters in the next page's URL too; an
    ID-number search finds one worker at most, so it never gets a next page that would show it."""
    source = request.form if request.method == "POST" else request.args
    args = {key: values for key, values in source.to_dict(flat=False).items() if key != "csrf_token"}
    args["page"] = [str(page)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    sections = [section(current_user) for section in contributions("home_sections")]
    return render_template("main/home.html", work=shell.workbench(current_user), sections=sections,
                           next_steps=shell.next_steps(current_user),
                           groups=shell.nav_groups(current_user), figures=shell.only_watches(current_user))


@bp.post("/language")
def switch_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        flash(_("Unknown language; nothing was changed."), "danger")
        return render_template("main/language_error.html"), 400
    if current_user.is_authenticated:
        set_language(current_user, form.language.data)
    session["locale"] = form.language.data
    return redirect(safe_next(form.next.data, url_for("web.home")))


@bp.get("/healthz")
@json_endpoint
def health():
    ping(db.session)
    return jsonify(status="ok")


OPENAPI = Path(__file__).with_name("openapi.yaml")


@bp.get("/api/openapi.yaml")
def openapi():
    """The OpenAPI 3 description of the JSON endpoints (Open311, exam autosave, job progress)."""
    return send_file(OPENAPI, mimetype="application/yaml", max_age=0)


def _own_job(job_id: str) -> Job:
    job = get_or_404(Job, job_id)
    ensure(job.created_by_id == current_user.id or has_role(current_user, Role.ADMIN))
    return job


@bp.get("/jobs")
@login_required
def my_jobs():
    """The background jobs the user asked for in the last 30 days; ``?waiting=1``: only those still
    waiting (queued, running, or failed lately), which the navigation's badge counts."""
    waiting = request.args.get("waiting") == "1"
    jobs = paginate(jobs_of(current_user, waiting=waiting), 20)
    return render_template("jobs/list.html", jobs=jobs, waiting=waiting, kinds=shell.job_kinds())


@bp.get("/jobs/<job_id>")
@login_required
def job_page(job_id: str):
    job = _own_job(job_id)
    return render_template("jobs/job.html", job=job, progress=get_progress(job))


@bp.get("/jobs/<job_id>/status.json")
@login_required
def job_status(job_id: str):
    job = _own_job(job_id)
    progress = get_progress(job)
    return jsonify(
        status=job.status.value, finished=job.finished, percent=progress["percent"],
        message=progress.get("message", ""), has_result=bool(job.result_name),
        failed=job.status == JobStatus.FAILED, refused=job.refused, state=job_state_label(job),
    )


@bp.get("/jobs/<job_id>/result")
@login_required
def job_result(job_id: str):
    job = _own_job(job_id)
    path = job.result_path()
    if job.status != JobStatus.DONE or path is None or not path.is_file():
        abort(404)
    ensure(path.resolve().is_relative_to(Path(current_app.config["FILES_DIR"]).resolve()))
    return send_stored(path, job.result_name)
