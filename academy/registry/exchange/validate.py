"""Validating the rows of an import against the database and against each other.

``Validation`` keeps what the file would create or change, keyed by codes (areas, grids), the
ID number's keyed hash (workers) and worker + grid + start date (assignments), and every
problem with its sheet, row and column. Nothing is written here.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import crypto
from academy.database import city_today
from academy.extensions import db
from academy.registry import idnumbers
from academy.registry.exchange import cells
from academy.registry.exchange.layout import LOST_CHARACTERS
from academy.registry.exchange.reader import SheetRows
from academy.registry.exchange.sheets import AREAS, ASSIGNMENTS, GRIDS, WORKERS
from academy.registry.models import (
    Area,
    Assignment,
    AssignmentRole,
    Education,
    Employment,
    Gender,
    Grid,
    GridKind,
    PoliticalStatus,
    UnitType,
    Worker,
    WorkerStatus,
)
from academy.registry.operations.areas import validate_grid_code
from academy.web.textguard import text_problem

MAX_PROBLEMS = 1000


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class Validation:
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    scopes: list[str] | None = None  # the importer's edit scopes (code prefixes); None: the whole city
    areas: dict[str, dict] = field(default_factory=dict)
    grids: dict[str, dict] = field(default_factory=dict)
    workers: dict[str, dict] = field(default_factory=dict)      # keyed hash -> values
    assignments: dict[tuple, dict] = field(default_factory=dict)  # (hash, grid code, starts_on) -> values
    seen: dict[tuple, int] = field(default_factory=dict)  # (sheet, key) -> first row, valid or not
    pairs: dict[tuple, list[tuple]] = field(default_factory=lambda: defaultdict(list))  # (hash, grid) -> periods
    db_areas: dict[str, Area] = field(default_factory=dict)
    db_grids: dict[str, Grid] = field(default_factory=dict)
    db_workers: dict[str, Worker] = field(default_factory=dict)
    db_numbers: dict[str, Worker] = field(default_factory=dict)  # worker number -> worker
    db_assignments: dict[tuple, list[Assignment]] = field(default_factory=lambda: defaultdict(list))

    def add(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(sheet, row, column, message))

    def load(self) -> None:
        """What the database holds now, in dictionaries, so rows are checked without a query each."""
        self.db_areas = {a.code: a for a in db.session.scalars(sa.select(Area))}
        self.db_grids = {g.code: g for g in db.session.scalars(sa.select(Grid))}
        self.db_workers = {w.id_number_hash: w for w in db.session.scalars(sa.select(Worker))}
        self.db_numbers = {w.number: w for w in self.db_workers.values()}
        for assignment in db.session.scalars(sa.select(Assignment)):
            self.db_assignments[(assignment.worker_id, assignment.grid_id)].append(assignment)


class RowReader:
    """One row of one sheet: reads cells and files problems under the row's number."""

    def __init__(self, validation: Validation, sheet_rows: SheetRows, number: int, values: dict) -> None:
        self.v, self.sheet_rows, self.number, self.values = validation, sheet_rows, number, values
        self.failed = False

    def problem(self, key: str, message: str) -> None:
        self.failed = True
        column = self.sheet_rows.sheet.column(key).header if key else ""
        self.v.add(self.sheet_rows.name, self.number, column, message)

    def unstorable(self) -> bool:
        """File a problem for each cell holding a character that cannot be stored, or a "?" where a
        GBK file lost one; True if any did. Only a file read as GBK/GB18030 can have lost one: in a
        workbook or a UTF file a "?" is what was typed."""
        for key, value in self.values.items():
            if message := text_problem(value):
                self.problem(key, message)
            elif isinstance(value, str) and "?" in value and self.sheet_rows.lossy:
                self.problem(key, LOST_CHARACTERS())
        return self.failed

    def first_time(self, key: str, identity) -> bool:
        """False (and a problem) when an earlier row of this sheet had the same key."""
        first = self.v.seen.setdefault((self.sheet_rows.sheet.key, identity), self.number)
        if first != self.number:
            self.problem(key, _("Appears twice in the file (first in row %(row)d).", row=first))
            return False
        return True

    def outside(self, key: str, code: str | None) -> bool:
        """File a problem when ``code`` lies outside the importer's areas."""
        if code is None or self.v.scopes is None or any(code.startswith(p) for p in self.v.scopes):
            return False
        self.problem(key, _("%(code)s is outside the areas you may edit.", code=code))
        return True

    def get(self, key: str, parse, *args, default=None):
        raw = self.values.get(key)
        if raw is None or str(raw).strip() == "":
            if self.sheet_rows.sheet.column(key).required:
                self.problem(key, _("This value is required."))
            return default
        try:
            return parse(raw, *args)
        except cells.CellError as error:
            self.problem(key, str(error))
            return default


def validate(sheets: list[SheetRows], scopes: list[str] | None = None) -> Validation:
    """Check every row of every sheet; the result lists all problems or all intended changes."""
    v = Validation(scopes=scopes)
    v.load()
    order = {AREAS.key: 0, GRIDS.key: 1, WORKERS.key: 2, ASSIGNMENTS.key: 3}
    checkers = {AREAS.key: _area_row, GRIDS.key: _grid_row, WORKERS.key: _worker_row, ASSIGNMENTS.key: _assignment_row}
    for sheet_rows in sorted(sheets, key=lambda s: order[s.sheet.key]):
        for header in sheet_rows.unknown:
            v.add(sheet_rows.name, 1, header, _("Unknown column; use the template's headers."))
        for header in sheet_rows.missing:
            v.add(sheet_rows.name, 1, header, _("A required column is missing."))
        if sheet_rows.unknown or sheet_rows.missing:
            continue
        for number, values in sheet_rows.rows:
            row = RowReader(v, sheet_rows, number, values)
            if not row.unstorable():  # the row's own checks would only echo the broken text back
                checkers[sheet_rows.sheet.key](row)
    if not any(s.rows for s in sheets) and not v.problems:
        v.add("", None, "", _("The file holds no rows to import."))
    return v


def _area_known(v: Validation, code: str) -> bool:
    return code in v.db_areas or code in v.areas


def _area_row(row: RowReader) -> None:
    v = row.v
    code = row.get("code", cells.digits, (4, 6, 9, 12))
    name = row.get("name", cells.text, 100)
    if code is None or row.outside("code", code):
        return
    if not row.first_time("code", code):
        return
    parent = None if len(code) == 4 else (code[:4] if len(code) == 6 else code[:-3])
    if parent is not None and not _area_known(v, parent):
        return row.problem("code", _("Unknown parent area %(code)s.", code=parent))
    if not row.failed:
        v.areas[code] = {"code": code, "name": name, "parent": parent}


def _grid_row(row: RowReader) -> None:
    v = row.v
    code = row.get("code", cells.digits, (15,))
    kind = row.get("kind", cells.enum_value, GridKind)
    values = {
        "name": row.get("name", cells.text, 100), "kind": kind,
        "unit_type": row.get("unit_type", cells.enum_value, UnitType),
        "households": row.get("households", cells.whole_number, 100_000, default=0),
        "residents": row.get("residents", cells.whole_number, 1_000_000, default=0),
        **{key: row.get(key, cells.text, 200, default="") for key in
           ("boundary_east", "boundary_south", "boundary_west", "boundary_north", "responsible_unit")},
        "valid_from": row.get("valid_from", cells.day), "valid_to": row.get("valid_to", cells.day),
    }
    if kind == GridKind.EXCLUSIVE and values["unit_type"] is None:
        row.problem("unit_type", _("An exclusive grid names the kind of unit it covers."))
    if kind == GridKind.COMPREHENSIVE:
        values["unit_type"] = None
    if values["valid_from"] and values["valid_to"] and values["valid_to"] <= values["valid_from"]:
        row.problem("valid_to", _("A grid's end date must come after its start date."))
    if code is None or row.outside("code", code):
        return
    problem = validate_grid_code(code, kind)
    if problem:
        return row.problem("code", problem)
    if not row.first_time("code", code):
        return
    if len(code[:12]) == 12 and not (_area_known(v, code[:12])):
        return row.problem("code", _("Unknown community %(code)s.", code=code[:12]))
    existing = v.db_grids.get(code)
    if existing is not None and kind is not None and existing.kind != kind:
        return row.problem("kind", _("A grid's kind cannot change; retire it and create a new grid."))
    if not row.failed:
        v.grids[code] = values | {"code": code}


def _id_number(row: RowReader, key: str) -> str | None:
    if _stored_as_number(row.values.get(key)):
        row.problem(key, _("The ID number is stored as a number, which loses its last digits: "
                           "format the column as text and type the numbers again."))
        return None
    raw = row.get(key, cells.text, 30)
    if raw is None:
        return None
    number = idnumbers.normalise(raw)
    if not idnumbers.is_valid(number):
        row.problem(key, _("Not a valid national ID number (length, date of birth or check digit)."))
        return None
    return number


def _stored_as_number(value) -> bool:
    """A spreadsheet number (or its text, 3.20102E+17) where an ID number belongs."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and "E+" in value.upper().replace(" ", "") and len(value) < 18


def _registered_worker(row: RowReader) -> tuple[Worker | None, str | None]:
    """The worker a row's worker number names and the row's full ID number, if it gives one.

    An export shows ID numbers masked; such a row is matched by its worker number, and the masked
    ID number must be the one that worker's record shows (so a row cannot be moved to another)."""
    raw_number = row.get("number", cells.text, 20, default="")
    raw_id = str(row.values.get("id_number") or "").strip()
    worker = row.v.db_numbers.get(raw_number) if raw_number else None
    if raw_number and worker is None:
        row.problem("number", _("No worker with this number; leave it empty for a new worker."))
        return None, None
    if worker is not None and "*" in raw_id:
        if raw_id.upper() != worker.id_number_masked:
            row.problem("id_number", _("The ID number does not belong to worker %(number)s.", number=worker.number))
        return worker, None
    number = _id_number(row, "id_number")
    if worker is not None and number is not None and crypto.keyed_hash(number) != worker.id_number_hash:
        row.problem("id_number", _("The ID number does not belong to worker %(number)s.", number=worker.number))
    return worker, number


def _worker_row(row: RowReader) -> None:
    v = row.v
    registered, number = _registered_worker(row)
    values = {
        "name": row.get("name", cells.text, 50), "gender": row.get("gender", cells.enum_value, Gender),
        "phone": row.get("phone", cells.phone, default=""),
        "education": row.get("education", cells.enum_value, Education),
        "political_status": row.get("political_status", cells.enum_value, PoliticalStatus),
        "employment": row.get("employment", cells.enum_value, Employment),
        "area_code": row.get("area_code", cells.digits, (6, 9, 12)),
        "hired_on": row.get("hired_on", cells.day),
    }
    if row.outside("area_code", values["area_code"]):
        pass
    elif values["area_code"] and not _area_known(v, values["area_code"]):
        row.problem("area_code", _("Unknown area %(code)s.", code=values["area_code"]))
    if values["hired_on"] and values["hired_on"] > city_today():
        row.problem("hired_on", _("The date is in the future."))
    if number is None and registered is None:
        return
    born = idnumbers.birth_date_of(number) if number else registered.birth_date
    if values["hired_on"] and values["hired_on"] <= born:
        row.problem("hired_on", _("The hiring date must come after the date of birth."))
    if number:
        values["gender"] = values["gender"] or (Gender.MALE if int(number[16]) % 2 else Gender.FEMALE)
    values["gender"] = values["gender"] or registered.gender
    key = crypto.keyed_hash(number) if number else registered.id_number_hash
    if key in v.db_workers and row.outside("id_number", v.db_workers[key].area.code):
        return
    if not row.first_time("id_number", key):
        return
    if not row.failed:
        v.workers[key] = values | {"id_number": number, "birth_date": born, "row": row.number}


def _grid_values(v: Validation, code: str) -> dict | None:
    if code in v.grids:
        return v.grids[code]
    grid = v.db_grids.get(code)
    return None if grid is None else {"valid_from": grid.valid_from, "valid_to": grid.valid_to}


def _assignment_row(row: RowReader) -> None:
    v = row.v
    number = _id_number(row, "id_number")
    grid_code = row.get("grid_code", cells.digits, (15,))
    role = row.get("role", cells.enum_value, AssignmentRole)
    starts_on, ends_on = row.get("starts_on", cells.day), row.get("ends_on", cells.day)
    if starts_on and ends_on and ends_on <= starts_on:
        row.problem("ends_on", _("An assignment's end date must come after its start date."))
    worker_key = crypto.keyed_hash(number) if number else None
    if worker_key and worker_key not in v.workers and worker_key not in v.db_workers:
        row.problem("id_number", _("No worker with this ID number, in the file or the registry."))
    if worker_key in v.db_workers and v.db_workers[worker_key].status == WorkerStatus.EXITED:
        row.problem("id_number", _("An exited worker cannot be assigned to a grid."))
    grid = _grid_values(v, grid_code) if grid_code else None
    if row.outside("grid_code", grid_code):
        pass
    elif grid_code and grid is None:
        row.problem("grid_code", _("Unknown grid %(code)s.", code=grid_code))
    elif grid and starts_on and not (grid["valid_from"] <= starts_on and (grid["valid_to"] is None or starts_on < grid["valid_to"])):
        row.problem("starts_on", _("The grid is not in force on the start date."))
    if row.failed or None in (worker_key, grid_code, role, starts_on):
        return
    key = (worker_key, grid_code, starts_on)
    if not row.first_time("starts_on", key):
        return
    if _overlaps(v, key, ends_on):
        return row.problem("grid_code", _("This worker already holds this grid in that period."))
    v.assignments[key] = {"role": role, "ends_on": ends_on, "row": row.number}
    v.pairs[(worker_key, grid_code)].append((starts_on, ends_on))


def _meets(start1, end1, start2, end2) -> bool:
    return (end2 is None or start1 < end2) and (end1 is None or start2 < end1)


def _overlaps(v: Validation, key: tuple, ends_on) -> bool:
    worker_key, grid_code, starts_on = key
    if any(_meets(starts_on, ends_on, s, e) for s, e in v.pairs[(worker_key, grid_code)]):
        return True
    worker, grid = v.db_workers.get(worker_key), v.db_grids.get(grid_code)
    if worker is None or grid is None:
        return False
    return any(a.starts_on != starts_on and _meets(starts_on, ends_on, a.starts_on, a.ends_on)
               for a in v.db_assignments.get((worker.id, grid.id), []))
