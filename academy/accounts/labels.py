"""What each role is called, in the user's language: the one place the accounts package names its enum."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.permissions import Role

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.HR: _l("Human resources"),
    Role.INSTRUCTOR: _l("Instructor"),
    Role.TRAINEE: _l("Trainee (grid worker)"),
    Role.DISPATCHER: _l("Dispatcher"),
    Role.DEPARTMENT: _l("Department handler"),
    Role.VIEWER: _l("Viewer (leadership)"),
}


def role_label(role: str) -> str:
    """The translated name of a role given by its value (``"hr"``) or member."""
    return str(ROLE_LABELS[Role(role)])
