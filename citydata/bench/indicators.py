"""The indicators' step: snapshots of the current and the previous month, so the dashboards and
worker pages of the benchmark city show figures as they would after a night's refresh."""
from __future__ import annotations

from datetime import timedelta

from academy.indicators.operations import ensure_scheme, refresh_period
from academy.indicators.periods import current_month, month
from citydata.bench.city import BenchCity

MONTHS = 2


def run(city: BenchCity) -> None:
    """Refresh the last ``MONTHS`` months (the current one first) through the indicators' operation."""
    ensure_scheme()
    period = current_month(city.end)
    for _n in range(MONTHS):
        refresh_period(period, as_of=city.end)
        city.writer.commit()
        city.say(f"  indicator snapshots of {period.key} refreshed")
        city.count("indicator months")
        period = month(period.first - timedelta(days=1))
