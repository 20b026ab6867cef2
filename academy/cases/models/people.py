"""Who acts for a department, and which civic apps may post Open311 requests."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.database import UTCDateTime, utcnow
from academy.extensions import db
from academy.registry.models import Department


class DepartmentMember(db.Model):
    """A user who handles cases for a functional department."""

    __tablename__ = "case_department_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), index=True)

    department: Mapped[Department] = relationship()

    __table_args__ = (sa.UniqueConstraint("user_id", "department_id"),)


class ApiClient(db.Model):
    """A civic app allowed to submit Open311 requests with its API key (stored hashed)."""

    __tablename__ = "case_api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
