"""Sort controls of the long staff lists: one select in the filter panel, its keys a whitelist.

Each list names its orders in its package's ``queries.py`` (key -> the ORDER BY columns, applied by
``academy.database.ordered``) and its
filter form carries ``sort_field(...)`` with the same keys in its own words: a key that is not one
of them is a form error beside the select, and the view answers 400 (``sort_status``), never 500.
The key travels in the URL with the filters, so the pager (``page_url``) keeps it."""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_pgettext
from wtforms import SelectField
from wtforms.validators import Optional


def sort_field(choices: Sequence[tuple[str, object]]) -> SelectField:
    """The "Sort by" select: ``choices`` are (key, label), the first one the list's own order."""
    return SelectField(lazy_pgettext("lists", "Sort by"), choices=list(choices), default=choices[0][0],
                       validators=[Optional()])


def sort_status(form) -> int:
    """400 when the sort key was refused (the page shows why beside the select), else 200."""
    return 400 if form.sort.errors else 200

