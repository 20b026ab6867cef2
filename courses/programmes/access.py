"""Who may do what with programmes: instructors and HR keep them; HR (in its areas) and admins see
who is where and enrol workers."""
from __future__ import annotations

from academy.permissions import Role, has_role


def can_keep_programmes(user) -> bool:
    return has_role(user, Role.HR, Role.INSTRUCTOR)


def can_see_places(user) -> bool:
    return has_role(user, Role.HR)
