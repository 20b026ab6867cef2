"""The demo city's courses on the first syllabus, a few enrollments and mandatory training."""
from __future__ import annotations

from datetime import timedelta

from academy.registry.models import WorkerStatus
from courses.enrollment import operations, training
from courses.enrollment.models import CourseKind, CourseStatus, Delivery, LessonsRequired

# (code, title, kind, delivery, branch district, unit codes, capacity, description)
COURSES = [
    ("GA-PRE-2026-01", "新录用网格员岗前培训（2026年第一期）", CourseKind.PRE_SERVICE, Delivery.BLENDED, "320102",
     ["M1.1", "M1.2", "M1.3", "M2.1", "M2.2", "M2.3", "M3.1", "M3.2", "M3.3", "M4.1", "M4.2", "M4.3",
      "M5.1", "M5.2", "M6.1", "M6.2", "M7.1", "M7.2"], 40,
     "面向新录用网格员的岗前培训，覆盖统一教学大纲全部单元，线上学习与集中面授相结合，结业考试合格后方可申请上岗资格证。"),
    ("GA-ON-DISPUTE", "矛盾纠纷排查调解专题", CourseKind.IN_SERVICE, Delivery.ONLINE, "320102",
     ["M4.1", "M4.2", "M4.3"], 60, "在岗网格员轮训课程：纠纷排查、现场调解技巧和“吹哨报到”联动，可在手机上学习。"),
    ("GA-ON-HAZARD", "安全隐患识别与应急处置", CourseKind.IN_SERVICE, Delivery.ONLINE, "320104",
     ["M3.2", "M3.3", "M7.1", "M7.2"], 2, "消防、燃气、电动自行车等常见隐患识别，事件上报闭环和突发事件先期处置。"),
    ("GA-SP-MEDIATOR", "网格调解员专项培训", CourseKind.SPECIALIST, Delivery.CLASSROOM, "320102",
     ["M4.2", "M4.3", "M1.3"], 20, "面向承担调解任务的网格员的专项面授课程，需先完成矛盾纠纷排查调解专题。"),
]

# What completes each course. The online courses complete with their lessons (their syllabus hours are
# more than their lessons credit: the course page says so, and the rest counts when they complete);
# the pre-service course also asks for its final exam; the classroom course is recorded by the
# instructor (no rule), from attendance and the practical day.
RULES = {
    "GA-PRE-2026-01": {"completion_lessons": LessonsRequired.ALL, "completion_final": True},
    "GA-ON-DISPUTE": {"completion_lessons": LessonsRequired.ALL},
    "GA-ON-HAZARD": {"completion_lessons": LessonsRequired.ALL},
}


def _workers(demo: dict) -> list:
    workers = demo.get("workers") or []
    return list(workers.values()) if isinstance(workers, dict) else list(workers)


def create_demo_courses(demo: dict) -> None:
    """Courses on the current syllabus; enrolments and mandatory training when the registry has workers."""
    version, branches = demo.get("syllabus"), demo.get("branches") or {}
    if version is None or not branches:
        return
    users = demo.get("users", {})
    instructor = users.get("instructor")
    units = {unit.code: unit for unit in version.units}
    today = operations.today()
    courses = {}
    for code, title, kind, delivery, district, codes, capacity, description in COURSES:
        branch = branches.get(district) or next(iter(branches.values()))
        course = operations.save_course(
            None, None, branch=branch, version=version, units=[units[c] for c in codes],
            instructors=[instructor] if instructor else [], prerequisites=[courses["GA-ON-DISPUTE"]] if code == "GA-SP-MEDIATOR" else [],
            code=code, title=title, description=description, kind=kind, delivery=delivery, capacity=capacity,
            self_enrol=kind != CourseKind.PRE_SERVICE, enrol_opens_on=today - timedelta(days=30),
            enrol_closes_on=today + timedelta(days=60), starts_on=today - timedelta(days=7),
            ends_on=today + timedelta(days=90), prerequisite_certificate="", **RULES.get(code, {}))
        operations.set_course_status(course, None, CourseStatus.PUBLISHED)
        courses[code] = course
    demo["courses"] = courses
    _enrol_workers(demo, courses, users.get("hr"))


def _enrol_workers(demo: dict, courses: dict, hr) -> None:
    workers = [w for w in _workers(demo) if w.status != WorkerStatus.EXITED]
    if not workers:
        return
    today = operations.today()
    own_course = {w.id for w in (demo.get("second_district") or {}).get("workers", [])}  # its branch's course
    recruits = [w for w in workers if w.status in (WorkerStatus.RECRUITED, WorkerStatus.IN_TRAINING)
                and w.id not in own_course]
    demo["pre_service_assignments"] = [
        training.assign_training(worker, courses["GA-PRE-2026-01"], hr, due_on=today + timedelta(days=45),
                                 reason="新录用网格员岗前培训") for worker in recruits]
    on_duty = [w for w in workers if w.status == WorkerStatus.ON_DUTY]
    for index, worker in enumerate(on_duty[:8]):
        operations.request_enrollment(courses["GA-ON-DISPUTE"], worker, hr, source="hr")
        if index < 3:  # an overdue mandatory course, for HR's overdue list
            training.assign_training(worker, courses["GA-ON-HAZARD"], hr, due_on=today - timedelta(days=5 + index),
                                     reason="年度安全隐患轮训")
