"""Item statistics of an exam: how hard each question was and how well it told people apart.

- facility index: the mean share of the question's points that people earned (0 hard .. 1 easy);
- discrimination index: facility among the top 27 % of total scores minus among the bottom 27 %;
- point-biserial: the correlation of the question's score with the rest of the exam (total minus
  this question, so a question does not correlate with itself);
- option frequencies: how often each option was chosen.
A question is flagged too easy, too hard or discriminating badly by the thresholds below, but only
when at least ``MIN_SAMPLE`` attempts answered it: fewer say nothing.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

UPPER_LOWER_SHARE = 0.27
MIN_SAMPLE = 10
TOO_EASY = 0.90
TOO_HARD = 0.20
POOR_DISCRIMINATION = 0.20


@dataclass(frozen=True)
class ItemResponse:
    """One attempt's answer to one question: the points earned and the options chosen."""

    attempt_id: int
    earned: float
    possible: float
    chosen: tuple[str, ...] = ()


@dataclass
class ItemStatistics:
    question_id: int
    responses: int
    facility: float | None
    discrimination: float | None
    point_biserial: float | None
    option_counts: dict[str, int] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)  # "too_easy", "too_hard", "poor_discrimination"


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None  # everyone scored alike: no correlation to speak of
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def _share(response: ItemResponse) -> float:
    return response.earned / response.possible if response.possible else 0.0


def item_statistics(question_id: int, responses: list[ItemResponse], totals: dict[int, float]) -> ItemStatistics:
    """Statistics of one question from its responses and every attempt's total score."""
    answered = [r for r in responses if r.attempt_id in totals]
    counts = Counter(option for r in answered for option in r.chosen)
    stats = ItemStatistics(question_id, len(answered), None, None, None, dict(sorted(counts.items())))
    if not answered:
        return stats
    shares = [_share(r) for r in answered]
    stats.facility = sum(shares) / len(shares)
    ranked = sorted(answered, key=lambda r: totals[r.attempt_id])
    group = max(1, round(len(ranked) * UPPER_LOWER_SHARE))
    if len(ranked) >= 2 * group:
        upper = sum(_share(r) for r in ranked[-group:]) / group
        lower = sum(_share(r) for r in ranked[:group]) / group
        stats.discrimination = upper - lower
    stats.point_biserial = _pearson(shares, [totals[r.attempt_id] - r.earned for r in answered])
    stats.flags = _flags(stats)
    return stats


def _flags(stats: ItemStatistics) -> list[str]:
    if stats.responses < MIN_SAMPLE:
        return []
    flags = []
    if stats.facility is not None and stats.facility > TOO_EASY:
        flags.append("too_easy")
    if stats.facility is not None and stats.facility < TOO_HARD:
        flags.append("too_hard")
    if stats.discrimination is not None and stats.discrimination < POOR_DISCRIMINATION:
        flags.append("poor_discrimination")
    return flags
