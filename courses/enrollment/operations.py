"""Course and enrollment operations: courses, self and HR enrolment, waitlist, withdrawal, results.

Seats are counted under a lock on the course row (``SELECT ... FOR UPDATE`` on PostgreSQL, the
write lock on SQLite), so two people taking the last seat at once never overbook: the second
one waits for the first to commit, then counts again and lands on the waitlist. Every state
change goes through ``WORKFLOW`` (``academy.workflow``), which checks ``TRANSITIONS``, logs it and writes
the audit entry.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.contributions import contributions
from academy.database import city_today, lock_for_update, utcnow
from academy.errors import DomainError
from academy.extensions import db
from academy.permissions import Role, has_role
from academy.registry.models import Worker, WorkerStatus
from academy.signals import send
from academy.workflow import Move, Workflow, moves_of, value_of
from courses.enrollment import completion, notices, queries
from courses.enrollment.models import (
    ACTIVE_STATES,
    CompletedBy,
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentState,
    EnrollmentTransition,
    LessonsRequired,
)
from courses.enrollment.signals import course_result_changed, training_recorded

TRANSITIONS = {
    (None, EnrollmentState.REQUESTED), (EnrollmentState.WITHDRAWN, EnrollmentState.REQUESTED),
    (EnrollmentState.REQUESTED, EnrollmentState.ENROLLED), (EnrollmentState.REQUESTED, EnrollmentState.WAITLISTED),
    (EnrollmentState.WAITLISTED, EnrollmentState.ENROLLED),
    (EnrollmentState.REQUESTED, EnrollmentState.WITHDRAWN), (EnrollmentState.WAITLISTED, EnrollmentState.WITHDRAWN),
    (EnrollmentState.ENROLLED, EnrollmentState.WITHDRAWN),
    (EnrollmentState.ENROLLED, EnrollmentState.COMPLETED), (EnrollmentState.ENROLLED, EnrollmentState.FAILED),
    # A completion by rule taken back: a regrade below the mark, a withdrawn attendance (enrollment.completion).
    (EnrollmentState.COMPLETED, EnrollmentState.ENROLLED),
}
RULE_FIELDS = ["completion_lessons", "completion_lesson_ids", "completion_hours", "completion_final",
               "completion_final_min", "completion_attendance"]
COURSE_FIELDS = ["code", "title", "description", "kind", "delivery", "capacity", "self_enrol", "approval_required",
                 "enrol_opens_on", "enrol_closes_on", "starts_on", "ends_on", "prerequisite_certificate", *RULE_FIELDS]


class EnrollmentError(DomainError):
    """A course or enrollment rule refused the change; the message is for the user."""


def today() -> date:
    """The city's today (due dates, enrolment windows): not the server's UTC date."""
    return city_today()


# ---- courses ---------------------------------------------------------------------------------

def kept_by_master(course: Course) -> str:
    """What a branch is told when it tries to change a synced part of its copy of a master course."""
    return _("This course is a copy of the master course %(code)s: its title, description, syllabus units, "
             "lessons and exams are kept by the master. Ask an administrator of the city academy to change the master; "
             "sessions, instructors, capacity and enrolments stay yours.", code=course.master.code)


def _check_synced_parts(course: Course, values: dict, units) -> None:
    """A copy refuses changes to the parts its master keeps (blueprints: refuse, never detach)."""
    if course.master_id is None:
        return
    if (values.get("title", course.title) != course.title or values.get("description", course.description) != course.description
            or {u.id for u in units} != {u.id for u in course.units}):
        raise EnrollmentError(kept_by_master(course))


def _check_course(values: dict, units, instructors, prerequisites, version, course: Course | None) -> None:
    clash = db.session.scalar(sa.select(Course.id).where(Course.code == values["code"]))
    if clash is not None and (course is None or clash != course.id):
        raise EnrollmentError(_("Course code %(code)s is taken.", code=values["code"]))
    if not values["enrol_opens_on"] <= values["enrol_closes_on"]:
        raise EnrollmentError(_("The enrolment window closes before it opens."))
    if not values["starts_on"] <= values["ends_on"]:
        raise EnrollmentError(_("The course ends before it starts."))
    if not 1 <= values["capacity"] <= 10000:
        raise EnrollmentError(_("Capacity must be between 1 and 10000."))
    if not units or any(unit.version_id != version.id for unit in units):
        raise EnrollmentError(_("Choose at least one unit of the course's syllabus version."))
    if any(not has_role(user, Role.INSTRUCTOR) for user in instructors):
        raise EnrollmentError(_("Only instructors can teach a course."))
    if course is not None and any(p.id == course.id for p in prerequisites):
        raise EnrollmentError(_("A course cannot be its own prerequisite."))
    _check_rule(values)
    taken = seats_taken(course) if course is not None else 0
    if values["capacity"] < taken:
        raise EnrollmentError(_("%(n)d trainees hold a seat; the capacity cannot be lower.", n=taken))


def _check_rule(values: dict) -> None:
    """A completion rule's figures stay in range, and a rule of listed lessons lists some."""
    hours, minimum, share = (values.get(name) for name in ("completion_hours", "completion_final_min",
                                                              "completion_attendance"))
    if hours is not None and not Decimal("0.5") <= hours <= Decimal("999"):
        raise EnrollmentError(_("The hours to reach must be between 0.5 and 999."))
    if minimum is not None and not Decimal("0") <= minimum <= Decimal("100"):
        raise EnrollmentError(_("The final exam's minimum score is a percentage between 0 and 100."))
    if share is not None and not 1 <= share <= 100:
        raise EnrollmentError(_("The share of sessions attended is a percentage between 1 and 100."))
    if values.get("completion_lessons") == LessonsRequired.LISTED and not values.get("completion_lesson_ids"):
        raise EnrollmentError(_("Tick the lessons the course asks for."))


def save_course(course: Course | None, by, *, branch, version, units, instructors, prerequisites, **values) -> Course:
    """Create or change a course; hours follow from its units. Flushes."""
    if course is not None:
        course = lock_course(course)  # seats are counted against the capacity under the lock
    if by is not None and not has_role(by, Role.ADMIN) and branch.id != queries.instructor_branch_id(by):
        raise EnrollmentError(_("You can only run courses of your own branch academy."))
    _check_course(values, units, instructors, prerequisites, version, course)
    if course is not None:
        _check_synced_parts(course, values, units)
    creating = course is None
    before = {} if creating else {name: getattr(course, name) for name in COURSE_FIELDS}
    if creating:
        course = Course(created_by_id=getattr(by, "id", None), status=CourseStatus.DRAFT)
        db.session.add(course)
    for name, value in values.items():
        setattr(course, name, value)
    course.branch, course.syllabus_version = branch, version
    course.units, course.instructors, course.prerequisites = list(units), list(instructors), list(prerequisites)
    db.session.flush()
    after = {name: getattr(course, name) for name in COURSE_FIELDS}
    audit.record(by, "course.create" if creating else "course.update", course, summary=course.code,
                 before=before or None, after=after)
    if not creating:
        promote_waitlist(course, by)  # a larger capacity seats the waitlist at once
    if not creating and any(before[name] != after[name] for name in RULE_FIELDS):
        for enrollment in queries.roster(course):  # a rule eased may complete those who already meet it
            if enrollment.state == EnrollmentState.ENROLLED:
                review_completion(enrollment, by)
    return course


def set_course_status(course: Course, by, status: CourseStatus) -> None:
    """Publish (trainees see it), or archive a course. Flushes."""
    if course.status == status:
        return
    audit.record(by, f"course.{status.value}", course, summary=course.code,
                 before={"status": course.status.value}, after={"status": status.value})
    course.status = status
    db.session.flush()


# ---- enrollments -----------------------------------------------------------------------------

def _stamp_and_audit(done: Move) -> None:
    """An enrollment keeps when it was waitlisted, seated and finished; every move is audited."""
    enrollment, to = done.obj, done.to
    if to == EnrollmentState.WAITLISTED:
        enrollment.waitlisted_at = done.at
    elif to == EnrollmentState.ENROLLED:
        enrollment.enrolled_at = done.at
    elif to in (EnrollmentState.COMPLETED, EnrollmentState.FAILED, EnrollmentState.WITHDRAWN):
        enrollment.finished_at = done.at
    audit.record(done.by, f"enrollment.{to.value}", enrollment,
                 summary=f"{enrollment.course.code} {enrollment.worker.number} {done.reason}"[:500],
                 before={"state": done.before.value if done.before else None}, after={"state": to.value})


WORKFLOW = Workflow(
    of=Enrollment, state="state", moves=moves_of(TRANSITIONS), log=EnrollmentTransition, after=_stamp_and_audit,
    refuse=lambda enrollment, before, to: EnrollmentError(_("This enrollment cannot change from %(a)s to %(b)s.",
                                                            a=value_of(before), b=value_of(to))))


def lock_course(course: Course) -> Course:
    """The course row again, locked for this transaction (seats are counted under it)."""
    return db.session.scalar(lock_for_update(sa.select(Course).where(Course.id == course.id), db.session)
                             .execution_options(populate_existing=True))


def seats_taken(course: Course) -> int:
    """Seats held on the course (counted under the course's lock by the operations here)."""
    return db.session.scalar(sa.select(sa.func.count(Enrollment.id)).where(
        Enrollment.course_id == course.id, Enrollment.state == EnrollmentState.ENROLLED))


def _prerequisite_problem(course: Course, worker: Worker) -> str | None:
    for required in course.prerequisites:
        done = db.session.scalar(sa.select(Enrollment.id).where(
            Enrollment.course_id == required.id, Enrollment.worker_id == worker.id, Enrollment.state == EnrollmentState.COMPLETED))
        if done is None:
            return _("Complete %(code)s %(title)s first.", code=required.code, title=required.title)
    code = course.prerequisite_certificate
    if code and not any(held(worker, code) for held in contributions("certificate_held")):
        return _("This course needs the certificate %(code)s.", code=code)
    return None


def request_enrollment(course: Course, worker: Worker, by, *, source: str = "self", reason: str = "") -> Enrollment:
    """Enrol ``worker``: a seat if one is free, else the waitlist. Checks window and prerequisites. Flushes."""
    course = lock_course(course)
    if course.status != CourseStatus.PUBLISHED:
        raise EnrollmentError(_("This course is not open for enrolment."))
    if source == "self" and not course.self_enrol:
        raise EnrollmentError(_("Enrolment in this course is arranged by HR."))
    if source == "self" and not course.window_open(today()):
        raise EnrollmentError(_("Enrolment is open from %(a)s to %(b)s.", a=course.enrol_opens_on, b=course.enrol_closes_on))
    if worker.status == WorkerStatus.EXITED:
        raise EnrollmentError(_("%(name)s has left the service.", name=worker.name))
    enrollment = queries.enrollment_of(course, worker)
    if enrollment is not None and enrollment.state != EnrollmentState.WITHDRAWN:
        raise EnrollmentError(_("%(name)s is already on this course.", name=worker.name))
    problem = _prerequisite_problem(course, worker)
    if problem:
        raise EnrollmentError(problem)
    if enrollment is None:
        enrollment = Enrollment(course=course, worker=worker, state=None, source=source)
        db.session.add(enrollment)
    enrollment.source = source
    WORKFLOW.move(enrollment, EnrollmentState.REQUESTED, by=by, reason=reason)
    if source == "self" and course.approval_required:
        return enrollment  # an instructor or HR approves it (approve_enrollment)
    _seat_or_waitlist(course, enrollment, by)
    return enrollment


def _seat_or_waitlist(course: Course, enrollment: Enrollment, by) -> None:
    if seats_taken(course) < course.capacity:
        WORKFLOW.move(enrollment, EnrollmentState.ENROLLED, by=by)
    else:
        WORKFLOW.move(enrollment, EnrollmentState.WAITLISTED, by=by, reason=_("The course is full."))


def approve_enrollment(enrollment: Enrollment, by) -> None:
    """Accept a requested enrolment: a seat if one is free, else the waitlist. Flushes."""
    course = lock_course(enrollment.course)
    db.session.refresh(enrollment)
    if enrollment.state != EnrollmentState.REQUESTED:
        raise EnrollmentError(_("Only a requested enrolment can be approved."))
    _seat_or_waitlist(course, enrollment, by)


def promote_waitlist(course: Course, by) -> list[Enrollment]:
    """Fill free seats from the waitlist, first come first served. Flushes."""
    course = lock_course(course)
    free = course.capacity - seats_taken(course)
    if free <= 0:
        return []
    waiting = db.session.scalars(sa.select(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.state == EnrollmentState.WAITLISTED,
    ).order_by(Enrollment.waitlisted_at, Enrollment.id).limit(free)).all()
    for enrollment in waiting:
        WORKFLOW.move(enrollment, EnrollmentState.ENROLLED, by=by, reason=_("A seat became free."))
        notices.waitlist_promoted(enrollment)
    return waiting


def withdraw(enrollment: Enrollment, by, *, reason: str = "") -> None:
    """Leave a course (or its waitlist); a freed seat goes to the first on the waitlist. Flushes."""
    lock_course(enrollment.course)
    db.session.refresh(enrollment)
    if enrollment.state not in ACTIVE_STATES:
        raise EnrollmentError(_("Only an active enrollment can be withdrawn."))
    had_seat = enrollment.state == EnrollmentState.ENROLLED
    WORKFLOW.move(enrollment, EnrollmentState.WITHDRAWN, by=by, reason=reason)
    if had_seat:
        promote_waitlist(enrollment.course, by)


def set_capacity(course: Course, by, capacity: int) -> None:
    """Change the capacity; extra seats are filled from the waitlist. Flushes."""
    course = lock_course(course)
    if capacity < 1 or capacity > 10000:
        raise EnrollmentError(_("Capacity must be between 1 and 10000."))
    audit.record(by, "course.capacity", course, before={"capacity": course.capacity}, after={"capacity": capacity})
    course.capacity = capacity
    db.session.flush()
    promote_waitlist(course, by)


def record_result(enrollment: Enrollment, by, *, passed: bool, note: str = "") -> None:
    """An instructor closes an enrollment as completed or failed (an override of the course's completion
    rule, with its reason); completing ends the worker's mandatory assignment. Flushes."""
    if enrollment.state != EnrollmentState.ENROLLED:
        raise EnrollmentError(_("Only an enrolled trainee can complete or fail a course."))
    finish(enrollment, by, passed=passed, note=note, completed_by=CompletedBy.MANUAL)


def finish(enrollment: Enrollment, by, *, passed: bool, note: str, completed_by: CompletedBy,
           evidence: dict | None = None) -> None:
    """Move an enrolled trainee to completed or failed, keep how and on what evidence, close his
    mandatory assignment, and announce it (certificates issue in the same transaction). Flushes."""
    enrollment.result_note = note[:500]
    enrollment.completed_by, enrollment.completion_evidence = completed_by, evidence
    enrollment.taken_back_at, enrollment.taken_back_reason = None, ""
    WORKFLOW.move(enrollment, EnrollmentState.COMPLETED if passed else EnrollmentState.FAILED, by=by, reason=note)
    if passed:
        assignment = queries.assignment_for(enrollment)
        if assignment is not None and assignment.completed_at is None:
            assignment.completed_at = enrollment.finished_at or utcnow()
            audit.record(by, "training_assignment.complete", assignment, summary=enrollment.course.code)
    db.session.flush()
    send(training_recorded, worker=enrollment.worker, by=by)
    send(course_result_changed, enrollment=enrollment, by=by)


# ---- completion by rule (enrollment.completion) ----------------------------------------------

def review_completion(enrollment: Enrollment | None, by=None) -> None:
    """Complete an enrolled trainee whose course rule is now met, or take back a completion by rule
    whose evidence is gone. Does nothing for a course without a rule or an instructor's result. Flushes."""
    if enrollment is None or not enrollment.course.has_completion_rule:
        return
    if enrollment.state == EnrollmentState.ENROLLED:
        found = completion.conditions(enrollment.course, enrollment)
        if found and all(c.met for c in found):
            finish(enrollment, by, passed=True, note=_("Completion rule met"),
                   completed_by=CompletedBy.RULE, evidence=completion.evidence(found))
    elif enrollment.state == EnrollmentState.COMPLETED and enrollment.completed_by == CompletedBy.RULE:
        found = completion.conditions(enrollment.course, enrollment)
        if not all(c.met for c in found):
            _take_back(enrollment, by, [item for c in found for item in c.missing])


def _take_back(enrollment: Enrollment, by, lacking: list[str]) -> None:
    """A completion by rule lost its evidence: enrolled again, the mandatory assignment open again,
    audited, and on HR's list of completions taken back. Flushes."""
    reason = _("Completion taken back: %(what)s missing", what=completion.join_names(lacking))[:500]
    enrolled_at = enrollment.enrolled_at  # he was seated when he began, not now
    WORKFLOW.move(enrollment, EnrollmentState.ENROLLED, by=by, reason=reason)
    enrollment.enrolled_at = enrolled_at
    enrollment.completed_by, enrollment.taken_back_at, enrollment.taken_back_reason = CompletedBy.NONE, utcnow(), reason
    enrollment.finished_at = None
    assignment = queries.assignment_for(enrollment)
    if assignment is not None and assignment.completed_at is not None:
        assignment.completed_at = None
        audit.record(by, "training_assignment.reopen", assignment, summary=f"{enrollment.course.code} {reason}"[:500])
    db.session.flush()
    send(training_recorded, worker=enrollment.worker, by=by)
    send(course_result_changed, enrollment=enrollment, by=by)
