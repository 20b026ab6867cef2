"""What the training side tells people (``academy.notifications``): a mandatory course assigned, an
extension granted or refused, a seat from the waitlist, a classroom session changed or cancelled; and, from ``flask academy notify-due``, a
course due in 7 days or 1 day, or overdue (to the worker, and a copy to HR of his area)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from academy.accounts.models import User
from academy.database import city_zone, utcnow
from academy.extensions import db
from academy.notifications.operations import Event, link_to, notify, notify_each
from academy.notifications.queries import users_covering
from academy.permissions import Role
from academy.registry.models import Worker
from courses.enrollment.models import ClassSession, Enrollment, EnrollmentState, ExtensionStatus, TrainingAssignment

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


def trainings_assigned(assignments: list[TrainingAssignment]) -> None:
    """``training_assigned`` for a batch (a standing rule's run): one message per worker and
    assignment, as one by one, written together. Flushes."""
    ids = {a.worker.user_id for a in assignments if a.worker.user_id}
    users = {user.id: user for user in db.session.scalars(sa.select(User).where(User.id.in_(ids)))} if ids else {}
    notify_each("training.assigned", [
        Event(users.get(a.worker.user_id), _context(a), f"training.assigned:{a.id}",
              link_to("enrollment.course", course_id=a.course_id)) for a in assignments])


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


def _session_context(session: ClassSession) -> dict:
    # the session's time as the city reads it, whatever the server's zone
    return {"course": session.course.title, "when": session.starts_at.astimezone(city_zone()).strftime("%Y-%m-%d %H:%M"),
            "hours": format(Decimal(session.hours).normalize(), "f"), "place": session.place}


def _session_trainees(session: ClassSession) -> list[User]:
    """The trainees enrolled in the session's course (not those done with it, nor waiting)."""
    ids = db.session.scalars(sa.select(Worker.user_id).join(Enrollment, Enrollment.worker_id == Worker.id).where(
        Enrollment.course_id == session.course_id, Enrollment.state == EnrollmentState.ENROLLED,
        Worker.user_id.is_not(None)).order_by(Worker.user_id)).all()
    return list(db.session.scalars(sa.select(User).where(User.id.in_(ids)).order_by(User.id))) if ids else []


def session_changed(session: ClassSession) -> None:
    """Tell the enrolled trainees the session's time, length or place changed (each change once). Flushes."""
    notify("training.session_changed", _session_trainees(session), _session_context(session),
           key=f"training.session_changed:{session.id}:{utcnow().isoformat()}",
           link=link_to("enrollment.course", course_id=session.course_id))


def session_cancelled(session: ClassSession) -> None:
    """Tell the enrolled trainees the session will not take place. Flushes."""
    notify("training.session_cancelled", _session_trainees(session), _session_context(session),
           key=f"training.session_cancelled:{session.id}", link=link_to("enrollment.course", course_id=session.course_id))
