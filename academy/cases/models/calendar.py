"""The working calendar the clocks run on: hours, weekends, public holidays and make-up days."""
from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from academy.database import city_zone
from academy.extensions import db


class WorkCalendar(db.Model):
    """The one calendar of the city (a single row, created on first use)."""

    __tablename__ = "case_work_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    timezone: Mapped[str] = mapped_column(sa.String(40), default=lambda: city_zone().key)
    work_start: Mapped[time] = mapped_column(sa.Time, default=time(9, 0))
    work_end: Mapped[time] = mapped_column(sa.Time, default=time(17, 0))
    weekend_days: Mapped[str] = mapped_column(sa.String(20), default="5,6")  # Monday = 0
    red_card_multiple: Mapped[float] = mapped_column(sa.Float, default=2.0)
    accept_limit_hours: Mapped[int] = mapped_column(default=2)  # working hours to accept a report
    verify_limit_days: Mapped[int] = mapped_column(default=1)  # working days to verify on site

    @property
    def weekend(self) -> set[int]:
        return {int(part) for part in self.weekend_days.split(",") if part.strip().isdigit()}


class Holiday(db.Model):
    """A day off that would be a working day, or (make-up day) a working day on a weekend."""

    __tablename__ = "case_holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, unique=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    working: Mapped[bool] = mapped_column(default=False)  # True: a make-up working day (调休上班)
