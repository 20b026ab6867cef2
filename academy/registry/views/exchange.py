"""Spreadsheet exchange: the import page (small files at once, large ones as a job), the
templates, and exports of every list. District HR imports and exports only its district."""
from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.exports import CSV_ENCODINGS, Table, csv_bytes, download, xlsx_bytes
from academy.files import display_name, write_file
from academy.jobs import enqueue_job
from academy.permissions import require_role
from academy.registry import access
from academy.registry.exchange import export, listings
from academy.registry.exchange.importer import LARGE_IMPORT_ROWS, count_rows, import_registry
from academy.registry.exchange.sheets import SHEETS_BY_KEY
from academy.registry.forms import ImportForm
from academy.registry.jobs import IMPORT_JOB, upload_folder
from academy.registry.views import bp
from academy.registry.views.common import edit_scopes, read_scopes_for
from academy.web.cycle import discard_changes, on_refusal


def _page(form, result=None, problem: str | None = None, status: int = 200):
    return render_template("registry/import.html", form=form, result=result, problem=problem,
                           sheets=SHEETS_BY_KEY), status


@bp.route("/registry/import", methods=["GET", "POST"])
@require_role(*access.EDIT_ROLES)
def import_page():
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if form.errors else 200)
    upload = form.file.data
    # Cleaned here: the name is kept with the job and shown with the file's problems.
    filename, data = display_name(upload.filename or "upload"), upload.read()
    on_refusal(lambda error: _page(form, problem=str(error), status=400), category=None)  # a FileProblem
    if count_rows(filename, data) > LARGE_IMPORT_ROWS:
        stored = f"{uuid.uuid4().hex}{'.xlsx' if filename.lower().endswith('.xlsx') else '.csv'}"
        write_file(upload_folder() / stored, data)
        job = enqueue_job(IMPORT_JOB, {"stored": stored, "filename": filename[:200], "user_id": current_user.id,
                                       "scopes": edit_scopes(), "create_logins": form.create_logins.data},
                          by=current_user)
        return redirect(url_for("web.job_page", job_id=job.id))
    result = import_registry(filename, data, current_user, scopes=edit_scopes(), create_logins=form.create_logins.data)
    if not result.ok:
        discard_changes()  # nothing of a file with problems is kept, and the page shows the registry as it was
        return _page(form, result=result, status=400)
    flash(result.summary(), "success")
    for note in result.notes:
        flash(note, "info")
    return redirect(url_for("registry.import_page"))


@bp.get("/registry/import/template.<fmt>")
@require_role(*access.EDIT_ROLES)
def import_template(fmt: str):
    if fmt == "xlsx":
        return download(export.template_xlsx(), "registry-template.xlsx")
    sheet = request.args.get("sheet", "grids")
    encoding = request.args.get("encoding", "utf-8")
    if fmt != "csv" or sheet not in SHEETS_BY_KEY or encoding not in CSV_ENCODINGS:
        abort(404)
    return download(export.template_csv(sheet, encoding), f"registry-{sheet}-{encoding}.csv", encoding=encoding)


@bp.get("/registry/export/<kind>.<fmt>")
@require_role(*access.READ_ROLES)
def export_list(kind: str, fmt: str):
    encoding = request.args.get("encoding", "utf-8")
    if kind not in listings.KINDS or fmt not in ("xlsx", "csv") or encoding not in CSV_ENCODINGS:
        abort(404)
    scopes = read_scopes_for(request.args.get("area") or None)
    title, headers, rows = listings.listing(kind, scopes)
    if fmt == "xlsx":
        return download(xlsx_bytes([Table(title, headers, rows)]), f"{kind}.xlsx")
    return download(csv_bytes(headers, rows, encoding), f"{kind}.csv", encoding=encoding)
