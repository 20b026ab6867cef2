"""HR's training: bulk enrolment, mandatory training with due dates, overdue, extensions,
classroom attendance, training needs and statistics."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import Employment, WorkerStatus
from courses.enrollment import operations as ops
from courses.enrollment import queries, standing, training
from courses.enrollment.models import Enrollment, EnrollmentState, ExtensionStatus, TrainingAssignment
from courses.enrollment.training import Population

E = EnrollmentState


def test_bulk_enrol_by_area_employment_and_status(make_course, make_worker, make_user):
    hr = make_user("hr1", Role.HR, area="320102")
    course = make_course(capacity=2)
    recruits = [make_worker("320102", status=WorkerStatus.RECRUITED) for _ in range(3)]
    make_worker("320102", status=WorkerStatus.ON_DUTY)
    make_worker("320102", status=WorkerStatus.RECRUITED, employment=Employment.PART_TIME)
    make_worker("320104", status=WorkerStatus.RECRUITED)
    result = training.bulk_enrol(course, Population("320102", employment="full_time", status="recruited"), hr)
    assert (result.enrolled, result.waitlisted) == (2, 1)
    enrolled = set(db.session.scalars(sa.select(Enrollment.worker_id).where(Enrollment.course_id == course.id)))
    assert enrolled == {w.id for w in recruits}


def test_bulk_enrol_by_grid(make_course, make_worker, make_grid, make_assignment, make_user):
    hr = make_user("hr1", Role.HR, area="320102")
    grid = make_grid("320102001001")
    inside, outside = make_worker(), make_worker()
    make_assignment(inside, grid)
    result = training.bulk_enrol(make_course(), Population("320102", grid_id=grid.id), hr)
    assert result.enrolled == 1
    assert db.session.scalar(sa.select(Enrollment.worker_id)) == inside.id and outside.id != inside.id


def test_hr_enrols_only_inside_its_scope(make_course, make_worker, make_user):
    hr = make_user("hr1", Role.HR, area="320102")
    make_worker("320104")
    with pytest.raises(ops.EnrollmentError, match="scope"):
        training.bulk_enrol(make_course(), Population("320104"), hr)
    assert db.session.scalar(sa.select(sa.func.count(Enrollment.id))) == 0


def test_mandatory_training_relative_to_hire_and_overdue(make_course, make_worker, make_user):
    hr = make_user("hr1", Role.HR, area="320102")
    course = make_course()
    worker = make_worker(status=WorkerStatus.RECRUITED)  # hired 2024-03-01
    result = standing.assign_mandatory(course, Population("320102", status="recruited"), hr, due_days_after_hire=30)
    assert result.assigned == 1
    assignment = db.session.scalar(sa.select(TrainingAssignment))
    assert assignment.due_on == worker.hired_on + timedelta(days=30)
    assert db.session.scalar(sa.select(Enrollment.state)) == E.ENROLLED
    overdue = db.session.scalars(queries.overdue_query(["320102"], ops.today())).all()
    assert overdue == [assignment]
    assert db.session.scalars(queries.overdue_query(["320104"], ops.today())).all() == []
    again = standing.assign_mandatory(course, Population("320102"), hr, due_on=ops.today())
    assert again.assigned == 0  # already assigned: not twice
    ops.record_result(db.session.scalar(sa.select(Enrollment)), hr, passed=True)
    assert assignment.completed_at is not None
    assert db.session.scalars(queries.overdue_query(["320102"], ops.today())).all() == []


def test_mandatory_needs_exactly_one_kind_of_due_date(make_course, make_user):
    hr = make_user("hr1", Role.HR)
    with pytest.raises(ops.EnrollmentError):
        standing.assign_mandatory(make_course(), Population("320102"), hr)
    with pytest.raises(ops.EnrollmentError):
        standing.assign_mandatory(make_course(), Population("320102"), hr, due_on=ops.today(), due_days_after_hire=3)


def test_extension_request_and_grant(make_course, make_worker, make_user):
    hr = make_user("hr1", Role.HR)
    worker = make_worker()
    assignment = training.assign_training(worker, make_course(), hr, due_on=ops.today() - timedelta(days=2))
    assert assignment.overdue_on(ops.today())
    with pytest.raises(ops.EnrollmentError):
        training.request_extension(assignment, None, until=ops.today() - timedelta(days=3), reason="sick")
    with pytest.raises(ops.EnrollmentError):
        training.request_extension(assignment, None, until=ops.today() + timedelta(days=10), reason=" ")
    training.request_extension(assignment, None, until=ops.today() + timedelta(days=10), reason="sick leave")
    assert assignment.overdue_on(ops.today())  # still overdue until HR grants it
    training.decide_extension(assignment, hr, grant=True)
    assert assignment.extension_status == ExtensionStatus.GRANTED
    assert assignment.effective_due == ops.today() + timedelta(days=10) and not assignment.overdue_on(ops.today())
    with pytest.raises(ops.EnrollmentError):
        training.decide_extension(assignment, hr, grant=True)


def test_attendance_credits_classroom_hours(make_course, make_worker):
    course = make_course()
    a, b = (ops.request_enrollment(course, make_worker(), None) for _ in range(2))
    first = training.add_session(course, None, starts_at=datetime(2026, 5, 1, 1, tzinfo=UTC), hours=Decimal("3"), place="Room 1", topic="x")
    second = training.add_session(course, None, starts_at=datetime(2026, 5, 2, 1, tzinfo=UTC), hours=Decimal("2.5"), place="", topic="")
    training.take_attendance(first, None, {a.id, b.id})
    training.take_attendance(second, None, {a.id})
    assert (a.classroom_hours, b.classroom_hours) == (Decimal("5.5"), Decimal("3"))
    training.take_attendance(first, None, {a.id})  # corrected: b was not there after all
    assert b.classroom_hours == 0 and b.hours_credited == 0
    with pytest.raises(ops.EnrollmentError):
        training.add_session(course, None, starts_at=datetime(2026, 5, 3, tzinfo=UTC), hours=Decimal("20"), place="", topic="")


def test_training_needs_come_from_the_slot_and_recommend_courses(app, make_course, make_worker):
    course = make_course()  # covers M1.1 (case category "dispute") and M1.2 ("hazard")
    worker = make_worker()
    slot = app.extensions["academy.slots"].items["training_needs"]
    slot.append((0, lambda w: [("dispute", "late dispute cases: 4 of 10 (target 90% on time)")] if w.id == worker.id else []))
    try:
        needs = queries.training_needs(worker)
    finally:
        slot.pop()
    assert [(n["key"], n["courses"]) for n in needs] == [("dispute", [course])]
    assert "4 of 10" in needs[0]["reason"]
    assert queries.recommended_courses("M1.2") == [course] and queries.recommended_courses("nothing") == []
