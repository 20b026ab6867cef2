"""The registry's import templates, as .xlsx or .csv (UTF-8 or GB18030), written by ``academy.exports``
(the one spreadsheet writer, which keeps formula-like text from running)."""
from __future__ import annotations

from flask_babel import gettext as _

from academy.exports import Table, csv_bytes, xlsx_bytes
from academy.registry.exchange.sheets import SHEETS, SHEETS_BY_KEY

NOTES_TITLE = "说明 Notes"  # the reader skips this tab


def template_sheet(key: str) -> tuple[str, list[str], list[list]]:
    sheet = SHEETS_BY_KEY[key]
    columns = sheet.template_columns
    return sheet.title, [c.header for c in columns], [[c.example for c in columns]]


def template_xlsx() -> bytes:
    """The import template: the four sheets with bilingual headers, an example row each, and notes."""
    notes = [[_("Each sheet may be left out. Delete the example rows before importing.")],
             [_("Codes are the keys: importing the same file again changes nothing.")],
             [_("Grid codes: 15 digits = community code (12) + serial (3); exclusive grids use 900-999.")],
             [_("Dates as 2024-03-01. Kinds, roles and other choices in Chinese or English.")]]
    return xlsx_bytes([Table(*template_sheet(s.key)) for s in SHEETS] + [Table(NOTES_TITLE, [_("Notes")], notes)])


def template_csv(key: str, encoding: str) -> bytes:
    _title, headers, rows = template_sheet(key)
    return csv_bytes(headers, rows, encoding)
