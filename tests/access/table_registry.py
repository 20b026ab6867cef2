"""Access rows of the registry: district HR edits its district only, viewers read, trainees
see their own worker record, the notice board is public."""
from __future__ import annotations

from academy.registry.operations import set_worker_photo
from tests.access import Access, everyone
from tests.fixtures.registry import assign, create_department, create_grid, create_worker, photo_bytes


def build(world) -> None:
    """Areas, grids and workers in 320102 (home) and 320104 (other); trainees linked to workers."""
    world["grid"] = create_grid("320102001001", name="玄武测试网格")
    world["grid_other"] = create_grid("320104001001", name="秦淮测试网格")
    world["worker"] = create_worker("320102", name="王芳", user=world.users["trainee"])
    world["worker_other"] = create_worker("320104", name="李强", user=world.users["trainee_other"])
    world["grid_assignment"] = assign(world["worker"], world["grid"])
    world["grid_assignment_other"] = assign(world["worker_other"], world["grid_other"])
    world["department"] = create_department("320102", name="玄武区城市管理局")
    set_worker_photo(world["worker"], None, photo_bytes())


READ = {"admin": 200, "hr": 200, "hr_other": 200, "viewer": 200, "viewer_other": 200}
HR = {"admin": 200, "hr": 200, "hr_other": 200}
HOME_READ = {"admin": 200, "hr": 200, "viewer": 200}  # an object in 320102: *_other get 403
HOME_HR = {"admin": 200, "hr": 200}


def grid_url(suffix: str = ""):
    return lambda w: f"/registry/grids/{w['grid'].id}{suffix}"


def worker_url(suffix: str = ""):
    return lambda w: f"/registry/workers/{w['worker'].id}{suffix}"


ACCESS = [
    Access("registry.areas", "/registry/areas", READ),
    Access("registry.new_area", "/registry/areas", {"admin": 302, "hr": 302}, method="POST",
           data={"code": "320102009", "name": "测试街道"}),
    Access("registry.new_area", "/registry/areas", {"admin": 302}, method="POST",
           data={"code": "320106", "name": "测试区"}),  # a new district needs a city-wide grant
    Access("registry.departments", "/registry/departments", READ),
    Access("registry.new_department", "/registry/departments", {"admin": 302, "hr": 302}, method="POST",
           data={"code": "T-1", "name": "测试部门", "area": "320102"}),
    Access("registry.edit_department", lambda w: f"/registry/departments/{w['department'].id}",
           {"admin": 302, "hr": 302}, method="POST", data={"name": "玄武区城管局", "active": "y"}),
    Access("registry.coverage", "/registry/coverage", READ),
    Access("registry.coverage", "/registry/coverage?area=320102", HOME_READ),
    Access("registry.notice_board", lambda w: f"/board/{w['grid'].code}", everyone(200, anonymous=200)),
    Access("registry.notice_board", "/board/999999999999999", everyone(404, anonymous=404)),
    Access("registry.import_page", "/registry/import", HR),
    Access("registry.import_page", "/registry/import", {"admin": 400, "hr": 400, "hr_other": 400}, method="POST"),
    Access("registry.import_template", "/registry/import/template.xlsx", HR),
    Access("registry.staff_import", "/registry/staff/import", HR),
    Access("registry.staff_import", "/registry/staff/import", {"admin": 400, "hr": 400, "hr_other": 400}, method="POST"),
    Access("registry.staff_template", "/registry/staff/template.xlsx", HR),
    Access("registry.export_list", "/registry/export/grids.xlsx", READ),
    Access("registry.export_list", "/registry/export/workers.csv?area=320102", HOME_READ),
    Access("registry.grids", "/registry/grids", READ),
    Access("registry.new_grid", "/registry/grids/new", HR),
    Access("registry.grid", grid_url(), HOME_READ),
    Access("registry.edit_grid", grid_url("/edit"), HOME_HR),
    Access("registry.retire_grid", grid_url("/retire"), {"admin": 400, "hr": 400}, method="POST"),
    Access("registry.split_grid", grid_url("/split"), HOME_HR),
    Access("registry.workers", "/registry/workers", READ),
    Access("registry.workers", "/registry/workers", READ, method="POST", data={"q": "王"}),
    Access("registry.new_worker", "/registry/workers/new", HR),
    Access("registry.worker", worker_url(), HOME_READ | {"trainee": 200}),
    Access("registry.my_record", "/registry/me", everyone(404, trainee=302, trainee_other=302)),
    Access("registry.edit_worker", worker_url("/edit"), HOME_HR),
    Access("registry.worker_status", worker_url("/status"), {"admin": 400, "hr": 400}, method="POST"),
    Access("registry.reveal_id_number", worker_url("/id-number"), HOME_HR, method="POST"),
    Access("registry.worker_accounts", "/registry/workers/accounts?area=320102", HR),
    Access("registry.worker_accounts", "/registry/workers/accounts", {"admin": 200, "hr": 200, "hr_other": 400},
           method="POST", data={"area": "320102", "status": "on_duty"}),
    Access("registry.create_worker_account", worker_url("/account"), {"admin": 302, "hr": 302}, method="POST"),
    Access("registry.new_assignment", worker_url("/assignments"), {"admin": 400, "hr": 400}, method="POST"),
    # The photo: whoever sees the worker sees it; HR who edits him, or he himself, changes it.
    Access("registry.worker_photo", worker_url("/photo"), HOME_READ | {"trainee": 200}),
    Access("registry.worker_photo", lambda w: f"/registry/workers/{w['worker_other'].id}/photo",
           {"admin": 404, "hr_other": 404, "viewer_other": 404, "trainee_other": 404}),  # none on his record
    Access("registry.upload_worker_photo", worker_url("/photo"), {"admin": 400, "hr": 400, "trainee": 400},
           method="POST"),  # no file sent: the form's error
    Access("registry.remove_worker_photo", worker_url("/photo/remove"), {"admin": 302, "hr": 302, "trainee": 302},
           method="POST"),
    Access("registry.end_assignment", lambda w: f"/registry/assignments/{w['grid_assignment'].id}/end",
           {"admin": 400, "hr": 400}, method="POST"),
]
