"""Access rows of the indicators: pages for trainees, leaders, departments; schemes; refresh."""
from __future__ import annotations

import sqlalchemy as sa

from academy.cases.models import DepartmentMember
from academy.extensions import db
from academy.indicators.operations import ensure_scheme
from academy.registry.models import Worker
from tests.access import Access

LEADERS_HOME = {"admin": 200, "hr": 200, "viewer": 200}
ALL_PAGES = ("admin", "trainee", "trainee_other", "hr", "hr_other", "viewer", "viewer_other", "department",
             "department_other")


def build(world) -> None:
    world["ind_worker"] = db.session.scalar(sa.select(Worker).where(Worker.user_id == world.users["trainee"].id))
    world["ind_dept"] = db.session.scalar(sa.select(DepartmentMember).where(
        DepartmentMember.user_id == world.users["department"].id)).department
    world["ind_scheme"] = ensure_scheme()


ACCESS = [
    Access("indicators.index", "/indicators/", {role: 302 for role in ALL_PAGES}),
    Access("indicators.help", "/indicators/help", {role: 200 for role in ALL_PAGES}),
    Access("indicators.worker", lambda w: f"/indicators/workers/{w['ind_worker'].id}",
           {**LEADERS_HOME, "trainee": 200}),
    Access("indicators.worker", "/indicators/workers/999999", {"admin": 404, "trainee": 404, "hr": 404, "viewer": 404,
                                                             "trainee_other": 404, "hr_other": 404, "viewer_other": 404}),
    Access("indicators.worker", lambda w: f"/indicators/workers/{w['ind_worker'].id}?period=2026-13",
           {"admin": 400, "trainee": 400, "hr": 400, "viewer": 400}),
    Access("indicators.area", "/indicators/areas/320102?period=2026-03", LEADERS_HOME),
    Access("indicators.area", "/indicators/areas/999999", {"admin": 404, "hr": 404, "hr_other": 404, "viewer": 404,
                                                         "viewer_other": 404}),
    Access("indicators.ranking", "/indicators/areas/320102/ranking.xlsx?period=2026-03", LEADERS_HOME),
    Access("indicators.departments", "/indicators/departments",
           {role: 200 for role in ("admin", "hr", "hr_other", "viewer", "viewer_other", "department", "department_other")}),
    Access("indicators.department", lambda w: f"/indicators/departments/{w['ind_dept'].id}",
           {**LEADERS_HOME, "department": 200}),
    Access("indicators.schemes", "/indicators/schemes", {"admin": 200}),
    Access("indicators.scheme", lambda w: f"/indicators/schemes/{w['ind_scheme'].id}", {"admin": 200}),
    Access("indicators.refresh", "/indicators/refresh", {"admin": 302}, method="POST", data={"period": "2026-03"}),
]
