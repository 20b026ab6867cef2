"""Closing the loop and the side paths: on-site verification (pass, or fail and rework), the
return visit with the resident's satisfaction (dissatisfied may reopen), suspension, voiding with
approval, extensions of a unit's deadline, and supervision (督办).
"""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from academy.cases import clock
from academy.cases.models import (
    Case,
    CaseEvent,
    CaseState,
    CaseTask,
    Extension,
    ExtensionState,
    ReturnVisit,
    Satisfaction,
    TaskState,
    Verification,
)
from academy.cases.operations.core import (
    CaseError,
    calendar_snapshot,
    lock_case,
    log_event,
    move,
    move_task,
    notify,
    require_text,
    set_stage,
)
from academy.cases.people import handler_user_ids
from academy.cases.workflow import IN_HANDS
from academy.extensions import db
from academy.registry.queries import worker_of_user

MAX_EXTENSION = 90


def _restart_stage(case: Case) -> None:
    """The handling clock again: from acceptance to the case's deadline."""
    set_stage(case, case.accepted_at, case.due_at, case.category.clock)


def verify_case(case: Case, by, passed: bool, reason: str = "") -> Case:
    """Check the work on site: pass closes the case; fail sends it back to the same units (rework)."""
    if not passed and not reason.strip():
        raise CaseError(_("Say why the verification failed."))
    case = lock_case(case)
    now = clock.now()
    due = case.stage_due_at
    worker = worker_of_user(by)
    db.session.add(Verification(case_id=case.id, by_id=getattr(by, "id", None), worker_id=getattr(worker, "id", None),
                                at=now, due_at=due, on_time=due is None or now <= due, passed=passed, reason=reason.strip()))
    if passed:
        move(case, "verify_pass", by, reason)
        case.closed_at = now
        case.closed_on_time = case.due_at is None or now <= case.due_at
        set_stage(case, None, None)
    else:
        move(case, "verify_fail", by, reason)
        case.rework_count += 1
        for task in case.active_tasks:
            if task.state == TaskState.HANDLED:
                move_task(task, "rework", by, reason)
                task.rework_count += 1
                notify(handler_user_ids(task), case, _("Case %(number)s failed verification: %(reason)s",
                                                       number=case.number, reason=reason))
        _restart_stage(case)
    db.session.flush()
    return case


def record_return_visit(case: Case, by, satisfaction: Satisfaction, comment: str = "", reopen: bool = False) -> Case:
    """Record the return visit and the resident's rating; a dissatisfied resident may reopen the case."""
    if reopen and satisfaction != Satisfaction.DISSATISFIED:
        raise CaseError(_("Only a dissatisfied rating can reopen the case."))
    case = lock_case(case)
    now = clock.now()
    action = "reopen" if reopen else "return_visit"
    previous = case.satisfaction, case.visited_at
    case.satisfaction, case.visited_at = satisfaction, now  # before the move: its signal carries the rating
    try:
        move(case, action, by, comment)
    except Exception:  # a refused move leaves the case as it was, for whoever catches the refusal
        case.satisfaction, case.visited_at = previous
        raise
    db.session.add(ReturnVisit(case_id=case.id, by_id=getattr(by, "id", None), at=now, satisfaction=satisfaction,
                               comment=comment.strip(), reopened=reopen))
    if reopen:
        for task in case.active_tasks:
            move_task(task, "withdraw", by, _("Reopened"))
        case.reopen_count += 1
        case.closed_at = case.closed_on_time = None
        case.level = None
        calendar = calendar_snapshot()
        case.accepted_at = now
        case.due_at = clock.deadline(calendar, now, case.category.time_limit, case.category.clock)
        _restart_stage(case)
    db.session.flush()
    return case


def suspend_case(case: Case, by, reason: str) -> Case:
    """Stop the clocks (e.g. waiting for a court or the weather); the reason is required."""
    require_text(reason, _("Give the reason for suspending the case."))
    case = lock_case(case)
    case.resume_state = case.state
    move(case, "suspend", by, reason)
    case.suspended_at = clock.now()
    set_stage(case, None, None)
    return case


def resume_case(case: Case, by, note: str = "") -> Case:
    """Restart the clocks; every deadline moves by the time the case was suspended."""
    case = lock_case(case)
    paused = clock.now() - (case.suspended_at or clock.now())
    move(case, "resume", by, note, target=case.resume_state)
    _shift(case, paused)
    case.resume_state = case.suspended_at = None
    _restart_stage(case)
    db.session.flush()
    return case


def _shift(case: Case, delta: timedelta) -> None:
    if case.due_at is not None:
        case.due_at += delta
    if case.accepted_at is not None:
        case.accepted_at += delta  # the clock's start moves too, so the light keeps its share
    for task in case.active_tasks:
        task.due_at += delta


def request_void(case: Case, by, reason: str) -> Case:
    """Ask to void a case (a duplicate, a prank...); another dispatcher must approve."""
    require_text(reason, _("Give the reason for voiding the case."))
    case = lock_case(case)
    case.resume_state = case.state
    move(case, "request_void", by, reason)
    return case


def _void_requester(case: Case) -> int | None:
    return db.session.scalar(sa.select(CaseEvent.actor_id).where(
        CaseEvent.case_id == case.id, CaseEvent.action == "request_void").order_by(CaseEvent.id.desc()).limit(1))


def decide_void(case: Case, by, approve: bool, note: str = "") -> Case:
    """Approve (the case is voided, its tasks withdrawn) or refuse (it goes back where it was)."""
    case = lock_case(case)
    if approve and _void_requester(case) == getattr(by, "id", None):
        raise CaseError(_("Another person must approve voiding a case you asked to void."))
    if approve:
        move(case, "approve_void", by, note)
        for task in case.active_tasks:
            move_task(task, "withdraw", by, _("Voided"))
        case.voided_at = clock.now()
        set_stage(case, None, None)
    else:
        move(case, "refuse_void", by, note, target=case.resume_state)
    case.resume_state = None
    db.session.flush()
    return case


def request_extension(task: CaseTask, by, amount: int, reason: str) -> Extension:
    """A unit asks for more time (in the category clock's unit)."""
    require_text(reason, _("Give the reason for the extension."))
    if not 1 <= amount <= MAX_EXTENSION:
        raise CaseError(_("An extension must lie between 1 and %(n)d.", n=MAX_EXTENSION))
    lock_case(task.case)
    db.session.refresh(task)
    if task.state not in (TaskState.DISPATCHED, TaskState.SIGNED, TaskState.HANDLING):
        raise CaseError(_("Only a task in hand can be extended."))
    if any(ext.state == ExtensionState.REQUESTED for ext in _extensions(task)):
        raise CaseError(_("An extension request is already waiting for a decision."))
    ext = Extension(case_id=task.case_id, task_id=task.id, amount=amount, reason=reason.strip(),
                    requested_by_id=getattr(by, "id", None), requested_at=clock.now())
    db.session.add(ext)
    log_event(task.case, by, "request_extension", note=reason, task=task)
    db.session.flush()
    return ext


def _extensions(task: CaseTask) -> list[Extension]:
    return list(db.session.scalars(sa.select(Extension).where(Extension.task_id == task.id)))


def decide_extension(ext: Extension, by, grant: bool, note: str = "") -> Extension:
    """Grant (the unit's deadline and, if later, the case's move on) or refuse an extension."""
    case = lock_case(ext.task.case)
    db.session.refresh(ext)
    if ext.state != ExtensionState.REQUESTED:
        raise CaseError(_("This extension has already been decided."))
    ext.decided_by_id, ext.decided_at = getattr(by, "id", None), clock.now()
    ext.state = ExtensionState.GRANTED if grant else ExtensionState.REFUSED
    if grant:
        task = ext.task
        ext.old_due_at = task.due_at
        task.due_at = clock.deadline(calendar_snapshot(), task.due_at, ext.amount, case.category.clock)
        ext.new_due_at = task.due_at
        case.extended = True
        case.due_at = max(case.due_at or task.due_at, task.due_at)
        if case.state in IN_HANDS:
            _restart_stage(case)
    log_event(case, by, "grant_extension" if grant else "refuse_extension", note=note, task=ext.task)
    db.session.flush()
    return ext


def supervise_case(case: Case, by, note: str) -> Case:
    """Flag an open case for supervision (督办) and tell its handlers."""
    require_text(note, _("Write what the supervision asks for."))
    case = lock_case(case)
    if not case.is_open:
        raise CaseError(_("Only an open case can be supervised."))
    case.supervised_at, case.supervision_note = clock.now(), note.strip()[:500]
    log_event(case, by, "supervise", note=note)
    for task in case.active_tasks:
        notify(handler_user_ids(task), case, _("Case %(number)s is under supervision: %(note)s",
                                               number=case.number, note=note))
    db.session.flush()
    return case


def escalate_overdue(by=None, note: str = "") -> list[Case]:
    """Put every open case showing a red card under supervision (run by the CLI or a scheduler)."""
    now = clock.now()
    due = db.session.scalars(sa.select(Case).where(
        Case.state.in_(IN_HANDS | {CaseState.REPORTED, CaseState.ACCEPTED, CaseState.VERIFYING}),
        Case.stage_red_card_at <= now, Case.supervised_at.is_(None)).order_by(Case.id)).all()
    for case in due:
        supervise_case(case, by, note or _("Red card: the case is far past its time limit."))
    return due
