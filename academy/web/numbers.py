"""The number fields every form uses: a number is what a person types as one, nothing else.

WTForms' own fields hand ``Decimal(text)``, ``int(text)`` and ``float(text)`` whatever those
accept: ``sNaN`` (whose comparison in ``NumberRange`` raises: a server error), ``NaN`` (which
slips past a float range check), ``Infinity``, ``1e999999``, ``0x10`` or ``1_000``, and integers
of any length (which the database refuses with a server error). These fields accept plain digits
with an optional sign and decimal point only, after NFKC folding so that full-width digits typed
with a Chinese input method (``１２．５``) count as the number they show; anything else, or a value
past what a column can hold, is the field's own error, shown on the form.

Dates are the same kind of trouble: WTForms takes ``0001-01-01`` and ``9999-12-31``, and the first
day moved to UTC or the last plus one day is past what Python's dates hold (a server error). The
``DateField`` here keeps a date between ``FIRST_YEAR`` and ``LAST_YEAR``.

Every form imports ``DecimalField``, ``IntegerField``, ``FloatField`` and ``DateField`` from here,
never from wtforms (``tests/academy/web/test_numbers.py`` walks every form class and checks).
"""
from __future__ import annotations

import re
import unicodedata

import wtforms
from flask_babel import lazy_gettext as _l

INTEGER = re.compile(r"[+-]?[0-9]{1,15}")
DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,15}(?:\.[0-9]{0,10})?|\.[0-9]{1,10})")
# A PostgreSQL integer column holds 32 bits; a form field that needs more must say so (``limit=``).
INTEGER_LIMIT = 2 ** 31 - 1
DECIMAL_LIMIT = 10 ** 12
TOO_LARGE = _l("The number is too large.")
FIRST_YEAR, LAST_YEAR = 1900, 2199  # any date the academy keeps: births, hires, due days, filters


def plain_number(raw, pattern: re.Pattern) -> str | None:
    """``raw`` folded to ASCII and stripped if it is a plain number of ``pattern``'s shape, else None."""
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    return text if pattern.fullmatch(text) else None


class _PlainNumber:
    """Shared by the three fields: parse only plain numbers, and bound them."""

    pattern: re.Pattern
    invalid: str  # a lazy message of our catalogue, so both languages have it

    inputmode = "numeric"  # the phone keyboard a field opens (it renders as type=number)

    def __init__(self, *args, limit=None, **kwargs):
        kwargs["render_kw"] = {"inputmode": self.inputmode, **(kwargs.get("render_kw") or {})}
        super().__init__(*args, **kwargs)
        self.limit = limit if limit is not None else self.default_limit

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in ("", None):
            return super().process_formdata(valuelist)  # empty: the field's usual answer (Optional passes it)
        text = plain_number(valuelist[0], self.pattern)
        if text is None:
            self.data = None
            raise ValueError(str(self.invalid))
        super().process_formdata([text])
        if self.data is not None and abs(self.data) > self.limit:
            self.data = None
            raise ValueError(str(TOO_LARGE))


class IntegerField(_PlainNumber, wtforms.IntegerField):
    """An integer field that refuses anything but plain digits, and integers past ``limit``."""

    pattern, invalid, default_limit = INTEGER, _l("Not a valid integer value."), INTEGER_LIMIT


class DecimalField(_PlainNumber, wtforms.DecimalField):
    """A decimal field that refuses NaN, sNaN, infinities, exponents and values past ``limit``."""

    pattern, invalid, default_limit = DECIMAL, _l("Not a valid decimal value."), DECIMAL_LIMIT
    inputmode = "decimal"


class FloatField(_PlainNumber, wtforms.FloatField):
    """A float field that refuses nan, inf, exponents and values past ``limit``."""

    pattern, invalid, default_limit = DECIMAL, _l("Not a valid float value."), DECIMAL_LIMIT
    inputmode = "decimal"


def date_out_of_range(value) -> bool:
    """True for a date (or date and time) outside the years the academy keeps."""
    return not FIRST_YEAR <= value.year <= LAST_YEAR


class _KeptYears:
    """Shared by the date fields: refuse years before ``FIRST_YEAR`` or after ``LAST_YEAR``."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and date_out_of_range(self.data):
            self.data = None
            raise ValueError(_l("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))


class DateField(_KeptYears, wtforms.DateField):
    """A date field that keeps to the years the academy keeps."""


class DateTimeLocalField(_KeptYears, wtforms.DateTimeLocalField):
    """A date-and-time field that keeps to the years the academy keeps."""
