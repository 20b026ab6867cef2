"""The clocks: deadlines and elapsed time on natural hours, working hours or working days.

A ``Calendar`` is a plain snapshot of the working calendar (hours, weekend, holidays and make-up
days), so the arithmetic is pure and testable without a database. Working time is counted in
the calendar's own time zone; everything going in and out is UTC.
"""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from academy.cases.models.category import ClockKind
from academy.database import city_zone, utcnow

_frozen = contextvars.ContextVar("cases_now", default=None)


def now() -> datetime:
    """The current time for case operations; the demo builder and tests may set it."""
    return _frozen.get() or utcnow()


@contextlib.contextmanager
def frozen_time(moment: datetime):
    """Run case operations as if it were ``moment`` (the demo backdates its cases this way)."""
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)


MAX_DAYS = 3700  # no deadline lies ten years away; stops a broken calendar from looping forever


@dataclass
class Calendar:
    timezone: str = field(default_factory=lambda: city_zone().key)
    work_start: time = time(9, 0)
    work_end: time = time(17, 0)
    weekend: set[int] = field(default_factory=lambda: {5, 6})
    overrides: dict[date, bool] = field(default_factory=dict)  # holiday (False) or make-up day (True)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() not in self.weekend

    def _window(self, day: date) -> tuple[datetime, datetime]:
        zone = self.zone
        return datetime.combine(day, self.work_start, zone), datetime.combine(day, self.work_end, zone)

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Working time between two instants, in seconds (0 when end is before start)."""
        if end <= start:
            return 0.0
        local_start, local_end = start.astimezone(self.zone), end.astimezone(self.zone)
        total, day = 0.0, local_start.date()
        for _ in range(MAX_DAYS):
            if day > local_end.date():
                break
            if self.is_working_day(day):
                opens, closes = self._window(day)
                lo, hi = max(opens, local_start), min(closes, local_end)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += timedelta(days=1)
        return total

    def add_working_seconds(self, start: datetime, seconds: float) -> datetime:
        """The instant when ``seconds`` of working time have passed after ``start``."""
        local, remaining = start.astimezone(self.zone), seconds
        day = local.date()
        for _ in range(MAX_DAYS):
            if self.is_working_day(day):
                opens, closes = self._window(day)
                lo = max(opens, local)
                if closes > lo:
                    available = (closes - lo).total_seconds()
                    if remaining <= available:
                        return (lo + timedelta(seconds=remaining)).astimezone(UTC)
                    remaining -= available
            day += timedelta(days=1)
        raise ValueError("the calendar has no working time")

    def end_of_working_day(self, start: datetime, days: int) -> datetime:
        """Close of business on the ``days``-th working day after the day of ``start``."""
        day, counted = start.astimezone(self.zone).date(), 0
        for _ in range(MAX_DAYS):
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
                if counted >= days:
                    return self._window(day)[1].astimezone(UTC)
        raise ValueError("the calendar has no working days")


def deadline(calendar: Calendar, start: datetime, amount: int, clock: ClockKind) -> datetime:
    """When a limit of ``amount`` (hours or days, by ``clock``) that starts at ``start`` runs out."""
    if clock == ClockKind.NATURAL_HOURS:
        return start + timedelta(hours=amount)
    if clock == ClockKind.WORKING_HOURS:
        return calendar.add_working_seconds(start, amount * 3600)
    return calendar.end_of_working_day(start, max(amount, 1))


def point_in_limit(calendar: Calendar, start: datetime, due: datetime, fraction: float, clock: ClockKind) -> datetime:
    """The instant at which ``fraction`` of the limit from ``start`` to ``due`` is used (may pass ``due``)."""
    if clock == ClockKind.NATURAL_HOURS:
        return start + (due - start) * fraction
    used = calendar.working_seconds(start, due)
    return calendar.add_working_seconds(start, used * fraction)


def used_fraction(calendar: Calendar, start: datetime, due: datetime, now: datetime, clock: ClockKind) -> float:
    """How much of the limit is used at ``now`` (1.0 = the deadline)."""
    if clock == ClockKind.NATURAL_HOURS:
        total, used = (due - start).total_seconds(), (now - start).total_seconds()
    else:
        total, used = calendar.working_seconds(start, due), calendar.working_seconds(start, now)
    if total <= 0:
        return 1.0 if now >= due else 0.0
    return max(used, 0.0) / total
