"""Exam settings and blueprint pages, accommodations, and the deadline sweep from the command line."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role
from courses.exams.grading import QuestionType as T
from courses.exams.models import Accommodation, AttemptState, Exam, ExamStatus
from courses.exams.operations import attempts as ops
from tests.support import log_in, post_form

SETTINGS = {"title": "结业考试", "is_final": "y", "opens_at": "2026-12-01T09:00", "closes_at": "2026-12-01T11:00",
            "time_limit_minutes": "60", "attempts_allowed": "2", "pass_mark": "60", "grace_seconds": "60",
            "shuffle_questions": "y", "shuffle_options": "y", "show_score": "y", "release": "immediate"}


@pytest.fixture
def teacher_course(make_user, make_course, client):
    teacher = make_user("teacher", Role.INSTRUCTOR)
    course = make_course(instructors=[teacher])
    log_in(client, teacher.username)
    return teacher, course


def test_exam_is_created_in_the_teachers_zone_and_built_then_published(teacher_course, client, make_question):
    _teacher, course = teacher_course
    response = post_form(client, f"/courses/{course.id}/exams/new", SETTINGS, token_from=f"/courses/{course.id}/exams/new")
    assert response.status_code == 302
    exam = db.session.scalar(sa.select(Exam).where(Exam.course_id == course.id))
    assert exam.opens_at.hour == 1 and exam.is_final  # 09:00 in Shanghai is 01:00 UTC
    for _ in range(3):
        make_question(T.TRUE_FALSE)
    rule = {"type": "true_false", "unit_id": "0", "difficulty": "", "count": "5", "points": "2"}
    too_many = post_form(client, f"/exams/{exam.id}/rules", rule, token_from=f"/exams/{exam.id}")
    assert too_many.status_code == 303 and not exam.rules
    post_form(client, f"/exams/{exam.id}/rules", dict(rule, count="3"), token_from=f"/exams/{exam.id}")
    post_form(client, f"/exams/{exam.id}/publish", token_from=f"/exams/{exam.id}")
    db.session.expire_all()
    assert len(exam.rules) == 1 and exam.status is ExamStatus.PUBLISHED


@pytest.mark.parametrize("change", [
    {"closes_at": "2026-12-01T08:00"}, {"time_limit_minutes": "0"}, {"pass_mark": "101"}, {"title": ""},
    {"title": "x" * 201}, {"opens_at": "tomorrow"}, {"release": "never"}, {"grace_seconds": "-1"},
])
def test_bad_exam_settings_are_refused(teacher_course, client, change):
    _teacher, course = teacher_course
    response = post_form(client, f"/courses/{course.id}/exams/new", {**SETTINGS, **change},
                         token_from=f"/courses/{course.id}/exams/new")
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Exam.id))) == 0


def test_accommodation_page_and_bad_worker(teacher_course, client, make_exam, make_worker):
    _teacher, course = teacher_course
    exam = make_exam(course)
    worker = make_worker()
    post_form(client, f"/exams/{exam.id}/accommodations", {"worker_number": "NOPE", "extra_minutes": "5",
                                                           "extra_attempts": "0", "reason": "x"}, token_from=f"/exams/{exam.id}")
    post_form(client, f"/exams/{exam.id}/accommodations", {"worker_number": worker.number, "extra_minutes": "900",
                                                           "extra_attempts": "0", "reason": "x"}, token_from=f"/exams/{exam.id}")
    assert db.session.scalar(sa.select(sa.func.count(Accommodation.id))) == 0
    post_form(client, f"/exams/{exam.id}/accommodations", {"worker_number": worker.number, "extra_minutes": "20",
                                                           "extra_attempts": "1", "reason": "阅读障碍"}, token_from=f"/exams/{exam.id}")
    grant = db.session.scalar(sa.select(Accommodation))
    assert grant.extra_minutes == 20 and grant.extra_attempts == 1


def test_sweep_command_closes_overdue_attempts(app, make_exam, make_taker):
    exam = make_exam()
    user, worker = make_taker(exam.course)
    attempt = ops.start_attempt(exam, worker, user, now=utcnow() - timedelta(minutes=45))
    result = app.test_cli_runner().invoke(args=["exams-sweep"])
    assert result.exit_code == 0 and "1 attempts closed" in result.output
    db.session.expire_all()
    assert attempt.state is not AttemptState.IN_PROGRESS and attempt.closed_by == "deadline"


def test_course_page_lists_exams(teacher_course, client, make_exam):
    _teacher, course = teacher_course
    make_exam(course)
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'data-testid="course-exams"' in page and "Final exam" in page
