"""ID numbers: the check digit, dates, masking."""
from __future__ import annotations

from datetime import date

from academy.registry import idnumbers


def test_a_published_sample_number_is_valid():
    assert idnumbers.is_valid("11010519491231002X")
    assert idnumbers.is_valid("11010519491231002x")  # lower-case x is the same number


def test_wrong_check_digit_is_refused():
    assert not idnumbers.is_valid("110105194912310021")


def test_impossible_or_future_birth_dates_are_refused():
    assert not idnumbers.is_valid(idnumbers.make_number("110105", date(2099, 1, 1), 1))
    first17 = "11010519490231002"  # 31 February
    assert not idnumbers.is_valid(first17 + idnumbers.check_digit(first17))


def test_masking_keeps_first_six_and_last_four():
    assert idnumbers.mask("11010519491231002X") == "110105********002X"


def test_generated_numbers_are_valid():
    assert idnumbers.is_valid(idnumbers.make_number("320102", date(1990, 5, 17), 123))
