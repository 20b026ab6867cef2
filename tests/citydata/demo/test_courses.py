"""The teaching side's demo steps, with and without the registry's demo data."""
from __future__ import annotations

import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from citydata.demo import enrollment as enrollment_demo
from citydata.demo import lessons as lessons_demo
from citydata.demo import syllabus as syllabus_demo
from courses.enrollment.models import Course, CourseStatus, Enrollment, TrainingAssignment
from courses.enrollment.operations import today
from courses.enrollment.queries import overdue_query
from courses.lessons.models import Lesson
from tests.courses.conftest import english_clients  # noqa: F401  (autouse: pages read in English, as in tests/courses)


def run_demo(demo):
    syllabus_demo.create_demo_syllabus(demo)
    enrollment_demo.create_demo_courses(demo)
    lessons_demo.create_demo_lessons(demo)


def test_demo_without_workers_still_builds_syllabus_courses_and_lessons(make_user):
    demo = {"users": {"admin": make_user("a1", Role.ADMIN), "instructor": make_user("i1", Role.INSTRUCTOR),
                      "hr": make_user("h1", Role.HR)}}
    run_demo(demo)
    courses = db.session.scalars(sa.select(Course)).all()
    assert len(courses) == 4 and all(c.status == CourseStatus.PUBLISHED for c in courses)
    assert all(c.instructors == [demo["users"]["instructor"]] for c in courses)
    assert db.session.scalar(sa.select(sa.func.count(Lesson.id))) == 6
    assert db.session.scalar(sa.select(sa.func.count(Enrollment.id))) == 0
    pre = next(c for c in courses if c.code == "GA-PRE-2026-01")
    assert pre.hours == demo["syllabus"].total_hours  # the pre-service course covers the whole syllabus


def test_demo_with_registry_workers_enrols_and_assigns(make_user, make_worker):
    workers = [make_worker("320102", status=WorkerStatus.RECRUITED) for _ in range(3)]
    workers += [make_worker("320102") for _ in range(5)]
    demo = {"users": {"admin": make_user("a1", Role.ADMIN), "instructor": make_user("i1", Role.INSTRUCTOR),
                      "hr": make_user("h1", Role.HR)}, "workers": {w.number: w for w in workers}}
    run_demo(demo)
    assert db.session.scalar(sa.select(sa.func.count(TrainingAssignment.id))) == 3 + 3
    # recruits on the pre-service course, on-duty workers on the dispute course, three on the hazard course
    assert db.session.scalar(sa.select(sa.func.count(Enrollment.id))) == 3 + 5 + 3
    assert len(db.session.scalars(overdue_query(None, today())).all()) == 3


def test_worker_page_training_section(app, client, make_user, make_worker, make_course):
    """HR opens a worker's page in the registry and finds the training section the courses add."""
    from academy.permissions import Role
    from courses.enrollment.operations import request_enrollment
    from tests.support import log_in

    worker = make_worker(name="Zhou")
    request_enrollment(make_course(), worker, None)
    make_user("hrdesk", Role.HR)
    log_in(client, "hrdesk")
    html = client.get(f"/registry/workers/{worker.id}").get_data(as_text=True)
    assert 'data-testid="training-section"' in html
    assert "Dispute mediation" in html and "Enrolled" in html
