"""The number fields every form uses: a number is what a person types as one, nothing else.

WTForms' own fields hand ``Decimal(text)``, ``int(text)`` and ``float(text)`` whatever those
accept: ``sNaN`` (whose comparison in ``NumberRange`` raises: a server error), ``NaN`` (which
slips past a float range check), ``Infinity``, ``1e999999``, ``0x10`` or ``1_000``, and integers
of any length (which the database refuses with a server error). These fields accept plain digits
with an optional sign and decimal point only, after NFKC folding so that full-width digits typed
with a Chinese input method (``１２．５``) count as the number they show; anything else, or a value
past what a column can hold, is the field's own error, shown on the form.

Every form imports ``DecimalField``, ``IntegerField`` and ``FloatField`` from here, never from
wtforms (``tests/academy/web/test_numbers.py`` walks every form class and checks).
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
