"""Staff log-ins from an .xlsx written as a person fills it (Chinese headers, roles in Chinese,
a number-typed area code, trailing blank rows): all rows or none, problems named by row, the
department handler joined to his department, and the page with its template."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from academy.accounts.models import User
from academy.audit import AuditEntry
from academy.cases.models import DepartmentMember
from academy.extensions import db
from academy.permissions import Role
from academy.registry.exchange.reader import FileProblem
from academy.registry.operations import import_staff
from tests.fixtures.registry import create_department
from tests.support import log_in, post_form

HEADERS = ["用户名", "姓名", "角色", "区域编码", "职能部门"]


def workbook(rows: list[list], headers=HEADERS) -> bytes:
    """As a person fills it in Excel: typed numbers stay numbers, a few empty rows trail."""
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for _ in range(3):
        sheet.append([None] * len(headers))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def staff_rows(community):
    create_department("320102", name="玄武区城市管理局", code="XWCG")
    return [["Zhang.HR", "张敏", "人事", 320102, None],
            ["li-teach", "李老师", "讲师", "320102", ""],
            ["wang.disp", "王调度", "dispatcher", 320102002, None],
            ["zhao.cg", "赵处置", "职能部门", 320102, "玄武区城市管理局"],
            ["qian.ld", "钱领导", "领导", 3201, None]]


def _grants(username: str) -> list[tuple[str, str]]:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    return [(grant.role.value, grant.area_code) for grant in user.grants]


def test_a_filled_workbook_creates_every_log_in_with_role_area_and_department(hr_user, staff_rows):
    result = import_staff("staff.xlsx", workbook(staff_rows), hr_user)
    assert result.ok, result.problems
    assert result.created == 5 and result.summary() == "5 staff log-ins created."
    assert _grants("zhang.hr") == [("hr", "320102")]
    assert _grants("li-teach") == [("instructor", "320102")]
    assert _grants("wang.disp") == [("dispatcher", "320102002")]
    assert _grants("qian.ld") == [("viewer", "3201")]
    handler = db.session.scalar(sa.select(User).where(User.username == "zhao.cg"))
    assert handler.display_name == "赵处置" and handler.password_hash.startswith("!")  # no usable password
    member = db.session.scalar(sa.select(DepartmentMember).where(DepartmentMember.user_id == handler.id))
    assert member.department.code == "XWCG"
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "staff.import"))


def test_bilingual_headers_in_another_order_and_english_role_names(hr_user, community):
    headers = ["区域编码 / Area code", "Role", "Username", "Name"]
    assert import_staff("s.xlsx", workbook([["320102", "Human resources", "hr2", "周"]], headers), hr_user).ok
    assert _grants("hr2") == [("hr", "320102")]


@pytest.mark.parametrize("change, message", [
    ((2, 2, "厨师"), "Row 3: Unknown role 厨师"),
    ((2, 3, 999999), "Row 3: No area with code 999999."),
    ((2, 3, "abc"), "Row 3: Not a code of"),
    ((2, 0, "zhang.hr"), "Row 3: The username zhang.hr is taken."),
    ((2, 0, "有 空格"), "Row 3: A username has 1 to 40"),
    ((2, 1, None), "Row 3: 姓名 is missing."),
    ((4, 4, None), "Row 5: A department handler needs a department."),
    ((4, 4, "不存在的局"), "Row 5: No department 不存在的局"),
    ((2, 4, "XWCG"), "Row 3: Only a department handler has a department."),
    ((2, 1, "王\x7f五"), "Row 3: 姓名: Holds a character that cannot be stored (U+007F"),
])
def test_a_bad_row_is_named_and_nothing_is_imported(hr_user, staff_rows, count_rows, change, message):
    index, column, value = change
    staff_rows[index - 1][column] = value
    users, members = count_rows(User), count_rows(DepartmentMember)
    result = import_staff("staff.xlsx", workbook(staff_rows), hr_user)
    assert not result.ok and any(problem.startswith(message) for problem in result.problems), result.problems
    assert result.created == 0
    assert (count_rows(User), count_rows(DepartmentMember)) == (users, members)


def test_an_existing_username_is_a_row_problem(hr_user, staff_rows):
    result = import_staff("staff.xlsx", workbook(staff_rows[:1]), hr_user)
    assert result.ok
    again = import_staff("staff.xlsx", workbook(staff_rows[:1]), hr_user)
    assert again.problems == ["Row 2: The username zhang.hr is taken."]


def test_a_district_hr_creates_staff_in_his_district_only(hr_user, staff_rows, other_community):
    staff_rows[1][3] = 320104
    result = import_staff("staff.xlsx", workbook(staff_rows), hr_user, scopes=["320102"])
    assert result.problems == ["Row 3: Area 320104 lies outside the areas you may edit.",
                               "Row 6: Area 3201 lies outside the areas you may edit."]


@pytest.mark.parametrize("data", [b"not a workbook", workbook([["x", "y", "hr", 1]], ["who", "what", "角色", "区域编码"]),
                                  workbook([], [None])])
def test_files_that_cannot_be_read_are_refused_with_a_message(hr_user, data):
    with pytest.raises(FileProblem):
        import_staff("staff.xlsx", data, hr_user)


def test_the_page_imports_and_shows_row_problems(client, make_user, staff_rows, count_rows):
    make_user("hr1", Role.HR)
    log_in(client, "hr1")
    page = client.get("/registry/staff/import").get_data(as_text=True)
    assert 'name="file"' in page and "/registry/staff/template.xlsx" in page

    def post(data: bytes, name: str = "staff.xlsx"):
        return post_form(client, "/registry/staff/import", {"file": (io.BytesIO(data), name)},
                         token_from="/registry/staff/import", content_type="multipart/form-data")

    staff_rows[2][2] = "厨师"
    users = count_rows(User)
    response = post(workbook(staff_rows))
    assert response.status_code == 400 and "第 4 行" in response.get_data(as_text=True) and count_rows(User) == users
    assert post(b"junk").status_code == 400 and post(b"junk", "staff.exe").status_code == 400
    staff_rows[2][2] = "调度员"
    response = post(workbook(staff_rows))
    assert response.status_code == 302 and count_rows(User) == users + 5


def test_the_template_reads_back_as_a_staff_workbook(client, make_user, community):
    make_user("hr1", Role.HR)
    log_in(client, "hr1")
    data = client.get("/registry/staff/template.xlsx").data
    sheet = load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[1]][:3] == ["用户名 / Username", "姓名 / Name", "角色 / Role"]
    result = import_staff("template.xlsx", data, None)
    assert result.ok and _grants("zhang.hr") == [("hr", "320102")]
