"""A trainee finishes the last lesson on his phone and passes the final exam; his course completes by
its rule and the completion certificate is on his home, without anyone recording a result (issue 19)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from courses.certificates.models import Certificate, CertificateKind
from courses.enrollment import operations as enrollment_ops
from courses.enrollment import queries
from courses.enrollment.models import CourseKind, LessonsRequired
from courses.exams.grading import QuestionType as T
from courses.lessons import operations as lesson_ops
from tests.fixtures.certificates import create_cert_type
from tests.fixtures.courses import create_course, create_lesson
from tests.fixtures.exams import create_exam, create_taker
from tests.fixtures.registry import create_worker
from tests.support import PASSWORD, log_in_page, sit_true_false_exam

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_app):
    with live_app.app_context():
        course = create_course(kind=CourseKind.IN_SERVICE, code="GA-ON-DISPUTE")
        first = create_lesson(course, title="排查的三早", position=1)
        last = create_lesson(course, title="调解五步", position=2)
        fields = {name: getattr(course, name) for name in enrollment_ops.COURSE_FIELDS}
        enrollment_ops.save_course(course, None, branch=course.branch, version=course.syllabus_version, units=course.units,
                                   instructors=[], prerequisites=[], **fields | {
                                       "completion_lessons": LessonsRequired.ALL, "completion_final": True})
        exam = create_exam(course, rules=((T.TRUE_FALSE, 4, "5"),))
        create_cert_type(course=course, exam=False, completed=True, code="DISPUTE", prefix="TJ",
                         kind=CertificateKind.COMPLETION, validity_months=None)
        trainee = create_user("liming", PASSWORD, by=None)
        grant_role(trainee, Role.TRAINEE, by=None)
        worker = create_worker("320102", user=trainee, status=WorkerStatus.ON_DUTY, name="Li Ming")
        create_taker(course, user=trainee)
        enrollment = queries.enrollment_of(course, worker)
        lesson_ops.mark_done(lesson_ops.open_lesson(first, enrollment), None)  # studied yesterday
        for user in db.session.scalars(sa.select(User)):
            user.locale = "en"
        db.session.commit()
        return course.id, last.id, exam.id


def test_last_lesson_and_final_exam_complete_the_course_and_bring_the_certificate(live_app, live_server, world, page):
    course_id, last_id, exam_id = world
    log_in_page(page, live_server, "liming")
    page.goto(f"{live_server}/courses/{course_id}")
    assert "Still missing: lesson 2, final exam" in page.locator("[data-testid=completion-missing]").inner_text()
    page.goto(f"{live_server}/lessons/{last_id}")
    page.click("[data-testid=mark-done]")
    page.goto(f"{live_server}/courses/{course_id}")
    assert "Still missing: final exam" in page.locator("[data-testid=completion-missing]").inner_text()

    sit_true_false_exam(page, live_server, exam_id, 4)

    page.goto(f"{live_server}/courses/{course_id}")
    assert "Completed on" in page.locator("[data-testid=completion-done]").inner_text()
    assert page.locator("[data-testid=completion-missing]").count() == 0
    page.goto(f"{live_server}/")
    assert "Completed" in page.locator("[data-testid=home-completed]").inner_text()
    with live_app.app_context():
        number = db.session.scalars(sa.select(Certificate.number)).one()
    card = page.locator("[data-testid=next-step][data-step='certificates.mine']")  # his home's card says it
    assert card.locator("[data-testid=next-number]").inner_text() == "1"
    assert "valid" in card.locator("[data-testid=next-line]").inner_text()
    card.locator("[data-testid=next-line]").click()
    assert number in page.locator("main").inner_text()
