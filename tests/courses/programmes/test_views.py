"""Programme pages: HR keeps a programme, enrols a group through the counting confirmation and sees
who is where (only in his own areas); the trainee sees his programme and next course; bad input is
answered clearly and changes nothing."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role
from courses.enrollment import operations as enrollment_ops
from courses.enrollment.models import Enrollment, EnrollmentState
from courses.enrollment.queries import enrollment_of
from courses.programmes import operations
from courses.programmes.models import Programme, ProgrammeGoal, ProgrammePlace
from tests.support import csrf_token, log_in, post_form


def _programme(make_course, n=2):
    courses = [make_course() for _ in range(n)]
    return operations.save_programme(None, None, code="PRE-1", title="Pre-service path", goal=ProgrammeGoal.PRE_SERVICE,
                                     description="", courses=courses), courses


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_hr_creates_a_programme_with_its_courses_in_order(client, make_user, make_course):
    first, second = make_course(), make_course()
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    response = post_form(client, "/programmes/new", {"code": "SP-1", "title": "Mediation track", "goal": "specialist",
                                                      "course_1": second.id, "course_2": "0", "course_3": first.id},
                         token_from="/programmes/new")
    assert response.status_code == 302
    programme = db.session.scalar(sa.select(Programme).where(Programme.code == "SP-1"))
    assert programme.courses == [second, first]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mediation track" in page and "Specialist track" in page


def test_hr_enrols_a_group_and_sees_each_place_in_his_area_only(app, client, make_user, make_worker, make_course):
    programme, (first, second) = _programme(make_course)
    home = [make_worker("320102", name=f"Home {i}") for i in range(2)]
    make_worker("320104", name="Elsewhere")
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    url = f"/programmes/{programme.id}"
    preview = client.get(f"{url}/enrol/preview?area_code=320102&employment=&status=").get_json()
    assert preview["count"] == 2 and preview["allowed"] and "Enrol 2 grid workers in the programme" in preview["message"]
    response = post_form(client, f"{url}/enrol", {"area_code": "320102", "employment": "", "status": "", "confirmed": "1"}, token_from=url,
                         follow_redirects=True)
    assert "2 enrolled in the programme, 0 were in it already, 0 skipped." in response.get_data(as_text=True)
    assert [enrollment_of(first, w).state for w in home] == [EnrollmentState.ENROLLED] * 2
    enrollment_ops.record_result(enrollment_of(first, home[0]), None, passed=True, note="done")
    db.session.flush()
    page = client.get(f"{url}?position=1").get_data(as_text=True)
    assert "Home 0" in page and "Home 1" not in page and "1 people" in page
    make_user("hr9", Role.HR, area="320104")
    client = app.test_client()
    log_in(client, "hr9")
    other = client.get(url).get_data(as_text=True)
    assert "Home 0" not in other and "0 people" in other
    refused = post_form(client, f"{url}/enrol", {"area_code": "320102", "employment": "", "status": "", "confirmed": "1"}, token_from=url)
    assert refused.status_code == 303 and _count(ProgrammePlace) == 2


def test_the_area_filter_keeps_the_area_and_bad_filters_say_so(client, make_user, make_worker, make_course):
    programme, _courses = _programme(make_course)
    for area, name in (("320102001", "Street A"), ("320102002", "Street B")):
        operations.enrol_worker(programme, make_worker(area, name=name), None)
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    page = client.get(f"/programmes/{programme.id}?area=320102001").get_data(as_text=True)
    assert "Street A" in page and "Street B" not in page
    for bad in ("area=abc", "page=99999999999999999999", "page=NaN", "position=NaN", "area=%ED%A0%80"):
        response = client.get(f"/programmes/{programme.id}?{bad}")
        assert response.status_code == 400, bad


def test_the_trainee_sees_his_programme_and_next_course(client, make_user, make_worker, make_course):
    programme, (first, second) = _programme(make_course)
    first.title, second.title = "Basics course", "Practice course"
    user = make_user("learner", Role.TRAINEE)
    worker = make_worker("320102", user=user)
    operations.enrol_worker(programme, worker, None)
    log_in(client, "learner")
    mine = client.get("/training/mine").get_data(as_text=True)
    assert "Pre-service path" in mine and "Course 1 of 2:" in mine and "Next: Practice course" in mine
    course_page = client.get(f"/courses/{first.id}").get_data(as_text=True)
    assert "Next: Practice course" in course_page


@pytest.mark.parametrize("values, message", [
    ({"code": "X\x01", "title": "t", "course_1": "1"}, None),
    ({"code": "BAD CODE", "title": "t", "course_1": "1"}, "Use letters, digits, dot and dash only."),
    ({"code": "OK-1", "title": "t", "course_1": "99999999999999999999"}, "Not a valid choice"),
    ({"code": "OK-1", "title": "t", "course_1": "NaN"}, "Invalid Choice: could not coerce."),
    ({"code": "OK-1", "title": "x" * 201, "course_1": "1"}, "Field cannot be longer than 200 characters."),
    ({"code": "OK-1", "title": "t"}, "A programme has 1 to 12 courses."),
])
def test_bad_programme_forms_are_refused_and_change_nothing(client, make_user, make_course, values, message):
    make_course()
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    before = _count(Programme)
    response = post_form(client, "/programmes/new", {"goal": "pre_service", **values}, token_from="/programmes/new")
    assert response.status_code == 400
    if message:
        assert message in response.get_data(as_text=True)
    assert _count(Programme) == before


def test_a_lone_surrogate_in_the_form_is_refused_and_changes_nothing(client, make_user, make_course):
    """A browser sends a lone surrogate as its percent escape, which is kept as text: the code refuses it."""
    course = make_course()
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    token = csrf_token(client, "/programmes/new")
    body = f"csrf_token={token}&code=X%ED%A0%80&title=%ED%A0%80&goal=pre_service&course_1={course.id}"
    response = client.post("/programmes/new", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "Use letters, digits, dot and dash only." in response.get_data(as_text=True)
    assert _count(Programme) == 0


def test_bad_bulk_enrolment_is_refused_and_enrols_nobody(client, make_user, make_worker, make_course):
    programme, _courses = _programme(make_course)
    make_worker("320102")
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    url = f"/programmes/{programme.id}"
    for data in ({"area_code": "320102\x00"}, {"area_code": "320102", "grid_id": "NaN"},
                 {"area_code": "320102", "grid_id": "99999999999999999999"}, {"area_code": "999999"}):
        response = post_form(client, f"{url}/enrol", {"employment": "", "status": "", **data}, token_from=url)
        assert response.status_code in (303, 400), data
        preview = client.get(f"{url}/enrol/preview", query_string={"employment": "", "status": "", **data})
        assert preview.status_code == 400 and preview.get_json()["message"], data
    assert _count(ProgrammePlace) == 0 and _count(Enrollment) == 0
