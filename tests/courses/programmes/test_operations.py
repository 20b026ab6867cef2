"""Programmes (issue 19): enrolment in a programme enrols in its first course, a completion enrols
the next in the same transaction, the last completion ends the programme; all audited, idempotent.
A completion taken back leaves the next course where it is, and is audited on the place."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from courses.enrollment import operations as enrollment_ops
from courses.enrollment import queries as enrollment_queries
from courses.enrollment.models import CompletedBy, CourseKind, CourseStatus, EnrollmentState
from courses.programmes import operations, queries
from courses.programmes.models import PlaceState, ProgrammeGoal

E = EnrollmentState


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _programme(make_course, n: int = 3, **kwargs):
    courses = [make_course(kind=CourseKind.PRE_SERVICE) for _ in range(n)]
    return operations.save_programme(None, None, code=kwargs.get("code", "PRE-1"), title="Pre-service",
                                     goal=ProgrammeGoal.PRE_SERVICE, description="", courses=courses), courses


def _state(course, worker):
    enrollment = enrollment_queries.enrollment_of(course, worker)
    return enrollment.state if enrollment else None


def _complete(course, worker):
    enrollment_ops.record_result(enrollment_queries.enrollment_of(course, worker), None, passed=True, note="done")


def _events(action: str) -> list[AuditEntry]:
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_enrolment_enrols_in_the_first_course_only(make_course, make_worker):
    programme, (first, second, third) = _programme(make_course)
    worker = make_worker("320102")
    place = operations.enrol_worker(programme, worker, None)
    assert (place.state, place.position) == (PlaceState.ACTIVE, 0)
    assert [_state(c, worker) for c in (first, second, third)] == [E.ENROLLED, None, None]
    assert len(_events("programme_place.enrol")) == 1


def test_completing_a_course_enrols_the_next_in_the_same_transaction(make_course, make_worker):
    programme, (first, second, third) = _programme(make_course)
    worker = make_worker("320102")
    operations.enrol_worker(programme, worker, None)
    _complete(first, worker)
    place = queries.place_of(programme, worker)
    assert place.position == 1
    assert [_state(c, worker) for c in (first, second, third)] == [E.COMPLETED, E.ENROLLED, None]
    assert enrollment_queries.enrollment_of(second, worker).source == "programme"
    assert len(_events("programme_place.advance")) == 1


def test_the_last_completion_ends_the_programme(make_course, make_worker):
    programme, courses = _programme(make_course, n=2)
    worker = make_worker("320102")
    operations.enrol_worker(programme, worker, None)
    for course in courses:
        _complete(course, worker)
    place = queries.place_of(programme, worker)
    assert place.state == PlaceState.COMPLETED and place.completed_at is not None
    assert queries.describe(place).course is None
    assert len(_events("programme_place.complete")) == 1


def test_enrolling_twice_and_the_same_completion_announced_twice_change_nothing(app, make_course, make_worker):
    programme, (first, second, third) = _programme(make_course)
    worker = make_worker("320102")
    assert operations.enrol_worker(programme, worker, None) is not None
    assert operations.enrol_worker(programme, worker, None) is None
    _complete(first, worker)
    operations.on_course_result_changed(app, enrollment=enrollment_queries.enrollment_of(first, worker), by=None)
    assert queries.place_of(programme, worker).position == 1
    assert [_state(c, worker) for c in (first, second, third)] == [E.COMPLETED, E.ENROLLED, None]
    assert len(_events("programme_place.enrol")) == 1 and len(_events("programme_place.advance")) == 1


def test_a_course_completed_before_is_passed_over(make_course, make_worker):
    programme, (first, second, third) = _programme(make_course)
    worker = make_worker("320102")
    enrollment_ops.request_enrollment(first, worker, None, source="hr")
    _complete(first, worker)
    place = operations.enrol_worker(programme, worker, None)
    assert place.position == 1 and _state(second, worker) == E.ENROLLED


def test_a_refused_next_course_is_kept_as_a_note_for_hr_and_audited(make_course, make_worker):
    programme, (first, second, third) = _programme(make_course)
    enrollment_ops.set_course_status(second, None, CourseStatus.ARCHIVED)
    worker = make_worker("320102")
    operations.enrol_worker(programme, worker, None)
    _complete(first, worker)
    place = queries.place_of(programme, worker)
    assert place.position == 1 and _state(second, worker) is None
    assert place.note == "This course is not open for enrolment."
    assert len(_events("programme_place.refused")) == 1


def test_a_completion_taken_back_keeps_the_next_course_and_is_audited(make_course, make_worker):
    """Chosen: the worker keeps the next course (he may well be half-way through it); HR sees the
    taking back on the course's list and in the place's audit trail."""
    programme, (first, second, third) = _programme(make_course)
    worker = make_worker("320102")
    operations.enrol_worker(programme, worker, None)
    enrollment = enrollment_queries.enrollment_of(first, worker)
    enrollment_ops.finish(enrollment, None, passed=True, note="rule", completed_by=CompletedBy.RULE)
    assert _state(second, worker) == E.ENROLLED
    enrollment_ops._take_back(enrollment, None, ["final exam"])
    assert _state(first, worker) == E.ENROLLED and _state(second, worker) == E.ENROLLED
    assert queries.place_of(programme, worker).position == 1
    assert len(_events("programme_place.taken_back")) == 1


def test_a_failed_course_holds_the_place(make_course, make_worker):
    programme, (first, second, _third) = _programme(make_course)
    worker = make_worker("320102")
    operations.enrol_worker(programme, worker, None)
    enrollment_ops.record_result(enrollment_queries.enrollment_of(first, worker), None, passed=False, note="absent")
    assert queries.place_of(programme, worker).position == 0 and _state(second, worker) is None


def test_a_programme_keeps_its_order_and_refuses_repeats_and_taken_codes(make_course):
    programme, (first, second, third) = _programme(make_course)
    operations.save_programme(programme, None, code="PRE-1", title="Pre-service", goal=ProgrammeGoal.PRE_SERVICE,
                              description="", courses=[third, first])
    assert programme.courses == [third, first]
    with pytest.raises(operations.ProgrammeError, match="once"):
        operations.save_programme(programme, None, code="PRE-1", title="x", goal=ProgrammeGoal.SPECIALIST,
                                  description="", courses=[first, first])
    with pytest.raises(operations.ProgrammeError, match="taken"):
        operations.save_programme(None, None, code="PRE-1", title="x", goal=ProgrammeGoal.SPECIALIST,
                                  description="", courses=[first])
    with pytest.raises(operations.ProgrammeError, match="1 to"):
        operations.save_programme(None, None, code="PRE-2", title="x", goal=ProgrammeGoal.SPECIALIST,
                                  description="", courses=[])
