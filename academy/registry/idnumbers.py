"""Mainland China resident ID numbers (GB 11643-1999): validation, check digit, masking."""
from __future__ import annotations

import re
from datetime import date

from academy.database import city_today

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
PATTERN = re.compile(r"^\d{17}[\dX]$")


def normalise(value: str) -> str:
    """Strip spaces and use an upper-case X, so the same number always hashes the same."""
    return re.sub(r"\s+", "", value or "").upper()


def check_digit(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birth_date_of(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_valid(number: str) -> bool:
    """18 characters, a real birth date not in the future, and the right check digit."""
    number = normalise(number)
    if not PATTERN.match(number):
        return False
    born = birth_date_of(number)
    if born is None or born > city_today() or born.year < 1900:
        return False
    return check_digit(number[:17]) == number[17]


def mask(number: str) -> str:
    """First 6 and last 4 shown, the rest starred: 320102********123X."""
    number = normalise(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def make_number(region: str, born: date, sequence: int) -> str:
    """A valid number for tests and demo data (region 6 digits, sequence 0-999)."""
    first17 = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_digit(first17)
