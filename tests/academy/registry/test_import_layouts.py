"""Rosters as Excel and WPS users make them: a merged title and blank rows above the header, a
two-level merged header, a 序号 column, the usual header names, extra sheets, full-width digits,
ID numbers stored as numbers, CSV in GB18030 with characters lost to "?", and UTF-16 text."""
from __future__ import annotations

import io

import openpyxl
import sqlalchemy as sa

from academy.extensions import db
from academy.jobs.models import Job, JobStatus
from academy.permissions import Role
from academy.registry.exchange.importer import import_registry
from academy.registry.models import Worker
from academy.registry.operations import find_worker_by_id_number
from tests.academy.registry.workbooks import ID_A, ID_B, city_rows, xlsx
from tests.support import log_in, post_form

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def areas_first(hr_user):
    rows = city_rows()
    assert import_registry("areas.xlsx", xlsx({"areas": rows["areas"]}), hr_user).ok


def roster_workbook(*, id_as_number: bool = False) -> bytes:
    """A 花名册 as people fill it: title merged over the width, a blank row, a two-level header
    (基本信息 / 工作信息 over their columns, 序号 and 姓名 merged down), a notes sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["玄武区网格员花名册（2024年）"])
    sheet.merge_cells("A1:J1")
    sheet.append([])
    sheet.append(["序号", "姓名", "基本信息", None, None, None, "工作信息", None, None, None])
    sheet.append([None, None, "身份证号码", "性别", "手机号码", "文化程度", "政治面貌", "用工性质", "所属区域编码", "入职时间"])
    for column in "AB":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("C3:F3")
    sheet.merge_cells("G3:J3")
    first_id = int(ID_A) if id_as_number else ID_A.translate(FULL_WIDTH)
    sheet.append([1, "王芳", first_id, "女", 13912345678, "本科", "中共党员", "专职", "３２０１０２００２", "2023年3月1日"])
    sheet.append([2, "张伟", ID_B, None, "13800001111", "大专", "群众", "兼职", 320102, "2022-07-15"])
    other = book.create_sheet("填表说明")
    other.append(["请按身份证号填写，勿改动表头。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_roster_with_title_two_level_header_and_extra_sheet_is_imported_and_explained(hr_user):
    areas_first(hr_user)
    result = import_registry("花名册.xlsx", roster_workbook(), hr_user)
    assert result.ok, result.problems
    assert result.created["workers"] == 2
    wang = find_worker_by_id_number(ID_A)  # typed in full-width digits
    assert wang.name == "王芳" and wang.phone == "13912345678" and wang.area.code == "320102002"
    assert wang.hired_on.isoformat() == "2023-03-01" and wang.education.value == "bachelor"
    notes = " ".join(result.notes)
    assert "填表说明" in notes                      # the extra sheet, named
    assert "2 rows above the header" in notes      # the title and the blank row
    assert "rows 3 and 4" in notes                 # the two-level header
    assert "序号" in notes and "身份证号码 → " in notes and "用工性质 → " in notes
    assert "full-width digits in 2 cells" in notes


def test_an_id_number_stored_as_a_number_is_refused_with_the_fix(hr_user, count_rows):
    areas_first(hr_user)
    result = import_registry("花名册.xlsx", roster_workbook(id_as_number=True), hr_user)
    assert not result.ok and count_rows(Worker) == 0
    [problem] = result.problems
    assert problem.sheet == "花名册" and problem.row == 5 and "format the column as text" in problem.message


def roster_csv(rows: list[list[str]]) -> str:
    return "\n".join(",".join(row) for row in rows) + "\n"


HEADER = ["序号", "姓名", "身份证号码", "手机号码", "文化程度", "政治面貌", "用工性质", "所属区域编码", "入职时间"]


def test_a_gb18030_csv_with_a_title_row_imports(hr_user):
    areas_first(hr_user)
    text = roster_csv([["网格员名单", "", "", "", "", "", "", "", ""], HEADER,
                       ["1", "王芳", ID_A, "13912345678", "本科", "中共党员", "专职", "320102002", "2023-03-01"]])
    result = import_registry("名单.csv", text.encode("gb18030"), hr_user)
    assert result.ok, result.problems
    assert find_worker_by_id_number(ID_A).name == "王芳"


def test_characters_lost_to_gbk_are_named_and_nothing_is_written(hr_user, count_rows):
    areas_first(hr_user)
    # 王𠮷 saved to GBK by a tool that writes "?" for what GBK cannot hold
    text = roster_csv([HEADER, ["1", "王?", ID_A, "13912345678", "本科", "中共党员", "专职", "320102002", "2023-03-01"]])
    result = import_registry("名单.csv", text.encode("gbk"), hr_user)
    assert not result.ok and count_rows(Worker) == 0
    assert [p.row for p in result.problems] == [2] and "GBK" in result.problems[0].message
    lost_header = roster_csv([["??", "??", "?????"], ["1", "x", "y"]]).encode("gbk")
    try:
        import_registry("名单.csv", lost_header, hr_user)
    except Exception as error:  # noqa: BLE001 (the refusal's words are what is checked)
        assert "CSV UTF-8" in str(error)
    else:
        raise AssertionError("a header lost to GBK was accepted")


def test_a_utf16_text_file_with_bom_is_read_and_said_so(hr_user):
    areas_first(hr_user)
    text = "\t".join(HEADER) + "\r\n" + "\t".join(["1", "王芳", ID_A, "13912345678", "本科", "中共党员", "专职",
                                                  "320102002", "2023-03-01"]) + "\r\n"
    result = import_registry("unicode.csv", text.encode("utf-16"), hr_user)  # Python writes the BOM
    assert result.ok, result.problems
    assert any("UTF-16" in note for note in result.notes)
    assert find_worker_by_id_number(ID_A).name == "王芳"


def test_a_refused_import_job_reads_as_refused(client, make_user, run_jobs, monkeypatch, count_rows):
    from academy.registry.views import exchange

    monkeypatch.setattr(exchange, "LARGE_IMPORT_ROWS", 0)
    make_user("hr1", Role.HR)
    log_in(client, "hr1")
    rows = city_rows()
    rows["workers"][0]["id_number"] = "123"
    response = post_form(client, "/registry/import", {"file": (io.BytesIO(xlsx(rows)), "city.xlsx")},
                         token_from="/registry/import", content_type="multipart/form-data")
    assert response.status_code == 302
    assert run_jobs() == 1
    db.session.expire_all()
    job = db.session.scalar(sa.select(Job).where(Job.kind == "registry.import"))
    assert job.status == JobStatus.DONE and job.refused and count_rows(Worker) == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    state = page[page.find('data-testid="job-state">'):].split("</p>")[0]
    assert "已拒绝：" in state and "已完成" not in state and 'data-testid="job-refused"' in page
    assert client.get(response.headers["Location"] + "/status.json").get_json()["refused"] is True


def test_the_example_files_import(hr_user):
    """tests/data/registry: one example of each layout the README names, as users send them."""
    from pathlib import Path

    areas_first(hr_user)
    folder = Path(__file__).parents[2] / "data" / "registry"
    for path in sorted(folder.iterdir()):
        result = import_registry(path.name, path.read_bytes(), hr_user)
        assert result.ok, (path.name, result.problems)
        assert result.notes, path.name  # each says how it was read
    assert find_worker_by_id_number(ID_A).name == "王芳" and find_worker_by_id_number(ID_B).name == "张伟"
