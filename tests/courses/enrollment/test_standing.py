"""Standing mandatory rules (issue 19): a rule reaches whoever comes to match it (a new hire, a
transfer, a status change, a certificate), and whoever stops matching keeps a completed assignment
and loses an open one, audited; the daily sweep catches what no signal announced. And annual
in-service hours, counted on the day they were earned in Asia/Shanghai."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from academy.permissions import Role
from academy.registry import idnumbers
from academy.registry import operations as registry_ops
from academy.registry.models import Employment, WorkerStatus
from courses.enrollment import annual, queries, standing, training
from courses.enrollment import operations as ops
from courses.enrollment.models import CourseKind, EnrollmentState, TrainingAssignment
from courses.enrollment.training import Population
from courses.lessons import operations as lesson_ops
from courses.lessons.models import LessonProgress
from tests.fixtures.certificates import create_cert_type
from tests.fixtures.registry import get_or_create_area
from tests.support import log_in, post_form

ID_NUMBER = idnumbers.make_number("320102", date(1990, 3, 7), 757)


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _assigned(course) -> set[int]:
    return set(db.session.scalars(sa.select(TrainingAssignment.worker_id).where(TrainingAssignment.course_id == course.id)))


def test_a_new_hire_enters_a_standing_audience(make_course, make_user):
    hr = make_user("hr1", Role.HR, area="320102")
    course = make_course()
    standing.assign_mandatory(course, Population("320102", employment="full_time"), hr, due_days_after_hire=60)
    assert _assigned(course) == set()
    hired = registry_ops.create_worker(hr, id_number=ID_NUMBER, area=get_or_create_area("320102"), name="New Hire",
                                       gender="female", phone="13900000001", education="bachelor",
                                       political_status="masses", employment=Employment.FULL_TIME,
                                       hired_on=ops.today())
    assert _assigned(course) == {hired.id}
    assignment = db.session.scalar(sa.select(TrainingAssignment).where(TrainingAssignment.worker_id == hired.id))
    assert assignment.due_on == ops.today() + timedelta(days=60)
    assert queries.enrollment_of(course, hired).state == EnrollmentState.ENROLLED


def test_a_transfer_leaves_the_audience_open_assignment_goes_completed_one_stays(make_course, make_user, make_worker):
    hr = make_user("hr1", Role.HR)
    course = make_course()
    stays_done, leaves = make_worker("320102"), make_worker("320102")
    standing.assign_mandatory(course, Population("320102"), hr, due_on=ops.today() + timedelta(days=30))
    assert _assigned(course) == {stays_done.id, leaves.id}
    ops.record_result(queries.enrollment_of(course, stays_done), None, passed=True, note="classroom only")
    for worker in (stays_done, leaves):
        registry_ops.update_worker(worker, hr, area=get_or_create_area("320104"))
    assert _assigned(course) == {stays_done.id}  # the completed one is kept
    removed = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "training_assignment.remove"))
    assert removed is not None and leaves.number in removed.summary


def test_a_status_change_and_an_exit_follow_the_rule(make_course, make_user, make_worker):
    hr = make_user("hr1", Role.HR)
    course = make_course()
    worker = make_worker("320102", status=WorkerStatus.RECRUITED)
    standing.assign_mandatory(course, Population("320102", status="in_training"), hr, due_on=ops.today())
    assert _assigned(course) == set()
    registry_ops.change_status(worker, WorkerStatus.IN_TRAINING, hr, reason="starts training")
    assert _assigned(course) == {worker.id}
    registry_ops.change_status(worker, WorkerStatus.SUSPENDED, hr, reason="leave")
    assert _assigned(course) == set()


def test_two_rules_for_one_course_keep_a_worker_who_leaves_only_one(make_course, make_user, make_worker):
    hr = make_user("hr1", Role.HR)
    course = make_course()
    worker = make_worker("320102", employment=Employment.PART_TIME)
    standing.assign_mandatory(course, Population("320102", employment="part_time"), hr, due_on=ops.today())
    standing.assign_mandatory(course, Population("3201"), hr, due_on=ops.today())
    registry_ops.update_worker(worker, hr, employment=Employment.FULL_TIME)
    assert _assigned(course) == {worker.id}


def test_hired_within_is_a_way_in_not_a_way_out(make_course, make_user, make_worker):
    hr = make_user("hr1", Role.HR)
    course = make_course()
    veteran, recent = make_worker("320102"), make_worker("320102")  # both hired 2024-03-01
    recent.hired_on = ops.today() - timedelta(days=10)
    standing.assign_mandatory(course, Population("320102"), hr, due_days_after_hire=90, hired_within_days=30)
    assert _assigned(course) == {recent.id}
    later = standing.sweep(day=ops.today() + timedelta(days=60))  # past the 30 days, the course not done
    assert later.removed == 0 and _assigned(course) == {recent.id} and veteran.id not in _assigned(course)


def test_the_sweep_reaches_certificate_holders_and_those_who_lack_one(make_course, make_user, make_worker):
    hr = make_user("hr1", Role.HR)
    course, qualifying = make_course(), make_course()
    cert_type = create_cert_type(course=qualifying, exam=False, completed=True)
    holder, other = make_worker("320102"), make_worker("320102")
    standing.assign_mandatory(course, Population("320102"), hr, due_on=ops.today(), holds_certificate=cert_type.code)
    lacking = make_course()
    standing.assign_mandatory(lacking, Population("320102"), hr, due_on=ops.today(), lacks_certificate=cert_type.code)
    assert _assigned(course) == set() and _assigned(lacking) == {holder.id, other.id}
    ops.record_result(ops.request_enrollment(qualifying, holder, hr, source="hr"), hr, passed=True, note="done")
    assert _assigned(course) == set()  # a certificate is no registry event: the sweep finds it
    result = standing.sweep()
    assert _assigned(course) == {holder.id} and _assigned(lacking) == {other.id}
    assert (result.assigned, result.removed) == (1, 1)
    assert standing.sweep().assigned == 0  # a second pass changes nothing


def test_an_ended_rule_reaches_nobody_new(make_course, make_user, make_worker):
    hr = make_user("hr1", Role.HR)
    course = make_course()
    standing.assign_mandatory(course, Population("320102"), hr, due_on=ops.today())
    rule = queries.mandatory_rules(["320102"])[0]
    standing.end_rule(rule, hr)
    make_worker("320102")
    assert standing.sweep().assigned == 0 and _assigned(course) == set()
    with pytest.raises(ops.EnrollmentError):
        standing.end_rule(rule, hr)


def test_hr_cannot_name_an_audience_outside_its_scope_or_a_grid(make_course, make_user):
    hr = make_user("hr1", Role.HR, area="320102")
    with pytest.raises(ops.EnrollmentError, match="scope"):
        standing.assign_mandatory(make_course(), Population("320104"), hr, due_on=ops.today())
    with pytest.raises(ops.EnrollmentError, match="grid"):
        standing.assign_mandatory(make_course(), Population("320102", grid_id=5), hr, due_on=ops.today())


# ---- annual in-service hours -----------------------------------------------------------------

def test_the_year_boundary_is_midnight_in_shanghai():
    start, end = annual.year_bounds(2026)
    assert start == datetime(2025, 12, 31, 16, tzinfo=UTC) and end == datetime(2026, 12, 31, 16, tzinfo=UTC)
    assert annual.current_year(datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)) == 2026
    assert annual.current_year(datetime(2026, 12, 31, 16, tzinfo=UTC)) == 2027


def test_hours_crossing_the_annual_line_at_midnight_of_the_last_day(make_course, make_lesson, make_enrollment,
                                                                     make_worker):
    annual.set_requirement("320102", Decimal("2"), None)
    course = make_course(kind=CourseKind.IN_SERVICE)
    lessons = [make_lesson(course, hours="1", position=n) for n in (1, 2)]
    on_time, late = make_worker("320102"), make_worker("320102")
    for worker, last_second in ((on_time, datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)),
                                (late, datetime(2026, 12, 31, 16, 0, 0, tzinfo=UTC))):
        enrollment = make_enrollment(course, worker)
        for lesson, when in zip(lessons, (datetime(2026, 6, 1, tzinfo=UTC), last_second), strict=True):
            lesson_ops.mark_done(lesson_ops.open_lesson(lesson, enrollment), None)
            db.session.scalar(sa.select(LessonProgress).where(LessonProgress.lesson_id == lesson.id,
                                                              LessonProgress.enrollment_id == enrollment.id)).completed_at = when
    db.session.flush()
    rows = {row.worker.id: row for row in annual.progress(["320102"], 2026)}
    assert rows[on_time.id].hours == Decimal("2") and not rows[on_time.id].behind  # 23:59:59 on 31 December
    assert rows[late.id].hours == Decimal("1") and rows[late.id].behind  # 00:00 on 1 January is next year
    assert annual.worker_progress(late, 2027).hours == Decimal("1")
    assert [row.worker.id for row in annual.progress(["320102"], 2026, behind_only=True)] == [late.id]


def test_classroom_hours_and_a_course_recorded_by_hand_count_once(make_course, make_enrollment, make_worker):
    annual.set_requirement("3201", Decimal("40"), None)
    classroom = make_course(kind=CourseKind.REFRESHER)
    pre_service = make_course(kind=CourseKind.PRE_SERVICE)
    worker = make_worker("320102")
    enrollment = make_enrollment(classroom, worker)
    session = training.add_session(classroom, None, starts_at=datetime(2026, 3, 2, 1, tzinfo=UTC), hours=Decimal(3),
                                   place="Hall", topic="Law")
    training.take_attendance(session, None, {enrollment.id})
    ops.record_result(enrollment, None, passed=True, note="classroom only")
    enrollment.finished_at = datetime(2026, 3, 3, tzinfo=UTC)
    ops.record_result(make_enrollment(pre_service, worker), None, passed=True, note="done")
    db.session.flush()
    hours = annual.worker_progress(worker, enrollment.finished_at.year).hours
    assert hours == Decimal(classroom.hours)  # the session's 3 hours, then the rest of the course's hours
    assert classroom.hours > Decimal(3)


def test_the_hours_page_lists_those_behind(client, make_user, make_worker):
    make_user("hr1", Role.HR, area="320102")
    behind = make_worker("320102", name="Behind Wang")
    log_in(client, "hr1")
    response = post_form(client, "/training/hours", {"area_code": "320102", "hours": "40"}, token_from="/training/hours")
    assert response.status_code == 302
    page = client.get("/training/hours?behind=y").get_data(as_text=True)
    assert behind.name in page and "0.0" in page
    refused = post_form(client, "/training/hours", {"area_code": "320102", "hours": "5000"}, token_from="/training/hours")
    assert refused.status_code == 400 and annual.required_for("320102", annual.requirements()) == Decimal("40")
    assert client.get("/training/hours?year=1&page=-3").status_code == 200  # a bad filter falls back to this year

