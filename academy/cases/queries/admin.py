"""Reads of the administration pages and the list filters: categories, the calendar's holidays,
departments and their members, a user by name."""
from __future__ import annotations

import sqlalchemy as sa

from academy.accounts.models import RoleGrant, User
from academy.cases.models import Category, DepartmentMember, Holiday
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import Department


def categories() -> list[Category]:
    """Every category, by code (the list filter offers them all, retired ones included)."""
    return list(db.session.scalars(sa.select(Category).order_by(Category.code)))


def root_categories(exclude: Category | None = None) -> list[Category]:
    """The top of the category tree, by code, without ``exclude`` (a category is no parent of itself)."""
    rows = db.session.scalars(sa.select(Category).where(Category.parent_id.is_(None)).order_by(Category.code))
    return [c for c in rows if c is not exclude]


def holidays(limit: int = 200) -> list[Holiday]:
    """The calendar's holidays and make-up days, the latest first."""
    return list(db.session.scalars(sa.select(Holiday).order_by(Holiday.day.desc()).limit(limit)))


def departments(active_only: bool = False) -> list[Department]:
    """Departments by name (only those still taking cases when ``active_only``)."""
    query = sa.select(Department).order_by(Department.name)
    if active_only:
        query = query.where(Department.active)
    return list(db.session.scalars(query))


def department_members() -> list[tuple[DepartmentMember, User]]:
    """Who acts for which department, by department and username."""
    return [tuple(row) for row in db.session.execute(
        sa.select(DepartmentMember, User).join(User, User.id == DepartmentMember.user_id)
        .order_by(DepartmentMember.department_id, User.username))]


def user_by_username(username: str) -> User | None:
    """The user with this log-in name (usernames are stored lower-case)."""
    return db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))


def picker_handlers(search: str = "", username: str = "", limit: int = 20) -> list[User]:
    """The people who may hold a case (dispatchers, departments' people and members) whose log-in or
    name contains ``search``, or the one called ``username``: the board's handler picker."""
    handlers = sa.or_(User.id.in_(sa.select(RoleGrant.user_id).where(RoleGrant.role.in_((Role.DISPATCHER, Role.DEPARTMENT)))),
                      User.id.in_(sa.select(DepartmentMember.user_id)))
    query = sa.select(User).where(handlers).order_by(User.username).limit(limit)
    if username:
        query = query.where(User.username == username.strip().lower())
    elif search:
        query = query.where(sa.or_(User.username.icontains(search, autoescape=True),
                                   User.display_name.icontains(search, autoescape=True)))
    return list(db.session.scalars(query))
