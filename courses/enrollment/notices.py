"""What the training side tells people (``academy.notifications``): a mandatory course assigned,
and, from ``flask academy notify-due``, a course due in 7 days or 1 day, or overdue."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from academy.accounts.models import User
from academy.extensions import db
from academy.notifications.operations import link_to, notify
from courses.enrollment.models import TrainingAssignment

DUE_SOON_DAYS = (7, 1)


def _worker_user(assignment: TrainingAssignment) -> list[User]:
    user = db.session.get(User, assignment.worker.user_id) if assignment.worker.user_id else None
    return [user] if user is not None else []


def _context(assignment: TrainingAssignment) -> dict:
    return {"course": assignment.course.title, "due": assignment.effective_due.isoformat()}


def training_assigned(assignment: TrainingAssignment) -> None:
    """Tell the worker a mandatory course is his, and by when. Flushes."""
    notify("training.assigned", _worker_user(assignment), _context(assignment),
           key=f"training.assigned:{assignment.id}", link=link_to("enrollment.course", course_id=assignment.course_id))


def _open_assignments(where) -> list[TrainingAssignment]:
    due = sa.func.coalesce(TrainingAssignment.extended_to, TrainingAssignment.due_on)
    return list(db.session.scalars(sa.select(TrainingAssignment).where(
        TrainingAssignment.completed_at.is_(None), where(due)).order_by(TrainingAssignment.id)))


def notify_due_training(day: date) -> list:
    """Due in 7 days, due tomorrow, overdue: each once per assignment and due date. Flushes."""
    made = []
    for days in DUE_SOON_DAYS:
        for assignment in _open_assignments(lambda due, d=days: due == day + timedelta(days=d)):
            made += notify("training.due_soon", _worker_user(assignment), {**_context(assignment), "days": days},
                           key=f"training.due:{assignment.id}:{assignment.effective_due}:{days}",
                           link=link_to("enrollment.course", course_id=assignment.course_id))
    for assignment in _open_assignments(lambda due: due < day):
        made += notify("training.overdue", _worker_user(assignment), _context(assignment),
                       key=f"training.overdue:{assignment.id}:{assignment.effective_due}",
                       link=link_to("enrollment.course", course_id=assignment.course_id))
    return made
