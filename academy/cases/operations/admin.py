"""Administration of the case module: categories, the working calendar and its holidays,
department members, and the API keys of civic apps."""
from __future__ import annotations

import hashlib
import secrets
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.cases.models import ApiClient, Category, DepartmentMember, Holiday
from academy.cases.operations.core import CaseError, work_calendar
from academy.extensions import db

CATEGORY_FIELDS = ["code", "name", "parent_id", "default_level", "allow_self_handling", "time_limit", "clock",
                   "accept_criteria", "close_criteria", "active"]
CALENDAR_FIELDS = ["work_start", "work_end", "weekend_days", "red_card_multiple", "accept_limit_hours",
                   "verify_limit_days"]


def _check_parent(category: Category | None, parent_id: int | None) -> None:
    node = db.session.get(Category, parent_id) if parent_id else None
    if parent_id and node is None:
        raise CaseError(_("The parent category does not exist."))
    while node is not None:
        if category is not None and node.id == category.id:
            raise CaseError(_("A category cannot sit under itself."))
        node = node.parent


def save_category(category: Category | None, by, **values) -> Category:
    """Create (``category`` None) or change a category; codes are unique."""
    clash = db.session.scalar(sa.select(Category).where(Category.code == values["code"]))
    if clash is not None and clash is not category:
        raise CaseError(_("This code is taken."))
    _check_parent(category, values.get("parent_id"))
    if category is None:
        category = Category(**values)
        db.session.add(category)
        db.session.flush()
        audit.record(by, "case_category.create", category, summary=category.code, after=values)
        return category
    audit.apply_changes(by, "case_category.update", category, CATEGORY_FIELDS, values, summary=category.code)
    return category


def save_calendar(by, **values):
    """Change the working hours, weekend and clock settings of the city's calendar."""
    if values["work_end"] <= values["work_start"]:
        raise CaseError(_("The working day must end after it starts."))
    row = work_calendar()
    audit.apply_changes(by, "case_calendar.update", row, CALENDAR_FIELDS, values)
    return row


def set_holiday(by, day: date, name: str, working: bool) -> Holiday:
    """Mark a public holiday or a make-up working day (replacing what the day was)."""
    row = db.session.scalar(sa.select(Holiday).where(Holiday.day == day))
    if row is None:
        row = Holiday(day=day)
        db.session.add(row)
    row.name, row.working = name.strip(), working
    db.session.flush()
    audit.record(by, "case_holiday.set", row, summary=f"{day} {name}", after={"working": working})
    return row


def remove_holiday(by, holiday: Holiday) -> None:
    audit.record(by, "case_holiday.remove", holiday, summary=str(holiday.day))
    db.session.delete(holiday)
    db.session.flush()


def add_department_member(by, user, department) -> DepartmentMember:
    """Let ``user`` act for ``department`` on the cases dispatched to it."""
    exists = db.session.scalar(sa.select(DepartmentMember).where(
        DepartmentMember.user_id == user.id, DepartmentMember.department_id == department.id))
    if exists is not None:
        raise CaseError(_("This user already acts for this department."))
    member = DepartmentMember(user_id=user.id, department_id=department.id)
    db.session.add(member)
    db.session.flush()
    audit.record(by, "case_department_member.add", member, summary=f"{user.username} {department.code}")
    return member


def join_department(_app, *, user, department, by) -> None:
    """``staff_account_created`` receiver: a department handler from the staff import acts for his
    department from the start. Other staff come without a department and are left alone."""
    if department is not None:
        add_department_member(by, user, department)


def remove_department_member(by, member: DepartmentMember) -> None:
    audit.record(by, "case_department_member.remove", member, summary=str(member.user_id))
    db.session.delete(member)
    db.session.flush()


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_client(by, name: str) -> tuple[ApiClient, str]:
    """A new Open311 client and its key (shown once; only its hash is kept)."""
    key = secrets.token_urlsafe(24)
    client = ApiClient(name=name.strip()[:100], key_hash=key_hash(key))
    db.session.add(client)
    db.session.flush()
    audit.record(by, "case_api_client.create", client, summary=client.name)
    return client, key
