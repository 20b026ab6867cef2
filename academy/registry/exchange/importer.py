"""The registry import: validate the whole file, then write all of it or nothing.

``import_registry`` serves the web page, the background job and ``flask academy
import-registry``. Codes (and a worker's ID number) are the keys: a row whose record exists
updates it when a value differs and leaves it alone otherwise, so importing the same file
twice changes nothing the second time. Records are created directly in bulk (a city has
thousands), with one audit entry for the import; changed records get one entry each.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from academy import audit, numbers
from academy.extensions import db
from academy.files import display_name
from academy.registry.exchange.reader import read_upload
from academy.registry.exchange.validate import Problem, Validation, validate
from academy.registry.models import (
    Area,
    AreaLevel,
    Assignment,
    Grid,
    Worker,
    WorkerStatus,
    WorkerStatusChange,
    awaits_qualification,
)
from academy.registry.operations.areas import level_of_code
from academy.registry.operations.assignments import sync_held_assignments
from academy.registry.operations.logins import AccountCounts, create_worker_accounts
from academy.registry.operations.workers import NUMBER_SERIES, id_number_columns, worker_number

GRID_KEYS = ("name", "kind", "unit_type", "households", "residents", "boundary_east", "boundary_south",
             "boundary_west", "boundary_north", "responsible_unit", "valid_from", "valid_to")
WORKER_KEYS = ("name", "gender", "phone", "education", "political_status", "employment", "hired_on")
LARGE_IMPORT_ROWS = 500  # above this many rows the web page runs the import as a background job


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[str] = field(default_factory=list)  # how the file's layout was read
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    new_workers: list[Worker] = field(default_factory=list, repr=False)
    accounts: AccountCounts | None = None  # set when the import was asked to create log-ins

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def summary(self) -> str:
        if not self.ok:
            return ngettext("%(num)d problem found; nothing was imported.",
                            "%(num)d problems found; nothing was imported.", self.problem_count)
        text = _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
                 created=sum(self.created.values()), updated=sum(self.updated.values()),
                 unchanged=sum(self.unchanged.values()))
        if self.accounts is not None:
            text += " " + _("Log-ins for new workers: %(summary)s.", summary=self.accounts.summary())
        return text

    def as_dict(self) -> dict:
        return {"ok": self.ok, "message": self.summary(), "problem_count": self.problem_count,
                "problems": [vars(p) for p in self.problems], "notes": self.notes, "created": dict(self.created),
                "updated": dict(self.updated), "unchanged": dict(self.unchanged),
                "logins_created": self.accounts.created if self.accounts is not None else None}


def count_rows(filename: str, data: bytes) -> int:
    return sum(len(sheet.rows) for sheet in read_upload(filename, data).sheets)


def import_registry(filename: str, data: bytes, by, progress: Callable[[float, str], None] | None = None,
                    scopes: list[str] | None = None, before_writes: Callable[[], None] | None = None,
                    create_logins: bool = False) -> ImportResult:
    """Read, validate and (when every row is valid) write a registry file. Flushes, never commits.

    ``scopes`` are the importer's edit scopes: rows outside them are problems. Raises
    ``FileProblem`` when the file cannot be read at all. ``before_writes`` is called between the
    validation and the first write (a job opens its write transaction there). ``create_logins``
    gives the workers this import created a log-in each, in the same transaction, so a failure
    there leaves the import unwritten too; workers that existed before are left alone.
    """
    progress = progress or (lambda _percent, _message="": None)
    upload = read_upload(filename, data)
    progress(5, _("Checking rows"))
    v = validate(upload.sheets, scopes)
    result = ImportResult(problems=v.problems, problem_count=v.problem_count, notes=upload.notes)
    if not result.ok:
        return result
    if before_writes is not None:
        before_writes()
    progress(30, _("Writing areas and grids"))
    _apply_areas(v, by, result)
    _apply_grids(v, by, result)
    progress(55, _("Writing workers"))
    _apply_workers(v, by, result)
    progress(80, _("Writing assignments"))
    _apply_assignments(v, by, result)
    db.session.flush()
    if create_logins:
        progress(90, _("Creating log-ins"))
        result.accounts = create_worker_accounts(result.new_workers, by)
    audit.record(by, "registry.import", None, summary=f"{display_name(filename)}: {result.summary()}"[:500],
                 after={"created": dict(result.created), "updated": dict(result.updated)})
    progress(100, result.summary())
    return result


def _update(obj, values: dict, keys, by, action: str, result: ImportResult, kind: str) -> None:
    before, after = audit.changes(obj, list(keys), values)
    if not after:
        result.unchanged[kind] += 1
        return
    for name, value in after.items():
        setattr(obj, name, value)
    result.updated[kind] += 1
    db.session.flush()
    audit.record(by, action, obj, summary=f"import {type(obj).__name__} {obj.id}", before=before, after=after)


def _apply_areas(v: Validation, by, result: ImportResult) -> None:
    for code in sorted(v.areas, key=lambda c: (len(c), c)):
        values = v.areas[code]
        existing = v.db_areas.get(code)
        if existing is not None:
            _update(existing, {"name": values["name"]}, ["name"], by, "area.update", result, "areas")
            continue
        area = Area(code=code, name=values["name"], level=level_of_code(code),
                    parent=v.db_areas.get(values["parent"]) if values["parent"] else None)
        db.session.add(area)
        v.db_areas[code] = area
        result.created["areas"] += 1
    db.session.flush()


def _apply_grids(v: Validation, by, result: ImportResult) -> None:
    for code, values in v.grids.items():
        fields = {key: values[key] for key in GRID_KEYS}
        existing = v.db_grids.get(code)
        if existing is not None:
            _update(existing, fields, GRID_KEYS, by, "grid.update", result, "grids")
            continue
        community = v.db_areas[code[:12]]
        if community.level != AreaLevel.COMMUNITY:
            continue  # cannot happen: the validation checked the code's community
        grid = Grid(code=code, community=community, **fields)
        db.session.add(grid)
        v.db_grids[code] = grid
        result.created["grids"] += 1
    db.session.flush()


def _apply_workers(v: Validation, by, result: ImportResult) -> None:
    by_id = getattr(by, "id", None)
    # One reservation of consecutive numbers for all new workers: one round trip, not thousands.
    new_count = sum(1 for key in v.workers if key not in v.db_workers)
    fresh = iter([worker_number(value) for value in numbers.reserve(NUMBER_SERIES, new_count)] if new_count else [])
    for key, values in v.workers.items():
        fields = {name: values[name] for name in WORKER_KEYS}
        area = v.db_areas[values["area_code"]]
        existing = v.db_workers.get(key)
        if existing is not None:
            _update(existing, fields | {"area_id": area.id}, WORKER_KEYS + ("area_id",), by, "worker.update",
                    result, "workers")
            continue
        worker = Worker(number=next(fresh), area=area,
                        birth_date=values["birth_date"], status=WorkerStatus.RECRUITED,
                        **id_number_columns(values["id_number"]), **fields)
        worker.status_changes.append(WorkerStatusChange(from_status=None, to_status=WorkerStatus.RECRUITED,
                                                        reason=_("Imported"), by_id=by_id))
        db.session.add(worker)
        v.db_workers[key] = worker
        result.new_workers.append(worker)
        result.created["workers"] += 1
    db.session.flush()


def _apply_assignments(v: Validation, by, result: ImportResult) -> None:
    retyped = set()
    for (worker_key, grid_code, starts_on), values in v.assignments.items():
        worker, grid = v.db_workers[worker_key], v.db_grids[grid_code]
        existing = next((a for a in v.db_assignments.get((worker.id, grid.id), []) if a.starts_on == starts_on), None)
        fields = {"role": values["role"], "ends_on": values["ends_on"]}
        if existing is not None:
            _update(existing, fields, ("role", "ends_on"), by, "assignment.update", result, "assignments")
            retyped.add(worker)
            continue
        # 持证上岗: a full-time or leader row of a worker not on duty is held, as in assign_worker.
        held = awaits_qualification(values["role"], worker.status)
        db.session.add(Assignment(worker=worker, grid=grid, starts_on=starts_on, awaiting_qualification=held, **fields))
        result.created["assignments"] += 1
    db.session.flush()
    for worker in retyped:  # a changed role may take an assignment into or out of the rule
        sync_held_assignments(worker, by, _("Imported"))
