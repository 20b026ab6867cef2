"""The registry's pages: forms with bad input, scoping by district, the audited ID reveal,
the trainee's own record, worker-page sections, and exports."""
from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa
from markupsafe import Markup

from academy.audit import AuditEntry
from academy.contributions import contribute
from academy.database import city_today
from academy.extensions import db
from academy.permissions import Role
from academy.registry import idnumbers
from academy.registry.models import Assignment, Grid, Worker
from tests.support import log_in, post_form


def test_hr_creates_a_grid_with_a_generated_code(client, make_user, community):
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    response = post_form(client, "/registry/grids/new", {
        "community": community.code, "kind": "comprehensive", "name": "大行宫第一网格", "households": "320",
        "residents": "900", "valid_from": "2024-01-01", "boundary_east": "太平北路"}, token_from="/registry/grids/new")
    assert response.status_code == 302
    db.session.expire_all()
    grid = db.session.scalar(sa.select(Grid).where(Grid.name == "大行宫第一网格"))
    assert grid.code == "320102002001001" and grid.boundary_east == "太平北路"
    # No boundary given: SQL NULL, so "grids without a boundary" finds it (not the JSON text 'null').
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Grid).where(
        Grid.name == "大行宫第一网格", Grid.boundary_geojson.is_(None))) == 1


def test_bad_grid_input_is_refused_and_nothing_is_created(client, make_user, community, count_rows):
    make_user("hr1", Role.HR)
    log_in(client, "hr1")
    for data in ({"community": community.code, "kind": "exclusive", "name": "学校", "households": "0", "valid_from": "2024-01-01"},
                 {"community": community.code, "kind": "comprehensive", "name": "x" * 101, "households": "1", "valid_from": "2024-01-01"},
                 {"community": "320104001001", "kind": "comprehensive", "name": "x", "households": "1", "valid_from": "2024-01-01"},
                 {"community": community.code, "kind": "comprehensive", "name": "<b>x</b>", "households": "-5", "valid_from": "x"},
                 {"community": community.code, "kind": "comprehensive", "name": "x", "households": "1", "valid_from": "2024-01-01",
                  "boundary_geojson": '{"type": "Point", "coordinates": [1, 2]}'}):
        response = post_form(client, "/registry/grids/new", data, token_from="/registry/grids/new")
        assert response.status_code == 400, data
    assert count_rows(Grid) == 0


def test_a_district_hr_cannot_reach_another_district(client, make_user, make_grid, make_worker):
    make_user("hr-qh", Role.HR, area="320104")
    grid, worker = make_grid("320102001001"), make_worker("320102")
    log_in(client, "hr-qh")
    assert client.get(f"/registry/grids/{grid.id}").status_code == 403
    assert client.get(f"/registry/workers/{worker.id}").status_code == 403
    assert client.get("/registry/export/workers.xlsx?area=320102").status_code == 403
    assert client.get("/registry/grids?area=320102").status_code == 403
    response = post_form(client, f"/registry/grids/{grid.id}/retire", {"on": "2030-01-01", "reason": "x"},
                         token_from="/registry/import")
    assert response.status_code == 403
    listing = client.get("/registry/workers").get_data(as_text=True)
    assert worker.number not in listing
    exported = client.get("/registry/export/grids.csv").get_data(as_text=True)
    assert grid.code not in exported


def test_revealing_an_id_number_is_a_post_for_hr_and_is_audited(app, client, make_user, make_worker):
    from academy import crypto

    worker = make_worker("320102")
    make_user("viewer1", Role.VIEWER)
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "viewer1")
    page = client.get(f"/registry/workers/{worker.id}").get_data(as_text=True)
    assert worker.id_number_masked in page and "id-number\" method" not in page
    assert "/id-number" not in page
    assert client.get(f"/registry/workers/{worker.id}/id-number").status_code == 405
    assert post_form(client, f"/registry/workers/{worker.id}/id-number",
                     token_from=f"/registry/workers/{worker.id}").status_code == 403
    hr_client = app.test_client()
    log_in(hr_client, "hr1")
    response = post_form(hr_client, f"/registry/workers/{worker.id}/id-number", token_from=f"/registry/workers/{worker.id}")
    assert response.status_code == 200
    assert crypto.decrypt(worker.id_number_encrypted) in response.get_data(as_text=True)
    db.session.expire_all()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "worker.reveal_id_number"))
    assert entry.actor_name == "hr1" and entry.object_id == str(worker.id)


def test_a_trainee_sees_only_his_own_record(client, make_user, make_worker):
    trainee = make_user("trainee1", Role.TRAINEE)
    own, other = make_worker("320102", user=trainee), make_worker("320102")
    log_in(client, "trainee1")
    assert client.get("/registry/me").headers["Location"].endswith(f"/registry/workers/{own.id}")
    page = client.get(f"/registry/workers/{own.id}")
    assert page.status_code == 200 and own.id_number_masked in page.get_data(as_text=True)
    assert client.get(f"/registry/workers/{other.id}").status_code == 403
    assert client.get("/registry/workers").status_code == 403


def test_worker_page_shows_contributed_sections(app, client, make_user, make_worker, make_grid, make_assignment):
    worker = make_worker("320102")
    make_assignment(worker, make_grid("320102001001", name="测试网格甲"))
    make_user("hr1", Role.HR)
    seen = []

    def section(shown_worker, viewer):
        seen.append((shown_worker.id, viewer.username))
        return {"title": "Training record", "html": Markup("<p>3 courses</p>")}

    slots = app.extensions["academy.slots"].items
    saved = list(slots["worker_sections"])
    contribute(app, "worker_sections", section, order=50)
    contribute(app, "worker_sections", lambda w, v: None, order=60)
    try:
        log_in(client, "hr1")
        page = client.get(f"/registry/workers/{worker.id}").get_data(as_text=True)
    finally:
        slots["worker_sections"] = saved
    assert "<p>3 courses</p>" in page and "测试网格甲" in page
    assert seen == [(worker.id, "hr1")]


def test_worker_forms_refuse_bad_input(client, make_user, community, count_rows):
    make_user("hr1", Role.HR)
    log_in(client, "hr1")
    good = {"name": "王芳", "gender": "female", "phone": "13912345678", "education": "bachelor",
            "political_status": "masses", "employment": "full_time", "area": "320102", "hired_on": "2023-03-01",
            "id_number": idnumbers.make_number("320102", date(1990, 1, 1), 5)}
    for change in ({"id_number": "110105194912310021"}, {"phone": "=cmd|' /C calc'!A0"}, {"name": ""},
                   {"hired_on": "2999-01-01"}, {"education": "phd"}, {"area": "320104"}, {"name": "王" * 51}):
        response = post_form(client, "/registry/workers/new", good | change, token_from="/registry/workers/new")
        assert response.status_code == 400, change
    assert count_rows(Worker) == 0
    assert post_form(client, "/registry/workers/new", good, token_from="/registry/workers/new").status_code == 302
    assert post_form(client, "/registry/workers/new", good, token_from="/registry/workers/new").status_code == 400
    assert count_rows(Worker) == 1


def test_assigning_through_the_page_keeps_the_rules(client, make_user, make_worker, make_grid, count_rows):
    make_user("hr1", Role.HR, area="320102")
    worker, grid, foreign = make_worker("320102"), make_grid("320102001001"), make_grid("320104001001")
    log_in(client, "hr1")
    url, page = f"/registry/workers/{worker.id}/assignments", f"/registry/workers/{worker.id}"
    data = {"grid_code": grid.code, "role": "full_time", "starts_on": "2024-05-01"}
    assert post_form(client, url, data, token_from=page).status_code == 302
    assert post_form(client, url, data | {"role": "leader"}, token_from=page).status_code == 400  # holds it already
    assert post_form(client, url, data | {"grid_code": foreign.code}, token_from=page).status_code == 400
    assert post_form(client, url, data | {"grid_code": "abc"}, token_from=page).status_code == 400
    assert count_rows(Assignment) == 1


def test_status_change_and_exit_through_the_page(client, make_user, make_worker):
    make_user("hr1", Role.HR)
    worker = make_worker("320102")
    log_in(client, "hr1")
    page = f"/registry/workers/{worker.id}"
    assert post_form(client, f"{page}/status", {"status": "on_duty", "reason": "x"}, token_from=page).status_code == 400
    assert post_form(client, f"{page}/status", {"status": "exited", "reason": "辞职", "on": city_today().isoformat()},
                     token_from=page).status_code == 302
    db.session.expire_all()
    assert db.session.get(Worker, worker.id).status.value == "exited"
    assert post_form(client, f"{page}/status", {"status": "suspended", "reason": "x"}, token_from=page).status_code == 400
    # A return (rehire) goes into training only.
    assert post_form(client, f"{page}/status", {"status": "in_training", "reason": "返聘"}, token_from=page).status_code == 302


def test_exports_neutralise_formulas_and_mask_id_numbers(client, make_user, make_worker):
    make_user("hr1", Role.HR)
    worker = make_worker("320102", name="=HYPERLINK(\"http://evil\")")
    worker.phone = "+8613912345678"
    db.session.flush()
    log_in(client, "hr1")
    for encoding in ("utf-8", "gb18030"):
        response = client.get(f"/registry/export/workers.csv?encoding={encoding}")
        assert response.status_code == 200
        text = response.data.decode("utf-8-sig" if encoding == "utf-8" else "gb18030")
        rows = list(csv.reader(io.StringIO(text)))
        row = next(r for r in rows if r[0] == worker.number)
        assert row[2] == "'=HYPERLINK(\"http://evil\")" and row[4] == "'+8613912345678"
        assert row[1] == worker.id_number_masked
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get("/registry/export/workers.xlsx").data))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert "=HYPERLINK(\"http://evil\")" in [cell.value for cell in cells]  # as typed, stored as text
    assert not any(cell.data_type == "f" for cell in cells)
    assert worker.id_number_masked in [cell.value for cell in cells]
    assert client.get("/registry/export/secrets.csv").status_code == 404
    assert client.get("/registry/export/workers.csv?encoding=latin-1").status_code == 404


def test_the_area_choices_slot_lists_districts_and_streets(app, community):
    from academy.accounts.queries import area_choices

    codes = [code for code, _label in area_choices()]
    assert "320102" in codes and "320102002" in codes and community.code not in codes


def test_a_new_area_needs_its_parent_and_the_right_scope(client, make_user, community, count_rows):
    from academy.registry.models import Area

    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    before = count_rows(Area)
    page = "/registry/areas"
    assert post_form(client, page, {"code": "320102002007", "name": "新社区"}, token_from=page).status_code == 302
    assert post_form(client, page, {"code": "320102099001", "name": "孤儿"}, token_from=page).status_code == 400
    assert post_form(client, page, {"code": "32010", "name": "x"}, token_from=page).status_code == 400
    assert post_form(client, page, {"code": "320104002", "name": "x"}, token_from=page).status_code == 403
    assert count_rows(Area) == before + 1


def test_departments_are_renamed_or_deactivated_in_their_district_only(client, make_user, make_department):
    from academy.registry.models import Department

    department, foreign = make_department("320102", name="城管"), make_department("320104", name="市场监管")
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    page = "/registry/departments"
    assert post_form(client, f"{page}/{department.id}", {"name": "玄武区城管局"}, token_from=page).status_code == 302
    assert post_form(client, f"{page}/{department.id}", {"name": "x" * 101}, token_from=page).status_code == 400
    assert post_form(client, f"{page}/{foreign.id}", {"name": "y", "active": "y"}, token_from=page).status_code == 403
    db.session.expire_all()
    assert (db.session.get(Department, department.id).name, db.session.get(Department, department.id).active) == ("玄武区城管局", False)
    assert db.session.get(Department, foreign.id).name == "市场监管"
