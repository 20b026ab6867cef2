"""The batched assignment path (``courses.enrollment.batch``) that standing rules use, on the edges
the one-by-one path kept: a chunk boundary between seats and the waitlist, workers already on the
course (enrolled by hand, withdrawn, completed, failed), a prerequisite missing, a course closed
between the sweep reading its rules and assigning them."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from academy.notifications.models import InboxMessage
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from courses.enrollment import batch, standing
from courses.enrollment import operations as ops
from courses.enrollment.models import (
    CourseStatus,
    Enrollment,
    EnrollmentState,
    EnrollmentTransition,
    TrainingAssignment,
)
from courses.enrollment.operations import EnrollmentError
from courses.enrollment.training import Population

E = EnrollmentState


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _enrollment(course, worker) -> Enrollment | None:
    return db.session.scalar(sa.select(Enrollment).where(Enrollment.course_id == course.id, Enrollment.worker_id == worker.id))


def _assignment(course, worker) -> TrainingAssignment | None:
    return db.session.scalar(sa.select(TrainingAssignment).where(
        TrainingAssignment.course_id == course.id, TrainingAssignment.worker_id == worker.id))


def _moves(enrollment) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(sa.select(EnrollmentTransition.from_state, EnrollmentTransition.to_state)
            .where(EnrollmentTransition.enrollment_id == enrollment.id).order_by(EnrollmentTransition.id))]


def test_seats_then_the_waitlist_across_chunk_boundaries_each_worker_once(monkeypatch, make_course, make_worker, make_user):
    monkeypatch.setattr(batch, "CHUNK", 2)  # five workers: three chunks, the last seat in the second
    hr = make_user("hr1", Role.HR, area="320102")
    course = make_course(capacity=3)
    workers = [make_worker(status=WorkerStatus.RECRUITED, user=make_user()) for _ in range(5)]
    result = standing.assign_mandatory(course, Population("320102", status="recruited"), hr, due_on=ops.today())
    assert result.assigned == 5 and result.skipped == []
    in_order = sorted(workers, key=lambda w: w.number)  # HR's population is taken in worker-number order
    assert [_enrollment(course, w).state for w in in_order] == [E.ENROLLED] * 3 + [E.WAITLISTED] * 2
    assert _moves(_enrollment(course, in_order[0])) == [(None, E.REQUESTED), (E.REQUESTED, E.ENROLLED)]
    assert _moves(_enrollment(course, in_order[4])) == [(None, E.REQUESTED), (E.REQUESTED, E.WAITLISTED)]
    assignments = [_assignment(course, w) for w in workers]
    audited = db.session.scalars(sa.select(AuditEntry.object_id).where(
        AuditEntry.action == "training_assignment.create")).all()
    assert sorted(audited) == sorted(str(a.id) for a in assignments)  # one entry per assignment
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "enrollment.waitlisted")) == 2
    for worker in workers:  # one message per worker, naming his assignment
        keys = db.session.scalars(sa.select(InboxMessage.event_key).where(InboxMessage.user_id == worker.user_id)).all()
        assert keys == [f"training.assigned:{_assignment(course, worker).id}"]
    again = standing.assign_mandatory(course, Population("320102", status="recruited"), hr, due_on=ops.today())
    assert again.assigned == 0 and len(again.skipped) == 5


def test_workers_already_on_the_course_keep_what_they_have(make_course, make_worker, make_user):
    hr = make_user("hr1", Role.HR, area="320102")
    course = make_course()
    by_hand, withdrew, completed, failed = (make_worker(status=WorkerStatus.RECRUITED) for _ in range(4))
    ops.request_enrollment(course, by_hand, hr, source="hr")
    ops.withdraw(ops.request_enrollment(course, withdrew, hr, source="hr"), hr)
    ops.record_result(ops.request_enrollment(course, completed, hr, source="hr"), hr, passed=True)
    ops.record_result(ops.request_enrollment(course, failed, hr, source="hr"), hr, passed=False)
    result = standing.assign_mandatory(course, Population("320102", status="recruited"), hr, due_on=ops.today())
    assert result.assigned == 4
    hand = _enrollment(course, by_hand)
    assert (hand.state, hand.source, len(_moves(hand))) == (E.ENROLLED, "hr", 2)  # not enrolled twice
    assert _assignment(course, by_hand).completed_at is None
    back = _enrollment(course, withdrew)
    assert (back.state, back.source) == (E.ENROLLED, "mandatory")
    assert _moves(back)[-2:] == [(E.WITHDRAWN, E.REQUESTED), (E.REQUESTED, E.ENROLLED)]
    done = _enrollment(course, completed)
    assert _assignment(course, completed).completed_at == done.finished_at  # the completion held counts
    assert _enrollment(course, failed).state == E.FAILED
    assert _assignment(course, failed).completed_at is None


def test_a_missing_prerequisite_leaves_the_assignment_without_an_enrolment(make_course, make_worker, make_user):
    hr = make_user("hr1", Role.HR, area="320102")
    first = make_course()
    second = make_course(prerequisites=[first])
    ready, not_ready = make_worker(status=WorkerStatus.RECRUITED), make_worker(status=WorkerStatus.RECRUITED)
    ops.record_result(ops.request_enrollment(first, ready, hr, source="hr"), hr, passed=True)
    result = standing.assign_mandatory(second, Population("320102", status="recruited"), hr, due_on=ops.today())
    assert result.assigned == 2
    assert _enrollment(second, ready).state == E.ENROLLED
    assert _enrollment(second, not_ready) is None and _assignment(second, not_ready) is not None


def test_a_course_closed_meanwhile_counts_as_failed_and_writes_nothing(monkeypatch, make_course, make_worker, make_user):
    hr = make_user("hr1", Role.HR, area="320102")
    course = make_course()
    standing.assign_mandatory(course, Population("320102", status="recruited"), hr, due_on=ops.today())
    workers = [make_worker(status=WorkerStatus.RECRUITED) for _ in range(3)]
    rules = standing.active_rules()
    ops.set_course_status(course, hr, CourseStatus.ARCHIVED)
    monkeypatch.setattr(standing, "active_rules", lambda: rules)  # read before the course closed
    result = standing.sweep(hr)
    assert (result.assigned, result.failed) == (0, 3)
    assert all(_assignment(course, w) is None and _enrollment(course, w) is None for w in workers)
    with pytest.raises(EnrollmentError):
        batch.assign_many(course, [batch.Wanted(workers[0], ops.today())], hr)
