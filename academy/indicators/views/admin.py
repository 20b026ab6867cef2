"""Administration: assessment scheme versions and refreshing snapshots by hand."""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.indicators import access, operations, queries, scoring
from academy.indicators.forms import RefreshForm, SchemeForm, scheme_rows
from academy.indicators.models import AssessmentScheme
from academy.indicators.refresh import request_refresh
from academy.indicators.views import bp
from academy.permissions import Role, ensure, get_or_404, require_role
from academy.web.cycle import on_refusal
from academy.web.errors import render_error


@bp.route("/schemes", methods=["GET", "POST"])
@require_role(Role.HR)
def schemes():
    ensure(access.can_manage_schemes(current_user))
    current = queries.active_scheme()
    rows = scheme_rows(scoring.DEFAULT_ITEMS if current is None else current.items)
    form = SchemeForm(obj=current, rows=rows) if current is not None else SchemeForm(rows=rows)
    if not form.is_submitted():
        form.items.data = ""
    if form.validate_on_submit():
        on_refusal(lambda error: _schemes_page(form, current, refusal=str(error)), category=None)
        scheme = operations.save_scheme(
            current_user, form.name.data, form.parsed_items,
            deduction_per_overdue=float(form.deduction_per_overdue.data),
            deduction_per_dissatisfied=float(form.deduction_per_dissatisfied.data),
            excellent_top_n=form.excellent_top_n.data,
            excellent_min_score=float(form.excellent_min_score.data) if form.excellent_min_score.data is not None else None,
            min_sample=form.min_sample.data, note=form.note.data or "")
        flash(_("Version %(n)d of the scheme is now in force; refresh the periods to rescore them.", n=scheme.version), "success")
        return redirect(url_for("indicators.schemes"))
    return _schemes_page(form, current)


def _schemes_page(form, current, refusal: str | None = None):
    """The schemes page; a refused scheme's reason shows under its items."""
    if refusal:
        form.items.errors = [*form.items.errors, refusal]
    versions, periods = queries.scheme_versions(), queries.stored_periods()
    return render_template("indicators/schemes.html", form=form, versions=versions, current=current, periods=periods,
                           refresh_form=RefreshForm()), 400 if form.errors else 200


@bp.get("/schemes/<int:scheme_id>")
@require_role(Role.HR)
def scheme(scheme_id: int):
    ensure(access.can_manage_schemes(current_user))
    return render_template("indicators/scheme.html", scheme=get_or_404(AssessmentScheme, scheme_id))


@bp.post("/refresh")
@require_role(Role.ADMIN)
def refresh():
    form = RefreshForm()
    if not form.validate_on_submit():
        abort(make_response(render_error(400, "; ".join(str(e) for errors in form.errors.values() for e in errors))))
    job = request_refresh(current_user, [form.period.data.strip()])
    return redirect(url_for("web.job_page", job_id=job.id))
