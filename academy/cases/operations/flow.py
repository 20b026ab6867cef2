"""Accepting and dispatching a case, and each handling unit's part: sign for it, handle it,
finish it, or return it as not theirs. The case follows its tasks: it is handled only when every
unit it was dispatched to is done, and then waits for verification.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from academy.cases import clock
from academy.cases.models import Case, CaseTask, ClockKind, Level, TaskState
from academy.cases.operations.core import (
    CaseError,
    attach_photos,
    calendar_snapshot,
    lock_case,
    move,
    move_task,
    notify,
    require_text,
    set_stage,
    work_calendar,
)
from academy.cases.people import handler_user_ids, workers_of_grid
from academy.cases.photos import MAX_PHOTOS, check_photo
from academy.extensions import db
from academy.registry.models import Department

MAX_LIMIT = 365  # no unit gets more than this many hours or days at once


def accept_case(case: Case, by, note: str = "") -> Case:
    """Accept a report (立案): the category's time limit starts now."""
    case = lock_case(case)
    move(case, "accept", by, note)
    now = clock.now()
    calendar = calendar_snapshot()
    case.accepted_at = now
    case.due_at = clock.deadline(calendar, now, case.category.time_limit, case.category.clock)
    set_stage(case, now, case.due_at, case.category.clock, calendar)
    return case


@dataclass
class Dispatch:
    """Where a case goes: the worker (self), its community or street, or departments (whistle)."""

    level: Level
    departments: list[tuple[Department, int | None]] | None = None  # each with its own limit, or the category's
    instruction: str = ""


def _self_handler(case: Case) -> int:
    if not case.category.allow_self_handling:
        raise CaseError(_("Cases of this category cannot be handled by the grid worker."))
    if case.grid is None:
        raise CaseError(_("Only a case in a grid can go to its grid worker."))
    candidates = [w.user_id for w in workers_of_grid(case.grid) if w.user_id]
    if not candidates:
        raise CaseError(_("The grid has no worker with a log-in to hand the case to."))
    reporter = next((w for w in candidates if w == case.reporter_id), None)
    return reporter or candidates[0]


def _new_task(case: Case, by, level: Level, due, instruction: str, **fields) -> CaseTask:
    task = CaseTask(case=case, level=level, state=TaskState.DISPATCHED, dispatched_by_id=getattr(by, "id", None),
                    dispatched_at=clock.now(), due_at=due, instruction=instruction, **fields)
    db.session.add(task)
    return task


def _area_for(case: Case, level: Level) -> str:
    length = 12 if level == Level.COMMUNITY else 9
    if len(case.area_code) < length:
        raise CaseError(_("The case's place is not precise enough for this level."))
    return case.area_code[:length]


def dispatch_case(case: Case, by, order: Dispatch) -> Case:
    """Send an accepted case to the level that can handle it; a whistle may call several departments."""
    case = lock_case(case)
    calendar, now = calendar_snapshot(), clock.now()
    category = case.category
    default_due = clock.deadline(calendar, now, category.time_limit, category.clock)
    tasks = []
    if order.level == Level.DEPARTMENT:
        chosen = order.departments or []
        if not chosen:
            raise CaseError(_("Choose at least one department."))
        if len({dept.id for dept, _limit in chosen}) != len(chosen):
            raise CaseError(_("A department is listed twice."))
        for dept, limit in chosen:
            if not dept.active:
                raise CaseError(_("The department %(name)s no longer takes cases.", name=dept.name))
            if limit is not None and not 1 <= limit <= MAX_LIMIT:
                raise CaseError(_("A time limit must lie between 1 and %(n)d.", n=MAX_LIMIT))
            due = default_due if limit is None else clock.deadline(calendar, now, limit, category.clock)
            tasks.append(_new_task(case, by, Level.DEPARTMENT, due, order.instruction, department_id=dept.id))
    elif order.level == Level.SELF:
        tasks.append(_new_task(case, by, Level.SELF, default_due, order.instruction, handler_user_id=_self_handler(case)))
    else:
        tasks.append(_new_task(case, by, order.level, default_due, order.instruction, area_code=_area_for(case, order.level)))
    move(case, "dispatch", by, order.instruction)
    db.session.flush()
    case.level, case.dispatched_at = order.level, now
    case.due_at = max([case.due_at or default_due, *(task.due_at for task in tasks)])
    set_stage(case, case.accepted_at or now, case.due_at, category.clock, calendar)
    for task in tasks:
        notify(handler_user_ids(task), case, _("Case %(number)s was dispatched to you.", number=case.number))
    db.session.flush()
    return case


def _locked_task(task: CaseTask) -> CaseTask:
    lock_case(task.case)
    db.session.refresh(task)
    return task


def sign_task(task: CaseTask, by, note: str = "") -> CaseTask:
    """The handling unit signs for its task (签收)."""
    task = _locked_task(task)
    move_task(task, "sign", by, note)
    task.signed_at = clock.now()
    sync_case(task.case, by)
    return task


def start_task(task: CaseTask, by, note: str = "") -> CaseTask:
    task = _locked_task(task)
    move_task(task, "start", by, note)
    task.started_at = clock.now()
    task.signed_at = task.signed_at or task.started_at
    sync_case(task.case, by)
    return task


def finish_task(task: CaseTask, by, result: str, photos: list[bytes] | None = None) -> CaseTask:
    """The unit reports its task done, with what it did (and photos); the first finish decides "on time"."""
    require_text(result, _("Say what was done."))
    if len(photos or []) > MAX_PHOTOS:
        raise CaseError(_("At most %(n)d photos.", n=MAX_PHOTOS))
    kinds = [check_photo(data) for data in photos or []]
    task = _locked_task(task)
    move_task(task, "finish", by, result)
    now = clock.now()
    task.handled_at, task.result = now, result.strip()
    if photos:
        attach_photos(task.case, photos, by, kinds)
    if task.on_time is None:
        task.on_time = now <= task.due_at
    sync_case(task.case, by)
    return task


def return_task(task: CaseTask, by, reason: str) -> CaseTask:
    """A unit sends its task back as not theirs (reason required); the dispatcher decides again."""
    require_text(reason, _("Give the reason for returning the case."))
    task = _locked_task(task)
    move_task(task, "return", by, reason)
    task.returned_at, task.return_reason = clock.now(), reason.strip()
    case = task.case
    notify(_dispatchers_of(case), case, _("Case %(number)s was returned: %(reason)s", number=case.number, reason=reason))
    sync_case(case, by)
    return task


def _dispatchers_of(case: Case) -> list[int]:
    return [task.dispatched_by_id for task in case.tasks if task.dispatched_by_id]


def sync_case(case: Case, by) -> None:
    """Bring the case's state in line with its tasks (all returned / all done / started / signed)."""
    active = case.active_tasks
    if not active:
        case.return_count += 1
        move(case, "returned", by)
        case.level = None
        return
    states = {task.state for task in active}
    if states == {TaskState.HANDLED}:
        now = clock.now()
        move(case, "finish", by)
        case.handled_at = now
        move(case, "request_verification", by)
        calendar = calendar_snapshot()
        due = calendar.end_of_working_day(now, work_calendar().verify_limit_days)
        set_stage(case, now, due, ClockKind.WORKING_HOURS, calendar)
    elif TaskState.HANDLING in states or TaskState.HANDLED in states:
        if case.state != case.state.HANDLING:
            move(case, "start", by)
    elif states == {TaskState.SIGNED} and case.state == case.state.DISPATCHED:
        move(case, "sign", by)
