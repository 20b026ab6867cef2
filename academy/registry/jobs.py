"""The registry's background job: a large import, with progress, written all or nothing.

The file is parsed and checked in the job's read phase (no write lock); only when every row is
valid does the job open its one write transaction, which writes every row and commits with the
job's end, so the import stays all or nothing while the lock is held only for the writing. The
rows are checked against what the database held when they were read: a row written meanwhile
that clashes with the file fails the job on the database's own unique constraints, writing nothing.
"""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from academy.accounts.models import User
from academy.exports import csv_bytes
from academy.extensions import db
from academy.files import write_file
from academy.jobs import JobContext, job_handler
from academy.registry.exchange.importer import import_registry
from academy.registry.exchange.reader import FileProblem

IMPORT_JOB = "registry.import"


def upload_folder() -> Path:
    folder = Path(current_app.config["FILES_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@job_handler(IMPORT_JOB, label=_l("Import the registry"))
def run_import(ctx: JobContext, stored: str, filename: str, user_id: int | None = None,
               scopes: list[str] | None = None, create_logins: bool = False) -> dict:
    """Import a stored upload; a file with problems writes nothing and yields a problem report."""
    path = upload_folder() / Path(stored).name  # only a bare name from the params, never a path
    by = db.session.get(User, user_id) if user_id else None
    try:
        result = import_registry(filename, path.read_bytes(), by, progress=ctx.progress, scopes=scopes,
                                 before_writes=ctx.begin_writes, create_logins=bool(create_logins))
    except FileProblem as error:
        return {"message": str(error), "ok": False}
    finally:
        path.unlink(missing_ok=True)  # the upload has served its purpose; personal data is not kept twice
    if not result.ok:
        db.session.rollback()
        rows = [[p.sheet, p.row or "", p.column, p.message] for p in result.problems]
        write_file(ctx.result_file("import-problems.csv"), csv_bytes([_("Sheet"), _("Row"), _("Column"), _("Problem")], rows))
    data = result.as_dict()
    data["problems"] = data["problems"][:50]
    return data
