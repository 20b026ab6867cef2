"""The configurable numbers of the indicators, read from the application's configuration."""
from __future__ import annotations

from flask import current_app

from academy.indicators.definitions import DEFAULT_BASIC_WEIGHT, DEFAULT_MIN_SAMPLE


def min_sample() -> int:
    """INDICATORS_MIN_SAMPLE: a rate over fewer cases than this shows as "too few cases"."""
    return int(current_app.config.get("INDICATORS_MIN_SAMPLE", DEFAULT_MIN_SAMPLE))


def basic_weight() -> float:
    """INDICATORS_BASIC_SATISFIED_WEIGHT: the share of a "basically satisfied" rating that counts."""
    return float(current_app.config.get("INDICATORS_BASIC_SATISFIED_WEIGHT", DEFAULT_BASIC_WEIGHT))


def auto_refresh() -> bool:
    """INDICATORS_AUTO_REFRESH: refresh the current month when cases change (off in tests by default)."""
    return bool(current_app.config.get("INDICATORS_AUTO_REFRESH", not current_app.testing))


def refresh_debounce_seconds() -> int:
    """INDICATORS_REFRESH_DEBOUNCE_S: at most one queued refresh of the current month per this many seconds."""
    return int(current_app.config.get("INDICATORS_REFRESH_DEBOUNCE_S", 60))
