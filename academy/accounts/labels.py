"""What each role is called, in the user's language: the one place the accounts package names its enum."""
from __future__ import annotations

from flask_babel import gettext, pgettext
from flask_babel import lazy_gettext as _l

from academy.labels import Words
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


def person_label(user, fallback: str = "") -> str:
    """A person as a page names them: full name and roles ("王芳 · 调度员"); "System" for no one."""
    if user is None:
        return fallback if fallback and fallback != "system" else gettext("System")
    roles = pgettext("between items", ", ").join(role_label(role) for role in sorted(user.roles))
    name = user.display_name or user.username
    return f"{name} · {roles}" if roles and roles != name else name


def role_label(role: str) -> str:
    """The translated name of a role given by its value (``"hr"``) or member."""
    return str(ROLE_LABELS[Role(role)])


# The accounts' audit events (and the sign-ins of academy.oidc, which writes user.* events too).
EVENT_LABELS = {
    "user.create": _l("User created"), "user.update": _l("User changed"),
    "user.enable": _l("User enabled"), "user.disable": _l("User disabled"),
    "user.login": _l("Logged in"), "user.logout": _l("Logged out"),
    "user.login_oidc": _l("Logged in through the identity provider"),
    "user.login_oidc_refused": _l("Log-in through the identity provider refused"),
    "user.password_change": _l("Own password changed"), "user.password_reset": _l("Password reset"),
    "grant.add": _l("Role granted"), "grant.revoke": _l("Role revoked"),
}
FIELD_LABELS = {
    "username": _l("User name"), "display_name": _l("Full name"), "password": _l("Password"),
    "area_code": _l("Area"), "matched_by": _l("Matched by"), "locale": _l("Language"), "timezone": _l("Time zone"),
}
OBJECT_LABELS = {"User": _l("User")}
WORDS = Words(enums={Role: ROLE_LABELS}, events=EVENT_LABELS, fields=FIELD_LABELS, objects=OBJECT_LABELS,
              links={"User": ("accounts.user", "user_id")})
