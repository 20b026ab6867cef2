"""Completion by rule (issue 19): the last piece of evidence completes the enrollment by itself, with
its date and evidence, closes the mandatory assignment and issues the certificate in the same
transaction; a regrade below the mark or a withdrawn attendance takes it back, audited and on HR's
list; an instructor's result is an override with a reason."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from academy.permissions import Role
from courses.certificates.models import Certificate
from courses.enrollment import completion, queries, training
from courses.enrollment import operations as ops
from courses.enrollment.models import CompletedBy, EnrollmentState, LessonsRequired
from courses.exams.operations import bank, regrade
from courses.lessons import operations as lesson_ops
from tests.fixtures.certificates import create_cert_type, final_exam_course, sit_exam
from tests.support import log_in, post_form

E = EnrollmentState


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _rule(course, **values):
    """Set a course's completion rule the way the edit page does (through save_course)."""
    fields = {name: getattr(course, name) for name in ops.COURSE_FIELDS if not name.startswith("completion_")}
    rule = {"completion_lessons": LessonsRequired.NONE, "completion_lesson_ids": [], "completion_hours": None,
            "completion_final": False, "completion_final_min": None, "completion_attendance": None} | values
    return ops.save_course(course, None, branch=course.branch, version=course.syllabus_version, units=course.units,
                           instructors=course.instructors, prerequisites=course.prerequisites, **fields | rule)


def _finish_lesson(lesson, enrollment):
    lesson_ops.mark_done(lesson_ops.open_lesson(lesson, enrollment), None)


def test_the_last_lesson_completes_the_course_closes_the_assignment_and_issues_the_certificate(
        make_course, make_lesson, make_worker):
    course = make_course()
    first, last = make_lesson(course, title="One", position=1), make_lesson(course, title="Two", position=2)
    _rule(course, completion_lessons=LessonsRequired.ALL)
    cert_type = create_cert_type(course=course, exam=False, completed=True)
    worker = make_worker()
    assignment = training.assign_training(worker, course, None, due_on=ops.today() + timedelta(days=30))
    enrollment = queries.enrollment_of(course, worker)
    _finish_lesson(first, enrollment)
    assert enrollment.state == E.ENROLLED and completion.missing(enrollment) == ["lesson 2"]
    assert assignment.completed_at is None
    _finish_lesson(last, enrollment)
    assert enrollment.state == E.COMPLETED and enrollment.completed_by == CompletedBy.RULE
    assert enrollment.finished_at is not None and assignment.completed_at is not None
    assert [c["label"] for c in enrollment.completion_evidence["conditions"]] == ["All lessons"]
    assert sorted(enrollment.completion_evidence["conditions"][0]["lessons"]) == sorted([first.id, last.id])
    held = db.session.scalar(sa.select(Certificate).where(Certificate.worker_id == worker.id))
    assert held is not None and held.type_id == cert_type.id  # no one clicked a result


def test_listed_lessons_only_the_ones_ticked(make_course, make_lesson, make_enrollment, make_worker):
    course = make_course()
    lessons = [make_lesson(course, title=f"L{n}", position=n) for n in range(1, 4)]
    _rule(course, completion_lessons=LessonsRequired.LISTED, completion_lesson_ids=[lessons[0].id, lessons[2].id])
    enrollment = make_enrollment(course, make_worker())
    assert completion.rule_lines(course) == ["Lessons lesson 1, lesson 3"]
    _finish_lesson(lessons[0], enrollment)
    assert completion.missing(enrollment) == ["lesson 3"]
    _finish_lesson(lessons[2], enrollment)
    assert enrollment.state == E.COMPLETED  # lesson 2 was not asked for


def test_the_final_exam_completes_and_a_regrade_below_the_mark_takes_it_back(make_lesson, make_user):
    course, exam = final_exam_course()
    lesson = make_lesson(course)
    _rule(course, completion_lessons=LessonsRequired.ALL, completion_final=True, completion_final_min=Decimal("80"))
    attempt = sit_exam(exam, right=4)  # 80 %: exactly the course's minimum
    enrollment = queries.enrollment_of(course, attempt.worker)
    assignment = training.assign_training(attempt.worker, course, None, due_on=ops.today() + timedelta(days=5))
    assert enrollment.state == E.ENROLLED and completion.missing(enrollment) == ["lesson 1"]
    _finish_lesson(lesson, enrollment)
    assert enrollment.state == E.COMPLETED and assignment.completed_at is not None
    instructor = make_user("setter", Role.INSTRUCTOR)
    question = next(item for item in attempt.items if item.position == 0).question
    bank.update_question(question, instructor, stem=question.stem, options=question.options, correct=["F"],
                         explanation="", rubric="", difficulty="medium", tags=[], unit_id=None)
    db.session.flush()
    regrade.apply_regrade(exam, instructor, "key was wrong")  # 60 %: passes the exam, not the course's 80 %
    db.session.expire_all()
    assert attempt.passed and attempt.percent == Decimal("60.00")
    assert enrollment.state == E.ENROLLED and enrollment.finished_at is None
    assert enrollment.taken_back_at is not None and "final exam" in enrollment.taken_back_reason
    assert assignment.completed_at is None  # the mandatory training is open again
    assert queries.taken_back(["320102"]) == [enrollment] and queries.taken_back(["320104"]) == []
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"enrollment.enrolled", "training_assignment.reopen"} <= actions
    assert completion.missing(enrollment) == ["final exam"]


def test_attendance_share_completes_and_a_withdrawn_attendance_takes_it_back(make_course, make_enrollment, make_worker):
    course = make_course()
    _rule(course, completion_attendance=50)
    sessions = [training.add_session(course, None, starts_at=datetime(2026, 5, day, 1, tzinfo=UTC), hours=Decimal(2),
                                     place="Hall", topic="Law") for day in (4, 11, 18)]
    enrollment = make_enrollment(course, make_worker())
    training.take_attendance(sessions[0], None, {enrollment.id})
    assert enrollment.state == E.ENROLLED and completion.missing(enrollment) == ["1 more classroom sessions"]
    training.take_attendance(sessions[1], None, {enrollment.id})
    assert enrollment.state == E.COMPLETED  # 2 of 3: at least half
    training.take_attendance(sessions[1], None, set())  # marked present by mistake
    assert enrollment.state == E.ENROLLED and enrollment.taken_back_at is not None


def test_hours_reached_complete_a_course(make_course, make_lesson, make_enrollment, make_worker):
    course = make_course()
    lessons = [make_lesson(course, hours="1.5", position=n) for n in (1, 2)]
    _rule(course, completion_hours=Decimal("3"))
    enrollment = make_enrollment(course, make_worker())
    _finish_lesson(lessons[0], enrollment)
    assert completion.missing(enrollment) == ["1.5 more hours"]
    _finish_lesson(lessons[1], enrollment)
    assert enrollment.state == E.COMPLETED


def test_an_instructors_result_overrides_the_rule(make_lesson, make_user):
    course, exam = final_exam_course()
    lesson = make_lesson(course)
    _rule(course, completion_lessons=LessonsRequired.ALL)
    attempt = sit_exam(exam, right=5)
    enrollment = queries.enrollment_of(course, attempt.worker)
    ops.record_result(enrollment, None, passed=False, note="absent from the practical day")
    _finish_lesson(lesson, enrollment)
    assert enrollment.state == E.FAILED and enrollment.completed_by == CompletedBy.MANUAL


def test_easing_a_rule_completes_those_who_already_meet_it(make_course, make_lesson, make_enrollment, make_worker):
    course = make_course()
    first, _second = make_lesson(course, position=1), make_lesson(course, position=2)
    _rule(course, completion_lessons=LessonsRequired.ALL)
    enrollment = make_enrollment(course, make_worker())
    _finish_lesson(first, enrollment)
    assert enrollment.state == E.ENROLLED
    _rule(course, completion_lessons=LessonsRequired.LISTED, completion_lesson_ids=[first.id])
    assert enrollment.state == E.COMPLETED


def test_a_course_without_a_rule_waits_for_the_instructor(make_course, make_lesson, make_enrollment, make_worker):
    course = make_course()
    lesson = make_lesson(course)
    enrollment = make_enrollment(course, make_worker())
    _finish_lesson(lesson, enrollment)
    assert enrollment.state == E.ENROLLED and completion.missing(enrollment) == []


@pytest.mark.parametrize("values", [{"completion_hours": Decimal("0.1")}, {"completion_final_min": Decimal("101")},
                                    {"completion_attendance": 0}, {"completion_lessons": LessonsRequired.LISTED}])
def test_a_rule_out_of_range_is_refused(make_course, values):
    course = make_course()
    with pytest.raises(ops.EnrollmentError):
        _rule(course, **values)


def test_the_course_page_says_what_is_missing_in_the_trainees_language(client, make_user, make_lesson, app):
    course, exam = final_exam_course()
    lessons = [make_lesson(course, title=f"L{n}", position=n) for n in (1, 2, 3)]
    _rule(course, completion_lessons=LessonsRequired.ALL, completion_final=True)
    user = make_user("learner", Role.TRAINEE)
    from tests.fixtures.exams import create_taker  # the taker is the logged-in trainee
    _user, worker = create_taker(course, user=user)
    enrollment = queries.enrollment_of(course, worker)
    for lesson in lessons[:2]:
        _finish_lesson(lesson, enrollment)
    log_in(client, "learner")
    user.locale = "zh_CN"
    db.session.flush()
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "还差：第 3 课、结业考试" in page
    user.locale = "en"
    db.session.flush()
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Still missing: lesson 3, final exam" in page


def test_the_edit_page_saves_a_rule_and_refuses_a_bad_one(client, make_user, make_lesson, make_course):
    from courses.syllabus.models import Trainer
    teacher = make_user("teacher", Role.INSTRUCTOR)
    course = make_course(instructors=[teacher])
    db.session.add(Trainer(user_id=teacher.id, branch_id=course.branch_id))
    lessons = [make_lesson(course, title=f"L{n}", position=n) for n in (1, 2)]
    log_in(client, "teacher")
    page = client.get(f"/courses/{course.id}/edit").get_data(as_text=True)
    assert 'name="completion_lesson_ids"' in page and "L2" in page
    form = {"code": course.code, "title": course.title, "description": "", "kind": course.kind.value,
            "delivery": course.delivery.value, "branch_id": str(course.branch_id), "unit_ids": [str(u.id) for u in course.units],
            "instructor_ids": [str(teacher.id)], "capacity": "30", "self_enrol": "y",
            "enrol_opens_on": str(course.enrol_opens_on), "enrol_closes_on": str(course.enrol_closes_on),
            "starts_on": str(course.starts_on), "ends_on": str(course.ends_on), "prerequisite_certificate": ""}
    url = f"/courses/{course.id}/edit"
    bad = post_form(client, url, form | {"completion_lessons": "listed", "completion_final_min": "150"}, token_from=url)
    assert bad.status_code == 400 and course.completion_lessons == LessonsRequired.NONE
    good = post_form(client, url, form | {"completion_lessons": "listed", "completion_lesson_ids": [str(lessons[1].id)],
                                          "completion_final": "y", "completion_final_min": "85"}, token_from=url)
    assert good.status_code == 302
    db.session.expire_all()
    assert course.completion_lessons == LessonsRequired.LISTED and course.completion_lesson_ids == [lessons[1].id]
    assert course.completion_final and course.completion_final_min == Decimal("85")
