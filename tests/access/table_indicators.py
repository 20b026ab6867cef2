"""Access rows of the indicators: pages for trainees, leaders, departments; schemes; refresh."""
from __future__ import annotations

import sqlalchemy as sa

from academy.cases.models import DepartmentMember
from academy.extensions import db
from academy.indicators.operations import ensure_scheme
from academy.registry.queries import worker_of_user
from tests.access import Access
from tests.fixtures.cases import add_member, create_department
from tests.fixtures.registry import assign, create_grid, create_worker

LEADERS_HOME = {"admin": 200, "hr": 200, "viewer": 200}
ALL_PAGES = ("admin", "trainee", "trainee_other", "hr", "hr_other", "viewer", "viewer_other", "department",
             "department_other")


def build(world) -> None:
    """Nothing yet: the objects are made on first use (``made``), after every table's builder, so
    they stand on the case and registry tables' workers and departments when those exist."""


def _worker(user, district: str):
    worker = worker_of_user(user)
    if worker is None:
        worker = create_worker(district, user=user)
        assign(worker, create_grid(f"{district}001001"))
    return worker


def _department(user, district: str):
    member = db.session.scalar(sa.select(DepartmentMember).where(DepartmentMember.user_id == user.id))
    return member.department if member else add_member(user, create_department(district)).department


def made(world):
    """The indicator world, built once per test the first time a row needs it."""
    if "ind_worker" in world.objects:
        return world
    try:  # the case table's own world, when it is built on first use too
        from tests.access.table_cases import made as cases_made
    except ImportError:
        cases_made = None
    if cases_made is not None:
        cases_made(world)
    world["ind_worker"] = _worker(world.users["trainee"], "320102")
    _worker(world.users["trainee_other"], "320104")
    world["ind_dept"] = _department(world.users["department"], "320102")
    _department(world.users["department_other"], "320104")
    world["ind_scheme"] = ensure_scheme()
    return world


ACCESS = [
    Access("indicators.index", lambda w: made(w) and "/indicators/", {role: 302 for role in ALL_PAGES}),
    Access("indicators.help", lambda w: made(w) and "/indicators/help", {role: 200 for role in ALL_PAGES}),
    Access("indicators.worker", lambda w: f"/indicators/workers/{made(w)['ind_worker'].id}",
           {**LEADERS_HOME, "trainee": 200}),
    Access("indicators.worker", "/indicators/workers/999999", {"admin": 404, "trainee": 404, "hr": 404, "viewer": 404,
                                                             "trainee_other": 404, "hr_other": 404, "viewer_other": 404}),
    Access("indicators.worker", lambda w: f"/indicators/workers/{made(w)['ind_worker'].id}?period=2026-13",
           {"admin": 400, "trainee": 400, "hr": 400, "viewer": 400}),
    Access("indicators.area", "/indicators/areas/320102?period=2026-03", LEADERS_HOME),
    Access("indicators.area", "/indicators/areas/999999", {"admin": 404, "hr": 404, "hr_other": 404, "viewer": 404,
                                                         "viewer_other": 404}),
    Access("indicators.ranking", "/indicators/areas/320102/ranking.xlsx?period=2026-03", LEADERS_HOME),
    Access("indicators.departments", "/indicators/departments",
           {role: 200 for role in ("admin", "hr", "hr_other", "viewer", "viewer_other", "department", "department_other")}),
    Access("indicators.department", lambda w: f"/indicators/departments/{made(w)['ind_dept'].id}",
           {**LEADERS_HOME, "department": 200}),
    Access("indicators.schemes", "/indicators/schemes", {"admin": 200}),
    Access("indicators.scheme", lambda w: f"/indicators/schemes/{made(w)['ind_scheme'].id}", {"admin": 200}),
    Access("indicators.refresh", "/indicators/refresh", {"admin": 302}, method="POST", data={"period": "2026-03"}),
]
