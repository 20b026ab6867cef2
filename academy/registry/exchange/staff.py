"""The staff workbook: reading and checking an .xlsx of staff log-ins, and its template.

One sheet, a row per person: username, name, role, area code and (for department handlers) the
department. Headers in Chinese or English (or both, as the template writes them), column order
free, roles by their code or their Chinese or English name. Nothing here writes: ``check_staff``
returns the rows ready to create, or every problem with its row ("第 3 行：…").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from academy.accounts.models import User
from academy.exports import Table, xlsx_bytes
from academy.extensions import db
from academy.permissions import Role
from academy.registry.exchange.cells import CellError, digits, text
from academy.registry.exchange.reader import MAX_CELL, MAX_COLUMNS, FileProblem, open_uploaded_workbook
from academy.registry.exchange.sheets import Column, Sheet, match_columns, normal
from academy.registry.models import Area, Department
from academy.web.textguard import text_problem

STAFF = Sheet("staff", "工作人员", "Staff", (
    Column("username", "用户名", "Username", True, "zhang.hr"),
    Column("name", "姓名", "Name", True, "张敏"),
    Column("role", "角色", "Role", True, "人事"),
    Column("area_code", "区域编码", "Area code", True, "320102"),
    Column("department", "职能部门", "Department", False, ""),
))
MAX_STAFF_ROWS = 5_000  # a city has a few hundred staff; more is a wrong file
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
# What a person may type in the role column: the code, the names the app shows, common synonyms.
ROLE_NAMES = {
    Role.HR: ("hr", "human resources", "人事", "人力资源", "人事干部"),
    Role.INSTRUCTOR: ("instructor", "讲师", "教员", "培训讲师"),
    Role.DISPATCHER: ("dispatcher", "调度员", "调度"),
    Role.DEPARTMENT: ("department", "department handler", "职能部门办理人", "职能部门", "部门办理人"),
    Role.VIEWER: ("viewer", "viewer (leadership)", "leader", "查看者", "查看者（领导）", "领导"),
}
ROLE_LOOKUP = {normal(name): role for role, names in ROLE_NAMES.items() for name in names}


@dataclass
class StaffRow:
    row: int
    username: str
    name: str
    role: Role
    area: Area
    department: Department | None = None


@dataclass
class StaffCheck:
    rows: list[StaffRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def row_problem(row: int, message: str) -> str:
    return _("Row %(row)d: %(message)s", row=row, message=message)


def read_staff(data: bytes) -> list[tuple[int, dict]]:
    """The data rows of the workbook's first sheet as (row number, {column key: raw value})."""
    workbook = open_uploaded_workbook(data)
    try:
        rows = []
        for count, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)):
            if count > MAX_STAFF_ROWS:
                raise FileProblem(_("The file has more than %(n)d rows; split it.", n=MAX_STAFF_ROWS))
            rows.append(row)
    except FileProblem:
        raise
    except Exception as error:
        raise FileProblem(_("This is not an .xlsx workbook, or it is damaged.")) from error
    finally:
        workbook.close()
    return _keyed(rows)


def _blank(value) -> bool:
    return value is None or str(value).strip() == ""


def _keyed(rows: list) -> list[tuple[int, dict]]:
    header_at = next((i for i, row in enumerate(rows) if not all(_blank(v) for v in row)), None)
    if header_at is None:
        raise FileProblem(_("The workbook is empty."))
    mapping, unknown = match_columns(STAFF, list(rows[header_at]))
    missing = [c.header for c in STAFF.columns if c.required and c.key not in mapping.values()]
    if unknown or missing:
        raise FileProblem(_("The header row does not match the template: unknown %(unknown)s; missing %(missing)s.",
                            unknown=", ".join(unknown) or "-", missing=", ".join(missing) or "-"))
    return [(index + 1, {key: rows[index][pos] if pos < len(rows[index]) else None for pos, key in mapping.items()})
            for index in range(header_at + 1, len(rows)) if not all(_blank(v) for v in rows[index])]


def check_staff(rows: list[tuple[int, dict]], scopes: list[str] | None) -> StaffCheck:
    """Check every row; ``scopes`` are the importer's area prefixes (None: the whole city)."""
    check, seen = StaffCheck(), set()
    names = [str(values.get("username") or "").strip().lower() for _row, values in rows]
    taken = set(db.session.scalars(sa.select(User.username).where(User.username.in_(names)))) if names else set()
    for number, values in rows:
        try:
            staff = _check_row(number, values, scopes)
        except CellError as error:
            check.problems.append(row_problem(number, str(error)))
            continue
        if staff.username in seen or staff.username in taken:
            check.problems.append(row_problem(number, _("The username %(name)s is taken.", name=staff.username)))
        seen.add(staff.username)
        check.rows.append(staff)
    return check


def _check_row(number: int, values: dict, scopes: list[str] | None) -> StaffRow:
    for key, value in values.items():
        if message := text_problem(value):
            raise CellError(f"{STAFF.column(key).zh}: {message}")
        if isinstance(value, str) and len(value) > MAX_CELL:
            raise CellError(_("Too long: at most %(n)d characters.", n=MAX_CELL))
    for column in STAFF.columns:
        if column.required and _blank(values.get(column.key)):
            raise CellError(_("%(column)s is missing.", column=column.zh))
    username = text(values["username"], 40).lower()
    if not USERNAME.match(username):
        raise CellError(_("A username has 1 to 40 letters, digits, dots, dashes or underscores."))
    role = ROLE_LOOKUP.get(normal(values["role"]))
    if role is None:
        raise CellError(_("Unknown role %(role)s: use HR, instructor, dispatcher, department handler or viewer.",
                          role=text(values["role"], 40)))
    return StaffRow(number, username, text(values["name"], 80), role, _area(values["area_code"], scopes),
                    _department(values.get("department"), role))


def _area(value, scopes: list[str] | None) -> Area:
    code = digits(int(value) if isinstance(value, int | float) and not isinstance(value, bool) else value,
                  (4, 6, 9, 12))
    area = db.session.scalar(sa.select(Area).where(Area.code == code))
    if area is None:
        raise CellError(_("No area with code %(code)s.", code=code))
    if scopes is not None and not any(code.startswith(prefix) for prefix in scopes):
        raise CellError(_("Area %(code)s lies outside the areas you may edit.", code=code))
    return area


def _department(value, role: Role) -> Department | None:
    if _blank(value):
        if role == Role.DEPARTMENT:
            raise CellError(_("A department handler needs a department."))
        return None
    if role != Role.DEPARTMENT:
        raise CellError(_("Only a department handler has a department."))
    name = text(value, 100)
    department = db.session.scalar(sa.select(Department).where(
        Department.active.is_(True), sa.or_(Department.code == name, Department.name == name)))
    if department is None:
        raise CellError(_("No department %(name)s (give its code or its name).", name=name))
    return department


def template_xlsx() -> bytes:
    """The staff template: the bilingual headers and one example row."""
    return xlsx_bytes([Table(STAFF.title, [c.header for c in STAFF.columns], [[c.example for c in STAFF.columns]])])
