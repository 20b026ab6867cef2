"""The staff import page: HR (or the administrator) uploads an .xlsx of staff and gets their
log-ins, all or none, with every problem named by its row; and the workbook's template."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from academy.exports import download
from academy.files import display_name
from academy.permissions import require_role
from academy.registry import access
from academy.registry.exchange.staff import ROLE_NAMES, STAFF, template_xlsx
from academy.registry.forms import StaffImportForm
from academy.registry.operations import import_staff
from academy.registry.views import bp
from academy.registry.views.common import edit_scopes
from academy.web.cycle import discard_changes, on_refusal


def _page(form, result=None, problem: str | None = None, status: int = 200):
    return render_template("registry/staff_import.html", form=form, result=result, problem=problem,
                           sheet=STAFF, role_names=ROLE_NAMES), status


@bp.route("/registry/staff/import", methods=["GET", "POST"])
@require_role(*access.EDIT_ROLES)
def staff_import():
    form = StaffImportForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if form.errors else 200)
    upload = form.file.data
    on_refusal(lambda error: _page(form, problem=str(error), status=400), category=None)  # a FileProblem
    result = import_staff(display_name(upload.filename or "staff.xlsx"), upload.read(), current_user,
                          scopes=edit_scopes())
    if not result.ok:
        discard_changes()  # nothing of a file with problems is kept
        return _page(form, result=result, status=400)
    flash(result.summary(), "success")
    return redirect(url_for("registry.staff_import"))


@bp.get("/registry/staff/template.xlsx")
@require_role(*access.EDIT_ROLES)
def staff_template():
    return download(template_xlsx(), "staff-template.xlsx")
