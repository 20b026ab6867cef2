"""Who may keep master courses: the administrators, who manage the city academy's courses."""
from __future__ import annotations

from academy.permissions import Role, has_role


def can_keep_masters(user) -> bool:
    return has_role(user, Role.ADMIN)
