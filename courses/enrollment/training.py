"""HR's side of enrollment: bulk enrolment of a population, mandatory training with due dates,
extensions, classroom sessions with attendance, and assigning training for a need. These are the
package's operations on HR's side (beside ``operations``, which they use): each flushes, audits and
never commits. Their reads (overdue lists, training needs) are in ``queries``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role, in_scope
from academy.registry.models import Area, Assignment, Worker
from academy.signals import send
from courses.enrollment import notices, queries
from courses.enrollment.batch import Wanted, assign_many
from courses.enrollment.models import (
    Attendance,
    ClassSession,
    Course,
    EnrollmentState,
    ExtensionStatus,
    TrainingAssignment,
)
from courses.enrollment.operations import EnrollmentError, request_enrollment, review_completion, today
from courses.enrollment.signals import training_recorded

MAX_POPULATION = 5000


@dataclass
class Population:
    """Who HR means: workers of an area (code prefix), optionally a grid, employment type, status."""

    area_code: str
    grid_id: int | None = None
    employment: str = ""
    status: str = ""

    def query(self):
        query = sa.select(Worker).join(Worker.area).where(Area.code.startswith(self.area_code, autoescape=True))
        if self.grid_id:
            query = query.where(Worker.id.in_(sa.select(Assignment.worker_id).where(
                Assignment.grid_id == self.grid_id, Assignment.ends_on.is_(None))))
        if self.employment:
            query = query.where(Worker.employment == self.employment)
        if self.status:
            query = query.where(Worker.status == self.status)
        return query.order_by(Worker.number)


@dataclass
class BulkResult:
    enrolled: int = 0
    waitlisted: int = 0
    skipped: list[str] = field(default_factory=list)
    assigned: int = 0


def _check_scope(population: Population, by) -> None:
    if by is not None and not in_scope(by, population.area_code, Role.HR):
        raise EnrollmentError(_("This area is outside your scope."))


def population_size(population: Population, by) -> int:
    """How many workers ``population`` names: what enrolling or assigning them would touch."""
    _check_scope(population, by)
    return db.session.scalar(sa.select(sa.func.count()).select_from(population.query().subquery()))


def population_workers(population: Population, by) -> list[Worker]:
    _check_scope(population, by)
    workers = db.session.scalars(population.query().limit(MAX_POPULATION + 1)).all()
    if len(workers) > MAX_POPULATION:
        raise EnrollmentError(_("More than %(n)d workers match; narrow the selection.", n=MAX_POPULATION))
    return workers


def bulk_enrol(course: Course, population: Population, by) -> BulkResult:
    """HR enrols everyone in ``population`` (seats first, then the waitlist). Flushes."""
    result = BulkResult()
    for worker in population_workers(population, by):
        try:
            with db.session.begin_nested():
                enrollment = request_enrollment(course, worker, by, source="hr")
        except EnrollmentError as error:
            result.skipped.append(f"{worker.name}: {error}")
            continue
        if enrollment.state == EnrollmentState.ENROLLED:
            result.enrolled += 1
        else:
            result.waitlisted += 1
    audit.record(by, "course.bulk_enrol", course, summary=f"{population.area_code} {population.employment} {population.status}",
                 after={"enrolled": result.enrolled, "waitlisted": result.waitlisted, "skipped": len(result.skipped)})
    return result


def assign_training(worker: Worker, course: Course, by, *, due_on: date, reason: str = "", rule=None) -> TrainingAssignment | None:
    """Make ``course`` mandatory for ``worker`` by ``due_on`` and enrol him; None if already assigned.
    One worker through the batch path (``batch.assign_many``), so both follow the same rules. Flushes."""
    made = assign_many(course, [Wanted(worker, due_on, rule)], by, reason=reason).made
    return made[0] if made else None


@dataclass
class NeedsResult:
    assigned: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)


MAX_PICKS = 500


def assign_needs(picks: list[tuple[int, int]], by, *, due_on: date) -> NeedsResult:
    """Assign each picked (worker id, course id) of the training-needs page: a published course the
    worker's needs recommend, a worker inside ``by``'s HR scope; each with the need's reason. Flushes."""
    if not picks or len(picks) > MAX_PICKS:
        raise EnrollmentError(_("Tick 1 to %(n)d recommended courses.", n=MAX_PICKS))
    if due_on < today():
        raise EnrollmentError(_("The due date is in the past."))
    workers = queries.workers_by_ids({w for w, _c in picks})
    courses = {course.id: course for course in queries.courses_by_ids(list({c for _w, c in picks}))}
    result = NeedsResult()
    for worker_id, course_id in dict.fromkeys(picks):
        worker, course = workers.get(worker_id), courses.get(course_id)
        if worker is None or course is None or (by is not None and not in_scope(by, worker.area.code, Role.HR)):
            raise EnrollmentError(_("A ticked worker or course is not yours to assign."))
        reason = next((need["reason"] for need in queries.training_needs(worker) if course in need["courses"]), None)
        if reason is None:
            result.skipped.append(_("%(name)s: %(course)s is no longer recommended.", name=worker.name, course=course.title))
        elif assign_training(worker, course, by, due_on=due_on, reason=reason) is None:
            result.already += 1
        else:
            result.assigned += 1
    return result


def request_extension(assignment: TrainingAssignment, by, *, until: date, reason: str) -> None:
    """The worker (or HR for him) asks for a later due date. Flushes."""
    if assignment.completed_at is not None:
        raise EnrollmentError(_("This training is already completed."))
    if until <= assignment.effective_due or until > assignment.effective_due + timedelta(days=366):
        raise EnrollmentError(_("Ask for a date after the current due date and within a year of it."))
    if not reason.strip():
        raise EnrollmentError(_("Give a reason for the extension."))
    assignment.extension_status = ExtensionStatus.REQUESTED
    assignment.extension_requested_to, assignment.extension_reason = until, reason.strip()[:500]
    db.session.flush()
    audit.record(by, "training_assignment.extension_request", assignment, after={"until": until, "reason": reason[:200]})


def decide_extension(assignment: TrainingAssignment, by, *, grant: bool) -> None:
    """HR grants (the due date moves) or refuses a requested extension. Flushes."""
    if assignment.extension_status != ExtensionStatus.REQUESTED:
        raise EnrollmentError(_("No extension has been requested."))
    before = {"due": assignment.effective_due}
    assignment.extension_status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
    if grant:
        assignment.extended_to = assignment.extension_requested_to
    db.session.flush()
    audit.record(by, "training_assignment.extension_" + ("grant" if grant else "refuse"), assignment,
                 before=before, after={"due": assignment.effective_due})
    notices.extension_decided(assignment)


def add_session(course: Course, by, *, starts_at: datetime, hours: Decimal, place: str, topic: str) -> ClassSession:
    """Schedule a classroom session. Flushes."""
    if not Decimal("0.5") <= hours <= Decimal("12"):
        raise EnrollmentError(_("A session lasts between 0.5 and 12 hours."))
    session = ClassSession(course=course, starts_at=starts_at, hours=hours, place=place, topic=topic)
    db.session.add(session)
    db.session.flush()
    audit.record(by, "class_session.create", session, summary=f"{course.code} {topic}"[:500])
    return session


def change_session(session: ClassSession, by, *, starts_at: datetime, hours: Decimal, place: str,
                   topic: str) -> ClassSession:
    """Move, lengthen or shorten a session, or change its place or topic; the enrolled trainees hear of a
    new time, length or place. A session whose attendance is taken stays as it was. Flushes."""
    if session.attendance_taken_at is not None:
        raise EnrollmentError(_("The attendance of this session is taken: it can no longer change."))
    if not Decimal("0.5") <= hours <= Decimal("12"):
        raise EnrollmentError(_("A session lasts between 0.5 and 12 hours."))
    changed = audit.apply_changes(by, "class_session.change", session, ["starts_at", "hours", "place", "topic"],
                                  {"starts_at": starts_at, "hours": hours, "place": place, "topic": topic},
                                  summary=f"{session.course.code} {topic}"[:500])
    if changed.keys() & {"starts_at", "hours", "place"}:
        notices.session_changed(session)
    return session


def cancel_session(session: ClassSession, by) -> None:
    """Cancel a session not yet held: the enrolled trainees hear of it, the session is gone. Flushes."""
    if session.attendance_taken_at is not None:
        raise EnrollmentError(_("The attendance of this session is taken: it can no longer be cancelled."))
    notices.session_cancelled(session)
    audit.record(by, "class_session.cancel", session, summary=f"{session.course.code} {session.topic}"[:500],
                 before={"starts_at": session.starts_at, "place": session.place})
    for attendance in list(session.attendances):
        db.session.delete(attendance)
    db.session.delete(session)
    db.session.flush()


def take_attendance(session: ClassSession, by, present_ids: set[int]) -> None:
    """Record who attended; each enrollment's classroom hours follow from its attendances. Flushes."""
    enrollments = queries.attending_enrollments(session)
    known = {a.enrollment_id: a for a in session.attendances}
    for enrollment in enrollments:
        row = known.get(enrollment.id) or Attendance(session=session, enrollment=enrollment)
        row.present = enrollment.id in present_ids
        db.session.add(row)
    session.attendance_taken_at = utcnow()
    db.session.flush()
    changed = []
    for enrollment in enrollments:
        hours = db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(ClassSession.hours), 0)).join(Attendance.session)
            .where(Attendance.enrollment_id == enrollment.id, Attendance.present.is_(True)))
        if Decimal(hours) != (enrollment.classroom_hours or Decimal("0")):
            changed.append(enrollment)
        enrollment.classroom_hours = hours
    db.session.flush()
    for enrollment in changed:
        send(training_recorded, worker=enrollment.worker, by=by)
        review_completion(enrollment, by)  # the last session may complete the course, a withdrawn one undo it
    audit.record(by, "class_session.attendance", session, after={"present": len(present_ids & {e.id for e in enrollments})})
