"""The registry import: all-or-nothing validation with sheet/row/column, idempotent re-import,
CSV in UTF-8 and GB18030, hostile files, the CLI, and large imports as background jobs."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from academy.registry.exchange.importer import import_registry
from academy.registry.exchange.reader import FileProblem
from academy.registry.models import Area, Assignment, AssignmentRole, Grid, Worker, WorkerStatus
from academy.registry.operations import find_worker_by_id_number
from tests.academy.registry.workbooks import ID_A, ID_B, city_rows, csv_file, xlsx

MODELS = (Area, Grid, Worker, Assignment)


def counts(count_rows):
    return tuple(count_rows(model) for model in MODELS)


def test_a_valid_workbook_is_imported(hr_user):
    result = import_registry("city.xlsx", xlsx(city_rows()), hr_user)
    assert result.ok, result.problems
    assert dict(result.created) == {"areas": 4, "grids": 3, "workers": 2, "assignments": 2}
    grid = db.session.scalar(sa.select(Grid).where(Grid.code == "320102002001001"))
    assert grid.community.name == "大行宫社区" and grid.households == 320 and grid.boundary_east == "太平北路"
    worker = find_worker_by_id_number(ID_A)
    assert worker.name == "王芳" and worker.status == WorkerStatus.RECRUITED and worker.id_number_masked.endswith(ID_A[-4:])
    assert find_worker_by_id_number(ID_B).gender.value in ("male", "female")  # read from the ID number
    leader = db.session.scalar(sa.select(Assignment).where(Assignment.role == AssignmentRole.LEADER))
    assert leader.grid.code == "320102002001002"
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "registry.import"))


def test_reimporting_the_same_file_changes_nothing(hr_user, count_rows):
    data = xlsx(city_rows())
    import_registry("city.xlsx", data, hr_user)
    before, audits = counts(count_rows), count_rows(AuditEntry)
    again = import_registry("city.xlsx", data, hr_user)
    assert again.ok and sum(again.created.values()) == 0 and sum(again.updated.values()) == 0
    assert counts(count_rows) == before
    assert count_rows(AuditEntry) == audits + 1  # only the import's own entry


def test_a_changed_value_updates_the_record_by_its_code(hr_user):
    import_registry("city.xlsx", xlsx(city_rows()), hr_user)
    rows = city_rows()
    rows["grids"][0]["households"] = 333
    result = import_registry("city.xlsx", xlsx(rows), hr_user)
    assert dict(result.updated) == {"grids": 1}
    assert db.session.scalar(sa.select(Grid.households).where(Grid.code == "320102002001001")) == 333


def test_every_problem_is_reported_with_sheet_row_and_column_and_nothing_is_written(hr_user, count_rows):
    rows = city_rows()
    rows["grids"][1]["code"] = "320102002009002"            # unknown community
    rows["grids"][2]["unit_type"] = ""                      # exclusive without a unit
    rows["workers"][1]["id_number"] = ID_B[:-1] + ("1" if ID_B[-1] != "1" else "2")  # bad check digit
    rows["workers"].append(dict(rows["workers"][0]))        # duplicate ID number
    rows["workers"][0]["hired_on"] = "2999-01-01"           # in the future
    rows["assignments"][0]["grid_code"] = "32010200200100"  # bad code
    before = counts(count_rows)
    result = import_registry("city.xlsx", xlsx(rows), hr_user)
    assert not result.ok
    found = {(p.sheet, p.row, p.column.split(" / ")[1]) for p in result.problems}
    assert {("网格 Grids", 3, "Grid code"), ("网格 Grids", 4, "Unit type"),
            ("网格员 Workers", 3, "National ID number"), ("网格员 Workers", 4, "National ID number"),
            ("网格员 Workers", 2, "Hired on"), ("任职 Assignments", 2, "Grid code")} <= found
    assert counts(count_rows) == before


def test_csv_files_in_utf8_and_gb18030(hr_user, community):
    rows = city_rows()["grids"]
    assert import_registry("grids.csv", csv_file("grids", rows[:1], "utf-8"), hr_user).ok
    gb = csv_file("grids", rows[1:2], "gb18030")
    with pytest.raises(UnicodeDecodeError):
        gb.decode("utf-8")
    assert import_registry("grids.csv", gb, hr_user).ok
    names = set(db.session.scalars(sa.select(Grid.name)))
    assert {"大行宫第一网格", "大行宫第二网格"} <= names


def test_an_exited_worker_cannot_be_assigned_by_import(hr_user):
    rows = city_rows()
    assignments = rows.pop("assignments")
    import_registry("city.xlsx", xlsx(rows), hr_user)
    worker = find_worker_by_id_number(ID_A)
    worker.status = WorkerStatus.EXITED
    result = import_registry("a.xlsx", xlsx({"assignments": assignments}), hr_user)
    assert [p.message for p in result.problems if p.row == 2][0].startswith(("An exited", "已退出"))


def test_overlapping_assignments_in_a_file_are_refused(hr_user):
    rows = city_rows()
    rows["assignments"].append({"id_number": ID_A, "grid_code": "320102002001001", "role": "网格长", "starts_on": "2024-06-01"})
    result = import_registry("city.xlsx", xlsx(rows), hr_user)
    assert [(p.row, p.column.split(" / ")[1]) for p in result.problems] == [(4, "Grid code")]


def test_a_district_hr_cannot_import_into_another_district(hr_user, count_rows):
    result = import_registry("city.xlsx", xlsx(city_rows()), hr_user, scopes=["320104"])
    assert not result.ok and any("320102" in p.message for p in result.problems)
    assert count_rows(Grid) == 0


@pytest.mark.parametrize("name, data", [
    ("city.xlsx", b"PK\x03\x04 this is not a workbook"),
    ("city.xlsx", b""),
    ("city.csv", b"a,b\x00,c"),
    ("city.csv", "完全不是模板,的表头\n1,2\n".encode()),
    ("city.xls", b"anything"),
    ("../../etc/passwd", b"x"),
])
def test_hostile_or_foreign_files_are_refused_with_a_message(hr_user, name, data):
    with pytest.raises(FileProblem) as error:
        import_registry(name, data, hr_user)
    assert str(error.value)


def test_oversized_and_hostile_cells_are_problems_not_crashes(hr_user, count_rows):
    rows = city_rows()
    rows["grids"][0]["name"] = "网" * 5000
    rows["grids"][1]["households"] = "=1+1"
    rows["workers"][0]["name"] = "王\t芳"
    result = import_registry("city.xlsx", xlsx(rows), hr_user)
    assert {p.column.split(" / ")[1] for p in result.problems} >= {"Grid name", "Households", "Name"}
    assert count_rows(Grid) == 0


def test_unknown_columns_are_reported(hr_user):
    rows = city_rows()
    data = csv_file("grids", rows["grids"]).replace("停用日期 / Valid to".encode(), b"Colour")
    result = import_registry("grids.csv", data, hr_user)
    assert [p.column for p in result.problems] == ["Colour"]


def test_the_cli_uses_the_same_import(app, hr_user, tmp_path):
    path = tmp_path / "city.xlsx"
    path.write_bytes(xlsx(city_rows()))
    result = app.test_cli_runner().invoke(args=["academy", "import-registry", str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count(Grid.id))) == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file("grids", [{"code": "1", "name": "x"}]))
    result = app.test_cli_runner().invoke(args=["academy", "import-registry", str(bad)])
    assert result.exit_code != 0 and "row 2" in result.output


def test_the_template_workbook_imports_after_its_examples_are_filled(hr_user):
    from openpyxl import load_workbook

    from academy.registry.exchange.export import template_xlsx

    workbook = load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames[:4] == ["区域 Areas", "网格 Grids", "网格员 Workers", "任职 Assignments"]
    assert workbook["网格 Grids"]["A1"].value == "网格编码 / Grid code"


@pytest.mark.parametrize("bad", ["\x01", "\x1b", "\x7f", "\x85"])
def test_cells_with_control_characters_are_row_problems_and_nothing_is_written(hr_user, community, count_rows, bad):
    rows = city_rows()["grids"]
    rows[1]["name"] = f"大行宫{bad}网格"
    result = import_registry("grids.csv", csv_file("grids", rows[:2], "utf-8"), hr_user)
    assert not result.ok and count_rows(Grid) == 0
    [problem] = result.problems
    assert problem.row == 3 and "cannot be stored" in problem.message and f"U+{ord(bad):04X}" in problem.message


def test_an_uploaded_name_with_bidi_controls_is_shown_clean(hr_user):
    with pytest.raises(FileProblem) as error:
        import_registry("evil\u202egpj.csv", "完全不是模板,的表头\n1,2\n".encode(), hr_user)
    assert "\u202e" not in str(error.value) and "evilgpj.csv" in str(error.value)
