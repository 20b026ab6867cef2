"""The workflow steps as one registry: each action names its form, its object check and the one
operation it calls. Two endpoints serve them (case steps and task steps); each loads, checks,
validates, calls the operation and redirects (the request cycle commits).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.cases import access
from academy.cases import operations as ops
from academy.cases.forms import (
    DecideForm,
    ExtensionForm,
    FinishForm,
    LinkForm,
    NoteForm,
    ReasonForm,
    ReturnVisitForm,
    VerifyForm,
    dispatch_form,
)
from academy.cases.models import Case, CaseTask, Extension, Level, Satisfaction
from academy.cases.views import bp
from academy.cases.views.panels import case_page
from academy.extensions import db
from academy.permissions import ensure, get_or_404, require_role
from academy.registry.models import Area, Department
from academy.web.cycle import on_refusal


@dataclass(frozen=True)
class Action:
    form: Callable
    check: Callable
    run: Callable


def departments_for(case: Case) -> list[Department]:
    """Active departments serving the case's area (their area code is a prefix of the case's)."""
    rows = db.session.scalars(sa.select(Department).join(Area, Department.area_id == Area.id)
                              .where(Department.active).order_by(Department.name))
    return [dept for dept in rows if case.area_code.startswith(dept.area.code)]


def _dispatch(case, form, by):
    level = Level(form.level.data)
    chosen = None
    if level == Level.DEPARTMENT:
        by_id = {d.id: d for d in form.department_list}
        chosen = [(by_id[i], form.limit_for(i)) for i in form.departments.data]
    return ops.dispatch_case(case, by, ops.Dispatch(level, chosen, form.instruction.data or ""))


def _note(form) -> str:
    return form.note.data or ""


CASE_ACTIONS: dict[str, Action] = {
    "accept": Action(lambda c, **kw: NoteForm(**kw), access.can_dispatch,
                     lambda c, f, by: ops.accept_case(c, by, _note(f))),
    "dispatch": Action(lambda c, **kw: dispatch_form(departments_for(c), level=c.category.default_level, **kw),
                       access.can_dispatch, _dispatch),
    "verify": Action(lambda c, **kw: VerifyForm(**kw), access.can_verify,
                     lambda c, f, by: ops.verify_case(c, by, f.outcome.data == "pass", _note(f))),
    "return_visit": Action(lambda c, **kw: ReturnVisitForm(**kw), access.can_dispatch,
                           lambda c, f, by: ops.record_return_visit(c, by, Satisfaction(f.satisfaction.data),
                                                                    f.comment.data or "", f.reopen.data)),
    "suspend": Action(lambda c, **kw: ReasonForm(**kw), access.can_dispatch,
                      lambda c, f, by: ops.suspend_case(c, by, _note(f))),
    "resume": Action(lambda c, **kw: NoteForm(**kw), access.can_dispatch,
                     lambda c, f, by: ops.resume_case(c, by, _note(f))),
    "request_void": Action(lambda c, **kw: ReasonForm(**kw), access.can_dispatch,
                           lambda c, f, by: ops.request_void(c, by, _note(f))),
    "decide_void": Action(lambda c, **kw: DecideForm(**kw), access.can_dispatch,
                          lambda c, f, by: ops.decide_void(c, by, f.decision.data == "yes", _note(f))),
    "supervise": Action(lambda c, **kw: ReasonForm(**kw), access.can_supervise,
                        lambda c, f, by: ops.supervise_case(c, by, _note(f))),
    "link": Action(lambda c, **kw: LinkForm(**kw), access.can_view, lambda c, f, by: ops.link_report(c, by, _note(f))),
}

TASK_ACTIONS: dict[str, Action] = {
    "sign": Action(lambda t, **kw: NoteForm(**kw), access.can_handle, lambda t, f, by: ops.sign_task(t, by, _note(f))),
    "start": Action(lambda t, **kw: NoteForm(**kw), access.can_handle, lambda t, f, by: ops.start_task(t, by, _note(f))),
    "finish": Action(lambda t, **kw: FinishForm(**kw), access.can_handle,
                     lambda t, f, by: ops.finish_task(t, by, f.result.data, f.photo_data)),
    "return": Action(lambda t, **kw: ReasonForm(**kw), access.can_handle,
                     lambda t, f, by: ops.return_task(t, by, _note(f))),
    "extend": Action(lambda t, **kw: ExtensionForm(**kw), access.can_handle,
                     lambda t, f, by: ops.request_extension(t, by, f.amount.data, _note(f))),
}


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
    ops.decide_extension(ext, current_user, form.decision.data == "yes", _note(form))
    flash(_("Done."), "success")
    return redirect(url_for("cases.show", case_id=case_id))


def _errors(form) -> str:
    return "; ".join(f"{getattr(form, name).label.text}: {' '.join(map(str, errs))}"
                     for name, errs in form.errors.items() if hasattr(form, name))[:400] or _("the form had expired")
