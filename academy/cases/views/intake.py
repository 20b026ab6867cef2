"""Intake pages: the grid worker's phone form and the hotline operator's form.

A double submit carries the same submission key, so it finds the case the first one filed
(even when both arrive at once: the key is unique in the database) instead of filing twice.
"""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.cases import operations, queries
from academy.cases.forms import HotlineForm, WorkerReportForm
from academy.cases.models import Category, Channel
from academy.cases.people import grids_of
from academy.cases.views import bp
from academy.extensions import db
from academy.permissions import Role, ensure, require_role
from academy.registry.models import Grid
from academy.registry.queries import worker_of_user
from academy.web.cycle import on_refusal


def _file(report: operations.Report, template: str, form, **context):
    """File the report once; a repeated or concurrent submit leads to the case already filed."""
    case = queries.case_by_submission_key(report.submission_key)
    filed = False
    if case is None:
        on_refusal(lambda _error: (render_template(template, form=form, **context), 400))
        case, filed = operations.file_report(report, current_user)
    if not filed:
        flash(_("This report was already filed as case %(number)s.", number=case.number), "info")
        return redirect(url_for("cases.show", case_id=case.id))
    flash(_("Case %(number)s filed.", number=case.number), "success")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/cases/report", methods=["GET", "POST"])
@require_role(Role.TRAINEE)
def report():
    worker = worker_of_user(current_user)
    ensure(worker is not None)
    operations.check_reporter(worker)  # refused before the form: a worker off duty files no case
    grids = grids_of(worker)
    form = WorkerReportForm(queries.active_categories(), grids)
    if not form.validate_on_submit():
        return render_template("cases/report.html", form=form, similar=[]), 400 if form.errors else 200
    grid = next(g for g in grids if g.id == form.grid.data)
    # One step more than load / check / validate / operate: before filing, the worker is shown similar
    # open cases to link to instead (a read, nothing written), unless he ticked "file it anyway".
    text = f"{form.title.data} {form.description.data}"
    similar = [] if form.file_anyway.data else queries.similar_open_cases(grid.id, form.category.data, text)
    if similar and not queries.case_by_submission_key(form.submission_key.data):
        flash(_("Similar open cases exist. Link your report to one of them, or tick the box to file a new case."),
              "warning")
        return render_template("cases/report.html", form=form, similar=similar), 200
    patrol = queries.open_patrol(worker)
    report_ = operations.Report(
        category=db.session.get(Category, form.category.data), title=form.title.data, description=form.description.data,
        channel=Channel.WORKER, grid=grid, location=form.location.data or "", latitude=form.latitude.data,
        longitude=form.longitude.data, worker=worker, patrol_id=patrol.id if patrol and patrol.grid_id == grid.id else None,
        submission_key=form.submission_key.data, photos=form.photo_data, handled_on_spot=form.handled_on_spot.data)
    return _for_the_phone(_file(report_, "cases/report.html", form, similar=[]))


def _for_the_phone(response):
    """A draft sent by the phone's script (static/js/drafts.js) learns where its case is as JSON, so the
    script can forget the draft before it opens the case (whose "filed" message waits in the session)."""
    if request.headers.get("X-Academy-Draft") == "1" and getattr(response, "status_code", None) == 302:
        return jsonify(filed=True, url=response.location)
    return response


@bp.route("/cases/hotline", methods=["GET", "POST"])
@require_role(Role.DISPATCHER)
def hotline():
    form = HotlineForm(queries.active_categories(), queries.hotline_places(current_user))
    if not form.validate_on_submit():
        return render_template("cases/hotline.html", form=form), 400 if form.errors else 200
    kind, _sep, value = form.place.data.partition(":")
    grid = db.session.get(Grid, int(value)) if kind == "g" and value.isdigit() else None
    report_ = operations.Report(
        category=db.session.get(Category, form.category.data), title=form.title.data, description=form.description.data,
        channel=Channel.HOTLINE, grid=grid, area_code=value if kind == "a" else "", location=form.location.data or "",
        resident_name=form.resident_name.data or "", resident_phone=form.resident_phone.data or "",
        resident_email=form.resident_email.data or "", submission_key=form.submission_key.data)
    return _file(report_, "cases/hotline.html", form)
