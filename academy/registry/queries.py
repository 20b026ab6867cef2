"""Reads of the registry, always through the viewer's area scope (``access`` says which scopes)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from academy import crypto
from academy.database import city_today, ordered
from academy.extensions import db
from academy.permissions import scope_clause
from academy.registry import idnumbers
from academy.registry.models import Area, AreaLevel, Assignment, Department, Grid, GridKind, Worker, WorkerStatus


def narrow(scopes: list[str] | None, area_code: str | None) -> list[str] | None:
    """The scopes restricted to ``area_code`` (which the caller has checked lies inside them)."""
    return [area_code] if area_code else scopes


def area_by_code(code: str) -> Area | None:
    return db.session.scalar(sa.select(Area).where(Area.code == code))


def areas_in_scope(scopes, levels=(AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY)) -> list[Area]:
    """Areas of ``levels`` inside ``scopes``, in code order (a tree read top-down)."""
    query = sa.select(Area).where(Area.level.in_(levels), scope_clause(Area.code, scopes)).order_by(Area.code)
    return list(db.session.scalars(query))


def area_choices() -> list[tuple[str, str]]:
    """Districts and streets as (code, label) for scoping role grants (the "area_choices" slot)."""
    return [(area.code, f"{area.code} {area.full_name}")
            for area in areas_in_scope(None, (AreaLevel.DISTRICT, AreaLevel.STREET))]


def active_clause(model, day: date):
    start = model.valid_from if model is Grid else model.starts_on
    end = model.valid_to if model is Grid else model.ends_on
    return sa.and_(start <= day, sa.or_(end.is_(None), end > day))


def grids_query(scopes, *, search: str = "", kind: str = "", state: str = "active", day: date | None = None):
    day = day or city_today()
    query = sa.select(Grid).where(scope_clause(Grid.code, scopes)).order_by(Grid.code)
    if search:
        query = query.where(sa.or_(Grid.code.startswith(search, autoescape=True),
                                   Grid.name.contains(search, autoescape=True)))
    if kind in (GridKind.COMPREHENSIVE.value, GridKind.EXCLUSIVE.value):
        query = query.where(Grid.kind == GridKind(kind))
    if state == "active":
        query = query.where(active_clause(Grid, day))
    elif state == "ended":
        query = query.where(Grid.valid_to.is_not(None), Grid.valid_to <= day)
    return query


def is_id_number(text: str) -> bool:
    """Does the text look like a national ID number (what must never go into a URL)?"""
    return bool(idnumbers.PATTERN.match(idnumbers.normalise(text.strip())))


def awaiting_activation_clause():
    """Workers who have no log-in yet and have not exited: their first sign-in (an activation letter,
    or HR creating accounts) is still to come."""
    return sa.and_(Worker.user_id.is_(None), Worker.status != WorkerStatus.EXITED)


# The worker list's orders (its sort select): key -> ORDER BY, the first one the list's own.
WORKER_ORDERS = {
    "number": (Worker.number,),
    "name": (Worker.name, Worker.number),
    "area": (Area.code, Worker.number),
    "hired_newest": (Worker.hired_on.desc(), Worker.number),
    "hired_oldest": (Worker.hired_on, Worker.number),
}


def workers_query(scopes, *, search: str = "", status: str = "", awaiting_activation: bool = False,
                  sort: str = ""):
    query = ordered(sa.select(Worker).join(Area, Worker.area_id == Area.id)
                    .where(scope_clause(Area.code, scopes)), WORKER_ORDERS, sort)
    if awaiting_activation:
        query = query.where(awaiting_activation_clause())
    if search:
        number = idnumbers.normalise(search)
        if idnumbers.PATTERN.match(number):
            query = query.where(Worker.id_number_hash == crypto.keyed_hash(number))
        else:
            query = query.where(sa.or_(Worker.name.contains(search, autoescape=True),
                                       Worker.number == search.upper(),
                                       Worker.phone == search))
    if status in {s.value for s in WorkerStatus}:
        query = query.where(Worker.status == WorkerStatus(status))
    return query


def workers_for_accounts(area_code: str, status: WorkerStatus | None = None) -> list[Worker]:
    """The workers of ``area_code`` and below (with ``status`` when given) that have no log-in yet
    and have not exited: those "create accounts for these workers" would give one."""
    return list(db.session.scalars(workers_query([area_code], status=status.value if status else "",
                                                 awaiting_activation=True)))


def awaiting_activation_count(scopes) -> int:
    """How many workers in ``scopes`` await their first sign-in (HR's workbench)."""
    query = workers_query(scopes, awaiting_activation=True).order_by(None)
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def assignments_query(scopes, *, day: date | None = None, current_only: bool = True):
    query = (sa.select(Assignment).join(Grid, Assignment.grid_id == Grid.id)
             .where(scope_clause(Grid.code, scopes)).order_by(Grid.code, Assignment.starts_on))
    if current_only:
        query = query.where(active_clause(Assignment, day or city_today()))
    return query


def departments_query(scopes):
    return (sa.select(Department).join(Area, Department.area_id == Area.id)
            .where(scope_clause(Area.code, scopes)).order_by(Department.code))


def grid_by_code(code: str) -> Grid | None:
    return db.session.scalar(sa.select(Grid).where(Grid.code == code))


def active_assignments_of_grid(grid: Grid, day: date | None = None) -> list[Assignment]:
    day = day or city_today()
    return [a for a in grid.assignments if a.active_on(day)]


def grid_counts_by_community(day: date) -> dict[str, int]:
    """How many grids are in force on ``day`` in each community, by the community's code."""
    # Literal positions: PostgreSQL only groups by the very same expression, bound parameters differ.
    community = sa.func.substr(Grid.code, sa.literal_column("1"), sa.literal_column("12"))
    return dict(db.session.execute(
        sa.select(community, sa.func.count(Grid.id)).where(active_clause(Grid, day)).group_by(community)).all())


def successors_of(grid: Grid) -> list[Grid]:
    """The grids ``grid`` was split into (or renamed to)."""
    return list(db.session.scalars(sa.select(Grid).where(Grid.successor_of_id == grid.id)))


def worker_of_user(user) -> Worker | None:
    """The worker record linked to ``user``'s log-in, if any (the one helper every package uses)."""
    return db.session.scalar(sa.select(Worker).where(Worker.user_id == user.id))


def picker_areas(scopes, *, search: str = "", parent_code: str = "", code: str = "", limit: int = 20) -> list[Area]:
    """Areas in force inside ``scopes`` for the area picker: the children of ``parent_code``, the one
    area of ``code``, those whose name or code matches ``search``, or else the tops of the scopes."""
    query = (sa.select(Area).where(scope_clause(Area.code, scopes),
                                   sa.or_(Area.valid_to.is_(None), Area.valid_to > city_today()))
             .order_by(Area.code).limit(limit))
    if code:
        return list(db.session.scalars(query.where(Area.code == code)))
    if parent_code:
        parent = sa.select(Area.id).where(Area.code == parent_code).scalar_subquery()
        return list(db.session.scalars(query.where(Area.parent_id == parent)))
    if search:
        return list(db.session.scalars(query.where(sa.or_(Area.name.contains(search, autoescape=True),
                                                          Area.code.startswith(search, autoescape=True)))))
    tops = Area.parent_id.is_(None) if scopes is None else Area.code.in_(scopes)
    return list(db.session.scalars(query.where(tops)))


def picker_grids(scopes, *, search: str = "", code: str = "", grid_id: int | None = None, limit: int = 20) -> list[Grid]:
    """Grids in force inside ``scopes`` for the grid picker, by name or code, or the one named."""
    query = grids_query(scopes, search=search).limit(limit)
    if code:
        query = query.where(Grid.code == code)
    if grid_id:
        query = query.where(Grid.id == grid_id)
    return list(db.session.scalars(query))


def picker_workers(scopes, *, search: str = "", code: str = "", limit: int = 20) -> list[Worker]:
    """Workers inside ``scopes`` for the worker picker, by name, number or phone, or the one numbered."""
    query = workers_query(scopes, search=code or search).limit(limit)
    if code:
        query = query.where(Worker.number == code.upper())
    return list(db.session.scalars(query))
