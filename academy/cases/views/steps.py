"""The case page's workflow steps as one registry: each action names its form, its object check and the
one operation it calls. The endpoints in ``actions`` run them; the case page (``panels``) offers those
the user may take now. Both read this table, so neither view module imports the other for it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

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
from academy.cases.models import Case, Level, Satisfaction
from academy.extensions import db
from academy.registry.models import Area, Department


@dataclass(frozen=True)
class Action:
    """A step: the form it takes, who may take it (object check), the one operation it runs."""

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


def note_text(form) -> str:
    return form.note.data or ""


CASE_ACTIONS: dict[str, Action] = {
    "accept": Action(lambda c, **kw: NoteForm(**kw), access.can_dispatch,
                     lambda c, f, by: ops.accept_case(c, by, note_text(f))),
    "dispatch": Action(lambda c, **kw: dispatch_form(departments_for(c), level=c.category.default_level, **kw),
                       access.can_dispatch, _dispatch),
    "verify": Action(lambda c, **kw: VerifyForm(**kw), access.can_verify,
                     lambda c, f, by: ops.verify_case(c, by, f.outcome.data == "pass", note_text(f))),
    "return_visit": Action(lambda c, **kw: ReturnVisitForm(**kw), access.can_dispatch,
                           lambda c, f, by: ops.record_return_visit(c, by, Satisfaction(f.satisfaction.data),
                                                                    f.comment.data or "", f.reopen.data)),
    "suspend": Action(lambda c, **kw: ReasonForm(**kw), access.can_dispatch,
                      lambda c, f, by: ops.suspend_case(c, by, note_text(f))),
    "resume": Action(lambda c, **kw: NoteForm(**kw), access.can_dispatch,
                     lambda c, f, by: ops.resume_case(c, by, note_text(f))),
    "request_void": Action(lambda c, **kw: ReasonForm(**kw), access.can_dispatch,
                           lambda c, f, by: ops.request_void(c, by, note_text(f))),
    "decide_void": Action(lambda c, **kw: DecideForm(**kw), access.can_dispatch,
                          lambda c, f, by: ops.decide_void(c, by, f.decision.data == "yes", note_text(f))),
    "supervise": Action(lambda c, **kw: ReasonForm(**kw), access.can_supervise,
                        lambda c, f, by: ops.supervise_case(c, by, note_text(f))),
    "link": Action(lambda c, **kw: LinkForm(**kw), access.can_view, lambda c, f, by: ops.link_report(c, by, note_text(f))),
}

TASK_ACTIONS: dict[str, Action] = {
    "sign": Action(lambda t, **kw: NoteForm(**kw), access.can_handle, lambda t, f, by: ops.sign_task(t, by, note_text(f))),
    "start": Action(lambda t, **kw: NoteForm(**kw), access.can_handle, lambda t, f, by: ops.start_task(t, by, note_text(f))),
    "finish": Action(lambda t, **kw: FinishForm(**kw), access.can_handle,
                     lambda t, f, by: ops.finish_task(t, by, f.result.data, f.photo_data)),
    "return": Action(lambda t, **kw: ReasonForm(**kw), access.can_handle,
                     lambda t, f, by: ops.return_task(t, by, note_text(f))),
    "extend": Action(lambda t, **kw: ExtensionForm(**kw), access.can_handle,
                     lambda t, f, by: ops.request_extension(t, by, f.amount.data, note_text(f))),
}


