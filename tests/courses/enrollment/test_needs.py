"""The training-needs page (issue 19): every worker of HR's areas, page by page (not the first 500),
and the recommended courses ticked for a selection assigned at once after the counting confirmation."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role
from courses.enrollment import operations as ops
from courses.enrollment.models import TrainingAssignment
from tests.support import log_in, post_form


@pytest.fixture
def needy(app):
    """Every worker whose name starts with "Needy" lacks dispute handling (the indicators' slot)."""
    slot = app.extensions["academy.slots"].items["training_needs"]
    entry = (0, lambda w: [("dispute", "late dispute cases: 4 of 10")] if w.name.startswith("Needy") else [])
    slot.append(entry)
    yield
    slot.remove(entry)


def _assignments() -> int:
    return db.session.scalar(sa.select(sa.func.count(TrainingAssignment.id)))


def _due(days=10) -> str:
    return str(ops.today() + timedelta(days=days))


def test_every_worker_is_reached_page_by_page(client, needy, make_user, make_worker, make_course):
    make_course()
    for i in range(560):
        make_worker("320102", name=f"Plain {i:03d}")
    last = make_worker("320102", name="Needy last")
    last.number = "ZZZZZZ"  # sorts after every other worker: the last page
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    first = client.get("/training/needs").get_data(as_text=True)
    assert "Needy last" not in first and "Grid workers 1–50 of 561" in first and "Page 1 of 12" in first
    page = client.get("/training/needs?page=12").get_data(as_text=True)
    assert "Needy last" in page and "Grid workers 551–561 of 561" in page


def test_hr_assigns_the_ticked_courses_at_once(client, needy, make_user, make_worker, make_course):
    course = make_course()
    workers = [make_worker("320102", name=f"Needy {i}") for i in range(3)]
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    picks = [f"{w.id}:{course.id}" for w in workers[:2]]
    preview = client.get("/training/needs/assign-ticked/preview", query_string={"pick": picks, "due_on": _due()}).get_json()
    assert preview["count"] == 2 and "Assign 2 recommended courses to 2 grid workers" in preview["message"]
    response = post_form(client, "/training/needs/assign-ticked", {"pick": picks, "due_on": _due(), "confirmed": "1"},
                         token_from="/training/needs", follow_redirects=True)
    assert "2 assigned, 0 were assigned already, 0 skipped." in response.get_data(as_text=True)
    reasons = db.session.scalars(sa.select(TrainingAssignment.reason)).all()
    assert reasons == ["late dispute cases: 4 of 10"] * 2
    again = post_form(client, "/training/needs/assign-ticked", {"pick": picks, "due_on": _due(), "confirmed": "1"},
                      token_from="/training/needs", follow_redirects=True)
    assert "0 assigned, 2 were assigned already" in again.get_data(as_text=True) and _assignments() == 2


def test_a_course_no_longer_recommended_is_skipped_with_its_reason(client, needy, make_user, make_worker, make_course):
    course = make_course()
    worker = make_worker("320102", name="Plain worker")
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    response = post_form(client, "/training/needs/assign-ticked", {"pick": [f"{worker.id}:{course.id}"], "due_on": _due(), "confirmed": "1"},
                         token_from="/training/needs", follow_redirects=True)
    assert "is no longer recommended" in response.get_data(as_text=True) and _assignments() == 0


def test_hr_of_another_district_cannot_assign_and_nothing_changes(client, needy, make_user, make_worker, make_course):
    course = make_course()
    worker = make_worker("320102", name="Needy one")
    make_user("hr9", Role.HR, area="320104")
    log_in(client, "hr9")
    assert "Needy one" not in client.get("/training/needs").get_data(as_text=True)
    response = post_form(client, "/training/needs/assign-ticked", {"pick": [f"{worker.id}:{course.id}"], "due_on": _due(), "confirmed": "1"},
                         token_from="/training/needs", follow_redirects=True)
    assert "not yours to assign" in response.get_data(as_text=True) and _assignments() == 0


@pytest.mark.parametrize("data", [
    {"pick": ["1:1\x00"]}, {"pick": ["NaN:1"]}, {"pick": ["99999999999999999999:1"]}, {"pick": []},
    {"pick": ["1:1"] * 501}, {"due_on": "yesterday"}, {"due_on": "2001-01-01"},
])
def test_bad_selections_are_refused_clearly_and_change_nothing(client, needy, make_user, make_worker, make_course, data):
    course = make_course()
    worker = make_worker("320102", name="Needy one")
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    form = {"pick": [f"{worker.id}:{course.id}"], "due_on": _due(), "confirmed": "1"} | data
    response = post_form(client, "/training/needs/assign-ticked", form, token_from="/training/needs")
    assert response.status_code in (303, 400)
    if response.status_code == 303:
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "alert-danger" in page
    preview = client.get("/training/needs/assign-ticked/preview", query_string=form)
    if "2001" not in form["due_on"]:  # the preview counts; the past date is refused when assigning
        assert preview.status_code == 400 and preview.get_json()["message"]
    assert _assignments() == 0


def test_bad_needs_filters_say_so(client, make_user):
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    for bad in ("area=abc", "page=0", "page=NaN", "page=99999999999999999999"):
        assert client.get(f"/training/needs?{bad}").status_code == 400, bad
