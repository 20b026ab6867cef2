"""The demo city's second district, 鼓楼区, with staff of its own: ``hr2``, ``instructor2``,
``dispatcher2``, ``viewer2`` and the trainee ``trainee2``, each granted only this district (the
first demo users are city-wide). It has its own streets, communities, grids, departments, workers
on duty and in training, a branch academy whose trainer is ``instructor2`` with a pre-service
course of its own, and a few workers whose log-ins were created but never used: they wait for an
activation letter, so HR (``hr2``) can print one and the activation page can be tried.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from flask import current_app

from academy.accounts.operations import create_user, grant_role
from academy.permissions import Role
from academy.registry import operations
from academy.registry.models import AssignmentRole, WorkerStatus
from citydata.demo.registry import build_area_tree, comprehensive_grid, new_worker
from courses.enrollment import training
from courses.enrollment.models import CourseKind, CourseStatus, Delivery
from courses.enrollment.operations import save_course, set_course_status, today
from courses.syllabus.operations import add_trainer, create_branch

DISTRICT = ("320106", "鼓楼区")
TREE = {
    DISTRICT: {
        ("320106002", "宁海路街道"): [("320106002001", "山西路社区"), ("320106002002", "江苏路社区")],
        ("320106003", "湖南路街道"): [("320106003001", "马台街社区"), ("320106003002", "青岛路社区")],
    },
}
STAFF = {  # username: role, display name
    "hr2": (Role.HR, "鼓楼区人事专员"),
    "instructor2": (Role.INSTRUCTOR, "鼓楼分院培训讲师"),
    "dispatcher2": (Role.DISPATCHER, "鼓楼区指挥中心调度员"),
    "viewer2": (Role.VIEWER, "鼓楼区领导（只读）"),
    "trainee2": (Role.TRAINEE, "鼓楼区网格员学员"),
}
DEPARTMENTS = [("GL-CG", "鼓楼区城市管理局"), ("GL-SCJG", "鼓楼区市场监督管理局")]
BRANCH = ("FY-GL", "鼓楼分院")
COURSE = ("GA-PRE-GL-2026-01", "鼓楼区新录用网格员岗前培训（2026年第一期）",
          "鼓楼分院为本区新录用网格员开设的岗前培训：统一教学大纲的基础单元，结业考试合格后方可申请上岗资格证。")
AWAITING = 3  # workers whose log-in waits for its activation letter


def build_second_district(demo: dict) -> None:
    """The district's staff, registry and workers, recorded in ``demo`` (its workers join
    ``demo["workers"]``, so the later steps give them cases, training and certificates)."""
    rng = random.Random(3206)
    by = demo.get("users", {}).get("admin")
    city = demo.get("areas", {}).get("3201")
    areas = build_area_tree(by, TREE, city)
    demo.setdefault("areas", {}).update(areas)
    staff = _staff(demo)
    communities = [code for code in areas if len(code) == 12]
    grids = [comprehensive_grid(areas[code], by, rng, serial) for code in communities for serial in (1, 2)]
    workers = _workers(by, areas, grids, rng)
    workers[-1 - AWAITING].user_id = staff["trainee2"].id  # trainee2 is the first worker in training
    operations.create_worker_accounts(workers[-AWAITING:], staff["hr2"])  # never signed in: awaiting activation
    demo["departments"] = list(demo.get("departments") or []) + [
        operations.create_department(by, code=code, name=name, area=areas[DISTRICT[0]]) for code, name in DEPARTMENTS]
    demo.setdefault("grids", []).extend(grids)
    demo.setdefault("workers", []).extend(workers)
    demo["second_district"] = {"code": DISTRICT[0], "staff": staff, "workers": workers,
                               "awaiting": workers[-AWAITING:]}


def _staff(demo: dict) -> dict:
    password = current_app.config["DEMO_PASSWORD"]
    users = demo.setdefault("users", {})
    for username, (role, name) in STAFF.items():
        users[username] = create_user(username, password, by=None, display_name=name)
        grant_role(users[username], role, by=None, area_code=DISTRICT[0], area_label=DISTRICT[1])
    return {username: users[username] for username in STAFF}


def _workers(by, areas: dict, grids: list, rng: random.Random) -> list:
    """A full-time worker on duty on each grid; then four in training, auxiliary on a grid each
    (the first is trainee2's record; the last three wait for their activation letters)."""
    start, workers = date(2025, 9, 1), []
    for n, grid in enumerate(grids):
        worker = new_worker(by, areas, rng, 400 + n, DISTRICT[0])
        operations.put_on_duty(worker, by, "持证上岗")
        operations.assign_worker(worker, grid, by, role=AssignmentRole.FULL_TIME, starts_on=start)
        workers.append(worker)
    for n, grid in enumerate(grids[:1 + AWAITING]):
        recruit = new_worker(by, areas, rng, 450 + n, DISTRICT[0])
        operations.change_status(recruit, WorkerStatus.IN_TRAINING, by, "参加岗前培训")
        operations.assign_worker(recruit, grid, by, role=AssignmentRole.AUXILIARY, starts_on=start)
        workers.append(recruit)
    return workers


def create_district_course(demo: dict) -> None:
    """The district's branch academy, ``instructor2`` in its trainer pool, and its pre-service course
    with the district's workers in training assigned to it (after the city's courses)."""
    district = demo.get("second_district")
    version = demo.get("syllabus")
    if district is None or version is None:
        return
    staff, areas = district["staff"], demo["areas"]
    branch = create_branch(None, code=BRANCH[0], name=BRANCH[1], area=areas[DISTRICT[0]])
    demo.setdefault("branches", {})[DISTRICT[0]] = branch
    add_trainer(staff["instructor2"], None, branch=branch, qualifications="社会工作师",
                                    specialties=["M1.1", "M2.1"])
    units = [unit for unit in version.units if unit.code.split(".")[0] in ("M1", "M2", "M3")]
    start = today()
    course = save_course(
        None, None, branch=branch, version=version, units=units, instructors=[staff["instructor2"]], prerequisites=[],
        code=COURSE[0], title=COURSE[1], description=COURSE[2], kind=CourseKind.PRE_SERVICE, delivery=Delivery.BLENDED,
        capacity=30, self_enrol=False, enrol_opens_on=start - timedelta(days=14), enrol_closes_on=start + timedelta(days=60),
        starts_on=start, ends_on=start + timedelta(days=75), prerequisite_certificate="")
    set_course_status(course, None, CourseStatus.PUBLISHED)
    for worker in district["workers"]:
        if worker.status == WorkerStatus.IN_TRAINING:
            training.assign_training(worker, course, staff["hr2"], due_on=start + timedelta(days=45),
                                     reason="鼓楼区新录用网格员岗前培训")
    demo.setdefault("courses", {})[COURSE[0]] = course
