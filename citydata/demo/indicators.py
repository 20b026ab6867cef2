"""The demo step: the standard assessment scheme and snapshots of the demo city's recent months."""
from __future__ import annotations

from datetime import timedelta

from academy.indicators.operations import ensure_scheme, refresh_period
from academy.indicators.periods import current_month, month, parse_period


def create_demo_indicators(demo: dict) -> None:
    """Refresh the last three months, this quarter and this year (after the demo cases exist)."""
    ensure_scheme(None)
    this = current_month()
    months = [this]
    for _n in range(2):
        months.insert(0, month(months[0].first - timedelta(days=1)))
    quarter = parse_period(f"{this.first.year}-Q{(this.first.month - 1) // 3 + 1}")
    for period in (*months, quarter, parse_period(str(this.first.year))):
        refresh_period(period)
