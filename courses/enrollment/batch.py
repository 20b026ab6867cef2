"""Assigning a course to many workers at once: what a standing rule does on its first day (thousands),
on a daily sweep (a few) and for one worker a signal names. ``assign_many`` keeps every rule of
``training.assign_training`` followed by ``operations.request_enrollment`` (source "mandatory"): the
course must be published; an assignment is made once per worker and course; a completion already
held closes the assignment at once; a worker with no enrolment, or a withdrawn one, is enrolled
(a seat while any is free, else the waitlist); an exited worker, one who lacks a prerequisite or one
already on the course (waiting, enrolled, failed) keeps his assignment without a new enrolment.

What changes is the cost. The course is locked and checked once; its seats are counted once and
then kept by hand under that lock; the existing assignments, enrolments and prerequisites of the
batch are read with a few queries; the rows of ``CHUNK`` workers (assignments, enrolments, their
transition rows, one audit entry per change as ever, one message per worker) are written with a
handful of flushes; the write-only rows (transitions, audit entries) go in one statement each,
never kept in the session, so it stays small. Nothing here can fail half-way for one worker, so there is no savepoint
per worker: the one refusal (a course no longer published) comes before anything is written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.contributions import contributions
from academy.database import utcnow
from academy.extensions import db
from academy.registry.models import Worker, WorkerStatus
from courses.enrollment import notices
from courses.enrollment.models import (
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentState,
    EnrollmentTransition,
    TrainingAssignment,
)
from courses.enrollment.operations import EnrollmentError, lock_course, seats_taken

CHUNK = 500  # workers written per round of flushes


@dataclass(frozen=True)
class Wanted:
    """One worker to assign, by when, and the standing rule that names him (None: by hand)."""

    worker: Worker
    due_on: date
    rule: object | None = None


@dataclass
class Assigned:
    """What ``assign_many`` did: the assignments made, and the workers who already had the course."""

    made: list[TrainingAssignment] = field(default_factory=list)
    already: list[Worker] = field(default_factory=list)


@dataclass
class _Course:
    """What the batch knows of the course under its lock: free seats, enrolments, who may enrol."""

    course: Course
    free: int
    enrollments: dict[int, Enrollment]
    blocked: set[int]  # workers lacking a prerequisite


def assign_many(course: Course, wanted: list[Wanted], by, *, reason: str = "") -> Assigned:
    """Make ``course`` mandatory for each wanted worker by his due date and enrol him, as
    ``assign_training`` does one by one; a worker who already has it assigned is left as he is.
    Raises ``EnrollmentError`` (before writing anything) if the course is not published. Flushes."""
    course = lock_course(course)
    if course.status != CourseStatus.PUBLISHED:
        raise EnrollmentError(_("Only a published course can be assigned."))
    wanted = list({w.worker.id: w for w in wanted}.values())
    held = _assigned_ids(course, [w.worker.id for w in wanted])
    result = Assigned(already=[w.worker for w in wanted if w.worker.id in held])
    fresh = [w for w in wanted if w.worker.id not in held]
    state = _Course(course, course.capacity - seats_taken(course), {}, set())
    for first in range(0, len(fresh), CHUNK):
        chunk = fresh[first:first + CHUNK]
        _read_chunk(state, [w.worker for w in chunk])
        result.made += _write_chunk(state, chunk, by, reason)
    return result


def _assigned_ids(course: Course, worker_ids: list[int]) -> set[int]:
    found = set()
    for first in range(0, len(worker_ids), CHUNK):
        found.update(db.session.scalars(sa.select(TrainingAssignment.worker_id).where(
            TrainingAssignment.course_id == course.id, TrainingAssignment.worker_id.in_(worker_ids[first:first + CHUNK]))))
    return found


def _read_chunk(state: _Course, workers: list[Worker]) -> None:
    """The chunk's enrolments on the course and who lacks a prerequisite (as ``request_enrollment`` checks)."""
    course, ids = state.course, [worker.id for worker in workers]
    state.enrollments = {e.worker_id: e for e in db.session.scalars(sa.select(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.worker_id.in_(ids)))}
    state.blocked = set()
    for required in course.prerequisites:
        done = set(db.session.scalars(sa.select(Enrollment.worker_id).where(
            Enrollment.course_id == required.id, Enrollment.worker_id.in_(ids), Enrollment.state == EnrollmentState.COMPLETED)))
        state.blocked |= set(ids) - done
    code = course.prerequisite_certificate
    if code:
        slots = contributions("certificate_held")
        state.blocked |= {worker.id for worker in workers if not any(held(worker, code) for held in slots)}


def _write_chunk(state: _Course, chunk: list[Wanted], by, reason: str) -> list[TrainingAssignment]:
    """The chunk's assignments and enrolments, their transition rows and audit entries, and the
    workers' messages. Flushes a few times, whatever the chunk's size."""
    course, now = state.course, utcnow()
    made, moves = [], []
    with db.session.no_autoflush:
        for want in chunk:
            worker = want.worker
            assignment = TrainingAssignment(worker=worker, course=course, rule_id=getattr(want.rule, "id", None),
                                            due_on=want.due_on, reason=reason[:500])
            db.session.add(assignment)
            made.append(assignment)
            enrollment = state.enrollments.get(worker.id)
            if enrollment is not None and enrollment.state == EnrollmentState.COMPLETED:
                assignment.completed_at = enrollment.finished_at or now
            elif _may_enrol(state, worker, enrollment):
                moves += _enrol(state, worker, enrollment, now, reason)
    db.session.flush()
    _write_transitions(moves, by, now)
    audit.record_all(_audit_entries(course, made, moves, by, reason))
    notices.trainings_assigned(made)
    return made


def _may_enrol(state: _Course, worker: Worker, enrollment: Enrollment | None) -> bool:
    """``request_enrollment`` would take him: not exited, not on the course, no prerequisite missing."""
    if enrollment is not None and enrollment.state != EnrollmentState.WITHDRAWN:
        return False  # waiting, enrolled or failed: the assignment stands as it is
    return worker.status != WorkerStatus.EXITED and worker.id not in state.blocked


def _enrol(state: _Course, worker: Worker, enrollment: Enrollment | None, now, reason: str) -> list[tuple]:
    """Request and seat (or waitlist) one enrolment; its two moves (enrolment, from, to, reason)."""
    if enrollment is None:
        enrollment = Enrollment(course=state.course, worker=worker, state=None, source="mandatory", requested_at=now)
        db.session.add(enrollment)
    before, enrollment.source = enrollment.state, "mandatory"
    if state.free > 0:
        state.free -= 1
        enrollment.state, enrollment.enrolled_at = EnrollmentState.ENROLLED, now
        seat = (enrollment, EnrollmentState.REQUESTED, EnrollmentState.ENROLLED, "")
    else:
        enrollment.state, enrollment.waitlisted_at = EnrollmentState.WAITLISTED, now
        seat = (enrollment, EnrollmentState.REQUESTED, EnrollmentState.WAITLISTED, _("The course is full."))
    return [(enrollment, before, EnrollmentState.REQUESTED, reason), seat]


def _write_transitions(moves: list[tuple], by, now) -> None:
    """The moves' transition rows, in one statement (written, not kept in the session)."""
    if moves:
        db.session.execute(EnrollmentTransition.__table__.insert(), [  # Core: one executemany, no objects
            {"enrollment_id": e.id, "from_state": before, "to_state": to, "reason": (why or "")[:500],
             "by_id": getattr(by, "id", None), "at": now} for e, before, to, why in moves])


def _audit_entries(course: Course, made: list[TrainingAssignment], moves: list[tuple], by, reason: str) -> list:
    """One entry per move and per assignment, worded as the one-by-one operations word them."""
    entries = [audit.entry(by, f"enrollment.{to.value}", e, summary=f"{course.code} {e.worker.number} {why}"[:500],
                           before={"state": before.value if before else None}, after={"state": to.value})
               for e, before, to, why in moves]
    entries += [audit.entry(by, "training_assignment.create", a, summary=f"{course.code} {a.worker.number}",
                            after={"due_on": a.due_on, "reason": reason}) for a in made]
    return entries
