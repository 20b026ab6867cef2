"""The demo city's users: one per role, named after it, sharing the demo password."""
from __future__ import annotations

from flask import current_app

from academy.accounts.operations import create_user, grant_role
from academy.permissions import Role

DEMO_NAMES = {
    Role.ADMIN: "系统管理员",
    Role.HR: "人事专员",
    Role.INSTRUCTOR: "培训讲师",
    Role.TRAINEE: "网格员学员",
    Role.DISPATCHER: "指挥中心调度员",
    Role.DEPARTMENT: "职能部门办理人",
    Role.VIEWER: "领导（只读）",
}


def create_demo_users(demo: dict) -> None:
    """Create ``admin``, ``hr``, ... with city-wide grants; later steps may narrow or link them."""
    password = current_app.config["DEMO_PASSWORD"]
    users = demo.setdefault("users", {})
    for role, name in DEMO_NAMES.items():
        user = create_user(role.value, password, by=None, display_name=name)
        grant_role(user, role, by=None)
        users[role.value] = user
