"""What every case operation shares: the error type, the calendar (from ``cases.calendar``), row locks,
the workflows that move a case (or a task) along the transition table, stage clocks and photos.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.cases import clock, photos
from academy.cases.calendar import YELLOW_AT, calendar_snapshot, work_calendar
from academy.cases.errors import CaseError  # noqa: F401  (operations raise it from here)
from academy.cases.labels import STATE_LABELS, TASK_STATE_LABELS
from academy.cases.models import Case, CaseEvent, CasePhoto, CaseTask, ClockKind, Notification
from academy.cases.queries import light_of
from academy.cases.signals import case_changed
from academy.cases.workflow import CASE_TRANSITIONS, TASK_TRANSITIONS
from academy.database import lock_for_update
from academy.extensions import db
from academy.signals import send
from academy.workflow import Move, Workflow, value_of


def require_text(text: str, refusal: str) -> None:
    """Refuse the change when a text it needs (a reason, a result...) is blank; ``refusal`` tells the user which."""
    if not text.strip():
        raise CaseError(refusal)


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
    event.light = light_of(case, event.at)
    db.session.add(event)
    audit.record(by, f"case.{action}", case, summary=f"{case.number}: {note}"[:500],
                 before={"state": before} if before else None, after={"state": after} if after else None)
    send(case_changed, case=case, action=action, by=by)
    return event


def _log_case_move(done: Move) -> None:
    log_event(done.obj, done.by, done.step, done.before, done.to, done.reason, at=done.at)


def _log_task_move(done: Move) -> None:
    task = done.obj
    log_event(task.case, done.by, f"task_{done.step}", done.before, done.to, done.reason, task=task, at=done.at)


CASE_WORKFLOW = Workflow(
    of=Case, state="state", steps=CASE_TRANSITIONS, after=_log_case_move, clock=clock.now,
    refuse=lambda case, before, to: CaseError(_("This step is not possible while the case is %(state)s.",
                                                state=str(STATE_LABELS.get(before, value_of(before))))))
TASK_WORKFLOW = Workflow(
    of=CaseTask, state="state", steps=TASK_TRANSITIONS, after=_log_task_move, clock=clock.now,
    refuse=lambda task, before, to: CaseError(_("This step is not possible while the task is %(state)s.",
                                                state=str(TASK_STATE_LABELS.get(before, value_of(before))))))


def move(case: Case, action: str, by, note: str = "", *, at: datetime | None = None, target=None) -> None:
    """Apply ``action`` from the case transition table; refuse it from any other state."""
    CASE_WORKFLOW.move(case, target, by=by, reason=note, step=action, at=at)


def move_task(task: CaseTask, action: str, by, note: str = "", *, at: datetime | None = None) -> None:
    """Apply ``action`` from the task transition table to one handling unit's task."""
    TASK_WORKFLOW.move(task, by=by, reason=note, step=action, at=at)


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


def attach_photos(case: Case, datas: list[bytes], by, kinds: list[str] | None = None) -> None:
    """Store checked photos under new names and record them on the case."""
    kinds = kinds or [photos.check_photo(data) for data in datas]
    for data, kind in zip(datas, kinds, strict=True):
        db.session.add(CasePhoto(case_id=case.id, stored_name=photos.store(data, kind), content_type=kind,
                                 size=len(data), uploaded_by_id=getattr(by, "id", None), uploaded_at=clock.now()))
