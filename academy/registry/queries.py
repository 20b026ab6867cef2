"""Reads of the registry, always through the viewer's area scope.

HR and viewers (and administrators) read the areas their grants cover; HR edits them. A
trainee reads only the worker record linked to his own log-in. Scopes are code prefixes, so a
grid's scope is its own code and a worker's is the code of the area that employs him.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role, area_scopes, in_scope, scope_clause
from academy.registry import idnumbers
from academy.registry.models import Area, AreaLevel, Assignment, Department, Grid, GridKind, Worker, WorkerStatus

READ_ROLES = (Role.HR, Role.VIEWER)
EDIT_ROLES = (Role.HR,)


def read_scopes(user) -> list[str] | None:
    return area_scopes(user, *READ_ROLES)


def can_read(user, code: str) -> bool:
    return in_scope(user, code, *READ_ROLES)


def can_edit(user, code: str) -> bool:
    return in_scope(user, code, *EDIT_ROLES)


def has_edit_role(user) -> bool:
    from academy.permissions import has_role

    return has_role(user, *EDIT_ROLES)


def can_see_worker(user, worker: Worker) -> bool:
    return can_read(user, worker.area.code) or (worker.user_id is not None and worker.user_id == user.id)


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
    day = day or date.today()
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


def workers_query(scopes, *, search: str = "", status: str = ""):
    query = (sa.select(Worker).join(Area, Worker.area_id == Area.id)
             .where(scope_clause(Area.code, scopes)).order_by(Worker.number))
    if search:
        number = idnumbers.normalise(search)
        if idnumbers.PATTERN.match(number):
            from academy import crypto

            query = query.where(Worker.id_number_hash == crypto.keyed_hash(number))
        else:
            query = query.where(sa.or_(Worker.name.contains(search, autoescape=True),
                                       Worker.number == search.upper(),
                                       Worker.phone == search))
    if status in {s.value for s in WorkerStatus}:
        query = query.where(Worker.status == WorkerStatus(status))
    return query


def assignments_query(scopes, *, day: date | None = None, current_only: bool = True):
    query = (sa.select(Assignment).join(Grid, Assignment.grid_id == Grid.id)
             .where(scope_clause(Grid.code, scopes)).order_by(Grid.code, Assignment.starts_on))
    if current_only:
        query = query.where(active_clause(Assignment, day or date.today()))
    return query


def departments_query(scopes):
    return (sa.select(Department).join(Area, Department.area_id == Area.id)
            .where(scope_clause(Area.code, scopes)).order_by(Department.code))


def grid_by_code(code: str) -> Grid | None:
    return db.session.scalar(sa.select(Grid).where(Grid.code == code))


def active_assignments_of_grid(grid: Grid, day: date | None = None) -> list[Assignment]:
    day = day or date.today()
    return [a for a in grid.assignments if a.active_on(day)]


def worker_of_user(user) -> Worker | None:
    return db.session.scalar(sa.select(Worker).where(Worker.user_id == user.id))
