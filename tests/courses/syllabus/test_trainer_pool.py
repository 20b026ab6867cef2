"""The trainer pool (issue 19): an administrator edits a trainer and deactivates him (never deletes);
a course warns when an instructor's specialties do not cover its units."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from academy.permissions import Role
from courses.enrollment import access as enrollment_access
from courses.enrollment import queries as enrollment_queries
from courses.syllabus import operations
from courses.syllabus.models import Trainer
from tests.support import log_in, post_form


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _trainer(make_user, make_branch, specialties, name="teacher"):
    user = make_user(name, Role.INSTRUCTOR)
    return operations.add_trainer(user, None, branch=make_branch("320102"), specialties=specialties), user


def test_a_module_specialty_covers_its_units_and_a_missing_one_is_named(make_user, make_branch, make_course):
    trainer, user = _trainer(make_user, make_branch, ["M1"])
    course = make_course(instructors=[user])  # units M1.1 and M1.2
    assert enrollment_queries.specialty_gaps(course) == []
    operations.update_trainer(trainer, None, branch=trainer.branch, qualifications="", specialties=["M1.1"])
    gaps = enrollment_queries.specialty_gaps(course)
    assert [(g.user, [u.code for u in g.units]) for g in gaps] == [(user, ["M1.2"])]


def test_an_instructor_outside_the_pool_or_deactivated_is_a_gap(make_user, make_branch, make_course):
    outsider = make_user("outsider", Role.INSTRUCTOR)
    trainer, user = _trainer(make_user, make_branch, ["M1"])
    course = make_course(instructors=[outsider, user])
    assert [g.user for g in enrollment_queries.specialty_gaps(course)] == [outsider]
    operations.set_trainer_active(trainer, None, active=False)
    assert {g.user for g in enrollment_queries.specialty_gaps(course)} == {outsider, user}


def test_deactivating_keeps_the_record_audits_and_ends_branch_rights(make_user, make_branch, make_course):
    trainer, user = _trainer(make_user, make_branch, ["M1"])
    course = make_course(instructors=[user])
    assert enrollment_access.can_define_course(user, course)
    operations.set_trainer_active(trainer, None, active=False)
    assert db.session.get(Trainer, trainer.id).active is False and course.instructors == [user]
    assert not enrollment_access.can_define_course(user, course)
    with pytest.raises(operations.SyllabusError, match="already inactive"):
        operations.set_trainer_active(trainer, None, active=False)
    operations.set_trainer_active(trainer, None, active=True)
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("trainer.%"))).all()
    assert actions == ["trainer.add", "trainer.deactivate", "trainer.reactivate"]


def test_the_admin_edits_a_trainer_and_the_course_page_warns(client, make_user, make_branch, make_course):
    trainer, user = _trainer(make_user, make_branch, ["M1"])
    course = make_course(instructors=[user])
    make_user("boss", Role.ADMIN)
    log_in(client, "boss")
    url = f"/syllabus/trainers/{trainer.id}"
    response = post_form(client, url, {"branch_id": "0", "qualifications": "Lawyer", "specialties": "M1.1、M2"}, token_from=url)
    assert response.status_code == 302
    db.session.refresh(trainer)
    assert (trainer.branch, trainer.qualifications, trainer.specialties) == (None, "Lawyer", ["M1.1", "M2"])
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "no specialty for M1.2" in page
    post_form(client, f"{url}/active?to=0", token_from=url)
    assert "deactivated in the trainer pool" in client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Inactive" in client.get("/syllabus/trainers").get_data(as_text=True)


@pytest.mark.parametrize("data", [
    {"specialties": "M1; DROP"}, {"specialties": "M" * 1001}, {"qualifications": "q" * 501},
    {"branch_id": "NaN"}, {"branch_id": "99999999999999999999"},
])
def test_bad_trainer_forms_are_refused_and_change_nothing(client, make_user, make_branch, data):
    trainer, _user = _trainer(make_user, make_branch, ["M1"])
    make_user("boss", Role.ADMIN)
    log_in(client, "boss")
    url = f"/syllabus/trainers/{trainer.id}"
    response = post_form(client, url, {"branch_id": "0", "qualifications": "", "specialties": "M1"} | data, token_from=url)
    assert response.status_code == 400
    db.session.refresh(trainer)
    assert trainer.specialties == ["M1"] and trainer.branch is not None
    assert post_form(client, f"{url}/active?to=maybe", token_from=url).status_code == 400
    assert db.session.get(Trainer, trainer.id).active is True
