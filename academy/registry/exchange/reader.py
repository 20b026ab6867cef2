"""Reading an uploaded .xlsx or .csv (UTF-8, GB18030 or UTF-16) into rows of the template's sheets.

Nothing here touches the database. Files that cannot be read at all raise ``FileProblem``
with a message for the user; a hostile file (not a workbook, NUL bytes, a flood of rows or
enormous cells) ends as such a message, never as a crash. Files laid out as people make them
(a title above the header, a two-level header, extra sheets: ``academy.registry.exchange.layout``)
are read, and what was understood comes back as ``Upload.notes``.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from academy.errors import DomainError
from academy.exports import csv_unguard
from academy.files import display_name
from academy.registry.exchange import layout
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
    lossy: bool = False  # a CSV saved in GBK: a "?" in a cell may stand for a character it lost


@dataclass
class Upload:
    sheets: list[SheetRows]
    notes: list[str] = field(default_factory=list)  # what was understood of the file's layout, for the user


def read_upload(filename: str, data: bytes) -> Upload:
    """The sheets of an uploaded file, by its extension, with notes on how it was read."""
    lower = (filename or "").lower()
    upload = Upload([])
    if lower.endswith(".xlsx"):
        upload.sheets = read_xlsx(data, upload.notes)
    elif lower.endswith(".csv"):
        # the name is shown with the file's problems
        upload.sheets = [read_csv(display_name(filename), data, upload.notes)]
    else:
        raise FileProblem(_("Upload a .xlsx workbook or a .csv file made from the template."))
    return upload


def decode_csv(data: bytes, notes: list[str]) -> tuple[str, str]:
    """The file's text and the encoding it was read in."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or layout.looks_utf16(data):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FileProblem(_("The file looks like UTF-16 text but cannot be read as such; save it as CSV UTF-8.")) from error
        notes.append(_("The file is UTF-16 text (Excel's \"Unicode text\"); it was read as such."))
        return text.lstrip("\ufeff"), "utf-16"
    if b"\x00" in data:
        raise FileProblem(_("This is not a text CSV file."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileProblem(_("The CSV file is neither UTF-8 nor GB18030 text."))


def read_csv(filename: str, data: bytes, notes: list[str] | None = None) -> SheetRows:
    notes = [] if notes is None else notes
    text, encoding = decode_csv(data, notes)
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
    result = _sheet_rows(filename, rows, notes, by_name=False)
    result.lossy = encoding == "gb18030"
    return result


def open_uploaded_workbook(data: bytes):
    """The uploaded workbook, or FileProblem saying why it cannot be read (the registry and staff imports)."""
    try:
        return open_workbook(data)
    except UnsafeWorkbook as error:
        raise FileProblem(str(error)) from error
    except Exception as error:  # openpyxl raises many kinds on hostile XML, zip and cell data
        raise FileProblem(_("This is not an .xlsx workbook, or it is damaged.")) from error


def read_xlsx(data: bytes, notes: list[str] | None = None) -> list[SheetRows]:
    """The workbook's sheets that match a template; others are named in ``notes`` and left out."""
    notes = [] if notes is None else notes
    workbook = open_uploaded_workbook(data)
    sheets, ignored, total = [], [], 0
    try:
        for worksheet in workbook.worksheets:
            if worksheet.title == NOTES_TITLE:
                continue
            rows = list(_limited(worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), total))
            total += len(rows)
            if not any(any(_present(v) for v in row) for row in rows):
                continue
            try:
                sheets.append(_sheet_rows(worksheet.title, rows, notes, by_name=True))
            except Unmatched:
                ignored.append(worksheet.title)
    except FileProblem:
        raise
    except Exception as error:
        raise FileProblem(_("This is not an .xlsx workbook, or it is damaged.")) from error
    finally:
        workbook.close()
    if ignored and not sheets:
        raise Unmatched(_("No sheet matches a template (areas, grids, workers, assignments): %(names)s.",
                          names=layout.word_list(ignored)))
    if ignored:
        notes.append(_("Sheets left out, as they match no template: %(names)s.", names=layout.word_list(ignored)))
    return sheets


def _present(value) -> bool:
    return value is not None and str(value).strip() != ""


def _limited(rows, already: int = 0):
    for count, row in enumerate(rows, start=already + 1):
        if count > MAX_ROWS + 1:
            raise FileProblem(_("The file has more than %(n)d rows; split it.", n=MAX_ROWS))
        yield row


class Unmatched(FileProblem):
    """A sheet whose header matches no template."""


def _sheet_rows(name: str, rows: list, notes: list[str], *, by_name: bool) -> SheetRows:
    header = layout.find_header(rows)
    if header is None:
        raise FileProblem(_("The sheet %(name)s is empty.", name=name))
    sheet = guess_sheet(name if by_name else None, header.cells)
    if sheet is None:
        if any("?" in str(cell or "") for cell in header.cells):
            raise FileProblem(layout.LOST_CHARACTERS())
        raise Unmatched(_("The sheet %(name)s matches none of the templates (areas, grids, workers, assignments).",
                          name=name))
    mapping, unknown = match_columns(sheet, header.cells)
    present = set(mapping.values())
    result = SheetRows(sheet, name, unknown=unknown,
                       missing=[c.header for c in sheet.columns if c.required and c.key not in present])
    notes.extend(layout.describe(name, header, sheet, mapping))
    widened = 0
    for index in range(header.data_from, len(rows)):
        row = rows[index]
        if not any(_present(v) for v in row):
            continue
        values = {key: row[pos] if pos < len(row) else None for pos, key in mapping.items()}
        widened += layout.narrow_digits(values)
        for key, value in values.items():
            if isinstance(value, str) and len(value) > MAX_CELL:
                values[key] = value[:MAX_CELL + 1]  # kept too long, so validation reports it
        result.rows.append((index + 1, values))
    if widened:
        notes.append(ngettext("%(name)s: full-width digits in %(num)d cell were read as ordinary digits.",
                              "%(name)s: full-width digits in %(num)d cells were read as ordinary digits.",
                              widened, name=name))
    return result
