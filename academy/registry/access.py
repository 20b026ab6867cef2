"""Who may read and edit the registry: HR and viewers read the areas their grants cover, HR edits them.

A trainee reads only the worker record linked to his own log-in. Scopes are code prefixes, so a
grid's scope is its own code and a worker's is the code of the area that employs him.
"""
from __future__ import annotations

from academy.permissions import Role, area_scopes, has_role, in_scope
from academy.registry.models import Worker

READ_ROLES = (Role.HR, Role.VIEWER)
EDIT_ROLES = (Role.HR,)


def read_scopes(user) -> list[str] | None:
    """The area-code prefixes ``user`` may read (None: the whole city)."""
    return area_scopes(user, *READ_ROLES)


def edit_scopes(user) -> list[str] | None:
    """The area-code prefixes ``user`` may edit (None: the whole city)."""
    return area_scopes(user, *EDIT_ROLES)


def can_read(user, code: str) -> bool:
    return in_scope(user, code, *READ_ROLES)


def can_edit(user, code: str) -> bool:
    return in_scope(user, code, *EDIT_ROLES)


def has_edit_role(user) -> bool:
    """May ``user`` edit anywhere at all (shows the "add" buttons)?"""
    return has_role(user, *EDIT_ROLES)


def is_holder(user, worker: Worker) -> bool:
    """Is ``worker`` the record linked to ``user``'s own log-in?"""
    return worker.user_id is not None and worker.user_id == user.id


def can_see_worker(user, worker: Worker) -> bool:
    return can_read(user, worker.area.code) or is_holder(user, worker)


def can_change_photo(user, worker: Worker) -> bool:
    """HR who may edit the worker, or the worker himself, puts a photo on the record or takes it off."""
    return can_edit(user, worker.area.code) or is_holder(user, worker)


# Who may search with each picker (each within the areas of these roles' grants): the dispatchers
# pick a street on the board, the instructors a worker to give extra time in an exam.
AREA_PICKER_ROLES = (Role.HR, Role.VIEWER, Role.DISPATCHER)
WORKER_PICKER_ROLES = (Role.HR, Role.VIEWER, Role.INSTRUCTOR)
GRID_PICKER_ROLES = READ_ROLES


def picker_scopes(user, roles) -> list[str] | None:
    """The area-code prefixes a picker searches for ``user`` holding ``roles`` (None: the whole city)."""
    return area_scopes(user, *roles)
