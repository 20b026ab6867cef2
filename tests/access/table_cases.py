"""Access rows of the case module: pages, workflow steps, administration, patrols, Open311."""
from __future__ import annotations

from academy.cases import clock, photos
from academy.cases import operations as ops
from academy.cases.models import CasePhoto, Channel, FieldType, Level
from academy.cases.people import grids_of
from academy.extensions import db
from academy.registry.models import Grid
from academy.registry.queries import worker_of_user
from tests.access import Access, everyone
from tests.fixtures.cases import add_member, create_category, create_department
from tests.fixtures.registry import assign, create_grid, create_worker

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CASE_ROLES = ("admin", "trainee", "trainee_other", "dispatcher", "dispatcher_other", "department", "department_other",
              "viewer", "viewer_other")


def build(world) -> None:
    """Nothing yet: the case objects are made on first use (``made``), after every table's builder,
    so that they can stand on the registry table's grids and trainee workers when it has them."""


def _worker(user, district: str):
    """The user's worker with a current grid: the registry table's if it made one, else a new one."""
    worker = worker_of_user(user) or create_worker(district, user=user)
    grids = grids_of(worker)
    if not grids:
        grid = db.session.query(Grid).filter(Grid.code.like(f"{district}%")).first() or create_grid(f"{district}001001")
        assign(worker, grid)
        grids = [grid]
    return worker, grids[0]


def made(world):
    """The case world, built once per test the first time a row needs it."""
    if "case" in world.objects:
        return world
    users = world.users
    worker, grid = _worker(users["trainee"], "320102")
    _worker(users["trainee_other"], "320104")
    dept, other_dept = create_department("320102"), create_department("320104")
    add_member(users["department"], dept)
    world["member"] = add_member(users["department_other"], other_dept)
    category = create_category()
    world["category"] = category
    world["field"] = ops.add_category_field(category, None, code="pole", description="Lamp post number",
                                            datatype=FieldType.STRING, required=False, position=1, choices=None)
    case = ops.report_case(ops.Report(category=category, title="Blocked drain", description="Water on the road",
                                      channel=Channel.WORKER, grid=grid, worker=worker), users["trainee"])
    ops.accept_case(case, users["dispatcher"])
    ops.dispatch_case(case, users["dispatcher"], ops.Dispatch(Level.DEPARTMENT, [(dept, None)]))
    task = case.tasks[0]
    ops.sign_task(task, users["department"])
    world["extension"] = ops.request_extension(task, users["department"], 2, "Parts on order")
    db.session.add(CasePhoto(case_id=case.id, stored_name=photos.store(PNG, "image/png"), content_type="image/png",
                             size=len(PNG)))
    db.session.flush()
    world["task"], world["grid"] = task, grid
    world["photo"] = db.session.query(CasePhoto).filter_by(case_id=case.id).one()
    world["patrol"] = ops.start_patrol(worker, grid, users["trainee"])
    world["holiday"] = ops.set_holiday(None, clock.now().date().replace(month=10, day=1), "National Day", False)
    world["open311"] = ops.report_case(ops.Report(category=category, title="Street light out", description="Dark",
                                                  channel=Channel.OPEN311, area_code="320102"), None)
    world["case"] = case
    db.session.flush()
    return world


def obj(name: str):
    return lambda w: made(w)[name]


CASE_READERS = {role: 200 for role in CASE_ROLES}
SEES_CASE = {"admin": 200, "trainee": 200, "dispatcher": 200, "department": 200, "viewer": 200}
ADMIN = {"admin": 200}
PUBLIC = everyone(200, anonymous=200)


def at(path: str):
    """A fixed URL whose page still needs the case world (a trainee's worker, a grid...)."""
    return lambda w: made(w) and path


def _case(w) -> str:
    return f"/cases/{made(w)['case'].id}"


ACCESS = [
    Access("cases.index", at("/cases"), CASE_READERS),
    Access("cases.board", at("/cases/board"), {r: 200 for r in ("admin", "dispatcher", "dispatcher_other", "viewer", "viewer_other")}),
    Access("cases.mine", at("/cases/mine"), CASE_READERS),
    Access("cases.show", _case, SEES_CASE),
    Access("cases.photo", lambda w: f"{_case(w)}/photos/{made(w)['photo'].id}", SEES_CASE),
    Access("cases.act", lambda w: f"{_case(w)}/do/supervise", {"admin": 302, "dispatcher": 302, "viewer": 302},
           method="POST", data={"note": "Hurry up"}),
    Access("cases.task_act", lambda w: f"{_case(w)}/tasks/{made(w)['task'].id}/start", {"admin": 302, "department": 302},
           method="POST", data={"note": ""}),
    Access("cases.decide_extension", lambda w: f"{_case(w)}/extensions/{made(w)['extension'].id}",
           {"admin": 302, "dispatcher": 302}, method="POST", data={"decision": "yes"}),
    Access("cases.report", at("/cases/report"), {"trainee": 200, "trainee_other": 200}),
    # Where the phone is: a worker's JSON (a trainee without a worker record gets 403, see test_report_place).
    Access("cases.report_place", at("/cases/report/place?lat=32.05&lon=118.78"), {"trainee": 200, "trainee_other": 200}),
    Access("cases.hotline", at("/cases/hotline"), {"admin": 200, "dispatcher": 200, "dispatcher_other": 200}),
    Access("cases.categories", at("/cases/admin/categories"), ADMIN),
    Access("cases.category", at("/cases/admin/categories/new"), ADMIN),
    Access("cases.category", lambda w: f"/cases/admin/categories/{made(w)['category'].id}", ADMIN),
    Access("cases.add_category_field", lambda w: f"/cases/admin/categories/{made(w)['category'].id}/fields",
           {"admin": 302}, method="POST",
           data={"code": "floor", "description": "Which floor?", "datatype": "number", "position": "2"}),
    Access("cases.retire_category_field",
           lambda w: f"/cases/admin/categories/{made(w)['category'].id}/fields/{made(w)['field'].id}/retire",
           {"admin": 302}, method="POST"),
    Access("cases.calendar", at("/cases/admin/calendar"), ADMIN),
    Access("cases.add_holiday", at("/cases/admin/holidays"), {"admin": 302}, method="POST",
           data={"day": "2026-05-01", "name": "Labour Day"}),
    Access("cases.remove_holiday", lambda w: f"/cases/admin/holidays/{made(w)['holiday'].id}/remove", {"admin": 302},
           method="POST"),
    Access("cases.members", at("/cases/admin/members"), ADMIN),
    Access("cases.remove_member", lambda w: f"/cases/admin/members/{made(w)['member'].id}/remove", {"admin": 302},
           method="POST"),
    Access("cases.fieldwork", at("/patrols"), {"trainee": 200, "trainee_other": 200}),
    # The trainee's patrol is still running (400: end it first); the other trainee's grid is not his (400).
    Access("cases.start_patrol", at("/patrols/start"), {"trainee": 400, "trainee_other": 400}, method="POST",
           data=lambda w: {"grid": str(made(w)["grid"].id)}),
    Access("cases.end_patrol", lambda w: f"/patrols/{made(w)['patrol'].id}/end", {"trainee": 302}, method="POST"),
    Access("cases.record_visit", at("/visits"), {"trainee": 302, "trainee_other": 400}, method="POST",
           data=lambda w: {"grid": str(made(w)["grid"].id), "household": "No. 3, Room 201", "purpose": "routine"}),
    Access("cases.compliance", at("/patrols/compliance"),
           {r: 200 for r in CASE_ROLES if not r.startswith("department")}),
    Access("open311.discovery", at("/open311/v2/discovery.xml"), PUBLIC),
    Access("open311.services", at("/open311/v2/services.json"), PUBLIC),
    Access("open311.service_definition", lambda w: f"/open311/v2/services/{made(w)['open311'].category.code}.xml",
           PUBLIC),
    Access("open311.request_list", at("/open311/v2/requests.json"), PUBLIC),
    Access("open311.request_detail", lambda w: f"/open311/v2/requests/{made(w)['open311'].number}.json", PUBLIC),
    Access("open311.create_request", at("/open311/v2/requests.json"), everyone(403, anonymous=403), method="POST"),
    Access("open311.token", at("/open311/v2/tokens/abc.json"), everyone(404, anonymous=404)),
    Access("open311.request_updates", at("/open311/v2/servicerequestupdates.xml"), everyone(403, anonymous=403)),
]
