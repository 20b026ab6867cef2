"""The category tree: each category carries its handling level, time limit, clock and criteria."""
from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.database import value_enum
from academy.extensions import db


class ClockKind(enum.StrEnum):
    NATURAL_HOURS = "natural_hours"  # run day and night
    WORKING_HOURS = "working_hours"  # only inside working hours of working days
    WORKING_DAYS = "working_days"  # whole working days, ending at the close of business


class Category(db.Model):
    __tablename__ = "case_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_categories.id"), index=True)
    default_level: Mapped[str] = mapped_column(sa.String(20), default="community")
    allow_self_handling: Mapped[bool] = mapped_column(default=False)
    time_limit: Mapped[int] = mapped_column(default=3)  # in the unit of the clock (hours or days)
    clock: Mapped[ClockKind] = mapped_column(value_enum(ClockKind), default=ClockKind.WORKING_DAYS)
    accept_criteria: Mapped[str] = mapped_column(sa.Text, default="")
    close_criteria: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent", order_by="Category.code")

    @property
    def full_name(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent else self.name

    def __repr__(self) -> str:
        return f"<Category {self.code} {self.name}>"
