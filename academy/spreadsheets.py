"""Uploaded .xlsx workbooks opened safely: the one door every .xlsx reader goes through.

An .xlsx file is a zip archive. A few kilobytes of zip can declare (and inflate to) gigabytes of
XML, and openpyxl would try to read them all: a zip bomb. The zip's central directory states
every member's uncompressed size, so the total is checked there, before a single byte is
inflated; Python's zipfile never inflates a member past its stated size, so the directory
cannot lie its way past the check. Too many members (a directory bomb) are refused the same way.
"""
from __future__ import annotations

import io
import zipfile

from flask import current_app, has_app_context
from flask_babel import gettext as _

from academy.errors import DomainError

DEFAULT_MAX_UNCOMPRESSED_MB = 256  # a 100,000-row registry workbook inflates to well under 100 MB
MAX_MEMBERS = 2_000  # a workbook holds a few files per sheet; thousands means a crafted archive


class UnsafeWorkbook(DomainError):
    """The upload is not a workbook that may be opened; the message is for the user."""


def max_uncompressed_bytes() -> int:
    megabytes = DEFAULT_MAX_UNCOMPRESSED_MB
    if has_app_context():
        megabytes = int(current_app.config.get("XLSX_MAX_UNCOMPRESSED_MB", megabytes))
    return megabytes * 1024 * 1024


def check_workbook(data: bytes) -> None:
    """Refuse, from the zip directory alone, what is no workbook or would inflate beyond the limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise UnsafeWorkbook(_("This is not an .xlsx workbook, or it is damaged.")) from error
    limit = max_uncompressed_bytes()
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > limit:
        raise UnsafeWorkbook(_("This workbook would unpack to more than %(mb)d MB; it is refused. "
                               "Split it or remove what it does not need.", mb=limit // (1024 * 1024)))


def open_workbook(data: bytes):
    """An openpyxl workbook (read-only, values not formulas) of a checked upload.

    Raises ``UnsafeWorkbook`` for a file refused by ``check_workbook``; openpyxl's own errors on a
    damaged workbook pass through for the caller to word."""
    check_workbook(data)
    from openpyxl import load_workbook  # openpyxl is heavy: loaded only when a workbook is read

    return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
