"""What the training side tells people (``academy.notifications``): a mandatory course assigned, an
extension granted or refused, a seat from the waitlist; and, from ``flask academy notify-due``, a
course due in 7 days or 1 day, or overdue (to the worker, and a copy to HR of his area)."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from academy.accounts.models import User
from academy.extensions import db
from academy.notifications.operations import link_to, notify
from academy.notifications.queries import users_covering
from academy.permissions import Role
from courses.enrollment.models import Enrollment, ExtensionStatus, TrainingAssignment

DUE_SOON_DAYS = (7, 1)


def _worker_user(assignment: TrainingAssignment | Enrollment) -> list[User]:
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
        made += notify("training.overdue_hr", users_covering(Role.HR, assignment.worker.area.code),
                       {**_context(assignment), "name": assignment.worker.name},
                       key=f"training.overdue_hr:{assignment.id}:{assignment.effective_due}",
                       link=link_to("enrollment.overdue"))
    return made


def extension_decided(assignment: TrainingAssignment) -> None:
    """Tell the worker HR granted (the new due date) or refused his extension, once per request. Flushes."""
    granted = assignment.extension_status == ExtensionStatus.GRANTED
    notify("training.extension_decided", _worker_user(assignment), {**_context(assignment), "granted": granted},
           key=f"training.extension:{assignment.id}:{assignment.extension_requested_to}:{assignment.extension_status}",
           link=link_to("enrollment.course", course_id=assignment.course_id))


def waitlist_promoted(enrollment: Enrollment) -> None:
    """Tell the worker a seat came free and he is enrolled, once per seating. Flushes."""
    seated = enrollment.enrolled_at.isoformat() if enrollment.enrolled_at else ""
    notify("enrollment.seated", _worker_user(enrollment), {"course": enrollment.course.title},
           key=f"enrollment.seated:{enrollment.id}:{seated}", link=link_to("enrollment.course", course_id=enrollment.course_id))
