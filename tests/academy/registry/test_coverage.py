"""The coverage page's findings and staffing table, the slots it offers, the public notice
board, the import page with its background job, and the demo city."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from academy.contributions import contribute
from academy.extensions import db
from academy.jobs import Job, JobStatus
from academy.permissions import Role
from academy.registry import operations as ops
from academy.registry.coverage import coverage_report
from academy.registry.models import AssignmentRole, Employment, Grid, WorkerStatus
from tests.academy.registry.workbooks import city_rows, xlsx
from tests.support import log_in, post_form, read_chart


def keyed(report):
    return {finding.key: finding for finding in report["findings"]}


def test_each_failure_is_found(make_grid, make_worker, make_assignment, hr_user):
    covered, empty, big = make_grid("320102001001"), make_grid("320102001001"), make_grid("320102001002", households=900)
    other_district = make_grid("320104001001")
    double = make_worker("320102")
    make_assignment(double, covered)
    make_assignment(double, big)
    make_assignment(make_worker("320102", employment=Employment.PART_TIME), empty, AssignmentRole.PART_TIME)
    idle = make_worker("320102")
    ended = make_grid("320102001002")
    holder = make_worker("320102")
    make_assignment(holder, ended)
    ops.update_grid(ended, hr_user, valid_to=date(2025, 1, 1))
    findings = keyed(coverage_report(["320102"]))
    assert [r["label"].split()[0] for r in findings["uncovered"].rows] == [empty.code]
    assert findings["multiple"].count == 1 and double.number in findings["multiple"].rows[0]["label"]
    assert [r["label"].split()[0] for r in findings["households"].rows] == [big.code]
    assert idle.number in {r["label"].split()[0] for r in findings["idle"].rows}
    assert [r["label"].split()[0] for r in findings["ended"].rows] == [ended.code]
    assert other_district.code not in str(coverage_report(["320102"]))
    assert keyed(coverage_report(["320102"], households=(100, 1000)))["households"].count == 0


def test_staffing_table_counts_grids_workers_and_vacancies(make_grid, make_worker, make_assignment):
    grids = [make_grid("320102001001") for _ in range(3)]
    make_grid("320104001001")
    worker = make_worker("320102")
    make_assignment(worker, grids[0])
    make_assignment(make_worker("320102"), grids[1], AssignmentRole.FULL_TIME)
    rows = {row.code: row for row in coverage_report(None)["staffing"]}
    assert (rows["320102"].grids, rows["320102"].full_time, rows["320102"].vacancies) == (3, 2, 1)
    assert (rows["320104"].grids, rows["320104"].full_time, rows["320104"].vacancies) == (1, 0, 1)
    assert round(rows["320102"].ratio, 2) == 0.67 and rows["320102"].households_per_worker == 450


def test_the_page_shows_findings_chart_and_contributed_findings(app, client, make_user, make_grid):
    make_grid("320102001001")
    make_user("viewer1", Role.VIEWER, area="320102")
    seen = []

    def certificates(scopes):
        seen.append(scopes)
        return [{"title": "Workers without a certificate", "count": 2, "rows": [{"label": "W1 张三", "url": "/x"}]}]

    slots = app.extensions["academy.slots"].items
    saved = list(slots["coverage_findings"])
    contribute(app, "coverage_findings", certificates)
    try:
        log_in(client, "viewer1")
        page = client.get("/registry/coverage").get_data(as_text=True)
    finally:
        slots["coverage_findings"] = saved
    data, head, rows = read_chart(page, "staffing")  # one district, its one grid without a full-time worker
    assert head[1:] == ["每格不足 1 人", "每格 1 人及以上"] and [row[1:] for row in rows] == [["0.00", "—"]]
    assert [s["values"] for s in data["series"]] == [[0.0], [None]] and data["reference"]["value"] == 1.0
    assert "Workers without a certificate" in page and "W1 张三" in page
    assert seen == [["320102"]]
    assert client.get("/registry/coverage?area=320104").status_code == 403
    assert client.get("/registry/coverage?area=abc").status_code in (403, 404)
    assert client.get("/registry/coverage?min=abc&max=-4").status_code == 200


def test_the_notice_board_is_public_printable_and_discreet(client, make_grid, make_worker, make_assignment):
    grid = make_grid("320102001001", name="大行宫第一网格")
    grid.boundary_east = "太平北路"
    worker = make_worker("320102", name="王芳")
    make_assignment(worker, grid)
    page = client.get(f"/board/{grid.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "大行宫第一网格" in html and "太平北路" in html and "王芳" in html and worker.phone in html
    assert "<svg" in html and "<path" in html  # the QR code, inline
    assert worker.id_number_masked not in html and worker.number not in html
    assert "js/registry.js" in html and "<script>" not in html
    assert client.get("/board/abc").status_code == 404


def test_a_small_import_with_a_bad_row_shows_the_row_and_writes_nothing(client, make_user, count_rows):
    make_user("hr1", Role.HR)
    log_in(client, "hr1")
    rows = city_rows()
    rows["grids"][1]["code"] = "32010200200100X"
    response = post_form(client, "/registry/import", {"file": (__import__("io").BytesIO(xlsx(rows)), "city.xlsx")},
                         token_from="/registry/import", content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'data-testid="import-problems"' in html and '<td class="text-end">3</td>' in html
    assert count_rows(Grid) == 0
    response = post_form(client, "/registry/import", {"file": (__import__("io").BytesIO(b"junk"), "city.xlsx")},
                         token_from="/registry/import", content_type="multipart/form-data")
    assert response.status_code == 400 and 'data-testid="import-problem"' in response.get_data(as_text=True)
    response = post_form(client, "/registry/import", {"file": (__import__("io").BytesIO(b"junk"), "city.exe")},
                         token_from="/registry/import", content_type="multipart/form-data")
    assert response.status_code == 400


def test_a_large_import_runs_as_a_job_with_progress(client, make_user, run_jobs, count_rows, monkeypatch):
    import io

    from academy.registry.views import exchange

    monkeypatch.setattr(exchange, "LARGE_IMPORT_ROWS", 3)
    make_user("hr1", Role.HR)
    log_in(client, "hr1")
    response = post_form(client, "/registry/import", {"file": (io.BytesIO(xlsx(city_rows())), "city.xlsx")},
                         token_from="/registry/import", content_type="multipart/form-data")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    assert count_rows(Grid) == 0
    assert run_jobs() == 1
    db.session.expire_all()
    job = db.session.scalar(sa.select(Job).where(Job.kind == "registry.import"))
    assert job.status == JobStatus.DONE and job.result["ok"] and count_rows(Grid) == 3
    from academy.registry.jobs import upload_folder

    assert list(upload_folder().iterdir()) == []  # the stored upload is removed once imported
    status = client.get(response.headers["Location"] + "/status.json").get_json()
    assert status["finished"] and status["percent"] == 100


def test_templates_are_downloadable(client, make_user):
    make_user("hr1", Role.HR)
    log_in(client, "hr1")
    assert client.get("/registry/import/template.xlsx").data[:2] == b"PK"
    gb = client.get("/registry/import/template.csv?sheet=workers&encoding=gb18030").data
    assert "身份证号 / National ID number" in gb.decode("gb18030")
    assert client.get("/registry/import/template.csv?sheet=../../x").status_code == 404


def test_the_demo_city_has_real_findings(app):
    from citydata.demo.accounts import create_demo_users
    from citydata.demo.registry import build_demo_registry

    demo: dict = {}
    create_demo_users(demo)
    build_demo_registry(demo)
    assert {"320102", "320104", "320105"} <= set(demo["areas"]) and len(demo["grids"]) >= 40
    assert {g.kind.value for g in demo["grids"]} == {"comprehensive", "exclusive"}
    assert demo["departments"] and demo["workers"]
    trainee = next(w for w in demo["workers"] if w.user_id == demo["users"]["trainee"].id)
    assert trainee.area.code.startswith("320102") and trainee.status == WorkerStatus.IN_TRAINING
    findings = keyed(coverage_report(None))
    assert all(findings[key].count >= 1 for key in ("uncovered", "multiple", "households", "idle", "ended"))
