"""Grading rules for every question type, as pure functions of an answer key and a response.

Objective types are graded here, the moment an attempt is submitted; essays return None and go
to the instructors' queue. Points are Decimals rounded to two places, so totals add up exactly.

Weights follow Moodle: a percentage per answer (``weights``, parallel to the options, to a blank's
accepted answers, or to the numerical answers). A single choice earns the chosen option's weight, a
multiple choice the sum of the chosen options' weights (negative ones subtract) kept within 0..100 %,
a blank the weight of the accepted answer it matches, a numerical answer the weight of the first
answer whose range holds it (Moodle's order), a matching question its share of right pairs. Without
weights a question grades as before: the right answer 100 %, the rest nothing.
"""
from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_NUMBER_TEXT = 40  # digits a person types for a numerical answer, sign, point and exponent included
MAX_EXPONENT = 30  # 1e30 .. 1e-30: beyond it a "number" is a typing accident or an attack on the arithmetic


class QuestionType(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    FILL_BLANK = "fill_blank"
    ESSAY = "essay"
    NUMERICAL = "numerical"
    MATCHING = "matching"

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
    for fill-in-the-blank one tuple of accepted answers per blank, for numerical one mapping per
    answer (``{"value", "tolerance"}`` or ``{"min", "max"}``, numbers as text), for matching one
    (item, match) pair per item. ``weights`` (percent, as text) follow ``correct``'s answers
    (``options`` for choices); ``units`` are (unit, multiplier) pairs a numerical answer may carry.
    """

    type: QuestionType
    correct: tuple
    partial_credit: PartialCredit = PartialCredit.ALL_OR_NOTHING
    case_sensitive: bool = False
    width_sensitive: bool = False  # False: full-width "ＡＢＣ１２３" equals "ABC123"
    weights: tuple = ()
    units: tuple = ()
    options: tuple = ()  # matching: every match shown (the pairs' and the extra ones), in letter order


def normalise_text(text: str, *, case_sensitive: bool = False, width_sensitive: bool = False) -> str:
    """Compare answers as a person would: outer and repeated spaces ignored, optionally case and width."""
    if not width_sensitive:
        text = unicodedata.normalize("NFKC", text)  # full-width letters, digits and space become half-width
    text = re.sub(r"\s+", " ", text).strip()
    return text if case_sensitive else text.casefold()


def _points(fraction: Decimal, points: Decimal) -> Decimal:
    return (points * fraction).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_number(text) -> Decimal | None:
    """A finite number a person typed ("1822", "-3.5", "1.2e3", full-width digits too), or None.
    NaN, infinities, hex, thousands separators and numbers past 10^±30 are not numbers here."""
    if not isinstance(text, str):
        return None
    text = unicodedata.normalize("NFKC", text).strip()
    if not text or len(text) > MAX_NUMBER_TEXT or not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or (number and abs(number.adjusted()) > MAX_EXPONENT):
        return None
    return number


def numeric_range(answer: dict) -> tuple[Decimal, Decimal] | None:
    """The closed range a numerical answer accepts, or None when the answer is malformed."""
    if not isinstance(answer, dict):
        return None
    if "min" in answer:
        low, high = parse_number(answer.get("min")), parse_number(answer.get("max"))
        return (low, high) if low is not None and high is not None and low <= high else None
    value, tolerance = parse_number(answer.get("value")), parse_number(answer.get("tolerance", "0") or "0")
    if value is None or tolerance is None or tolerance < 0:
        return None
    with localcontext() as context:
        context.prec = 80  # exact for every number parse_number accepts
        return value - tolerance, value + tolerance


def _weight(key: AnswerKey, index: int, default: Decimal) -> Decimal:
    if index < len(key.weights):
        number = parse_number(str(key.weights[index]))
        return number / HUNDRED if number is not None else Decimal(0)
    return default


def _choices(response) -> set[str]:
    if isinstance(response, str):
        response = list(response.replace(",", ""))
    if not isinstance(response, (list, tuple, set)):
        return set()
    return {item.strip().upper() for item in response if isinstance(item, str) and item.strip()}


def _multiple_fraction(key: AnswerKey, chosen: set[str]) -> Decimal:
    if key.weights:
        total = sum((_weight(key, ord(letter) - 65, Decimal(0)) for letter in chosen if len(letter) == 1), Decimal(0))
        return min(Decimal(1), max(Decimal(0), total))
    right = set(key.correct)
    hits, misses = len(chosen & right), len(chosen - right)
    if key.partial_credit is PartialCredit.ALL_OR_NOTHING:
        return Decimal(1) if chosen == right else Decimal(0)
    if key.partial_credit is PartialCredit.NO_WRONG:
        return Decimal(0) if misses else Decimal(hits) / Decimal(len(right))
    return max(Decimal(0), Decimal(hits - misses) / Decimal(len(right)))


def _single_fraction(key: AnswerKey, chosen: set[str]) -> Decimal:
    if len(chosen) != 1:
        return Decimal(0)
    letter = next(iter(chosen))
    if key.weights and key.type is QuestionType.SINGLE and len(letter) == 1:
        return max(Decimal(0), _weight(key, ord(letter) - 65, Decimal(0)))
    return Decimal(1) if chosen == set(key.correct) else Decimal(0)


def _blank_fraction(key: AnswerKey, response) -> Decimal:
    answers = [response] if isinstance(response, str) else list(response) if isinstance(response, (list, tuple)) else []
    if not key.correct:
        return Decimal(0)
    earned = Decimal(0)
    options = dict(case_sensitive=key.case_sensitive, width_sensitive=key.width_sensitive)
    for index, accepted in enumerate(key.correct):
        given = answers[index] if index < len(answers) and isinstance(answers[index], str) else ""
        if not given.strip():
            continue
        weights = key.weights[index] if index < len(key.weights) else ()
        blank_key = AnswerKey(key.type, (), weights=tuple(weights))
        matched = [_weight(blank_key, n, Decimal(1)) for n, answer in enumerate(accepted)
                   if normalise_text(given, **options) == normalise_text(answer, **options)]
        earned += max([Decimal(0), *matched])
    return earned / Decimal(len(key.correct))


def _numeric_value(key: AnswerKey, response) -> Decimal | None:
    """The number a numerical response states, in the question's first unit; None if it states none."""
    if not isinstance(response, str):
        return None
    text = unicodedata.normalize("NFKC", response).strip()
    for unit, multiplier in sorted(key.units, key=lambda pair: -len(pair[0])):
        if unit and text.endswith(unit):
            number, factor = parse_number(text[: -len(unit)]), parse_number(str(multiplier))
            if number is None or not factor:
                return None
            with localcontext() as context:
                context.prec = 80
                return number / factor  # Moodle: a value in another unit is divided by its multiplier
    return parse_number(text)


def _numerical_fraction(key: AnswerKey, response) -> Decimal:
    value = _numeric_value(key, response)
    if value is None:
        return Decimal(0)
    for index, answer in enumerate(key.correct):
        bounds = numeric_range(answer)
        if bounds is not None and bounds[0] <= value <= bounds[1]:
            return max(Decimal(0), _weight(key, index, Decimal(1)))
    return Decimal(0)


def _matching_fraction(key: AnswerKey, response) -> Decimal:
    if not key.correct or not isinstance(response, (list, tuple)):
        return Decimal(0)
    right = 0
    for index, (_item, match) in enumerate(key.correct):
        letter = response[index] if index < len(response) else None
        if isinstance(letter, str) and len(letter) == 1 and 0 <= ord(letter) - 65 < len(key.options):
            right += key.options[ord(letter) - 65] == match
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
    if key.type is QuestionType.NUMERICAL:
        return _points(_numerical_fraction(key, response), points)
    if key.type is QuestionType.MATCHING:
        return _points(_matching_fraction(key, response), points)
    chosen = _choices(response)
    if key.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        return _points(_single_fraction(key, chosen), points)
    return _points(_multiple_fraction(key, chosen), points)


def matches_of(pairs, extra=()) -> list[str]:
    """Every match a matching question shows, once each, in letter order: the pairs' then the extra ones."""
    seen: list[str] = []
    for match in [pair[1] for pair in pairs] + list(extra):
        if match not in seen:
            seen.append(match)
    return seen


class AnswerMark(enum.StrEnum):
    """How one answer fared, as the result page marks it (in colour and in words)."""

    RIGHT = "right"
    PARTLY = "partly"
    WRONG = "wrong"
    PENDING = "pending"  # an essay waiting for a person


def mark_of(earned: Decimal | None, points: Decimal, waits: bool = False) -> AnswerMark:
    """Right when every point was earned, wrong when none was, partly right in between."""
    if waits or earned is None:
        return AnswerMark.PENDING
    if earned >= points:
        return AnswerMark.RIGHT
    return AnswerMark.PARTLY if earned > 0 else AnswerMark.WRONG
