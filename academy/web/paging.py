"""Lists in pages, and integer query arguments, whatever the address says.

``?page=99999999999999999999`` made ``db.paginate`` compute an OFFSET past 64 bits (SQLite cannot
bind it, PostgreSQL refuses it: a server error), and ``?page=-1`` or ``?page=abc`` were taken on
trust too. Every list reads its page through ``paginate()``: a page that is not a positive number
is page 1, one past the end is the last page. Every integer taken from the query string (an id in
a filter) goes through ``int_arg()``: what is not a plain number in range is as if it were absent.
"""
from __future__ import annotations

import re
import unicodedata

from flask import request
from flask_sqlalchemy.pagination import Pagination

from academy.extensions import db
from academy.web.numbers import INTEGER, INTEGER_LIMIT, plain_number

DIGITS = re.compile(r"[0-9]+")
# Beyond any list we keep; a larger page number is read as this and then turned into the last page.
PAGE_LIMIT = 1_000_000


def requested_page() -> int:
    """The ``page`` query argument: 1 unless it is plain digits; at most PAGE_LIMIT."""
    text = unicodedata.normalize("NFKC", request.args.get("page", "")).strip()
    if not DIGITS.fullmatch(text):
        return 1
    # Compare by length first: int() of a 100,000-digit string is slow (and refused past 4,300 digits).
    page = PAGE_LIMIT if len(text) > len(str(PAGE_LIMIT)) else min(int(text), PAGE_LIMIT)
    return max(page, 1)


def paginate(query, per_page: int, *, total: int | None = None) -> Pagination:
    """``db.paginate`` of ``query`` at the requested page, clamped to the pages there are.

    ``total``: the number of rows when the caller has counted them already (no second count).
    """
    page = requested_page()
    pagination = _page(query, page, per_page, total)
    if page > 1 and page > pagination.pages:
        pagination = _page(query, max(pagination.pages, 1), per_page, total)
    return pagination


def _page(query, page: int, per_page: int, total: int | None) -> Pagination:
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False, count=total is None)
    if total is not None:
        pagination.total = total
    return pagination


def int_arg(name: str, default: int | None = None, *, low: int = 1, high: int = INTEGER_LIMIT) -> int | None:
    """The query argument ``name`` as an int in [low, high]; ``default`` when it is missing, not a
    plain number or out of range (an id past 32 bits would otherwise reach SQL)."""
    text = plain_number(request.args.get(name, ""), INTEGER)
    if text is None:
        return default
    value = int(text)
    return value if low <= value <= high else default
