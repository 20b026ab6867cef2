"""What every case operation shares: the error type, the calendar snapshot, row locks,
the one function that moves a case (or a task) along the transition table, and stage clocks.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.cases import clock
from academy.cases.errors import CaseError  # noqa: F401  (operations raise it from here)
from academy.cases.models import Case, CaseEvent, CaseTask, ClockKind, Holiday, Notification, WorkCalendar
from academy.cases.signals import case_changed
from academy.cases.workflow import CASE_TRANSITIONS, TASK_TRANSITIONS
from academy.database import lock_for_update
from academy.extensions import db
from academy.signals import send

YELLOW_AT = 0.8  # share of a limit after which the light turns yellow




def work_calendar() -> WorkCalendar:
    """The city's calendar row, created with defaults on first use."""
    row = db.session.scalar(sa.select(WorkCalendar).order_by(WorkCalendar.id).limit(1))
    if row is None:
        row = WorkCalendar()
        db.session.add(row)
        db.session.flush()
    return row


def calendar_snapshot() -> clock.Calendar:
    """The calendar as the pure ``clock.Calendar`` the arithmetic runs on."""
    row = work_calendar()
    overrides = {day: working for day, working in db.session.execute(sa.select(Holiday.day, Holiday.working))}
    return clock.Calendar(row.timezone, row.work_start, row.work_end, row.weekend, overrides)


def lock_case(case: Case) -> Case:
    """Take the case's row lock and reload it, so two submits of one action cannot both pass."""
    query = lock_for_update(sa.select(Case).where(Case.id == case.id), db.session)
    return db.session.execute(query.execution_options(populate_existing=True)).scalar_one()


def refresh_tasks(case: Case) -> None:
    db.session.execute(
        sa.select(CaseTask).where(CaseTask.case_id == case.id).execution_options(populate_existing=True)
    ).all()


def log_event(case: Case, by, action: str, before=None, after=None, note: str = "", task: CaseTask | None = None,
              at: datetime | None = None) -> CaseEvent:
    """Add a timeline entry and the matching audit entry, and send ``case_changed``: every case
    operation leaves a timeline entry, so none can change a case without announcing it."""
    event = CaseEvent(case_id=case.id, task_id=getattr(task, "id", None), at=at or clock.now(),
                      actor_id=getattr(by, "id", None), actor_name=getattr(by, "username", None) or "system",
                      action=action, from_state=str(before) if before else None,
                      to_state=str(after) if after else None, note=note[:1000])
    from academy.cases.queries import light_of

    event.light = light_of(case, event.at)
    db.session.add(event)
    audit.record(by, f"case.{action}", case, summary=f"{case.number}: {note}"[:500],
                 before={"state": before} if before else None, after={"state": after} if after else None)
    send(case_changed, case=case, action=action, by=by)
    return event


def move(case: Case, action: str, by, note: str = "", *, at: datetime | None = None, target=None) -> None:
    """Apply ``action`` from the case transition table; refuse it from any other state."""
    transition = CASE_TRANSITIONS[action]
    if case.state not in transition.sources:
        raise CaseError(_("This step is not possible while the case is %(state)s.", state=_state_label(case.state)))
    before = case.state
    case.state = target or transition.target
    log_event(case, by, action, before, case.state, note, at=at)
    db.session.flush()


def move_task(task: CaseTask, action: str, by, note: str = "", *, at: datetime | None = None) -> None:
    """Apply ``action`` from the task transition table to one handling unit's task."""
    transition = TASK_TRANSITIONS[action]
    if task.state not in transition.sources:
        raise CaseError(_("This step is not possible while the task is %(state)s.", state=_task_label(task.state)))
    before = task.state
    task.state = transition.target
    log_event(task.case, by, f"task_{action}", before, task.state, note, task=task, at=at)
    db.session.flush()


def _state_label(state) -> str:
    from academy.cases.workflow import STATE_LABELS

    return str(STATE_LABELS.get(state, state))


def _task_label(state) -> str:
    from academy.cases.workflow import TASK_STATE_LABELS

    return str(TASK_STATE_LABELS.get(state, state))


def set_stage(case: Case, start: datetime | None, due: datetime | None, kind: ClockKind = ClockKind.WORKING_HOURS,
              calendar: clock.Calendar | None = None) -> None:
    """Start the clock of the case's current stage (None: no clock, e.g. closed or suspended)."""
    if start is None or due is None:
        case.stage_started_at = case.stage_yellow_at = case.stage_due_at = case.stage_red_card_at = None
        return
    calendar = calendar or calendar_snapshot()
    case.stage_started_at, case.stage_due_at = start, due
    case.stage_yellow_at = clock.point_in_limit(calendar, start, due, YELLOW_AT, kind)
    case.stage_red_card_at = clock.point_in_limit(calendar, start, due, work_calendar().red_card_multiple, kind)


def notify(user_ids, case: Case, message: str) -> None:
    """Leave a message for each handler (shown on their "my cases" page)."""
    for user_id in {uid for uid in user_ids if uid}:
        db.session.add(Notification(user_id=user_id, case_id=case.id, message=message[:300], at=clock.now()))
