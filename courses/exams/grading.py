"""Grading rules for every question type, as pure functions of an answer key and a response.

Objective types are graded here, the moment an attempt is submitted; essays return None and go
to the instructors' queue. Points are Decimals rounded to two places, so totals add up exactly.
"""
from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


class QuestionType(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    FILL_BLANK = "fill_blank"
    ESSAY = "essay"

    @property
    def objective(self) -> bool:
        return self is not QuestionType.ESSAY


class PartialCredit(enum.StrEnum):
    """How a multiple-choice answer that is partly right scores."""

    ALL_OR_NOTHING = "all_or_nothing"  # exactly the right set, or nothing
    NO_WRONG = "no_wrong"  # each right option chosen earns its share, unless any wrong one is chosen
    RIGHT_MINUS_WRONG = "right_minus_wrong"  # (right chosen - wrong chosen) / right, never below zero


@dataclass(frozen=True)
class AnswerKey:
    """What a right answer is.

    ``correct`` holds option letters ("A", "C") for choice questions, "T" or "F" for true/false,
    and for fill-in-the-blank one tuple of accepted answers per blank.
    """

    type: QuestionType
    correct: tuple
    partial_credit: PartialCredit = PartialCredit.ALL_OR_NOTHING
    case_sensitive: bool = False
    width_sensitive: bool = False  # False: full-width "ＡＢＣ１２３" equals "ABC123"


def normalise_text(text: str, *, case_sensitive: bool = False, width_sensitive: bool = False) -> str:
    """Compare answers as a person would: outer and repeated spaces ignored, optionally case and width."""
    if not width_sensitive:
        text = unicodedata.normalize("NFKC", text)  # full-width letters, digits and space become half-width
    text = re.sub(r"\s+", " ", text).strip()
    return text if case_sensitive else text.casefold()


def _points(fraction: Decimal, points: Decimal) -> Decimal:
    return (points * fraction).quantize(CENT, rounding=ROUND_HALF_UP)


def _choices(response) -> set[str]:
    if isinstance(response, str):
        response = list(response.replace(",", ""))
    if not isinstance(response, (list, tuple, set)):
        return set()
    return {item.strip().upper() for item in response if isinstance(item, str) and item.strip()}


def _multiple_fraction(key: AnswerKey, chosen: set[str]) -> Decimal:
    right = set(key.correct)
    hits, misses = len(chosen & right), len(chosen - right)
    if key.partial_credit is PartialCredit.ALL_OR_NOTHING:
        return Decimal(1) if chosen == right else Decimal(0)
    if key.partial_credit is PartialCredit.NO_WRONG:
        return Decimal(0) if misses else Decimal(hits) / Decimal(len(right))
    return max(Decimal(0), Decimal(hits - misses) / Decimal(len(right)))


def _blank_fraction(key: AnswerKey, response) -> Decimal:
    answers = [response] if isinstance(response, str) else list(response) if isinstance(response, (list, tuple)) else []
    if not key.correct:
        return Decimal(0)
    right = 0
    for index, accepted in enumerate(key.correct):
        given = answers[index] if index < len(answers) and isinstance(answers[index], str) else ""
        options = dict(case_sensitive=key.case_sensitive, width_sensitive=key.width_sensitive)
        if given.strip() and normalise_text(given, **options) in {normalise_text(a, **options) for a in accepted}:
            right += 1
    return Decimal(right) / Decimal(len(key.correct))


def grade(key: AnswerKey, response, points: Decimal | int | str) -> Decimal | None:
    """The points ``response`` earns under ``key``; None when a person must grade it (essays).

    A response of the wrong shape (a list for a single choice, text for a choice) earns nothing
    rather than failing: the response comes from the network and may be anything.
    """
    points = Decimal(str(points))
    if key.type is QuestionType.ESSAY:
        return None
    if key.type is QuestionType.FILL_BLANK:
        return _points(_blank_fraction(key, response), points)
    chosen = _choices(response)
    if key.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        return points.quantize(CENT) if len(chosen) == 1 and chosen == set(key.correct) else Decimal("0.00")
    return _points(_multiple_fraction(key, chosen), points)
