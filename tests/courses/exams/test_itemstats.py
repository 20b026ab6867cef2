"""Item statistics against figures worked out by hand."""
from __future__ import annotations

import pytest

from courses.exams.itemstats import ItemResponse, item_statistics


def _exam(item_scores: list[float], rest: list[float]):
    responses = [ItemResponse(n, score, 1.0, ("A",) if score else ("B",)) for n, score in enumerate(item_scores)]
    totals = {n: score + other for n, (score, other) in enumerate(zip(item_scores, rest, strict=True))}
    return responses, totals


def test_a_question_the_strong_get_right_and_the_weak_get_wrong():
    # Ten attempts; the five best (by the rest of the exam) answered right, the five worst wrong.
    responses, totals = _exam([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    stats = item_statistics(7, responses, totals)
    assert stats.facility == pytest.approx(0.5)
    assert stats.discrimination == pytest.approx(1.0)  # top 27 % (3) all right, bottom 3 all wrong
    assert stats.point_biserial == pytest.approx(0.8704, abs=1e-4)  # corr([0]*5+[1]*5, 1..10)
    assert stats.option_counts == {"A": 5, "B": 5}
    assert stats.flags == []


def test_everyone_right_is_too_easy_and_says_nothing_about_discrimination():
    responses, totals = _exam([1] * 12, list(range(12)))
    stats = item_statistics(1, responses, totals)
    assert stats.facility == 1.0 and stats.point_biserial is None
    assert "too_easy" in stats.flags and "poor_discrimination" in stats.flags


def test_small_samples_are_not_flagged():
    responses, totals = _exam([0, 0, 0], [1, 2, 3])
    stats = item_statistics(1, responses, totals)
    assert stats.facility == 0.0 and stats.flags == []


def test_no_responses():
    stats = item_statistics(1, [], {})
    assert stats.responses == 0 and stats.facility is None
