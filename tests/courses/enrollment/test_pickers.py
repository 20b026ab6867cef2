"""The course and exam pickers answer only what the person may see: another branch's drafts stay hidden."""
from __future__ import annotations

from academy.extensions import db
from academy.permissions import Role
from courses.enrollment.models import CourseStatus
from courses.syllabus.models import Trainer
from tests.fixtures.courses import create_branch
from tests.support import log_in


def _codes(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return {item["code"] for item in response.get_json()["results"]}


def test_an_instructor_finds_published_courses_and_his_own_branchs_drafts_only(app, client, make_user, make_course):
    teacher = make_user("teacher", Role.INSTRUCTOR)
    db.session.add(Trainer(user_id=teacher.id, branch_id=create_branch("320102").id))
    make_user("hr-city", Role.HR)
    db.session.flush()
    own_draft = make_course(district="320102", status=CourseStatus.DRAFT, code="PICK-OWN")
    foreign_draft = make_course(district="320104", status=CourseStatus.DRAFT, code="PICK-FOREIGN")
    published = make_course(district="320104", code="PICK-OPEN")
    log_in(client, "teacher")
    assert _codes(client, "/courses/pick?q=PICK") == {own_draft.code, published.code}
    assert _codes(client, f"/courses/pick?id={foreign_draft.id}") == set()
    hr = app.test_client()
    log_in(hr, "hr-city")
    assert _codes(hr, "/courses/pick?q=PICK") == {own_draft.code, foreign_draft.code, published.code}
