"""Who may see which indicators: the one place the pages' object checks live.

A trainee sees his own page; HR and leaders (viewers) see workers, areas and departments inside
their scope; a department's members see their department; admins see everything.
"""
from __future__ import annotations

from academy.cases.people import department_ids_of
from academy.permissions import Role, area_scopes, has_role, in_scope

LEADERS = (Role.HR, Role.VIEWER)
PAGE_ROLES = (Role.TRAINEE, Role.HR, Role.VIEWER, Role.DEPARTMENT)


def can_see_worker(user, worker) -> bool:
    if worker.user_id is not None and worker.user_id == getattr(user, "id", None):
        return True
    return in_scope(user, worker.area.code if worker.area else None, *LEADERS)


def can_see_area(user, area_code: str) -> bool:
    return in_scope(user, area_code, *LEADERS)


def can_see_department(user, department) -> bool:
    if has_role(user, Role.DEPARTMENT) and department.id in department_ids_of(user):
        return True
    return in_scope(user, department.area.code if department.area else None, *LEADERS)


def can_manage_schemes(user) -> bool:
    """Schemes are city-wide: admins and HR without an area limit."""
    return has_role(user, Role.ADMIN) or (has_role(user, Role.HR) and area_scopes(user, Role.HR) is None)


def home_area(user) -> str | None:
    """The widest area a leader sees (None: the whole city)."""
    scopes = area_scopes(user, *LEADERS)
    if scopes is None:
        return None
    return min(scopes, key=len) if scopes else ""
