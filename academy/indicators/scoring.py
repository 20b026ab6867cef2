"""Scoring a unit against an assessment scheme version.

Each item of the scheme names an indicator, a weight (the weights sum to 100), a target and
scoring bands. The achievement is value / target (or target / value for indicators where lower
is better), in %; the first band whose threshold the achievement reaches gives the share of the
item's weight earned. Items whose sample is too small are left out and the others re-weighted,
so a worker is never scored on "too few cases". Deductions (per case pending past its deadline
at period end, per dissatisfied rating) come off the result, which never falls below 0.
"""
from __future__ import annotations

from dataclasses import dataclass

from academy.indicators.definitions import DEFAULT_BASIC_WEIGHT, DEFAULT_MIN_SAMPLE, INDICATORS, evaluate

DEFAULT_BANDS = [[100, 100], [90, 80], [75, 50], [0, 0]]
DEFAULT_ITEMS = [
    {"indicator": "on_time_closure_rate", "weight": 30, "target": 90, "bands": DEFAULT_BANDS},
    {"indicator": "closure_rate", "weight": 20, "target": 95, "bands": DEFAULT_BANDS},
    {"indicator": "satisfaction_rate", "weight": 20, "target": 90, "bands": DEFAULT_BANDS},
    {"indicator": "patrol_compliance", "weight": 15, "target": 90, "bands": DEFAULT_BANDS},
    {"indicator": "rework_rate", "weight": 15, "target": 5, "bands": DEFAULT_BANDS},
]


@dataclass(frozen=True)
class Score:
    score: float | None
    base: float | None
    deductions: float


def achievement(value: float, target: float, higher_is_better: bool) -> float:
    """How much of the target is reached, in % (capped at 1000 so one figure cannot run away)."""
    if higher_is_better:
        ratio = 100.0 if target <= 0 else 100.0 * value / target
    else:
        ratio = 100.0 if value <= target else (100.0 * target / value if value > 0 else 100.0)
    return min(ratio, 1000.0)


def band_share(achieved: float, bands: list) -> float:
    """The share of the weight (in %) of the first band whose threshold ``achieved`` reaches."""
    for threshold, share in sorted(bands or DEFAULT_BANDS, key=lambda band: -band[0]):
        if achieved >= threshold:
            return float(share)
    return 0.0


def score(counts: dict, scheme, min_sample: int = DEFAULT_MIN_SAMPLE,
          basic_weight: float = DEFAULT_BASIC_WEIGHT) -> Score:
    """The scheme's score of one unit's counts."""
    earned = measured = 0.0
    for item in scheme.items:
        value = evaluate(item["indicator"], counts, min_sample, basic_weight)
        if value.value is None:
            continue
        ind = INDICATORS[item["indicator"]]
        measured += item["weight"]
        earned += item["weight"] * band_share(achievement(value.value, item["target"], ind.higher_is_better),
                                              item.get("bands")) / 100.0
    deductions = ((counts.get("overdue_pending") or 0) * scheme.deduction_per_overdue
                  + (counts.get("dissatisfied") or 0) * scheme.deduction_per_dissatisfied)
    if measured <= 0:
        return Score(None, None, round(deductions, 2))
    base = 100.0 * earned / measured
    return Score(round(max(base - deductions, 0.0), 2), round(base, 2), round(deductions, 2))


def target_of(scheme, key: str) -> float | None:
    """The scheme's target for an indicator, if the scheme scores it."""
    for item in getattr(scheme, "items", None) or []:
        if item["indicator"] == key:
            return float(item["target"])
    return None
