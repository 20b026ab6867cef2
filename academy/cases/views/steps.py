"""The case page's workflow steps as one registry: each action names its form, its object check and the
one operation it calls. The endpoints in ``actions`` run them; the case page (``panels``) offers those
the user may take now. Both read this table, so neither view module imports the other for it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from academy.cases import access, operations, queries
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
from academy.cases.models import Level, Satisfaction


@dataclass(frozen=True)
class Action:
    """A step: the form it takes, who may take it (object check), the one operation it runs."""

    form: Callable
    check: Callable
    run: Callable


def _dispatch(case, form, by):
    level = Level(form.level.data)
    chosen = None
    if level == Level.DEPARTMENT:
        by_id = {d.id: d for d in form.department_list}
        chosen = [(by_id[i], form.limit_for(i)) for i in form.departments.data]
    return operations.dispatch_case(case, by, operations.Dispatch(level, chosen, form.instruction.data or ""))


def note_text(form) -> str:
    return form.note.data or ""


CASE_ACTIONS: dict[str, Action] = {
    "accept": Action(lambda c, **kw: NoteForm(**kw), access.can_dispatch,
                     lambda c, f, by: operations.accept_case(c, by, note_text(f))),
    "dispatch": Action(lambda c, **kw: dispatch_form(queries.departments_for(c), level=c.category.default_level, **kw),
                       access.can_dispatch, _dispatch),
    "verify": Action(lambda c, **kw: VerifyForm(**kw), access.can_verify,
                     lambda c, f, by: operations.verify_case(c, by, f.outcome.data == "pass", note_text(f))),
    "return_visit": Action(lambda c, **kw: ReturnVisitForm(**kw), access.can_dispatch,
                           lambda c, f, by: operations.record_return_visit(c, by, Satisfaction(f.satisfaction.data),
                                                                    f.comment.data or "", f.reopen.data)),
    "suspend": Action(lambda c, **kw: ReasonForm(**kw), access.can_dispatch,
                      lambda c, f, by: operations.suspend_case(c, by, note_text(f))),
    "resume": Action(lambda c, **kw: NoteForm(**kw), access.can_dispatch,
                     lambda c, f, by: operations.resume_case(c, by, note_text(f))),
    "request_void": Action(lambda c, **kw: ReasonForm(**kw), access.can_dispatch,
                           lambda c, f, by: operations.request_void(c, by, note_text(f))),
    "decide_void": Action(lambda c, **kw: DecideForm(**kw), access.can_dispatch,
                          lambda c, f, by: operations.decide_void(c, by, f.decision.data == "yes", note_text(f))),
    "supervise": Action(lambda c, **kw: ReasonForm(**kw), access.can_supervise,
                        lambda c, f, by: operations.supervise_case(c, by, note_text(f))),
    "link": Action(lambda c, **kw: LinkForm(**kw), access.can_view,
                   lambda c, f, by: operations.link_report(c, by, note_text(f))),
}

TASK_ACTIONS: dict[str, Action] = {
    "sign": Action(lambda t, **kw: NoteForm(**kw), access.can_handle,
                   lambda t, f, by: operations.sign_task(t, by, note_text(f))),
    "start": Action(lambda t, **kw: NoteForm(**kw), access.can_handle,
                    lambda t, f, by: operations.start_task(t, by, note_text(f))),
    "finish": Action(lambda t, **kw: FinishForm(**kw), access.can_handle,
                     lambda t, f, by: operations.finish_task(t, by, f.result.data, f.photo_data)),
    "return": Action(lambda t, **kw: ReasonForm(**kw), access.can_handle,
                     lambda t, f, by: operations.return_task(t, by, note_text(f))),
    "extend": Action(lambda t, **kw: ExtensionForm(**kw), access.can_handle,
                     lambda t, f, by: operations.request_extension(t, by, f.amount.data, note_text(f))),
}


