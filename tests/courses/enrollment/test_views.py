"""Enrollment pages: enrolling on the web, clear refusals, course forms with bad input, HR pages."""
from __future__ import annotations

import io
from datetime import timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from courses.enrollment import operations as ops
from courses.enrollment import training
from courses.enrollment.models import Course, Enrollment, EnrollmentState, TrainingAssignment
from courses.syllabus import operations as syllabus_ops
from tests.support import log_in, post_form


def trainee_with_worker(make_user, make_worker, name="learner", area="320102"):
    user = make_user(name, Role.TRAINEE)
    return user, make_worker(area, user=user)


def test_trainee_enrols_and_lands_on_waitlist_when_full(client, make_user, make_worker, make_course):
    course = make_course(capacity=1)
    ops.request_enrollment(course, make_worker(), None)
    trainee_with_worker(make_user, make_worker)
    log_in(client, "learner")
    assert course.title in client.get("/courses").get_data(as_text=True)
    response = post_form(client, f"/courses/{course.id}/enrol", token_from=f"/courses/{course.id}", follow_redirects=True)
    assert "waitlist" in response.get_data(as_text=True)
    assert "position 1 on the waitlist" in response.get_data(as_text=True)


def test_enrolment_outside_window_gives_a_clear_message_and_changes_nothing(client, make_user, make_worker, make_course):
    course = make_course()
    course.enrol_opens_on = ops.today() + timedelta(days=3)
    course.enrol_closes_on = ops.today() + timedelta(days=9)
    trainee_with_worker(make_user, make_worker)
    log_in(client, "learner")
    response = post_form(client, f"/courses/{course.id}/enrol", token_from=f"/courses/{course.id}")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Enrolment is open from" in page
    assert db.session.scalar(sa.select(sa.func.count(Enrollment.id))) == 0


def test_user_without_worker_record_cannot_enrol(client, make_user, make_course):
    course = make_course()
    make_user("visitor", Role.TRAINEE)
    log_in(client, "visitor")
    response = post_form(client, f"/courses/{course.id}/enrol", token_from=f"/courses/{course.id}")
    assert response.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Enrollment.id))) == 0


def test_trainee_withdraws_and_the_next_in_line_gets_the_seat(client, make_user, make_worker, make_course):
    course = make_course(capacity=1)
    _user, worker = trainee_with_worker(make_user, make_worker)
    mine = ops.request_enrollment(course, worker, None)
    waiting = ops.request_enrollment(course, make_worker(), None)
    log_in(client, "learner")
    response = post_form(client, f"/enrollments/{mine.id}/withdraw", {"reason": "new job"}, token_from=f"/courses/{course.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Enrollment, waiting.id).state == EnrollmentState.ENROLLED
    # another trainee cannot withdraw someone else
    trainee_with_worker(make_user, make_worker, name="other")
    other = client.application.test_client()
    log_in(other, "other")
    assert post_form(other, f"/enrollments/{waiting.id}/withdraw", token_from="/courses").status_code == 403


def course_form_data(version, **overrides):
    today = ops.today()
    data = {"code": "WEB-1", "title": "Web course", "description": "", "kind": "in_service", "delivery": "online",
            "branch_id": "", "unit_ids": [str(u.id) for u in version.units if u.parent_id], "capacity": "20",
            "self_enrol": "y", "enrol_opens_on": str(today), "enrol_closes_on": str(today + timedelta(days=5)),
            "starts_on": str(today), "ends_on": str(today + timedelta(days=30))}
    data.update(overrides)
    return data


def test_instructor_creates_a_course_for_his_branch_only(client, make_user, make_syllabus, make_branch):
    version = make_syllabus()
    home, other = make_branch("320102"), make_branch("320104")
    teacher = make_user("teacher", Role.INSTRUCTOR)
    syllabus_ops.add_trainer(teacher, None, branch=home)
    log_in(client, "teacher")
    response = post_form(client, "/courses/new", course_form_data(version, branch_id=str(other.id)), token_from="/courses/new")
    assert response.status_code == 400
    response = post_form(client, "/courses/new", course_form_data(version, branch_id=str(home.id)), token_from="/courses/new")
    assert response.status_code == 302
    course = db.session.scalar(sa.select(Course))
    assert course.hours == 6 and course.branch_id == home.id


def test_course_form_refuses_bad_input(client, make_user, make_syllabus, make_branch):
    version = make_syllabus()
    branch = make_branch()
    make_user("boss", Role.ADMIN)
    log_in(client, "boss")
    today = ops.today()
    bad = [
        {"code": "<b>x</b>"}, {"title": "x" * 500}, {"capacity": "0"}, {"capacity": "-5"}, {"capacity": "1e9"},
        {"kind": "hacker"}, {"unit_ids": ["999999"]}, {"unit_ids": []},
        {"enrol_closes_on": str(today - timedelta(days=1))}, {"ends_on": str(today - timedelta(days=1))},
        {"starts_on": "not a date"},
    ]
    for override in bad:
        data = course_form_data(version, branch_id=str(branch.id), **override)
        assert post_form(client, "/courses/new", data, token_from="/courses/new").status_code == 400, override
    assert db.session.scalar(sa.select(sa.func.count(Course.id))) == 0


def test_instructor_of_another_branch_cannot_edit(client, make_user, make_course, make_branch):
    course = make_course(district="320104")
    teacher = make_user("teacher", Role.INSTRUCTOR)
    syllabus_ops.add_trainer(teacher, None, branch=make_branch("320102"))
    log_in(client, "teacher")
    assert client.get(f"/courses/{course.id}/edit").status_code == 403
    assert client.get(f"/courses/{course.id}/roster").status_code == 403


def test_hr_assigns_mandatory_training_and_exports_overdue(client, make_user, make_worker, make_course):
    course = make_course()
    make_user("hrx", Role.HR, area="320102")
    recruit = make_worker("320102", status=WorkerStatus.RECRUITED, name="Zhang San")
    make_worker("320104", status=WorkerStatus.RECRUITED, name="Outside Li")
    log_in(client, "hrx")
    page = client.get("/training/mandatory").get_data(as_text=True)
    assert "320104" not in page  # areas outside the scope are not offered
    response = post_form(client, "/training/mandatory", {
        "area_code": "320102", "employment": "", "status": "recruited", "course_id": str(course.id),
        "due_on": str(ops.today() - timedelta(days=1)), "confirmed": "1"}, token_from="/training/mandatory")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(TrainingAssignment.worker_id)) == recruit.id
    page = client.get("/training/overdue").get_data(as_text=True)
    assert "Zhang San" in page and "Outside Li" not in page
    export = client.get("/training/overdue.xlsx")
    sheet = load_workbook(io.BytesIO(export.data)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Zhang San"]
    hostile = post_form(client, "/training/mandatory", {
        "area_code": "320104", "status": "", "employment": "", "course_id": str(course.id), "due_on": str(ops.today())},
        token_from="/training/mandatory")
    assert hostile.status_code == 400  # not a choice in HR's scope
    assert db.session.scalar(sa.select(sa.func.count(TrainingAssignment.id))) == 1


def test_trainee_requests_an_extension_and_hr_grants_it(client, make_user, make_worker, make_course):
    course = make_course()
    _user, worker = trainee_with_worker(make_user, make_worker)
    assignment = training.assign_training(worker, course, None, due_on=ops.today() - timedelta(days=1))
    make_user("hrx", Role.HR, area="320102")
    log_in(client, "learner")
    assert "overdue" in client.get("/").get_data(as_text=True).lower()
    bad = post_form(client, f"/training/assignments/{assignment.id}/extension", {"until": "2020-01-01", "reason": "x"},
                    token_from="/training/mine")
    assert bad.status_code == 303
    assert post_form(client, f"/training/assignments/{assignment.id}/extension",
                     {"until": str(ops.today() + timedelta(days=14)), "reason": "hospital"}, token_from="/training/mine").status_code == 302
    hr = client.application.test_client()
    log_in(hr, "hrx")
    assert post_form(hr, f"/training/assignments/{assignment.id}/decision", {"decision": "grant"},
                     token_from="/training/overdue").status_code == 302
    db.session.expire_all()
    assert db.session.get(TrainingAssignment, assignment.id).effective_due == ops.today() + timedelta(days=14)


def test_stats_page_rejects_bad_periods(client, make_user):
    make_user("boss", Role.VIEWER)
    log_in(client, "boss")
    assert client.get("/training/stats").status_code == 200
    assert client.get("/training/stats?start=2026-05-01&end=2026-01-01").status_code == 400
    assert client.get("/training/stats?start=garbage").status_code == 400


def test_hr_cannot_assign_a_worker_outside_its_scope(client, make_user, make_worker, make_course):
    course = make_course()
    outsider = make_worker("320104")
    make_user("hrx", Role.HR, area="320102")
    log_in(client, "hrx")
    data = {"worker_id": str(outsider.id), "course_id": str(course.id), "due_on": str(ops.today() + timedelta(days=5))}
    assert post_form(client, "/training/needs/assign", data, token_from="/training/needs").status_code == 403
    for bad in ({"worker_id": "abc"}, {"course_id": "-1"}, {"due_on": "yesterday"}, {"worker_id": "99999999999999"}):
        assert post_form(client, "/training/needs/assign", data | bad, token_from="/training/needs").status_code == 400, bad
    assert db.session.scalar(sa.select(sa.func.count(TrainingAssignment.id))) == 0


def test_course_page_names_its_instructors_and_hours(client, make_user, make_course):
    teacher = make_user("teacher", Role.INSTRUCTOR)
    teacher.display_name = "Teacher Wu"
    course = make_course(instructors=[teacher])
    make_user("viewer1", Role.VIEWER)
    log_in(client, "viewer1")
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Teacher Wu" in page and 'data-testid="course-hours">6' in page


def test_hr_home_shows_the_overdue_count_of_its_scope(client, make_user, make_worker, make_course, read_workbench,
                                                     read_badges):
    course = make_course()
    assignments = [training.assign_training(make_worker(area), course, None, due_on=ops.today() - timedelta(days=3))
                   for area in ("320102", "320102", "320104")]
    training.request_extension(assignments[2], None, until=ops.today() + timedelta(days=30), reason="Sick leave")
    make_user("hrx", Role.HR, area="320102")
    make_user("hry", Role.HR, area="320104")
    log_in(client, "hrx")
    home = client.get("/").get_data(as_text=True)
    counts = read_workbench(home)
    assert counts["enrollment.overdue"] == (2, "/training/overdue") and read_badges(home)["enrollment.overdue"] == 2
    assert counts["enrollment.extensions"][0] == 0
    assert client.get("/training/overdue").get_data(as_text=True).count(course.title) == 2
    other = client.application.test_client()
    log_in(other, "hry")
    counts = read_workbench(other.get("/").get_data(as_text=True))
    assert counts["enrollment.overdue"][0] == 1
    assert counts["enrollment.extensions"] == (1, "/training/overdue#extension-requests")
