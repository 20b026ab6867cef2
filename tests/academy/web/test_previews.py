"""The counts a bulk action's confirmation shows come from the server: how many workers a bulk
enrolment or the activation letters touch, how many certificates a batch prints; only inside
the caller's areas; bad input is a 400 that names the field, and nothing changes."""
from __future__ import annotations

from academy.permissions import Role
from academy.registry.models import WorkerStatus
from courses.enrollment.models import Enrollment
from tests.fixtures.courses import create_course
from tests.fixtures.registry import assign, create_grid, create_worker
from tests.support import log_in


def _hr(app, make_user, area="320102"):
    client = app.test_client()
    log_in(client, make_user(None, Role.HR, area=area).username)
    return client


def _workers():
    grid = create_grid("320102001001")
    near = [create_worker("320102001") for _ in range(3)]
    assign(near[0], grid)
    create_worker("320102001", status=WorkerStatus.EXITED)
    create_worker("320104001")
    return grid


def test_bulk_enrolment_preview_counts_the_workers_it_would_enrol(app, make_user, count_rows):
    grid = _workers()
    course = create_course()
    client = _hr(app, make_user)
    url = f"/courses/{course.id}/bulk/preview"
    answer = client.get(url, query_string={"area_code": "320102", "employment": "", "status": "on_duty"}).get_json()
    assert answer["count"] == 3 and answer["allowed"]
    assert "3" in answer["message"] and course.title in answer["message"]
    one = client.get(url, query_string={"area_code": "320102", "grid_id": grid.id, "employment": "", "status": ""})
    assert one.get_json()["count"] == 1
    assert count_rows(Enrollment) == 0  # a preview enrols nobody


def test_bulk_enrolment_preview_refuses_bad_input_and_other_areas(app, make_user):
    _workers()
    course = create_course()
    client = _hr(app, make_user)
    url = f"/courses/{course.id}/bulk/preview"
    for query in ({"area_code": "320104", "employment": "", "status": ""},  # not his: not among the choices
                  {"area_code": "320102", "grid_id": "99999999999999", "employment": "", "status": ""},
                  {"area_code": "320102", "grid_id": "1e9", "employment": "", "status": ""},
                  {"area_code": "320102", "employment": "boss", "status": ""}):
        response = client.get(url, query_string=query)
        assert response.status_code == 400, query
        assert response.get_json()["error"] == "bad_request" and response.get_json()["message"]
    empty = client.get(url, query_string={"area_code": "320102", "employment": "", "status": "suspended"}).get_json()
    assert empty == {"count": 0, "allowed": False, "message": empty["message"]} and empty["message"]


def test_letters_preview_counts_the_workers_of_the_area_but_not_those_who_left(app, make_user):
    _workers()
    client = _hr(app, make_user)
    answer = client.get("/activation/letters/preview", query_string={"area_code": "320102", "status": ""}).get_json()
    assert answer["count"] == 3 and answer["allowed"]
    other = _hr(app, make_user, area="320104")
    assert other.get("/activation/letters/preview", query_string={"area_code": "320104", "status": ""}).get_json()["count"] == 1


def test_batch_preview_says_when_nothing_matches_and_refuses_bad_dates(app, make_user):
    client = _hr(app, make_user)
    nothing = client.get("/certificates/batches/preview", query_string={"area": "320102", "language": "holder"}).get_json()
    assert nothing["count"] == 0 and not nothing["allowed"]
    bad = client.get("/certificates/batches/preview", query_string={"issued_from": "2026-13-01", "language": "holder"})
    assert bad.status_code == 400 and bad.get_json()["error"] == "bad_request"


def test_mandatory_training_preview_counts_whom_the_rule_would_name_and_assigns_nobody(app, make_user, count_rows):
    _workers()
    course = create_course()
    client = _hr(app, make_user)
    query = {"course_id": course.id, "area_code": "320102", "employment": "", "status": "",
             "holds_certificate": "", "lacks_certificate": "", "due_days_after_hire": 30}
    answer = client.get("/training/mandatory/preview", query_string=query).get_json()
    assert answer["count"] == 3 and answer["allowed"]  # the exited worker and the other district are not named
    assert course.title in answer["message"]
    recent = client.get("/training/mandatory/preview", query_string={**query, "hired_within_days": 30}).get_json()
    assert recent["count"] == 0 and not recent["allowed"]  # all three were hired in 2024
    assert count_rows(Enrollment) == 0
