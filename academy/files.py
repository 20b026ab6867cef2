"""Files the app keeps under FILES_DIR: written whole or not at all, and tied to their transaction.

A file is written to a temporary name beside its target, synced, then renamed into place, so a
full disk or a killed process never leaves a half-written file under the real name. Each file
written is remembered on the database session: when the transaction that was to record it rolls
back (a later step failed, the disk filled up on the next photo), the file is removed again, so
no file outlives the record it belonged to; a file whose record is deleted goes once that
deletion commits (``remove_after_commit``). ``StorageError`` carries the message for the user;
the shell answers it with a clear page (see ``academy.web.errors``).
"""
from __future__ import annotations

import logging
import os
import re
import secrets
import unicodedata
from pathlib import Path

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from academy.extensions import db, on_session

log = logging.getLogger(__name__)
_WRITTEN_KEY = "academy.files_written"
_DOOMED_KEY = "academy.files_to_remove"
# Slashes and their lookalikes (division slash, fraction slash, big solidus...) end a folder name.
_SEPARATORS = re.compile("[/\\\\\u2215\u2044\u29f8\u29f9\u2216]")
# Controls (C0, DEL, C1), lone surrogates, reserved characters, and the bidirectional marks and
# overrides that make "invoice\u202egpj.exe" show as "invoiceexe.jpg".
_UNSAFE_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff<>:\"|?*\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


class StorageError(OSError):
    """A file could not be stored (disk full, storage away). Nothing of it is kept."""

    @property
    def user_message(self) -> str:
        return _("The file could not be stored: the server's storage is full or unavailable. "
                 "Nothing was saved; please try again later.")


def write_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; removed again if the session's transaction rolls back."""
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # a full disk may only say so when the data is forced out
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        log.error("could not store %s (%d bytes): %s", path.name, len(data), error.strerror or error)
        raise StorageError(error.errno, error.strerror or str(error)) from error
    db.session.info.setdefault(_WRITTEN_KEY, []).append(path)
    return path


def display_name(filename: str, limit: int = 200) -> str:
    """An uploaded file's name as people may see it again: no folders (either separator), no
    control, reserved or bidirectional-control characters, Unicode normalised (NFKC folds
    full-width lookalikes)."""
    name = unicodedata.normalize("NFKC", filename or "")
    name = _SEPARATORS.split(name)[-1]
    name = _UNSAFE_NAME.sub("", name).strip().lstrip(".")
    return name[-limit:] or "file"


def remove_after_commit(path: Path) -> None:
    """Delete the file at ``path`` once the transaction that deletes its record commits, and not
    before: a rollback keeps both. (A crash between the commit and the unlink leaves a file no
    record names, harmless; the other order could leave a record naming no file.)"""
    db.session.info.setdefault(_DOOMED_KEY, []).append(path)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a released savepoint (SQLAlchemy says after_commit too): the outer transaction decides
    session.info.pop(_WRITTEN_KEY, None)
    for path in session.info.pop(_DOOMED_KEY, []):
        try:
            Path(path).unlink(missing_ok=True)
        except OSError as error:  # the records are gone already; a file left behind is only space
            log.warning("could not remove %s: %s", Path(path).name, error.strerror or error)


def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is not None or previous_transaction.nested:
        return  # a savepoint: the outer transaction may still record the files
    for path in session.info.pop(_WRITTEN_KEY, []):
        Path(path).unlink(missing_ok=True)
    session.info.pop(_DOOMED_KEY, None)  # their records stay, so do they



def init_app(_app: Flask) -> None:
    """Tie written files to the transactions of ``db.session``: kept on commit, removed on rollback."""
    on_session("after_commit", _after_commit)
    on_session("after_soft_rollback", _after_rollback)
