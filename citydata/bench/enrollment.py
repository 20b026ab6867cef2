"""Enrollment's part of the benchmark city (the ``bench_data`` slot, order 41).

Courses go through the operations: each district's pre-service course (all units, at its branch,
taught by its instructor) and two city-wide in-service online courses. Enrolments are written in
bulk with the transitions the workflow takes (requested -> enrolled -> completed or failed),
within capacity and the enrolment window: trainees in training are on their district's
pre-service course, assigned to them as mandatory training with a due date (some overdue);
trainees on duty take the in-service courses, some finished, some still studying.
"""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from academy.accounts.models import User
from academy.extensions import db
from academy.registry.models import Worker
from citydata.bench.page import BenchPage
from citydata.bench.people import username
from courses.enrollment import operations
from courses.enrollment.models import (
    CourseKind,
    CourseStatus,
    Delivery,
    Enrollment,
    EnrollmentTransition,
    TrainingAssignment,
)
from courses.syllabus.models import Branch, SyllabusVersion

IN_SERVICE = [  # (key, title, units, share of trainees on duty taking it)
    ("DISPUTE", "矛盾纠纷排查调解专题", ["M4.1", "M4.2", "M4.3"], 0.7),
    ("HAZARD", "安全隐患识别与应急处置", ["M3.2", "M3.3", "M7.1", "M7.2"], 0.4),
]
OUTCOMES = (("completed", 55), ("failed", 10), ("enrolled", 35))


def _course(city, code: str, title: str, kind, delivery, units, branch_id: int, instructor_id: int, capacity: int):
    end = city.end.date()
    course = operations.save_course(
        None, None, branch=db.session.get(Branch, branch_id), version=db.session.get(SyllabusVersion, city.state["syllabus_id"]),
        units=units, instructors=[db.session.get(User, instructor_id)], prerequisites=[], code=code, title=title,
        description=f"{title}：基准城市课程。", kind=kind, delivery=delivery, capacity=min(max(capacity, 1), 10000),
        self_enrol=kind != CourseKind.PRE_SERVICE, enrol_opens_on=end - timedelta(days=90),
        enrol_closes_on=end + timedelta(days=30), starts_on=end - timedelta(days=90), ends_on=end + timedelta(days=60),
        prerequisite_certificate="")
    operations.set_course_status(course, None, CourseStatus.PUBLISHED)
    return course


def make_courses(city) -> tuple[dict[int, str], dict[str, int]]:
    """Course id -> kind key ("PRE", "DISPUTE", "HAZARD"), and district -> its pre-service course id."""
    units = {u.code: u for u in db.session.get(SyllabusVersion, city.state["syllabus_id"]).units}
    staff, districts, prefix = city.state["staff"], city.state["districts"], f"B{city.state['city_code']}"
    in_training = _trainees_by_district(city, "in_training")
    kinds, pre = {}, {}
    for district in districts:
        course = _course(city, f"{prefix}-PRE-{district}", f"新录用网格员岗前培训（{district}）", CourseKind.PRE_SERVICE,
                         Delivery.BLENDED, [u for u in units.values() if u.parent_id is not None],
                         city.state["branch_ids"][district], staff[username(city, "instructor", district)],
                         len(in_training.get(district, [])) + 20)
        kinds[course.id], pre[district] = "PRE", course.id
    for key, title, codes, _share in IN_SERVICE:
        course = _course(city, f"{prefix}-{key}", title, CourseKind.IN_SERVICE, Delivery.ONLINE, [units[c] for c in codes],
                         city.state["branch_ids"][districts[0]], staff[username(city, "instructor", districts[0])],
                         len(city.state["trainee_users"]) + 20)
        kinds[course.id] = key
    city.count("courses", len(kinds))
    return kinds, pre


def _trainees_by_district(city, status: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for worker in city.state["workers"]:
        if worker[3] is not None and city.state["worker_status"][worker[0]] == status:
            found.setdefault(worker[2][:6], []).append(worker)
    return found


def _enrol(city, course_id: int, worker, outcome: str, source: str) -> tuple:
    """One enrolment with its transitions; returns what lessons and exams need to know of it."""
    rng, end = city.rng, city.end
    enrolled = end - timedelta(days=rng.uniform(20, 80))
    finished = enrolled + timedelta(days=rng.uniform(5, 18)) if outcome != "enrolled" else None
    enrollment_id = city.writer.ids(Enrollment.__table__, 1).start
    city.writer.add(Enrollment.__table__, {
        "id": enrollment_id, "course_id": course_id, "worker_id": worker[0], "state": outcome, "source": source,
        "requested_at": enrolled, "enrolled_at": enrolled, "finished_at": finished,
        "result_note": {"completed": "结业考试合格", "failed": "结业考试未通过"}.get(outcome, "")})
    steps = [(None, "requested", enrolled), ("requested", "enrolled", enrolled)]
    if finished:
        steps.append(("enrolled", outcome, finished))
    for before, after, at in steps:
        city.writer.add(EnrollmentTransition.__table__, {"enrollment_id": enrollment_id, "from_state": before,
                                                         "to_state": after, "at": at, "by_id": worker[3]})
    city.count("enrollments")
    return (enrollment_id, course_id, worker[0], worker[3], outcome, enrolled, finished)


def run(city) -> None:
    """Courses, then the trainees' enrolments (mandatory pre-service, elective in-service)."""
    kinds, pre = make_courses(city)
    by_kind = {kind: course_id for course_id, kind in kinds.items() if kind != "PRE"}
    rng, enrollments, end = city.rng, [], city.end.date()
    for district, workers in _trainees_by_district(city, "in_training").items():
        for worker in workers:
            enrollments.append(_enrol(city, pre[district], worker, "enrolled", "mandatory"))
            city.writer.add(TrainingAssignment.__table__, {
                "worker_id": worker[0], "course_id": pre[district], "reason": "新录用网格员岗前培训",
                "due_on": end + timedelta(days=rng.randint(-10, 40))})
            city.count("training assignments")
    for workers in _trainees_by_district(city, "on_duty").values():
        for worker in workers:
            for key, _title, _units, share in IN_SERVICE:
                if rng.random() < share:
                    outcome = rng.choices([o for o, _w in OUTCOMES], [w for _o, w in OUTCOMES])[0]
                    enrollments.append(_enrol(city, by_kind[key], worker, outcome, "self"))
    city.state.update(course_kinds=kinds, enrollments=enrollments)


def trainee_enrollments(city_code: str, samples: int) -> list[tuple[str, Enrollment]]:
    """(username, enrolment) of sample trainees of the city who are still studying a course."""

    rows = db.session.execute(
        sa.select(User.username, Enrollment).join(Worker, Worker.user_id == User.id)
        .join(Enrollment, Enrollment.worker_id == Worker.id)
        .where(User.username.like(f"b{city_code}-t%"), Enrollment.state == "enrolled").order_by(User.username)).all()
    step = max(len(rows) // max(samples, 1), 1)
    return [(name, enrollment) for name, enrollment in rows[::step][:samples]]


def pages(city_code: str, samples: int) -> list:
    """The course page of sample trainees' courses (the ``bench_pages`` slot)."""
    return [BenchPage("course", name, f"/courses/{e.course_id}") for name, e in trainee_enrollments(city_code, samples)]
