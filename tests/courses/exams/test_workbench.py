"""An instructor's workbench: essays to mark and exams closing soon, his own exams only, each number
leading to a list that shows exactly what it counts (the grading queue in one click)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from academy.database import utcnow
from academy.permissions import Role
from courses.exams import queries
from courses.exams.grading import QuestionType as T
from courses.exams.operations import attempts as ops
from tests.support import log_in


def _essays_handed_in(exam, make_taker, takers: int) -> None:
    for _ in range(takers):
        user, worker = make_taker(exam.course)
        attempt = ops.start_attempt(exam, worker, user)
        ops.save_answers(attempt, user, 1, {i.id: ["T"] if i.question.type is T.TRUE_FALSE else "我的回答"
                                            for i in attempt.items})
        ops.close_attempt(attempt, user)


@pytest.fixture
def two_teachers(make_user, make_course, make_exam, make_taker, make_question):
    """Two instructors of two districts, each with an exam of essays handed in (two and one)."""
    make_question(T.ESSAY)  # the syllabus the courses need
    ours, theirs = make_user("wang", Role.INSTRUCTOR), make_user("zhao", Role.INSTRUCTOR)
    exam = make_exam(make_course(instructors=[ours]), rules=((T.TRUE_FALSE, 1, "4"), (T.ESSAY, 1, "6")))
    other = make_exam(make_course(district="320104", instructors=[theirs]), rules=((T.ESSAY, 1, "6"),))
    _essays_handed_in(exam, make_taker, 2)
    _essays_handed_in(other, make_taker, 1)
    return ours, theirs, exam, other


def test_each_instructor_counts_the_essays_of_his_own_exams(two_teachers, make_user):
    ours, theirs, exam, other = two_teachers
    assert queries.essays_to_mark(ours) == [(exam, 2)]
    assert queries.essays_to_mark(theirs) == [(other, 1)]
    assert sorted(n for _exam, n in queries.essays_to_mark(make_user("root", Role.ADMIN))) == [1, 2]
    assert queries.essays_to_mark(make_user("clerk", Role.HR)) == []


def test_the_home_leads_to_the_grading_queue_in_one_click(two_teachers, client, read_workbench, read_badges):
    ours, _theirs, exam, _other = two_teachers
    log_in(client, ours.username)
    home = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    number, href = read_workbench(home)["exams.essays"]
    assert (number, href) == (2, f"/exams/{exam.id}/grading")  # one exam: the number opens its queue
    assert read_badges(home)["exams.essays"] == 2
    queue = client.get(href).get_data(as_text=True)
    assert queue.count('data-testid="queue-item"') == 2


def test_the_exam_list_filtered_to_essays_shows_only_exams_with_essays(two_teachers, make_exam, client):
    ours, _theirs, exam, _other = two_teachers
    quiet = make_exam(exam.course, title="Quiz without essays")
    log_in(client, ours.username)
    everything = client.get("/exams").get_data(as_text=True)
    assert quiet.title in everything
    page = client.get("/exams?show=to_mark", headers={"Accept-Language": "en"}).get_data(as_text=True)
    rows = re.findall(r'href="/exams/(\d+)"', page.split('data-testid="managed-exams"')[1])
    assert rows == [str(exam.id)]
    assert "2 essays to mark" in page


def test_exams_closing_within_a_week(make_user, make_course, make_exam, make_question, client, read_workbench):
    make_question(T.SINGLE)
    teacher = make_user("li", Role.INSTRUCTOR)
    course = make_course(instructors=[teacher])
    now = utcnow()
    soon = make_exam(course, title="Closes in three days", closes_at=now + timedelta(days=3))
    make_exam(course, title="Closes in ten days", closes_at=now + timedelta(days=10))
    make_exam(make_course(district="320104"), title="Exam of another course", closes_at=now + timedelta(days=2))
    assert queries.exams_closing(teacher, now) == [soon]
    log_in(client, "li")
    number, href = read_workbench(client.get("/").get_data(as_text=True))["exams.closing"]
    assert (number, href) == (1, "/exams?show=closing")
    listed = client.get(href).get_data(as_text=True)
    assert soon.title in listed and "Closes in ten days" not in listed and "Exam of another course" not in listed
