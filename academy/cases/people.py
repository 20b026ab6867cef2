"""Who is who for cases: a worker's grids, department memberships, task handlers.

A user's worker record is ``academy.registry.queries.worker_of_user``. These reads sit below both
``access`` and ``queries`` (which imports ``access``), so neither has to import the other for them.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from academy.accounts.models import RoleGrant
from academy.cases.models import CaseTask, DepartmentMember, Level
from academy.database import city_today
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import Assignment, Grid, Worker


def current_assignments_clause(day: date):
    return sa.and_(Assignment.starts_on <= day, sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on > day))


def grids_of(worker: Worker | None, day: date | None = None) -> list[Grid]:
    """The current grids ``worker`` holds on ``day`` (today by default); an ended grid is not offered."""
    if worker is None:
        return []
    day = day or city_today()
    query = (sa.select(Grid).join(Assignment, Assignment.grid_id == Grid.id)
             .where(Assignment.worker_id == worker.id, current_assignments_clause(day),
                    sa.or_(Grid.valid_to.is_(None), Grid.valid_to > day)).order_by(Grid.code))
    return list(db.session.scalars(query).unique())


def workers_of_grid(grid: Grid, day: date | None = None) -> list[Worker]:
    day = day or city_today()
    query = (sa.select(Worker).join(Assignment, Assignment.worker_id == Worker.id)
             .where(Assignment.grid_id == grid.id, current_assignments_clause(day)).order_by(Assignment.id))
    return list(db.session.scalars(query).unique())


def department_ids_of(user) -> set[int]:
    if user is None or getattr(user, "id", None) is None:
        return set()
    return set(db.session.scalars(sa.select(DepartmentMember.department_id).where(DepartmentMember.user_id == user.id)))


def area_dispatcher_ids(area_code: str) -> list[int]:
    """Dispatchers whose grant is exactly this community or street: its own staff."""
    return list(db.session.scalars(sa.select(RoleGrant.user_id).where(
        RoleGrant.role == Role.DISPATCHER, RoleGrant.area_code == area_code)))


def handler_user_ids(task: CaseTask) -> list[int]:
    """The users who act for a task's handling unit (and are notified about it)."""
    if task.level == Level.SELF:
        return [task.handler_user_id] if task.handler_user_id else []
    if task.level == Level.DEPARTMENT:
        return list(db.session.scalars(
            sa.select(DepartmentMember.user_id).where(DepartmentMember.department_id == task.department_id)))
    return area_dispatcher_ids(task.area_code)


def own_area_codes(user) -> list[str]:
    """The communities and streets whose staff ``user`` is (dispatcher grants on exactly them)."""
    return [grant.area_code for grant in getattr(user, "grants", []) if grant.role == Role.DISPATCHER
            and grant.area_code and len(grant.area_code) in (9, 12)]
