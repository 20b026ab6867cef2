"""Reading an uploaded .xlsx or .csv (UTF-8 or GB18030) into rows of the template's sheets.

Nothing here touches the database. Files that cannot be read at all raise ``FileProblem``
with a message for the user; a hostile file (not a workbook, NUL bytes, a flood of rows or
enormous cells) ends as such a message, never as a crash.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _

from academy.errors import DomainError
from academy.exports import csv_unguard
from academy.files import display_name
from academy.registry.exchange.sheets import Sheet, guess_sheet, match_columns
from academy.spreadsheets import UnsafeWorkbook, open_workbook

NOTES_TITLE = "说明 Notes"  # the template's notes tab, never imported
MAX_ROWS = 100_000      # data rows in one file, all sheets together
MAX_CELL = 2_000        # characters in one cell
MAX_COLUMNS = 60


class FileProblem(DomainError):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class SheetRows:
    sheet: Sheet
    name: str                       # the tab's name or the file name, as the user knows it
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number in the file, {key: raw value})
    unknown: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def read_upload(filename: str, data: bytes) -> list[SheetRows]:
    """The sheets of an uploaded file, by its extension."""
    lower = (filename or "").lower()
    if lower.endswith(".xlsx"):
        return read_xlsx(data)
    if lower.endswith(".csv"):
        return [read_csv(display_name(filename), data)]  # the name is shown with the file's problems
    raise FileProblem(_("Upload a .xlsx workbook or a .csv file made from the template."))


def decode_csv(data: bytes) -> str:
    if b"\x00" in data:
        raise FileProblem(_("This is not a text CSV file."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(_("The CSV file is neither UTF-8 nor GB18030 text."))


def read_csv(filename: str, data: bytes) -> SheetRows:
    text = decode_csv(data)
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        # An export's guard apostrophe ('=..., '+86...) comes off: the value is read as it was typed.
        rows = [[csv_unguard(value) for value in row] for row in _limited(csv.reader(io.StringIO(text), dialect))]
    except csv.Error as error:
        raise FileProblem(_("The CSV file cannot be read: %(error)s", error=str(error)[:200])) from error
    return _sheet_rows(filename, rows, by_name=False)


def open_uploaded_workbook(data: bytes):
    """The uploaded workbook, or FileProblem saying why it cannot be read (the registry and staff imports)."""
    try:
        return open_workbook(data)
    except UnsafeWorkbook as error:
        raise FileProblem(str(error)) from error
    except Exception as error:  # openpyxl raises many kinds on hostile XML, zip and cell data
        raise FileProblem(_("This is not an .xlsx workbook, or it is damaged.")) from error


def read_xlsx(data: bytes) -> list[SheetRows]:
    workbook = open_uploaded_workbook(data)
    sheets, total = [], 0
    try:
        for worksheet in workbook.worksheets:
            if worksheet.title == NOTES_TITLE:
                continue
            rows = list(_limited(worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), total))
            total += len(rows)
            if any(any(_present(v) for v in row) for row in rows):
                sheets.append(_sheet_rows(worksheet.title, rows, by_name=True))
    except FileProblem:
        raise
    except Exception as error:
        raise FileProblem(_("This is not an .xlsx workbook, or it is damaged.")) from error
    finally:
        workbook.close()
    return sheets


def _present(value) -> bool:
    return value is not None and str(value).strip() != ""


def _limited(rows, already: int = 0):
    for count, row in enumerate(rows, start=already + 1):
        if count > MAX_ROWS + 1:
            raise FileProblem(_("The file has more than %(n)d rows; split it.", n=MAX_ROWS))
        yield row


def _sheet_rows(name: str, rows: list, *, by_name: bool) -> SheetRows:
    header_at = next((i for i, row in enumerate(rows) if any(_present(v) for v in row)), None)
    if header_at is None:
        raise FileProblem(_("The sheet %(name)s is empty.", name=name))
    headers = list(rows[header_at])
    sheet = guess_sheet(name if by_name else None, headers)
    if sheet is None:
        raise FileProblem(_("The sheet %(name)s matches none of the templates (areas, grids, workers, assignments).",
                            name=name))
    mapping, unknown = match_columns(sheet, headers)
    present = set(mapping.values())
    result = SheetRows(sheet, name, unknown=unknown,
                       missing=[c.header for c in sheet.columns if c.required and c.key not in present])
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        if not any(_present(v) for v in row):
            continue
        values = {key: row[pos] if pos < len(row) else None for pos, key in mapping.items()}
        for key, value in values.items():
            if isinstance(value, str) and len(value) > MAX_CELL:
                values[key] = value[:MAX_CELL + 1]  # kept too long, so validation reports it
        result.rows.append((index + 1, values))
    return result
