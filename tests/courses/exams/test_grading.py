"""Grading by hand, release, regrade with a dry run, results and gradebook exports, item statistics,
and the query certificates will use."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from academy.audit import AuditEntry
from academy.extensions import db
from academy.permissions import Role
from courses.enrollment.models import CourseKind
from courses.exams import access, queries
from courses.exams.grading import QuestionType as T
from courses.exams.models import AttemptState, ResultRelease
from courses.exams.operations import attempts as ops
from courses.exams.operations import bank
from tests.support import log_in, post_form


def _sit(exam, make_taker, answer):
    """A trainee takes the exam, answering each item with ``answer(item)``; returns the closed attempt."""
    user, worker = make_taker(exam.course)
    attempt = ops.start_attempt(exam, worker, user)
    ops.save_answers(attempt, user, 1, {i.id: answer(i) for i in attempt.items})
    return ops.close_attempt(attempt, user)


@pytest.fixture
def course_and_instructor(make_course, make_user, client):
    teacher = make_user("teacher", Role.INSTRUCTOR)
    course = make_course(instructors=[teacher], kind=CourseKind.PRE_SERVICE)
    log_in(client, teacher.username)
    return course, teacher


def test_queue_grades_essays_and_release_shows_results(course_and_instructor, make_exam, make_taker, client):
    course, teacher = course_and_instructor
    exam = make_exam(course, rules=((T.TRUE_FALSE, 1, "4"), (T.ESSAY, 1, "6")), release=ResultRelease.MANUAL)
    attempt = _sit(exam, make_taker, lambda i: ["T"] if i.question.type is T.TRUE_FALSE else "我的回答")
    queue = client.get(f"/exams/{exam.id}/grading").get_data(as_text=True)
    assert 'data-testid="queue-item"' in queue
    essay = next(i for i in attempt.items if i.question.type is T.ESSAY)
    by_question = client.get(f"/exams/{exam.id}/grading?question={essay.question.family_id}").get_data(as_text=True)
    other = client.get(f"/exams/{exam.id}/grading?question={essay.question.family_id + 999}").get_data(as_text=True)
    assert 'data-testid="queue-item"' in by_question and 'data-testid="queue-item"' not in other
    page = client.get(f"/grading/items/{essay.id}").get_data(as_text=True)
    assert "我的回答" in page
    bad = post_form(client, f"/grading/items/{essay.id}", {"points": "7", "feedback": ""}, token_from=f"/grading/items/{essay.id}")
    assert bad.status_code == 400
    assert post_form(client, f"/grading/items/{essay.id}", {"points": "abc"}, token_from=f"/grading/items/{essay.id}").status_code == 400
    done = post_form(client, f"/grading/items/{essay.id}", {"points": "5", "feedback": "要点齐全"},
                     token_from=f"/grading/items/{essay.id}")
    assert done.status_code == 302
    db.session.expire_all()
    assert attempt.state is AttemptState.GRADED and attempt.score == Decimal("9.00") and not access.is_released(attempt)
    post_form(client, f"/exams/{exam.id}/release", token_from=f"/exams/{exam.id}/results")
    db.session.expire_all()
    assert access.is_released(attempt)


def test_regrade_dry_run_then_apply_is_audited(course_and_instructor, make_exam, make_taker, make_question, client):
    course, teacher = course_and_instructor
    question = make_question(T.SINGLE, options=["甲", "乙", "丙"], correct=["A"])
    exam = make_exam(course, rules=((T.SINGLE, 1, "10"),), questions=False, shuffle_options=False)
    chose_b = _sit(exam, make_taker, lambda i: ["B"])
    chose_a = _sit(exam, make_taker, lambda i: ["A"])
    assert chose_b.score == 0 and chose_a.score == 10
    bank.update_question(question, teacher, stem=question.stem, options=question.options, correct=["B"],
                         explanation="", rubric="", difficulty="medium", tags=[], unit_id=None)
    db.session.flush()
    plan = client.get(f"/exams/{exam.id}/regrade").get_data(as_text=True)
    db.session.expire_all()
    assert chose_b.score == 0  # the dry run wrote nothing
    assert plan.count("<tr><td>") == 2
    assert post_form(client, f"/exams/{exam.id}/regrade", {"reason": ""}, token_from=f"/exams/{exam.id}/regrade").status_code == 400
    post_form(client, f"/exams/{exam.id}/regrade", {"reason": "答案有误"}, token_from=f"/exams/{exam.id}/regrade")
    db.session.expire_all()
    assert chose_b.score == 10 and chose_b.passed and chose_a.score == 0 and not chose_a.passed
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "attempt.regrade")).all()
    assert len(entries) == 2 and {e.after["score"] for e in entries} == {"10.00", "0.00"}
    # What certificates read moves with the regrade.
    assert queries.passed_final_attempts(chose_a.worker_id) == []
    assert [a.id for a in queries.passed_final_attempts(chose_b.worker_id)] == [chose_b.id]


def test_passed_final_attempts_edges(course_and_instructor, make_exam, make_taker):
    course, _teacher = course_and_instructor
    exam = make_exam(course, rules=((T.TRUE_FALSE, 5, "2"),), pass_mark=Decimal("60"))
    exactly = _sit(exam, make_taker, lambda i: ["T"] if i.position < 3 else ["F"])
    below = _sit(exam, make_taker, lambda i: ["T"] if i.position < 2 else ["F"])
    assert exactly.percent == Decimal("60.00") and exactly.passed
    assert queries.passed_final_attempts(exactly.worker_id, course_id=course.id)[0].id == exactly.id
    assert queries.passed_final_attempts(exactly.worker_id, min_percent=Decimal("61")) == []
    assert queries.passed_final_attempts(below.worker_id) == []
    evidence = queries.attempt_evidence(exactly)
    assert evidence["percent"] == "60.00" and evidence["passed"] is True and evidence["course"] == course.code


def test_results_gradebook_and_statistics_pages(course_and_instructor, make_exam, make_taker, client):
    course, _teacher = course_and_instructor
    exam = make_exam(course, rules=((T.TRUE_FALSE, 2, "5"),))
    for n in range(12):
        _sit(exam, make_taker, lambda i, n=n: ["T"] if (i.position + n) % 3 else ["F"])
    assert client.get(f"/exams/{exam.id}/results").status_code == 200
    rows = list(load_workbook(io.BytesIO(client.get(f"/exams/{exam.id}/results.xlsx").data)).active.iter_rows(values_only=True))
    assert len(rows) == 13
    book = list(load_workbook(io.BytesIO(client.get(f"/courses/{course.id}/gradebook.xlsx").data)).active.iter_rows(values_only=True))
    assert len(book) == 13 and book[0][2] == exam.title
    assert client.get(f"/courses/{course.id}/gradebook").status_code == 200
    stats = client.get(f"/exams/{exam.id}/statistics").get_data(as_text=True)
    assert stats.count("<tr><td>") == 2
    rows = queries.exam_item_statistics(exam)
    assert all(s.responses == 12 and s.facility is not None for _q, s in rows)
