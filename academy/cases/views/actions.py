"""The endpoints of the workflow steps (their registry is ``steps``): case steps and task steps;
each loads, checks, validates, calls the operation and redirects (the request cycle commits).
"""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.cases import access, operations
from academy.cases.forms import DecideForm
from academy.cases.models import Case, CaseTask, Extension
from academy.cases.views import bp
from academy.cases.views.panels import case_page
from academy.cases.views.steps import CASE_ACTIONS, TASK_ACTIONS, note_text
from academy.extensions import db
from academy.permissions import ensure, get_or_404, require_role
from academy.web.cycle import on_refusal


def _refused(case: Case, message: str):
    flash(message, "danger")
    return case_page(db.session.get(Case, case.id), status=400)


@bp.post("/cases/<int:case_id>/do/<action>")
@require_role(*access.ANY_ROLE)
def act(case_id: int, action: str):
    case = get_or_404(Case, case_id)
    step = CASE_ACTIONS.get(action) or abort(404)
    ensure(access.can_view(current_user, case) and step.check(current_user, case))
    form = step.form(case)
    if not form.validate_on_submit():
        return _refused(case, _("Check the form: %(errors)s", errors=_errors(form)))
    on_refusal(lambda error: _refused(case, str(error)), category=None)
    step.run(case, form, current_user)
    flash(_("Done."), "success")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.post("/cases/<int:case_id>/tasks/<int:task_id>/<action>")
@require_role(*access.ANY_ROLE)
def task_act(case_id: int, task_id: int, action: str):
    task = get_or_404(CaseTask, task_id)
    step = TASK_ACTIONS.get(action) or abort(404)
    ensure(task.case_id == case_id and step.check(current_user, task))
    form = step.form(task)
    if not form.validate_on_submit():
        return _refused(task.case, _("Check the form: %(errors)s", errors=_errors(form)))
    on_refusal(lambda error: _refused(task.case, str(error)), category=None)
    step.run(task, form, current_user)
    flash(_("Done."), "success")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.post("/cases/<int:case_id>/extensions/<int:extension_id>")
@require_role(*access.ANY_ROLE)
def decide_extension(case_id: int, extension_id: int):
    ext = get_or_404(Extension, extension_id)
    case = get_or_404(Case, case_id)
    ensure(ext.case_id == case_id and access.can_dispatch(current_user, case))
    form = DecideForm()
    if not form.validate_on_submit():
        return _refused(case, _("Check the form: %(errors)s", errors=_errors(form)))
    on_refusal(lambda error: _refused(case, str(error)), category=None)
    operations.decide_extension(ext, current_user, form.decision.data == "yes", note_text(form))
    flash(_("Done."), "success")
    return redirect(url_for("cases.show", case_id=case_id))


def _errors(form) -> str:
    return "; ".join(f"{getattr(form, name).label.text}: {' '.join(map(str, errs))}"
                     for name, errs in form.errors.items() if hasattr(form, name))[:400] or _("the form had expired")
