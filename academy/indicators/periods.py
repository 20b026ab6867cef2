"""Periods of assessment: a month (``2026-03``), a quarter (``2026-Q1``), a year (``2026``) or a
custom range (``2026-03-05..2026-04-10``, both days included).

A period is a half-open interval of local days [first, last + 1); its instants are midnight in
the city's time zone (``CITY_TIMEZONE``, Asia/Shanghai by default), converted to UTC for the queries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from academy.database import city_zone, utcnow
from academy.errors import DomainError

MAX_CUSTOM_DAYS = 3 * 366
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class PeriodError(DomainError):
    """The text does not name a period."""


@dataclass(frozen=True)
class Period:
    key: str
    kind: str  # month, quarter, year, custom
    first: date
    end: date  # exclusive

    def bounds(self, zone: str | None = None) -> tuple[datetime, datetime]:
        """The UTC instants [start, end) of the period's local days (the city's unless ``zone``)."""
        tz = ZoneInfo(zone) if zone else city_zone()
        return (datetime.combine(self.first, time(0), tz).astimezone(UTC),
                datetime.combine(self.end, time(0), tz).astimezone(UTC))

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def storable(self) -> bool:
        """Months, quarters and years are kept as snapshots; custom ranges are computed live."""
        return self.kind != "custom"


def _add_months(day: date, n: int) -> date:
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month(day: date) -> Period:
    first = day.replace(day=1)
    return Period(f"{first:%Y-%m}", "month", first, _add_months(first, 1))


def parse_period(text: str) -> Period:
    """Read a period key; raise PeriodError for anything else."""
    text = (text or "").strip()[:40]
    try:
        if match := _MONTH.match(text):
            return month(date(int(match[1]), int(match[2]), 1))
        if match := _QUARTER.match(text):
            first = date(int(match[1]), 3 * int(match[2]) - 2, 1)
            return Period(text, "quarter", first, _add_months(first, 3))
        if match := _YEAR.match(text):
            first = date(int(text), 1, 1)
            return Period(text, "year", first, date(first.year + 1, 1, 1))
        if match := _RANGE.match(text):
            first, last = date.fromisoformat(match[1]), date.fromisoformat(match[2])
            if last < first or (last - first).days > MAX_CUSTOM_DAYS:
                raise PeriodError(text)
            return Period(text, "custom", first, last + timedelta(days=1))
    except ValueError as error:  # a month 13, a 30 February ...
        raise PeriodError(text) from error
    raise PeriodError(text)


def current_month(now: datetime | None = None, zone: str | None = None) -> Period:
    now = now or utcnow()
    return month(now.astimezone(ZoneInfo(zone) if zone else city_zone()).date())


def last_months(period: Period, count: int = 12) -> list[Period]:
    """The ``count`` months ending with the month in which ``period`` ends, oldest first."""
    last = month(period.last)
    return [month(_add_months(last.first, -n)) for n in range(count - 1, -1, -1)]


def containing(day: date) -> list[Period]:
    """The stored periods (month, quarter, year) that contain ``day``."""
    quarter = (day.month - 1) // 3 + 1
    return [month(day), parse_period(f"{day.year}-Q{quarter}"), parse_period(str(day.year))]


def previous_month(now: datetime | None = None) -> Period:
    """The month before the current one (the latest complete month)."""
    return month(current_month(now).first - timedelta(days=1))
