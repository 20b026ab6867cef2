"""Object checks for cases, in one place: who may see a case and who may take which step.

A worker sees the cases of his grids and those he reported; a department sees what was dispatched
to it; dispatchers and viewers see their area (a code prefix). ``admin`` passes every check.
"""
from __future__ import annotations

import sqlalchemy as sa

from academy.cases.models import Case, CaseTask, Level, Patrol
from academy.cases.people import department_ids_of, grids_of
from academy.cases.sql import rare
from academy.permissions import Role, area_scopes, has_role, in_scope, scope_clause
from academy.registry.models import WorkerStatus
from academy.registry.queries import worker_of_user

AREA_ROLES = (Role.DISPATCHER, Role.VIEWER)


def _own_grid_ids(user) -> set[int]:
    """The grids ``user`` holds today as a grid worker (none when he is no worker)."""
    return {grid.id for grid in grids_of(worker_of_user(user))}


# A suspended worker keeps learning but does no case work; an exited one has no log-in at all.
NO_CASE_WORK = (WorkerStatus.SUSPENDED, WorkerStatus.EXITED)


def can_do_case_work(user) -> bool:
    """False for a grid worker who is suspended (or exited): he may not report or handle cases."""
    worker = worker_of_user(user)
    return worker is None or worker.status not in NO_CASE_WORK


def visible_clause(user):
    """A WHERE clause on ``Case`` keeping the cases ``user`` may see."""
    if not getattr(user, "is_authenticated", False):
        return sa.false()
    conditions = [scope_clause(Case.area_code, area_scopes(user, *AREA_ROLES)), Case.reporter_id == user.id]
    grid_ids = _own_grid_ids(user)
    if grid_ids:
        conditions.append(Case.grid_id.in_(sorted(grid_ids)))
    # Cases handled by the user himself or by his departments: one indexed look-up each (an OR of
    # both in one subquery made SQLite scan every task).
    conditions.append(Case.id.in_(sa.select(CaseTask.case_id).where(rare(CaseTask.handler_user_id == user.id))))
    departments = department_ids_of(user)
    if departments:
        conditions.append(Case.id.in_(sa.select(CaseTask.case_id).where(CaseTask.department_id.in_(departments))))
    return sa.or_(*conditions)


def can_view(user, case: Case) -> bool:
    if in_scope(user, case.area_code, *AREA_ROLES) or case.reporter_id == user.id:
        return True
    if case.grid_id is not None and case.grid_id in _own_grid_ids(user):
        return True
    departments = department_ids_of(user)
    return any(task.handler_user_id == user.id or task.department_id in departments for task in case.tasks)


def can_dispatch(user, case: Case) -> bool:
    """Accept, dispatch, decide voids and extensions, record return visits: the case centre."""
    return in_scope(user, case.area_code, Role.DISPATCHER)


def can_supervise(user, case: Case) -> bool:
    return in_scope(user, case.area_code, Role.DISPATCHER, Role.VIEWER)


def can_handle(user, task: CaseTask) -> bool:
    """Act for the unit that holds ``task``."""
    if has_role(user, Role.ADMIN):
        return True
    if task.level == Level.SELF:
        return task.handler_user_id == user.id and can_do_case_work(user)
    if task.level == Level.DEPARTMENT:
        return task.department_id in department_ids_of(user)
    return in_scope(user, task.area_code, Role.DISPATCHER)


def can_verify(user, case: Case) -> bool:
    """On-site verification: the grid's worker or the street staff (dispatchers in scope)."""
    if can_dispatch(user, case):
        return True
    return case.grid_id is not None and case.grid_id in _own_grid_ids(user) and can_do_case_work(user)

def can_end_patrol(user, patrol: Patrol) -> bool:
    """A patrol is ended by the worker who walks it."""
    worker = worker_of_user(user)
    return worker is not None and patrol.worker_id == worker.id


# Everyone who takes part in cases; HR and instructors do not.
ANY_ROLE = (Role.DISPATCHER, Role.DEPARTMENT, Role.VIEWER, Role.TRAINEE)
