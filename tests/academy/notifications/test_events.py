"""Each wired event: who receives it, in which language, with which link; the daily pass once a day."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.cases import clock
from academy.cases import operations as ops
from academy.cases.models import Level, Satisfaction
from academy.database import utcnow
from academy.extensions import db
from academy.jobs import HANDLERS, enqueue_job, job_handler
from academy.notifications.events import notify_case_lights
from academy.notifications.models import InboxMessage
from academy.permissions import Role
from courses.certificates.lifecycle import revoke_certificate
from courses.certificates.models import Certificate
from courses.certificates.notices import notify_due_certificates
from courses.enrollment.models import ClassSession, EnrollmentState
from courses.enrollment.notices import notify_due_training
from courses.enrollment.operations import EnrollmentError, promote_waitlist, request_enrollment, withdraw
from courses.enrollment.training import (
    add_session,
    assign_training,
    cancel_session,
    change_session,
    decide_extension,
    request_extension,
    take_attendance,
)
from courses.exams.grading import QuestionType as T
from courses.exams.notices import notify_essays_waiting, notify_exams_closing, notify_exams_open
from courses.exams.operations import attempts as attempt_ops
from tests.fixtures.cases import MONDAY_10, report
from tests.fixtures.certificates import sit_exam
from tests.fixtures.registry import create_worker


def _inbox(user) -> list[InboxMessage]:
    return list(db.session.scalars(sa.select(InboxMessage).where(InboxMessage.user_id == user.id)
                                   .order_by(InboxMessage.id)))


def _dispatched_to_the_department(w):
    """A case reported, accepted and dispatched to ``w``'s department (inside a frozen clock)."""
    case = report(w)
    ops.accept_case(case, w.dispatcher)
    ops.dispatch_case(case, w.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(w.dept, None)]))
    return case


@pytest.fixture
def trainee(make_user):
    user = make_user("zhao", Role.TRAINEE)
    user.locale = "zh_CN"
    return user, create_worker(user=user)


def test_a_mandatory_assignment_tells_the_worker_with_a_link_to_the_course(app, trainee, make_course, make_user):
    user, worker = trainee
    course = make_course()
    course.title = "消防安全"
    with app.test_request_context():
        assign_training(worker, course, make_user("hr", Role.HR), due_on=date(2026, 5, 1))
    (message,) = _inbox(user)
    assert message.kind == "training.assigned" and message.title == "必修培训：消防安全"
    assert message.body == "请在 2026-05-01 前完成课程 消防安全。" and message.link == f"/courses/{course.id}"


def test_the_daily_pass_tells_of_training_due_in_7_days_then_overdue_once_each(app, trainee, make_course, make_user):
    user, worker = trainee
    course = make_course()
    course.title = "Patrol basics"
    day = date(2026, 4, 1)
    with app.test_request_context():
        assign_training(worker, course, make_user("hr", Role.HR), due_on=day + timedelta(days=7))
    # outside any request, as the CLI runs it
    assert len(notify_due_training(day)) == 1
    assert notify_due_training(day) == []  # cron ran twice the same day
    assert notify_due_training(day + timedelta(days=1)) == []  # 6 days left: nothing
    assert len(notify_due_training(day + timedelta(days=6))) == 1  # due tomorrow
    assert len(notify_due_training(day + timedelta(days=9))) == 2  # overdue: the worker, and a copy to HR
    assert notify_due_training(day + timedelta(days=10)) == []  # told once, not every day
    kinds = [m.kind for m in _inbox(user)]
    assert kinds == ["training.assigned", "training.due_soon", "training.due_soon", "training.overdue"]
    assert _inbox(user)[1].title == "Patrol basics 将在 7 天后到期"


def test_a_case_dispatched_reaches_the_departments_handlers_and_a_return_the_dispatcher(app, cases_world):
    w = cases_world
    w.handler.locale = "en"
    with app.test_request_context(), clock.frozen_time(MONDAY_10):
        case = _dispatched_to_the_department(w)
        (task,) = case.tasks
        ops.return_task(task, w.handler, "Not ours: the housing office keeps these")
    (dispatched,) = _inbox(w.handler)
    assert dispatched.title == f"Case {case.number} dispatched to you" and dispatched.link == f"/cases/{case.id}"
    assert _inbox(w.handler2) == []  # the other department was not called
    (returned,) = _inbox(w.dispatcher)
    assert returned.kind == "case.returned" and returned.title == f"事件 {case.number} 已被退回"


def test_a_red_card_reaches_the_leaders_of_the_street_and_the_district(app, cases_world, make_user):
    w = cases_world
    street_leader = make_user("street_leader", Role.VIEWER, area="320102001")
    other_district = make_user("far_leader", Role.VIEWER, area="320104")
    with app.test_request_context(), clock.frozen_time(MONDAY_10):
        case = _dispatched_to_the_department(w)
    with app.test_request_context(), clock.frozen_time(MONDAY_10 + timedelta(days=60)):
        ops.escalate_overdue()
        ops.escalate_overdue()
    for leader in (street_leader, w.viewer):
        (message,) = _inbox(leader)
        assert message.kind == "case.red_card" and message.title == f"红牌：事件 {case.number}"
    assert _inbox(other_district) == []


def test_the_daily_pass_tells_a_holder_when_his_renewal_window_opens_and_30_days_before_expiry(
        app, exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    make_cert_type(course=course, renewal_hours="8", window=90)
    user, worker = make_trainee(course)
    user.locale = "en"
    sit_exam(exam, right=5, user=user, worker=worker)
    (certificate,) = db.session.scalars(sa.select(Certificate).where(Certificate.worker_id == worker.id))
    opens = certificate.valid_until - timedelta(days=90)
    assert notify_due_certificates(opens - timedelta(days=1)) == []
    assert len(notify_due_certificates(opens)) == 1
    assert notify_due_certificates(opens) == []  # cron ran twice
    assert len(notify_due_certificates(certificate.valid_until - timedelta(days=30))) == 1
    window, expiring = [m for m in _inbox(user) if m.kind in ("certificate.renewal_window", "certificate.expiring")]
    assert window.title == f"The renewal window of your certificate {certificate.number} is open"
    assert expiring.title == f"Your certificate {certificate.number} expires on {certificate.valid_until}"
    assert window.link == "/certificates/mine"


def test_notify_due_from_cron_twice_a_day_makes_the_days_messages_once(app, trainee, make_course, make_user):
    user, worker = trainee
    with app.test_request_context():
        assign_training(worker, make_course(), make_user("hr", Role.HR), due_on=date(2026, 4, 8))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["academy", "notify-due", "--day", "2026-04-01"])
    second = runner.invoke(args=["academy", "notify-due", "--day", "2026-04-01"])
    assert first.exit_code == 0 and first.output.startswith("1 notifications made")
    assert second.output.startswith("0 notifications made")
    assert [m.kind for m in _inbox(user)] == ["training.assigned", "training.due_soon"]


def test_the_holder_hears_his_certificate_issued_and_revoked(app, exam_course, make_cert_type, make_trainee, make_user):
    course, exam = exam_course
    make_cert_type(course=course)
    user, worker = make_trainee(course)
    with app.test_request_context():
        sit_exam(exam, right=5, user=user, worker=worker)
        (certificate,) = db.session.scalars(sa.select(Certificate).where(Certificate.worker_id == worker.id))
        revoke_certificate(certificate, make_user("hr", Role.HR), reason="Forged evidence")
    issued, revoked = [m for m in _inbox(user) if m.kind.startswith("certificate.")]
    assert issued.kind == "certificate.issued" and issued.title == f"证书 {certificate.number} 已发给您"
    assert revoked.kind == "certificate.revoked" and revoked.urgency == "urgent"
    assert revoked.title == f"您的证书 {certificate.number} 已撤销" and revoked.link == "/certificates/mine"


def test_a_trainee_hears_his_result_released_once_and_not_of_his_own_hand_in(app, make_course, make_user, make_exam,
                                                                             make_taker):
    from courses.enrollment.models import CourseKind
    from courses.exams.grading import QuestionType as T
    from courses.exams.models import ResultRelease
    from courses.exams.operations import attempts as attempt_ops
    from courses.exams.operations import release_results

    teacher = make_user("teacher", Role.INSTRUCTOR)
    course = make_course(instructors=[teacher], kind=CourseKind.PRE_SERVICE)
    shown_at_once = make_exam(course, rules=((T.TRUE_FALSE, 1, "4"),), title="当场出分")
    by_hand = make_exam(course, rules=((T.TRUE_FALSE, 1, "4"),), release=ResultRelease.MANUAL, title="人工公布")
    user, worker = make_taker(course)
    user.locale = "zh_CN"
    with app.test_request_context():
        for exam in (shown_at_once, by_hand):
            attempt = attempt_ops.start_attempt(exam, worker, user)
            attempt_ops.save_answers(attempt, user, 1, {i.id: ["T"] for i in attempt.items})
            attempt_ops.close_attempt(attempt, user)
        assert [m for m in _inbox(user) if m.kind == "exam.result_released"] == []  # he saw the first himself
        release_results(by_hand, teacher)
        release_results(by_hand, teacher)  # twice: nothing new to release, nothing sent again
    (message,) = [m for m in _inbox(user) if m.kind == "exam.result_released"]
    assert message.title == "人工公布 的成绩已公布" and message.link == f"/attempts/{attempt.id}"


def _local_today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def test_an_exam_open_tells_its_courses_trainees_once(app, make_course, make_exam, make_taker):
    course = make_course()
    make_exam(course, rules=((T.TRUE_FALSE, 1, "4"),), title="巡查考试",
               opens_at=datetime(2026, 4, 1, 2, tzinfo=UTC), closes_at=datetime(2026, 4, 3, 2, tzinfo=UTC))
    first, _ = make_taker(course)
    second, _ = make_taker(course)
    outsider, _ = make_taker(make_course())
    first.locale, second.locale = "zh_CN", "en"
    assert notify_exams_open(date(2026, 3, 31)) == []  # not open yet
    assert len(notify_exams_open(date(2026, 4, 1))) == 2
    assert notify_exams_open(date(2026, 4, 1)) == [] and notify_exams_open(date(2026, 4, 2)) == []  # once
    (message,) = _inbox(first)
    assert message.kind == "exam.opened" and message.title == "考试 巡查考试 已开放"
    assert message.body == "请在 2026-04-03 10:00 前参加。" and message.link == f"/courses/{course.id}"
    assert _inbox(second)[0].title == "The exam 巡查考试 is open" and _inbox(outsider) == []


def test_an_exam_closing_within_a_day_tells_only_who_has_not_tried(app, make_course, make_exam, make_taker):
    course = make_course()
    now = utcnow()
    exam = make_exam(course, rules=((T.TRUE_FALSE, 1, "4"),), title="结业考试",
                     opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=10))
    tried, tried_worker = make_taker(course)
    late, _ = make_taker(course)
    late.locale = "zh_CN"
    with app.test_request_context():
        attempt_ops.start_attempt(exam, tried_worker, tried)
    assert len(notify_exams_closing(_local_today())) == 1
    assert notify_exams_closing(_local_today()) == []  # cron ran again
    (message,) = _inbox(late)
    assert message.kind == "exam.closing" and message.title == "考试 结业考试 将在 24 小时内截止"
    assert message.link == f"/courses/{course.id}"
    assert [m for m in _inbox(tried) if m.kind == "exam.closing"] == []


def test_essays_waiting_past_the_setting_tell_the_courses_instructors(app, make_course, make_user, make_exam,
                                                                      make_taker):
    teacher = make_user("teacher", Role.INSTRUCTOR)
    teacher.locale = "zh_CN"
    other_teacher = make_user("other_teacher", Role.INSTRUCTOR)
    course = make_course(instructors=[teacher])
    exam = make_exam(course, rules=((T.ESSAY, 1, "6"),), title="论述考试")
    user, worker = make_taker(course)
    with app.test_request_context():
        attempt = attempt_ops.start_attempt(exam, worker, user)
        attempt_ops.save_answers(attempt, user, 1, {i.id: "我的回答" for i in attempt.items})
        attempt_ops.close_attempt(attempt, user)
    today = _local_today()
    assert app.config["NOTIFY_ESSAY_DAYS"] == 3
    assert notify_essays_waiting(today + timedelta(days=3)) == []  # not yet 3 whole days
    assert len(notify_essays_waiting(today + timedelta(days=4))) == 1
    assert notify_essays_waiting(today + timedelta(days=5)) == []  # told once while the same ones wait
    (message,) = _inbox(teacher)
    assert message.kind == "exam.essays_waiting" and message.title == "论述考试 有 1 份简答题等待阅卷"
    assert message.link == f"/exams/{exam.id}/grading" and _inbox(other_teacher) == []


if "test.labelled" not in HANDLERS:
    @job_handler("test.labelled", label=_l("Import the registry"))
    def _labelled(ctx, fail: bool):
        if fail:
            raise RuntimeError("boom")
        return {"message": "20 rows"}

    @job_handler("test.unlabelled")
    def _unlabelled(ctx):
        return {"message": "quiet"}


def test_the_person_who_started_a_job_hears_it_finished_or_failed_once(app, make_user, run_jobs):
    hr = make_user("hr", Role.HR)
    hr.locale = "zh_CN"
    done = enqueue_job("test.labelled", {"fail": False}, by=hr)
    failed = enqueue_job("test.labelled", {"fail": True}, by=hr)
    enqueue_job("test.unlabelled", {}, by=hr)  # no label: nobody is told
    enqueue_job("test.labelled", {"fail": False})  # started by nobody: nobody to tell
    db.session.commit()
    assert run_jobs() == 4
    finished, broke = _inbox(hr)
    assert finished.kind == "job.finished" and finished.title == "已完成：导入网格数据" and finished.body == "20 rows"
    assert finished.link == f"/jobs/{done.id}"
    assert broke.kind == "job.failed" and broke.title == "失败：导入网格数据" and broke.link == f"/jobs/{failed.id}"
    assert broke.body == "请打开任务页面查看原因。"
    assert run_jobs() == 0 and len(_inbox(hr)) == 2  # a job ends once: told once


def test_overdue_training_copies_hr_whose_area_covers_the_worker_once(app, make_course, make_user):
    street_hr = make_user("street_hr", Role.HR, area="320102001")
    district_hr = make_user("district_hr", Role.HR, area="320102")
    city_hr = make_user("city_hr", Role.HR)
    far_hr = make_user("far_hr", Role.HR, area="320104")
    district_hr.locale = "zh_CN"
    worker = create_worker("320102001001", name="王芳")
    course = make_course()
    course.title = "消防安全"
    with app.test_request_context():
        assign_training(worker, course, city_hr, due_on=date(2026, 4, 1))
    notify_due_training(date(2026, 4, 2))
    notify_due_training(date(2026, 4, 3))  # the next day: not again
    for hr in (street_hr, district_hr, city_hr):
        (message,) = _inbox(hr)
        assert message.kind == "training.overdue_hr" and message.link == "/training/overdue"
    assert _inbox(district_hr)[0].title == "王芳 已逾期：消防安全" and _inbox(far_hr) == []


def test_the_worker_hears_his_extension_granted_or_refused(app, trainee, make_course, make_user):
    user, worker = trainee
    hr = make_user("hr", Role.HR)
    granted, refused = make_course(), make_course()
    granted.title, refused.title = "消防安全", "巡查基础"
    with app.test_request_context():
        one = assign_training(worker, granted, hr, due_on=date(2026, 4, 1))
        two = assign_training(worker, refused, hr, due_on=date(2026, 4, 1))
        for assignment in (one, two):
            request_extension(assignment, None, until=date(2026, 5, 1), reason="病假")
        decide_extension(one, hr, grant=True)
        decide_extension(two, hr, grant=False)
    yes, no = [m for m in _inbox(user) if m.kind == "training.extension_decided"]
    assert yes.title == "延期已批准：消防安全" and yes.body == "新的截止日期为 2026-05-01。"
    assert no.title == "延期被拒绝：巡查基础" and no.link == f"/courses/{refused.id}"


def test_a_seat_from_the_waitlist_tells_the_worker_once(app, make_course, make_user):
    course = make_course(capacity=1)
    course.title = "消防安全"
    first_user, waiting_user = make_user("first", Role.TRAINEE), make_user("waiting", Role.TRAINEE)
    waiting_user.locale = "zh_CN"
    first = request_enrollment(course, create_worker(user=first_user), None)
    second = request_enrollment(course, create_worker(user=waiting_user), None)
    assert second.state == EnrollmentState.WAITLISTED
    withdraw(first, None)
    promote_waitlist(course, None)  # again: nobody left to seat, nothing sent again
    (message,) = _inbox(waiting_user)
    assert message.kind == "enrollment.seated" and message.title == "您已获得 消防安全 的名额"
    assert message.link == f"/courses/{course.id}" and _inbox(first_user) == []


def test_hr_of_the_holders_area_hears_his_certificate_suspended_and_revoked(app, exam_course, make_cert_type,
                                                                            make_trainee, make_user):
    course, exam = exam_course
    make_cert_type(course=course)
    user, worker = make_trainee(course)
    hr = make_user("district_hr", Role.HR, area=worker.area.code[:6])
    far_hr = make_user("far_hr", Role.HR, area="320199")
    hr.locale = "zh_CN"
    with app.test_request_context():
        sit_exam(exam, right=5, user=user, worker=worker)
        (certificate,) = db.session.scalars(sa.select(Certificate).where(Certificate.worker_id == worker.id))
        revoke_certificate(certificate, hr, reason="Forged evidence")
    (message,) = _inbox(hr)
    assert message.kind == "certificate.hr_revoked"
    assert message.title == f"{worker.name} 的证书 {certificate.number} 已撤销"
    assert message.link == f"/certificates/{certificate.id}" and _inbox(far_hr) == []


def test_a_cases_yellow_then_red_light_tells_its_handlers_once_each(app, cases_world):
    w = cases_world
    w.handler.locale = "zh_CN"
    with app.test_request_context(), clock.frozen_time(MONDAY_10):
        case = _dispatched_to_the_department(w)
    with clock.frozen_time(MONDAY_10 + timedelta(hours=1)):
        assert notify_case_lights() == []  # far from its time limit
    for moment in (case.stage_yellow_at, case.stage_yellow_at + timedelta(minutes=10), case.stage_due_at):
        with clock.frozen_time(moment + timedelta(minutes=1)):
            notify_case_lights()
    yellow, red = _inbox(w.handler)[1:]  # after "dispatched to you"
    assert yellow.kind == "case.yellow_light" and yellow.title == f"黄灯：事件 {case.number}"
    assert red.kind == "case.red_light" and red.title == f"红灯：事件 {case.number}" and red.link == f"/cases/{case.id}"
    assert [m.kind for m in _inbox(w.handler2)] == []  # the other department holds no task


def test_a_dissatisfied_return_visit_tells_the_dispatcher_who_dispatched_it(app, cases_world):
    w = cases_world
    w.dispatcher.locale = "zh_CN"
    with app.test_request_context(), clock.frozen_time(MONDAY_10):
        case = _dispatched_to_the_department(w)
        (task,) = case.tasks
        ops.start_task(task, w.handler)
        ops.finish_task(task, w.handler, "Replaced the cover")
        ops.verify_case(case, w.trainee, True)
        ops.record_return_visit(case, w.dispatcher2, Satisfaction.DISSATISFIED, "Still loose")
    (message,) = [m for m in _inbox(w.dispatcher) if m.kind == "case.dissatisfied"]
    assert message.title == f"回访不满意：事件 {case.number}" and message.link == f"/cases/{case.id}"
    assert [m for m in _inbox(w.dispatcher2) if m.kind == "case.dissatisfied"] == []  # he recorded it


def test_a_session_moved_or_cancelled_tells_the_courses_enrolled_trainees_in_the_citys_time(app, make_course,
                                                                                         make_user):
    course = make_course()
    course.title = "消防安全"
    enrolled_user, waiting_user = make_user("enrolled", Role.TRAINEE), make_user("waiting", Role.TRAINEE)
    enrolled_user.locale, waiting_user.locale = "zh_CN", "zh_CN"
    english = make_user("english", Role.TRAINEE)
    english.locale = "en"
    request_enrollment(course, create_worker(user=enrolled_user), None)
    request_enrollment(course, create_worker(user=english), None)
    course.capacity = 2
    assert request_enrollment(course, create_worker(user=waiting_user), None).state == EnrollmentState.WAITLISTED
    instructor = make_user("teacher", Role.INSTRUCTOR)
    # 17:30 UTC on 1 June is 01:30 on 2 June in Shanghai: the message names the city's day.
    session = add_session(course, instructor, starts_at=datetime(2026, 6, 1, 17, 30, tzinfo=UTC), hours=Decimal(2),
                          place="社区党群服务中心", topic="巡查")
    with app.test_request_context():
        change_session(session, instructor, starts_at=session.starts_at, hours=Decimal(2), place="社区党群服务中心",
                       topic="巡查实务")  # only the topic: nobody needs to come at another time
        assert _inbox(enrolled_user) == []
        change_session(session, instructor, starts_at=datetime(2026, 6, 2, 17, 30, tzinfo=UTC), hours=Decimal(3),
                       place="街道会议室", topic="巡查实务")
        cancel_session(session, instructor)
    changed, cancelled = _inbox(enrolled_user)
    assert changed.kind == "training.session_changed" and changed.title == "消防安全 的面授课已变更"
    assert changed.body == "改为 2026-06-03 01:30，3 小时，地点：街道会议室。"
    assert cancelled.kind == "training.session_cancelled" and cancelled.title == "消防安全 的面授课已取消"
    assert cancelled.body == "原定 2026-06-03 01:30 在 街道会议室 的面授课不再举行。"
    assert cancelled.link == f"/courses/{course.id}"
    assert [m.title for m in _inbox(english)] == ["Session of 消防安全 changed", "Session of 消防安全 cancelled"]
    assert _inbox(waiting_user) == [] and _inbox(instructor) == []
    assert db.session.get(ClassSession, session.id) is None


def test_a_session_whose_attendance_is_taken_can_be_neither_changed_nor_cancelled(app, make_course, make_user):
    course = make_course()
    user = make_user("enrolled", Role.TRAINEE)
    enrollment = request_enrollment(course, create_worker(user=user), None)
    session = add_session(course, None, starts_at=datetime(2026, 6, 1, 1, tzinfo=UTC), hours=Decimal(2), place="A",
                          topic="B")
    take_attendance(session, None, {enrollment.id})
    with app.test_request_context():
        with pytest.raises(EnrollmentError):
            change_session(session, None, starts_at=session.starts_at, hours=Decimal(4), place="C", topic="B")
        with pytest.raises(EnrollmentError):
            cancel_session(session, None)
    assert db.session.get(ClassSession, session.id) is not None and _inbox(user) == []


def test_the_unit_that_asked_for_more_time_hears_the_dispatchers_decision_in_the_citys_time(app, cases_world):
    w = cases_world
    w.handler.locale = "zh_CN"
    with app.test_request_context(), clock.frozen_time(MONDAY_10):
        case = _dispatched_to_the_department(w)
        (task,) = case.tasks
        granted = ops.request_extension(task, w.handler, 2, "Parts on order")
        ops.decide_extension(granted, w.dispatcher, True)
        refused = ops.request_extension(task, w.handler, 1, "Again")
        ops.decide_extension(refused, w.dispatcher, False)
    _dispatched, yes, no = _inbox(w.handler)
    due = task.due_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert yes.kind == "case.extension_decided" and yes.title == f"事件 {case.number} 延期已批准"
    assert yes.body == f"任务的新办理时限为 {due}。" and yes.link == f"/cases/{case.id}"
    assert no.title == f"事件 {case.number} 延期被拒绝" and _inbox(w.dispatcher) == []
