"""Operations on the area tree, grids (codes, retiring, splitting) and functional departments."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.database import city_today, lock_for_update
from academy.errors import DomainError
from academy.extensions import db
from academy.registry.models import (
    CODE_LENGTHS,
    EXCLUSIVE_SERIALS,
    GRID_CODE_LENGTH,
    Area,
    AreaLevel,
    Assignment,
    Department,
    Grid,
    GridKind,
)

GRID_FIELDS = ["name", "kind", "unit_type", "households", "residents", "boundary_east", "boundary_south",
               "boundary_west", "boundary_north", "boundary_geojson", "responsible_unit", "valid_from", "valid_to"]
CHILD_LEVEL = {AreaLevel.CITY: AreaLevel.DISTRICT, AreaLevel.DISTRICT: AreaLevel.STREET,
               AreaLevel.STREET: AreaLevel.COMMUNITY}


class RegistryError(DomainError):
    """A registry rule refused the change; the message is for the user."""


def level_of_code(code: str) -> AreaLevel | None:
    for level, length in CODE_LENGTHS.items():
        if len(code) == length:
            return level
    return None


def create_area(code: str, name: str, by, parent: Area | None = None) -> Area:
    """Add a district, street or community (or the city) under ``parent``. Flushes."""
    code, name = (code or "").strip(), (name or "").strip()
    level = level_of_code(code)
    if not code.isdigit() or level is None:
        raise RegistryError(_("An area code has 4 (city), 6 (district), 9 (street) or 12 (community) digits."))
    if not name:
        raise RegistryError(_("The area needs a name."))
    if level == AreaLevel.CITY:
        if parent is not None:
            raise RegistryError(_("A city has no parent area."))
    elif parent is None or CHILD_LEVEL.get(parent.level) != level or not code.startswith(parent.code):
        raise RegistryError(_("The code %(code)s does not belong under its parent area.", code=code))
    if db.session.scalar(sa.select(Area.id).where(Area.code == code)):
        raise RegistryError(_("The area code %(code)s exists already.", code=code))
    area = Area(code=code, name=name[:100], level=level, parent=parent)
    db.session.add(area)
    db.session.flush()
    audit.record(by, "area.create", area, summary=f"{code} {name}", after={"code": code, "name": name})
    return area


def serial_range(kind: GridKind) -> range:
    return EXCLUSIVE_SERIALS if kind == GridKind.EXCLUSIVE else range(1, EXCLUSIVE_SERIALS.start)


def next_grid_code(community: Area, kind: GridKind) -> str:
    """The next free code in ``community`` for ``kind`` (exclusive grids take 900-999)."""
    # Lock the community row so that two requests creating grids there queue instead of colliding.
    db.session.execute(lock_for_update(sa.select(Area.id).where(Area.id == community.id), db.session))
    serials = serial_range(kind)
    low, high = f"{community.code}{serials.start:03d}", f"{community.code}{serials.stop - 1:03d}"
    highest = db.session.scalar(sa.select(sa.func.max(Grid.code)).where(Grid.code.between(low, high)))
    serial = int(highest[-3:]) + 1 if highest else serials.start
    if serial not in serials:
        raise RegistryError(_("The community %(code)s has no free grid code left for this kind.", code=community.code))
    return f"{community.code}{serial:03d}"


def validate_grid_code(code: str, kind: GridKind | None, community_code: str | None = None) -> str | None:
    """What is wrong with a grid code given in an import, or None when it is acceptable."""
    if not code or len(code) != GRID_CODE_LENGTH or not code.isdigit():
        return _("A grid code has 15 digits.")
    if community_code is not None and not code.startswith(community_code):
        return _("The grid code does not start with its community's code.")
    serial = int(code[-3:])
    if serial == 0:
        return _("The grid serial (last 3 digits) cannot be 000.")
    if kind is not None and serial not in serial_range(kind):
        return (_("Exclusive grids take serials 900-999.") if kind == GridKind.EXCLUSIVE
                else _("Serials 900-999 are reserved for exclusive grids."))
    return None


def _check_grid_values(values: dict) -> None:
    if values.get("kind") == GridKind.EXCLUSIVE and not values.get("unit_type"):
        raise RegistryError(_("An exclusive grid names the kind of unit it covers."))
    if values.get("valid_to") and values["valid_to"] <= values["valid_from"]:
        raise RegistryError(_("A grid's end date must come after its start date."))
    if values.get("households", 0) < 0 or values.get("residents", 0) < 0:
        raise RegistryError(_("Households and residents cannot be negative."))


def create_grid(community: Area, by, *, code: str | None = None, **values) -> Grid:
    """Create a grid in ``community``; its code is generated unless an import gives one. Flushes."""
    if community.level != AreaLevel.COMMUNITY:
        raise RegistryError(_("Grids belong to a community, not to a street or district."))
    values.setdefault("valid_from", city_today())
    values.setdefault("kind", GridKind.COMPREHENSIVE)
    if values["kind"] == GridKind.COMPREHENSIVE:
        values["unit_type"] = None
    _check_grid_values(values)
    if code is None:
        code = next_grid_code(community, values["kind"])
    else:
        problem = validate_grid_code(code, values["kind"], community.code)
        if problem:
            raise RegistryError(problem)
        if db.session.scalar(sa.select(Grid.id).where(Grid.code == code)):
            raise RegistryError(_("The grid code %(code)s exists already.", code=code))
    grid = Grid(code=code, community=community, **values)
    db.session.add(grid)
    db.session.flush()
    audit.record(by, "grid.create", grid, summary=f"{code} {grid.name}", after={"code": code, "name": grid.name})
    return grid


def update_grid(grid: Grid, by, **values) -> dict:
    """Change a grid's attributes (never its code or kind: the code is stable). Flushes."""
    values.pop("kind", None)
    merged = {name: getattr(grid, name) for name in GRID_FIELDS} | values
    if merged["kind"] == GridKind.COMPREHENSIVE:
        values["unit_type"] = merged["unit_type"] = None
    _check_grid_values(merged)
    return audit.apply_changes(by, "grid.update", grid, GRID_FIELDS, values, summary=grid.code)


def _end_grid_assignments(grid: Grid, on: date, reason: str) -> int:
    ended = 0
    for assignment in grid.assignments:
        if assignment.ends_on is None or assignment.ends_on > on:
            assignment.ends_on = max(on, assignment.starts_on)
            assignment.end_reason = reason[:200]
            ended += 1
    return ended


def retire_grid(grid: Grid, by, *, on: date, reason: str) -> None:
    """End a grid on ``on`` (its history and records stay) and end its assignments. Flushes."""
    if grid.valid_to is not None and grid.valid_to <= city_today():
        raise RegistryError(_("This grid has already ended."))
    if on <= grid.valid_from:
        raise RegistryError(_("A grid's end date must come after its start date."))
    if not (reason or "").strip():
        raise RegistryError(_("Give a reason for ending the grid."))
    grid.valid_to, grid.end_reason = on, reason.strip()[:200]
    ended = _end_grid_assignments(grid, on, _("Grid ended: %(reason)s", reason=reason.strip()))
    db.session.flush()
    audit.record(by, "grid.retire", grid, summary=f"{grid.code}: {reason}"[:500],
                 after={"valid_to": on, "reason": reason, "assignments_ended": ended})


def split_grid(grid: Grid, by, *, on: date, parts: list[dict]) -> list[Grid]:
    """End ``grid`` on ``on`` and create ``parts`` (two or more) in its community. Flushes."""
    if len(parts) < 2:
        raise RegistryError(_("A split makes at least two grids."))
    retire_grid(grid, by, on=on, reason=_("Split into %(n)d grids", n=len(parts)))
    created = []
    for part in parts:
        values = {"kind": grid.kind, "unit_type": grid.unit_type, "responsible_unit": grid.responsible_unit} | part
        created.append(create_grid(grid.community, by, valid_from=on, successor_of_id=grid.id, **values))
    return created


def create_department(by, *, code: str, name: str, area: Area) -> Department:
    """Register a functional department serving ``area``. Flushes."""
    code = (code or "").strip()
    if db.session.scalar(sa.select(Department.id).where(Department.code == code)):
        raise RegistryError(_("The department code %(code)s exists already.", code=code))
    department = Department(code=code, name=name.strip(), area=area)
    db.session.add(department)
    db.session.flush()
    audit.record(by, "department.create", department, summary=f"{code} {name}", after={"area": area.code})
    return department


def update_department(department: Department, by, *, name: str, active: bool) -> None:
    """Rename a department or make it (in)active. Flushes."""
    audit.apply_changes(by, "department.update", department, ["name", "active"],
                        {"name": name.strip(), "active": active}, summary=department.code)


def active_assignments_query(day: date):
    return sa.select(Assignment).where(Assignment.starts_on <= day,
                                       sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on > day))
