"""Rosters as people lay them out: where the header is, what its cells mean, what the file holds.

Spreadsheets made by hand put a merged title row ("玄武区网格员花名册") and blank rows above the
header, split the header over two merged rows ("基本信息" over 姓名 / 身份证号码), number the rows
in a 序号 column and type digits full-width. ``find_header`` picks the row (or the two rows) that
name the most template columns; ``describe`` words what was understood, so the user can check it.
"""
from __future__ import annotations

from dataclasses import dataclass

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from academy.registry.exchange.sheets import IGNORED_HEADERS, SHEETS, Sheet, normal

HEADER_SCAN = 12  # rows searched for the header: a title, a note or two and blank lines
FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ－／．　", "0123456789Xx-/. ")
KNOWN_NAMES = frozenset(name for sheet in SHEETS for name in sheet.lookup()) | IGNORED_HEADERS


@dataclass
class Header:
    cells: list            # one header per column, lower level over upper where the header has two
    rows: tuple[int, ...]  # the header's row indexes (0-based), one or two
    data_from: int         # index of the first row after the header


def _present(value) -> bool:
    return value is not None and str(value).strip() != ""


def _score(cells) -> int:
    return sum(1 for cell in cells if _present(cell) and normal(cell) in KNOWN_NAMES)


def _merge(upper, lower) -> list:
    """A two-level header as one row: each column's lower cell, or the upper one merged down over it."""
    width = max(len(upper), len(lower))
    upper, lower = list(upper) + [None] * (width - len(upper)), list(lower) + [None] * (width - len(lower))
    return [low if _present(low) else up for up, low in zip(upper, lower, strict=True)]


def find_header(rows: list) -> Header | None:
    """The header among the first rows: the row, or pair of adjacent rows, naming the most columns.

    With no row naming any, the first non-blank row is taken (its headers are then reported unknown)."""
    filled = [i for i, row in enumerate(rows[:HEADER_SCAN * 3]) if any(_present(v) for v in row)][:HEADER_SCAN]
    if not filled:
        return None
    best = Header(list(rows[filled[0]]), (filled[0],), filled[0] + 1)
    best_score = _score(best.cells)
    for i in filled:
        candidates = [Header(list(rows[i]), (i,), i + 1)]
        if i + 1 < len(rows) and i + 1 in filled:
            candidates.append(Header(_merge(rows[i], rows[i + 1]), (i, i + 1), i + 2))
        for candidate in candidates:
            score = _score(candidate.cells)
            if score > best_score:
                best, best_score = candidate, score
    return best


def describe(name: str, header: Header, sheet: Sheet, mapping: dict[int, str]) -> list[str]:
    """What was understood of one sheet's layout, in words (only what differs from the template)."""
    notes = []
    first = header.rows[0]
    if first > 0:
        notes.append(ngettext("%(name)s: the %(num)d row above the header was read as its title and skipped.",
                              "%(name)s: the %(num)d rows above the header were read as its title and skipped.",
                              first, name=name))
    if len(header.rows) == 2:
        notes.append(_("%(name)s: the header spans rows %(first)d and %(second)d; the lower row names the columns.",
                       name=name, first=header.rows[0] + 1, second=header.rows[1] + 1))
    if any(_present(cell) and normal(cell) in IGNORED_HEADERS for cell in header.cells):
        notes.append(_("%(name)s: the 序号 column only numbers the rows and was read past.", name=name))
    chinese = str(get_locale() or "zh_CN").startswith("zh")
    renamed = [f"{header.cells[position]} → {sheet.column(key).zh if chinese else sheet.column(key).en}"
               for position, key in mapping.items()
               if normal(header.cells[position]) not in sheet.column(key).names()]
    if renamed:
        notes.append(_("%(name)s: columns read as the template's: %(columns)s.", name=name, columns=word_list(renamed)))
    return notes


def word_list(items: list[str]) -> str:
    """Items as a list in the user's language: 甲、乙和丙 / a, b and c."""
    return format_list(items, locale=get_locale() or "zh_CN")


def narrow_digits(values: dict) -> int:
    """Turn full-width digits (and the X, hyphen, slash and point of codes and dates) into ASCII in
    place; the number of cells changed."""
    changed = 0
    for key, value in values.items():
        if isinstance(value, str):
            narrow = value.translate(FULL_WIDTH)
            if narrow != value and any(ch.isdigit() for ch in narrow):
                values[key], changed = narrow, changed + 1
    return changed


def looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of the first ones is NUL."""
    sample = data[:200]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def LOST_CHARACTERS() -> str:  # noqa: N802 (a message, worded in the user's language when asked)
    return _("Characters were replaced by \"?\" when this file was saved (GBK cannot hold them): "
             "save it from the original as \"CSV UTF-8\" or .xlsx and import that.")
