"""Exports of registry lists and the import templates, as .xlsx or .csv (UTF-8 or GB18030).

Any text cell starting with = + - @ (or a tab or carriage return) gets a leading apostrophe,
so a spreadsheet program shows it as text instead of running it as a formula.
"""
from __future__ import annotations

import csv
import enum
import io
from datetime import date

from flask_babel import gettext as _

from academy.registry import labels
from academy.registry.exchange.sheets import SHEETS, SHEETS_BY_KEY

NOTES_TITLE = "说明 Notes"  # the reader skips this tab
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
ENCODINGS = {"utf-8": "utf-8-sig", "gb18030": "gb18030"}  # utf-8 with a BOM, so Excel reads Chinese


def neutralise(value):
    """The value, made safe for a spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return labels.label(value)
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def to_xlsx(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """A workbook with one tab per (title, headers, rows)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = neutralise(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters cannot be stored in a workbook
    return value


def to_csv(headers: list[str], rows: list[list], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode(ENCODINGS.get(encoding, "utf-8-sig"), errors="replace")


def _csv_cell(value):
    value = neutralise(value)
    return value.isoformat() if isinstance(value, date) else value


def template_sheet(key: str) -> tuple[str, list[str], list[list]]:
    sheet = SHEETS_BY_KEY[key]
    return sheet.title, [c.header for c in sheet.columns], [[c.example for c in sheet.columns]]


def template_xlsx() -> bytes:
    """The import template: the four sheets with bilingual headers, an example row each, and notes."""
    notes = [[_("Each sheet may be left out. Delete the example rows before importing.")],
             [_("Codes are the keys: importing the same file again changes nothing.")],
             [_("Grid codes: 15 digits = community code (12) + serial (3); exclusive grids use 900-999.")],
             [_("Dates as 2024-03-01. Kinds, roles and other choices in Chinese or English.")]]
    return to_xlsx([template_sheet(s.key) for s in SHEETS] + [(NOTES_TITLE, [_("Notes")], notes)])


def template_csv(key: str, encoding: str) -> bytes:
    _title, headers, rows = template_sheet(key)
    return to_csv(headers, rows, encoding)
