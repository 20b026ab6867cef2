"""Grading by hand-worked examples for every type, and hostile responses that earn nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.exams.grading import AnswerKey, PartialCredit, QuestionType, grade, normalise_text

SINGLE = AnswerKey(QuestionType.SINGLE, ("B",))
MULTI = AnswerKey(QuestionType.MULTIPLE, ("A", "C", "D"))


def test_single_choice():
    assert grade(SINGLE, "B", 2) == Decimal("2.00")
    assert grade(SINGLE, ["b"], 2) == Decimal("2.00")
    assert grade(SINGLE, "A", 2) == Decimal("0.00")
    assert grade(SINGLE, ["B", "C"], 2) == Decimal("0.00")  # two ticks on a single choice
    assert grade(SINGLE, None, 2) == Decimal("0.00")


def test_true_false():
    key = AnswerKey(QuestionType.TRUE_FALSE, ("F",))
    assert grade(key, "F", 1) == Decimal("1.00") and grade(key, "T", 1) == Decimal("0.00")


@pytest.mark.parametrize(("rule", "chosen", "points"), [
    (PartialCredit.ALL_OR_NOTHING, "ACD", "3.00"),
    (PartialCredit.ALL_OR_NOTHING, "AC", "0.00"),
    (PartialCredit.NO_WRONG, "AC", "2.00"),          # two of three right, no wrong: 2/3 of 3 points
    (PartialCredit.NO_WRONG, "ACB", "0.00"),         # one wrong option voids the answer
    (PartialCredit.RIGHT_MINUS_WRONG, "ACB", "1.00"),  # (2 right - 1 wrong) / 3
    (PartialCredit.RIGHT_MINUS_WRONG, "AB", "0.00"),   # never below zero
    (PartialCredit.RIGHT_MINUS_WRONG, "ACD", "3.00"),
])
def test_multiple_choice_partial_credit(rule, chosen, points):
    key = AnswerKey(QuestionType.MULTIPLE, ("A", "C", "D"), partial_credit=rule)
    assert grade(key, chosen, 3) == Decimal(points)


def test_shares_round_to_cents():
    key = AnswerKey(QuestionType.MULTIPLE, ("A", "B", "C"), partial_credit=PartialCredit.NO_WRONG)
    assert grade(key, "A", 2) == Decimal("0.67")


def test_fill_in_the_blank_is_width_and_case_insensitive_by_default():
    key = AnswerKey(QuestionType.FILL_BLANK, (("12345", "一二三四五"), ("NanJing", "南京")))
    assert grade(key, ["１２３４５", "nanjing"], 4) == Decimal("4.00")
    assert grade(key, ["  一二三四五 ", "上海"], 4) == Decimal("2.00")
    assert grade(key, ["", ""], 4) == Decimal("0.00")
    assert grade(key, "12345", 4) == Decimal("2.00")  # one blank given as plain text


def test_fill_in_the_blank_can_be_strict():
    key = AnswerKey(QuestionType.FILL_BLANK, (("ABC",),), case_sensitive=True, width_sensitive=True)
    assert grade(key, ["abc"], 1) == Decimal("0.00")
    assert grade(key, ["ＡＢＣ"], 1) == Decimal("0.00")
    assert grade(key, ["ABC"], 1) == Decimal("1.00")


def test_essays_go_to_a_person():
    assert grade(AnswerKey(QuestionType.ESSAY, ()), "my essay", 10) is None


def test_normalise_folds_full_width_spaces_and_case():
    assert normalise_text("  Ａ　B\tc ") == "a b c"


responses = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


@given(response=responses)
def test_any_response_grades_without_error_and_within_the_points(response):
    for key in (SINGLE, MULTI, AnswerKey(QuestionType.TRUE_FALSE, ("T",)),
                AnswerKey(QuestionType.FILL_BLANK, (("a",), ("b",)))):
        earned = grade(key, response, 5)
        assert Decimal("0") <= earned <= Decimal("5")
