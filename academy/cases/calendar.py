"""The city's working calendar as case clocks read it: its row, its snapshot, the yellow share.

It sits below both the operations (which start stage clocks) and the queries (which show a task's
light), so neither has to import the other to read the calendar.
"""
from __future__ import annotations

import sqlalchemy as sa

from academy.cases import clock
from academy.cases.models import Holiday, WorkCalendar
from academy.extensions import db

YELLOW_AT = 0.8  # share of a limit after which the light turns yellow


def work_calendar() -> WorkCalendar:
    """The city's calendar row, created with defaults on first use."""
    row = db.session.scalar(sa.select(WorkCalendar).order_by(WorkCalendar.id).limit(1))
    if row is None:
        row = WorkCalendar()
        db.session.add(row)
        db.session.flush()
    return row


def calendar_snapshot() -> clock.Calendar:
    """The calendar as the pure ``clock.Calendar`` the arithmetic runs on."""
    row = work_calendar()
    overrides = {day: working for day, working in db.session.execute(sa.select(Holiday.day, Holiday.working))}
    return clock.Calendar(row.timezone, row.work_start, row.work_end, row.weekend, overrides)
