"""Access rows of the case module: pages, workflow steps, administration, patrols, Open311."""
from __future__ import annotations

from academy.cases import clock, photos
from academy.cases import operations as ops
from academy.cases.models import CasePhoto, Channel, Level
from academy.extensions import db
from tests.access import Access, everyone
from tests.fixtures.cases import add_member, create_category, create_department
from tests.fixtures.registry import assign, create_grid, create_worker

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CASE_ROLES = ("admin", "trainee", "trainee_other", "dispatcher", "dispatcher_other", "department", "department_other",
              "viewer", "viewer_other")


def build(world) -> None:
    users = world.users
    grid, other_grid = create_grid("320102001001"), create_grid("320104001001")
    worker = create_worker("320102", user=users["trainee"])
    assign(worker, grid)
    assign(create_worker("320104", user=users["trainee_other"]), other_grid)
    dept, other_dept = create_department("320102"), create_department("320104")
    add_member(users["department"], dept)
    world["member"] = add_member(users["department_other"], other_dept)
    category = create_category()
    world["category"] = category
    case = ops.report_case(ops.Report(category=category, title="Blocked drain", description="Water on the road",
                                      channel=Channel.WORKER, grid=grid, worker=worker), users["trainee"])
    ops.accept_case(case, users["dispatcher"])
    ops.dispatch_case(case, users["dispatcher"], ops.Dispatch(Level.DEPARTMENT, [(dept, None)]))
    task = case.tasks[0]
    ops.sign_task(task, users["department"])
    world["extension"] = ops.request_extension(task, users["department"], 2, "Parts on order")
    db.session.add(CasePhoto(case_id=case.id, stored_name=photos.store(PNG, "image/png"), content_type="image/png",
                             size=len(PNG)))
    world["case"], world["task"], world["grid"] = case, task, grid
    world["photo"] = case.photos[0] if case.photos else None
    db.session.flush()
    world["photo"] = db.session.query(CasePhoto).filter_by(case_id=case.id).one()
    world["patrol"] = ops.start_patrol(worker, grid, users["trainee"])
    world["holiday"] = ops.set_holiday(None, clock.now().date().replace(month=10, day=1), "National Day", False)
    world["open311"] = ops.report_case(ops.Report(category=category, title="Street light out", description="Dark",
                                                  channel=Channel.OPEN311, area_code="320102"), None)


CASE_READERS = {role: 200 for role in CASE_ROLES}
SEES_CASE = {"admin": 200, "trainee": 200, "dispatcher": 200, "department": 200, "viewer": 200}
ADMIN = {"admin": 200}
PUBLIC = everyone(200, anonymous=200)


def _case(w) -> str:
    return f"/cases/{w['case'].id}"


ACCESS = [
    Access("cases.index", "/cases", CASE_READERS),
    Access("cases.board", "/cases/board", {r: 200 for r in ("admin", "dispatcher", "dispatcher_other", "viewer", "viewer_other")}),
    Access("cases.mine", "/cases/mine", CASE_READERS),
    Access("cases.show", _case, SEES_CASE),
    Access("cases.photo", lambda w: f"{_case(w)}/photos/{w['photo'].id}", SEES_CASE),
    Access("cases.act", lambda w: f"{_case(w)}/do/supervise", {"admin": 302, "dispatcher": 302, "viewer": 302},
           method="POST", data={"note": "Hurry up"}),
    Access("cases.task_act", lambda w: f"{_case(w)}/tasks/{w['task'].id}/start", {"admin": 302, "department": 302},
           method="POST", data={"note": ""}),
    Access("cases.decide_extension", lambda w: f"{_case(w)}/extensions/{w['extension'].id}",
           {"admin": 302, "dispatcher": 302}, method="POST", data={"decision": "yes"}),
    Access("cases.report", "/cases/report", {"trainee": 200, "trainee_other": 200}),
    Access("cases.hotline", "/cases/hotline", {"admin": 200, "dispatcher": 200, "dispatcher_other": 200}),
    Access("cases.categories", "/cases/admin/categories", ADMIN),
    Access("cases.category", "/cases/admin/categories/new", ADMIN),
    Access("cases.category", lambda w: f"/cases/admin/categories/{w['category'].id}", ADMIN),
    Access("cases.calendar", "/cases/admin/calendar", ADMIN),
    Access("cases.add_holiday", "/cases/admin/holidays", {"admin": 302}, method="POST",
           data={"day": "2026-05-01", "name": "Labour Day"}),
    Access("cases.remove_holiday", lambda w: f"/cases/admin/holidays/{w['holiday'].id}/remove", {"admin": 302},
           method="POST"),
    Access("cases.members", "/cases/admin/members", ADMIN),
    Access("cases.remove_member", lambda w: f"/cases/admin/members/{w['member'].id}/remove", {"admin": 302},
           method="POST"),
    Access("cases.fieldwork", "/patrols", {"trainee": 200, "trainee_other": 200}),
    # The trainee's patrol is still running (400: end it first); the other trainee's grid is not his (400).
    Access("cases.start_patrol", "/patrols/start", {"trainee": 400, "trainee_other": 400}, method="POST",
           data=lambda w: {"grid": str(w["grid"].id)}),
    Access("cases.end_patrol", lambda w: f"/patrols/{w['patrol'].id}/end", {"trainee": 302}, method="POST"),
    Access("cases.record_visit", "/visits", {"trainee": 302, "trainee_other": 400}, method="POST",
           data=lambda w: {"grid": str(w["grid"].id), "household": "No. 3, Room 201", "purpose": "routine"}),
    Access("cases.compliance", "/patrols/compliance",
           {r: 200 for r in CASE_ROLES if not r.startswith("department")}),
    Access("open311.services", "/open311/v2/services.json", PUBLIC),
    Access("open311.request_list", "/open311/v2/requests.json", PUBLIC),
    Access("open311.request_detail", lambda w: f"/open311/v2/requests/{w['open311'].number}.json", PUBLIC),
    Access("open311.create_request", "/open311/v2/requests.json", everyone(401, anonymous=401), method="POST"),
]
