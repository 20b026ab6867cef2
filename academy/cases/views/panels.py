"""The case page: the case, its tasks, photos and timeline, and the steps this user may take now."""
from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from academy.cases import access, queries
from academy.cases.forms import DecideForm
from academy.cases.models import CaseState, TaskState
from academy.cases.queries import open311
from academy.cases.views.steps import CASE_ACTIONS, TASK_ACTIONS
from academy.cases.workflow import CASE_TRANSITIONS, TASK_TRANSITIONS

# Case actions and the transition that decides whether they are possible now.
CASE_STEPS = {"accept": "accept", "dispatch": "dispatch", "verify": "verify_pass", "return_visit": "return_visit",
              "suspend": "suspend", "resume": "resume", "request_void": "request_void", "decide_void": "approve_void"}
TASK_STEPS = {"sign": "sign", "start": "start", "finish": "finish", "return": "return"}
EXTENDABLE = (TaskState.DISPATCHED, TaskState.SIGNED, TaskState.HANDLING)


def _case_forms(case) -> list[tuple[str, str, object]]:
    forms = []
    for action, transition in CASE_STEPS.items():
        if case.state in CASE_TRANSITIONS[transition].sources and CASE_ACTIONS[action].check(current_user, case):
            if action == "return_visit" and case.state != CaseState.CLOSED:
                continue
            forms.append((action, url_for("cases.act", case_id=case.id, action=action),
                          CASE_ACTIONS[action].form(case, formdata=None)))
    if case.is_open and CASE_ACTIONS["supervise"].check(current_user, case):
        forms.append(("supervise", url_for("cases.act", case_id=case.id, action="supervise"),
                      CASE_ACTIONS["supervise"].form(case, formdata=None)))
    return forms


def _task_forms(case) -> dict[int, list]:
    result: dict[int, list] = {}
    for task in case.tasks:
        if not access.can_handle(current_user, task):
            continue
        steps = [name for name, key in TASK_STEPS.items() if task.state in TASK_TRANSITIONS[key].sources]
        if task.state in EXTENDABLE:
            steps.append("extend")
        result[task.id] = [(name, url_for("cases.task_act", case_id=case.id, task_id=task.id, action=name),
                            TASK_ACTIONS[name].form(task, formdata=None)) for name in steps]
    return result


def case_page(case, status: int = 200):
    """The case page: its records, and the forms of the steps this user may take now."""
    records = queries.case_records(case)
    pending = records.pending_extensions
    return render_template(
        "cases/show.html", case=case, events=records.events, extensions=records.extensions, tasks=records.tasks,
        verifications=records.verifications, visits=records.visits,
        case_forms=_case_forms(case), task_forms=_task_forms(case),
        extension_form=DecideForm(formdata=None) if pending and access.can_dispatch(current_user, case) else None,
        pending_extensions=pending, answers=open311.answers_of(case), media=open311.media_of(case),
    ), status
