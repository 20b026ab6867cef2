"""Enrollment rules: seats and waitlist, promotion, withdrawal, window, prerequisites, results."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from academy.registry.models import WorkerStatus
from courses.enrollment import operations as ops
from courses.enrollment.models import CourseStatus, EnrollmentState, EnrollmentTransition

E = EnrollmentState


def test_full_course_waitlists_and_withdrawal_promotes_first_in_line(make_course, make_worker):
    course = make_course(capacity=2)
    workers = [make_worker() for _ in range(4)]
    states = [ops.request_enrollment(course, w, None).state for w in workers]
    assert states == [E.ENROLLED, E.ENROLLED, E.WAITLISTED, E.WAITLISTED]
    first = db.session.scalar(sa.select(ops.Enrollment).where(ops.Enrollment.worker_id == workers[0].id))
    ops.withdraw(first, None, reason="moved")
    third = db.session.scalar(sa.select(ops.Enrollment).where(ops.Enrollment.worker_id == workers[2].id))
    fourth = db.session.scalar(sa.select(ops.Enrollment).where(ops.Enrollment.worker_id == workers[3].id))
    assert (first.state, third.state, fourth.state) == (E.WITHDRAWN, E.ENROLLED, E.WAITLISTED)
    assert ops.seats_taken(course) == 2
    steps = [(t.from_state, t.to_state) for t in db.session.scalars(
        sa.select(EnrollmentTransition).where(EnrollmentTransition.enrollment_id == third.id).order_by(EnrollmentTransition.id))]
    assert steps == [(None, E.REQUESTED), (E.REQUESTED, E.WAITLISTED), (E.WAITLISTED, E.ENROLLED)]
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "enrollment.withdrawn")) == 1


def test_withdrawing_from_the_waitlist_frees_no_seat(make_course, make_worker):
    course = make_course(capacity=1)
    a, b, c = (ops.request_enrollment(course, make_worker(), None) for _ in range(3))
    ops.withdraw(b, None)
    assert (a.state, b.state, c.state) == (E.ENROLLED, E.WITHDRAWN, E.WAITLISTED)


def test_raising_capacity_promotes_the_waitlist(make_course, make_worker):
    course = make_course(capacity=1)
    a, b = (ops.request_enrollment(course, make_worker(), None) for _ in range(2))
    ops.set_capacity(course, None, 2)
    assert b.state == E.ENROLLED


def test_one_active_enrollment_per_worker_and_re_enrolment_after_withdrawal(make_course, make_worker):
    course, worker = make_course(), make_worker()
    enrollment = ops.request_enrollment(course, worker, None)
    with pytest.raises(ops.EnrollmentError, match="already"):
        ops.request_enrollment(course, worker, None)
    ops.withdraw(enrollment, None)
    again = ops.request_enrollment(course, worker, None)
    assert again.id == enrollment.id and again.state == E.ENROLLED


def test_self_enrolment_only_inside_the_window_and_when_allowed(make_course, make_worker):
    course, worker = make_course(), make_worker()
    course.enrol_closes_on = ops.today() - timedelta(days=1)
    with pytest.raises(ops.EnrollmentError, match="Enrolment is open"):
        ops.request_enrollment(course, worker, None, source="self")
    assert ops.request_enrollment(course, worker, None, source="hr").state == E.ENROLLED  # HR may enrol late
    closed = make_course(self_enrol=False)
    with pytest.raises(ops.EnrollmentError, match="HR"):
        ops.request_enrollment(closed, make_worker(), None, source="self")


def test_unpublished_course_and_exited_worker_are_refused(make_course, make_worker):
    draft = make_course(status=CourseStatus.DRAFT)
    with pytest.raises(ops.EnrollmentError):
        ops.request_enrollment(draft, make_worker(), None)
    with pytest.raises(ops.EnrollmentError, match="left"):
        ops.request_enrollment(make_course(), make_worker(status=WorkerStatus.EXITED), None)


def test_prerequisite_course_must_be_completed(make_course, make_worker):
    basic = make_course()
    advanced = make_course(prerequisites=[basic])
    worker = make_worker()
    with pytest.raises(ops.EnrollmentError, match="first"):
        ops.request_enrollment(advanced, worker, None)
    enrollment = ops.request_enrollment(basic, worker, None)
    ops.record_result(enrollment, None, passed=True)
    assert ops.request_enrollment(advanced, worker, None).state == E.ENROLLED


def test_prerequisite_certificate_asks_the_certificate_slot(app, make_course, make_worker):
    course = make_course()
    course.prerequisite_certificate = "ON-DUTY"
    worker = make_worker()
    with pytest.raises(ops.EnrollmentError, match="ON-DUTY"):
        ops.request_enrollment(course, worker, None)
    slot = app.extensions["academy.slots"].items["certificate_held"]
    slot.append((0, lambda w, code: w.id == worker.id and code == "ON-DUTY"))
    try:
        assert ops.request_enrollment(course, worker, None).state == E.ENROLLED
    finally:
        slot.pop()


def test_results_only_for_enrolled_trainees(make_course, make_worker):
    course = make_course(capacity=1)
    enrolled = ops.request_enrollment(course, make_worker(), None)
    waiting = ops.request_enrollment(course, make_worker(), None)
    with pytest.raises(ops.EnrollmentError):
        ops.record_result(waiting, None, passed=True)
    ops.record_result(enrolled, None, passed=False, note="absent from the exam")
    assert enrolled.state == E.FAILED and enrolled.finished_at is not None
    with pytest.raises(ops.EnrollmentError):
        ops.withdraw(enrolled, None)


def test_course_hours_add_up_from_units(make_course):
    course = make_course()
    assert course.hours == 6  # M1.1: 2 + 1, M1.2: 3 + 0


def test_course_rules(make_course, make_syllabus, make_branch, make_user):
    from academy.permissions import Role

    course = make_course()
    version = make_syllabus()
    base = dict(code="NEW1", title="t", description="", kind="in_service", delivery="online", capacity=10,
                self_enrol=True, enrol_opens_on=ops.today(), enrol_closes_on=ops.today(), starts_on=ops.today(),
                ends_on=ops.today(), prerequisite_certificate="")
    units = [u for u in version.units if u.parent_id]
    cases = [
        (dict(base, code=course.code), "taken"),
        (dict(base, enrol_closes_on=ops.today() - timedelta(days=1)), "window"),
        (dict(base, ends_on=ops.today() - timedelta(days=1)), "ends before"),
        (dict(base, capacity=0), "Capacity"),
    ]
    for values, message in cases:
        with pytest.raises(ops.EnrollmentError, match=message):
            ops.save_course(None, None, branch=make_branch(), version=version, units=units, instructors=[],
                            prerequisites=[], **values)
    with pytest.raises(ops.EnrollmentError, match="unit"):
        ops.save_course(None, None, branch=make_branch(), version=version, units=[], instructors=[], prerequisites=[], **base)
    trainee = make_user("tr", Role.TRAINEE)
    with pytest.raises(ops.EnrollmentError, match="instructors"):
        ops.save_course(None, None, branch=make_branch(), version=version, units=units, instructors=[trainee],
                        prerequisites=[], **base)
    stranger = make_user("teach2", Role.INSTRUCTOR)
    with pytest.raises(ops.EnrollmentError, match="own branch"):
        ops.save_course(None, stranger, branch=make_branch(), version=version, units=units, instructors=[],
                        prerequisites=[], **base)


def _edit(course, **changes):
    values = {name: getattr(course, name) for name in ops.COURSE_FIELDS} | changes
    return ops.save_course(course, None, branch=course.branch, version=course.syllabus_version, units=course.units,
                           instructors=course.instructors, prerequisites=course.prerequisites, **values)


def test_capacity_cannot_drop_below_seats_and_raising_it_seats_the_waitlist(make_course, make_worker):
    course = make_course(capacity=2)
    a, b, c = (ops.request_enrollment(course, make_worker(), None) for _ in range(3))
    with pytest.raises(ops.EnrollmentError, match="capacity cannot be lower"):
        _edit(course, capacity=1)
    db.session.refresh(course)
    assert course.capacity == 2
    _edit(course, capacity=3)
    assert c.state == E.ENROLLED and ops.seats_taken(course) == 3


def test_self_enrolment_waits_for_approval_when_required(make_course, make_worker):
    course = make_course(capacity=1)
    course.approval_required = True
    first, second = (ops.request_enrollment(course, make_worker(), None, source="self") for _ in range(2))
    assert (first.state, second.state) == (E.REQUESTED, E.REQUESTED)
    assert ops.seats_taken(course) == 0  # a request holds no seat
    ops.approve_enrollment(second, None)
    ops.approve_enrollment(first, None)
    assert (second.state, first.state) == (E.ENROLLED, E.WAITLISTED)
    with pytest.raises(ops.EnrollmentError):
        ops.approve_enrollment(first, None)
    hr_enrolled = ops.request_enrollment(course, make_worker(), None, source="hr")
    assert hr_enrolled.state == E.WAITLISTED  # HR's enrolments need no approval


def test_instructors_edit_only_their_own_branchs_courses(client, make_user, make_course):
    """An instructor of 玄武 edits 玄武's course, not 秦淮's, even when he teaches it."""
    from academy.permissions import Role
    from courses.syllabus.models import Trainer
    from tests.fixtures.courses import create_branch
    from tests.support import log_in

    home_teacher = make_user("teacher", Role.INSTRUCTOR)
    db.session.add(Trainer(user_id=home_teacher.id, branch_id=create_branch("320102").id))
    db.session.flush()
    own = make_course(district="320102")
    foreign = make_course(district="320104", instructors=[home_teacher])
    log_in(client, "teacher")
    assert client.get(f"/courses/{own.id}/edit").status_code == 200
    assert client.get(f"/courses/{foreign.id}/edit").status_code == 403
