"""Parsing one cell of an import: text, codes, whole numbers, dates and enum labels.

Each parser returns the value or raises ``CellError`` with a message naming what is wrong.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import gettext as _

from academy.errors import DomainError
from academy.registry import labels


class CellError(DomainError):
    pass


DATE_PATTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-]{2,19}$")


def text(value, max_length: int) -> str:
    result = str(value).strip()
    if len(result) > max_length:
        raise CellError(_("Too long: at most %(n)d characters.", n=max_length))
    if any(ord(ch) < 32 for ch in result):
        raise CellError(_("Contains control characters."))
    return result


def digits(value, lengths: tuple[int, ...]) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    if not result.isdigit() or not result.isascii() or len(result) not in lengths:
        raise CellError(_("Not a code of %(n)s digits.", n=" / ".join(str(n) for n in lengths)))
    return result


def whole_number(value, maximum: int) -> int:
    if isinstance(value, bool):
        raise CellError(_("Not a whole number."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        value = int(value.strip())
    if not isinstance(value, int) or value < 0:
        raise CellError(_("Not a whole number."))
    if value > maximum:
        raise CellError(_("Too large: at most %(n)d.", n=maximum))
    return value


def day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_PATTERN.match(str(value).strip())
    if match is None and re.fullmatch(r"\d{8}", str(value).strip()):
        raw = str(value).strip()
        match = DATE_PATTERN.match(f"{raw[:4]}-{raw[4:6]}-{raw[6:]}")
    if match is None:
        raise CellError(_("Not a date; write it as 2024-03-01."))
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError as error:
        raise CellError(_("Not a real date.")) from error


def enum_value(value, enum_cls):
    member = labels.parse(enum_cls, str(value))
    if member is None:
        allowed = ", ".join(f"{labels.CHINESE.get(m.value, m.value)}" for m in enum_cls)
        raise CellError(_("Unknown value; use one of: %(allowed)s.", allowed=allowed))
    return member


def phone(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    if not PHONE_PATTERN.match(result):
        raise CellError(_("Not a phone number."))
    return result
